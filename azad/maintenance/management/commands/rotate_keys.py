"""``azad rotate-keys``: re-encrypt all personal data under the current (or a new) field key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from azad.audit.services import record_event
from azad.maintenance import keys


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the current field key (with --new-key: a new one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key", action="store_true", help="Add a new field key to the key file first."
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError(_("The batch size must be a positive number."))
        try:
            if options["new_key"]:
                kid = keys.add_new_key()
                self.stdout.write(_("New field key %(kid)s is now current.") % {"kid": kid})
            report = keys.rotate(batch_size=options["batch_size"], progress=lambda m: self.stderr.write(m))
        except keys.RotationError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            record_event(
                "keys.rotate",
                actor="azad rotate-keys",
                payload={"current": report.current, "rewritten": report.rewritten},
            )
        self.stdout.write(
            _("Rotation finished: %(count)d records now under key %(kid)s.")
            % {"count": report.total, "kid": report.current}
        )
