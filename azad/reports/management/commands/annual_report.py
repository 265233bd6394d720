"""``azad annual_report --year 2025 --language az --output report.pdf``: produce the report here and now.

Runs the same generation as the web page, in this process, printing its
progress; the run is kept (and audited) like one started from the web, with
the command as its actor. Exits with an error, writing nothing, on a bad year,
language or output path, or if the generation fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from azad.accounts.services import error_messages
from azad.reports import generation, services
from azad.reports.choices import RunStatus, Step
from azad.reports.models import ReportRun

ACTOR = "azad annual_report"


class Command(BaseCommand):
    help = "Produce the National Coordinator's annual report for a year as a PDF, showing progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="The calendar year, e.g. 2025.")
        parser.add_argument("--language", default="az", help="az, en or ru (default az).")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if (output.exists() and output.is_dir()) or not output.parent.is_dir():
            raise CommandError(_("Give a file path in an existing folder for --output."))
        try:
            run, _created = services.start_report(options["year"], options["language"], actor=ACTOR)
        except ValidationError as error:
            raise CommandError(
                " ".join(message for messages in error_messages(error).values() for message in messages)
            ) from None
        if run.status != RunStatus.QUEUED:
            raise CommandError(_("This report is already being produced elsewhere; try again when it ends."))

        def show(percent: int, step: Step) -> None:
            self.stderr.write(f"{percent:3d}%  {step.label}")

        run = generation.generate(run.pk, listener=show)
        if run.status != RunStatus.DONE:
            raise CommandError(_("The report could not be produced (%(kind)s).") % {"kind": run.error})
        pdf = ReportRun.objects.values_list("pdf", flat=True).get(pk=run.pk)
        output.write_bytes(bytes(pdf or b""))
        self.stdout.write(_("Wrote %(path)s.") % {"path": output})
