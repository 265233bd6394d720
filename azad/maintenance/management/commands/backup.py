"""``azad backup [FILE]``: write an encrypted, verified backup of the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from azad.audit.services import record_event
from azad.maintenance.backup import BackupError, verify_backup, write_backup


class Command(BaseCommand):
    help = "Write an encrypted, verified backup (default: AZAD_BACKUP_DIR/azad-<time>.azadbak)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Where to write the backup.")
        parser.add_argument("--verify", metavar="FILE", help="Only check an existing backup file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify"]:
                manifest = verify_backup(Path(options["verify"]))
                rows = sum(t["rows"] for t in manifest.tables.values())
                self.stdout.write(
                    _("Backup is intact: %(rows)d rows in %(tables)d tables.")
                    % {"rows": rows, "tables": len(manifest.tables)}
                )
                return
            target = Path(
                options["file"]
                or Path(settings.AZAD_BACKUP_DIR) / f"azad-{timezone.now():%Y%m%dT%H%M%SZ}.azadbak"
            )
            if target.exists():
                raise CommandError(_("%(file)s already exists; choose another name.") % {"file": target})
            # The backup is an export: its event is recorded first, so the backup holds it.
            with transaction.atomic():
                record_event("backup.create", actor="azad backup", payload={"file": target.name})
            manifest = write_backup(target, progress=lambda m: self.stderr.write(m))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in manifest.tables.values())
        self.stdout.write(
            _("Backup written and verified: %(file)s (%(rows)d rows).") % {"file": target, "rows": rows}
        )
