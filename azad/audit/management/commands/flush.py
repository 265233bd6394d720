"""Django's ``flush``, able to empty the append-only audit table outside production.

The audit table's triggers refuse DELETE and TRUNCATE, so Django's own flush
(which tests run after every transactional test) would fail on it. Outside
production this command lifts the triggers for the flush and puts them back;
in production it leaves them in force, so flushing a production database
fails and the audit trail stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections

from azad.audit import triggers


class Command(flush.Command):
    help = flush.Command.help + " Outside production the audit trail is emptied too."

    def handle(self, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            return super().handle(**options)
        with triggers.lifted(connections[options["database"]]):
            return super().handle(**options)
