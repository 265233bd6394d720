"""``azad restore FILE``: restore a backup into a migrated, empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from azad.audit.services import record_event
from azad.maintenance.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore an Azad backup into a migrated, empty database (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(file)s does not exist.") % {"file": path})
        try:
            manifest = restore_backup(path, progress=lambda m: self.stderr.write(m))
        except BackupError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            record_event("backup.restore", actor="azad restore", payload={"file": path.name})
        rows = sum(t["rows"] for t in manifest.tables.values())
        self.stdout.write(_("Restored and checked: %(rows)d rows.") % {"rows": rows})
