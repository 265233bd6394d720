"""``azad export_ctdc``: write the public k-anonymous dataset (CTDC layout) to a CSV file, with progress.

    azad export_ctdc --k 11 --output ctdc.csv [--from-year 2020 --to-year 2024]
                     [--qi yearOfRegistration --qi gender ...] [--max-suppression 0.1]
                     [--identified-only] [--report report.json]

Built here and now, in this process (an operator's command blocks no web
worker; people use the page, which builds outside the request). Recorded in
the audit trail as an export by "azad export_ctdc". Bad parameters (an
unknown quasi-identifier, k < 2) stop it with a clear message and write nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from azad.publication import kanon, services

ACTOR = "azad export_ctdc"


class Command(BaseCommand):
    help = "Write the public k-anonymous dataset (CTDC columns) to a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        year = timezone.localdate().year
        parser.add_argument("--output", required=True, help="CSV file to write.")
        parser.add_argument("--k", type=int, default=None, help="k (default: AZAD_PUBLICATION_K, 11).")
        parser.add_argument("--from-year", type=int, default=year - 1)
        parser.add_argument("--to-year", type=int, default=year - 1)
        parser.add_argument(
            "--qi",
            action="append",
            dest="quasi_identifiers",
            help=f"A quasi-identifier (repeat). Default: {', '.join(kanon.DEFAULT_QUASI_IDENTIFIERS)}.",
        )
        parser.add_argument("--max-suppression", type=float, default=None)
        parser.add_argument("--identified-only", action="store_true")
        parser.add_argument("--report", default="", help="Also write the report as JSON to this file.")

    def _progress(self, done: int, total: int) -> None:
        if total:
            self.stderr.write(f"\r{_('Reading cases')}: {done}/{total} ({100 * done // total}%)", ending="")
            if done >= total:
                self.stderr.write("")

    def handle(self, *args: Any, **options: Any) -> None:
        k = options["k"] if options["k"] is not None else services.default_k()
        max_suppression = options["max_suppression"]
        if max_suppression is None:
            max_suppression = services.default_max_suppression()
        quasi_identifiers = options["quasi_identifiers"] or list(kanon.DEFAULT_QUASI_IDENTIFIERS)
        try:
            data = services.build_public_dataset(
                actor=ACTOR,
                year_from=options["from_year"],
                year_to=options["to_year"],
                k=k,
                quasi_identifiers=quasi_identifiers,
                max_suppression=max_suppression,
                identified_only=options["identified_only"],
                progress=self._progress,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        Path(options["output"]).write_bytes(services.public_dataset_csv(data))
        if options["report"]:
            Path(options["report"]).write_text(json.dumps(data.report.as_dict(), indent=2), encoding="utf-8")
        services.record_command_export(data, actor=ACTOR, kind="ctdc_dataset.csv (command)")
        report = data.report
        self.stdout.write(
            _("%(out)s rows written, %(suppressed)s of %(total)s suppressed, k = %(k)s.")
            % {
                "out": report.rows_out,
                "suppressed": report.rows_suppressed,
                "total": report.rows_in,
                "k": report.k,
            }
        )
        for g in report.generalisation:
            self.stdout.write(f"  {g.name}: {g.level_name} ({g.level}/{g.top_level})")
