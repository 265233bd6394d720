"""``azad verify-audit``: check the audit chain from the first event to the last.

Exits 0 and prints "intact" when every link holds; exits 1 and names the first
broken link otherwise. Progress goes to stderr every ``--every`` events unless
``--quiet``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import ngettext

from azad.audit.verify import BATCH_SIZE, verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit 1 at the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print no progress, only the result.")
        parser.add_argument(
            "--every", type=int, default=10_000, help="Report progress every N events (default 10000)."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Events read per query.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the messages.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            every = max(1, options["every"])

            def progress(count: int) -> None:
                self.stderr.write(
                    ngettext("%(count)d event checked…", "%(count)d events checked…", count)
                    % {"count": count}
                )

            result = verify_chain(
                batch_size=max(1, options["batch_size"]),
                progress=None if options["quiet"] else progress,
                progress_every=every,
            )
            if not result.ok:
                raise CommandError(result.message())
            self.stdout.write(self.style.SUCCESS(result.message()))
