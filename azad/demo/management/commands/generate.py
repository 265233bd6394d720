"""``azad generate --persons N [--cases C] [--calls K] [--seed S] [--organisations M]``: synthetic data at any size.

Persons first, then their cases (case *i* belongs to person *i* mod N), then hotline calls.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from azad.demo import generator
from azad.demo.loader import DemoRefused, demo_creators, require_demo_allowed

MAX_PERSONS = 10_000_000
MAX_CASES = 20_000_000
MAX_CALLS = 20_000_000


class Command(BaseCommand):
    help = (
        "Generate N synthetic persons (and the national organisations plus M fictional NGOs). "
        "The same seed gives the same people; running it again adds only the missing ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help="How many persons (1 to 10,000,000).")
        parser.add_argument("--seed", type=int, default=None, help="Seed (random and printed if not given).")
        parser.add_argument(
            "--organisations", type=int, default=5, help="How many fictional NGOs and shelters (default 5)."
        )
        parser.add_argument(
            "--cases",
            default="0",
            help="How many cases: a number, or a ratio to the persons ending in x (e.g. 1x, 1.1x). Default 0.",
        )
        parser.add_argument("--calls", type=int, default=0, help="How many hotline calls (default 0).")
        parser.add_argument("--batch-size", type=int, default=generator.DEFAULT_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            require_demo_allowed()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        count, ngos, batch_size = options["persons"], options["organisations"], options["batch_size"]
        if not 1 <= count <= MAX_PERSONS:
            raise CommandError(_("--persons must be between 1 and 10,000,000."))
        if not 0 <= ngos <= 10_000:
            raise CommandError(_("--organisations must be between 0 and 10,000."))
        if not 1 <= batch_size <= 50_000:
            raise CommandError(_("--batch-size must be between 1 and 50,000."))
        cases = _case_count(str(options["cases"]), count)
        calls = options["calls"]
        if not 0 <= calls <= MAX_CALLS:
            raise CommandError(_("--calls must be between 0 and 20,000,000."))
        seed = options["seed"] if options["seed"] is not None else secrets.randbelow(2**31)

        specs = [*generator.NATIONAL_ORGANISATIONS, *(generator.ngo_spec(i) for i in range(ngos))]
        organisations, created_orgs = generator.ensure_organisations(specs)
        creators = demo_creators()
        recorders = generator.Recorders.among(list(organisations.values()), creators)
        self.stderr.write(
            _("Seed %(seed)d; %(orgs)d new organisations.") % {"seed": seed, "orgs": created_orgs}
        )
        result = generator.generate_persons(
            count,
            seed=seed,
            recorders=recorders,
            batch_size=batch_size,
            progress=self._progress(_("persons")),
        )
        self._report(_("persons"), result, seed)
        if cases:
            writers = generator.case_writers(organisations, creators)
            result = generator.generate_cases(
                cases,
                seed=seed,
                persons=count,
                writers=writers,
                batch_size=batch_size,
                progress=self._progress(_("cases")),
            )
            self._report(_("cases"), result, seed)
        if calls:
            hotline = organisations["hotline"]
            operators = generator.hotline_operators(hotline, organisations["coordinator"])
            result = generator.generate_calls(
                calls,
                seed=seed,
                hotline=hotline,
                operators=operators,
                batch_size=batch_size,
                progress=self._progress(_("calls")),
            )
            self._report(_("calls"), result, seed)

    def _progress(self, what: str) -> generator.ProgressCallback:
        def progress(done: int, total: int, rate: float) -> None:
            self.stderr.write(
                _("%(done)d / %(total)d %(what)s (%(rate).0f/s)")
                % {"done": done, "total": total, "what": what, "rate": rate}
            )

        return progress

    def _report(self, what: str, result: generator.GenerateResult, seed: int) -> None:
        self.stdout.write(
            _(
                "Generated %(created)d %(what)s (%(skipped)d already there) in %(seconds).1f s: "
                "%(rate).0f/s. Seed %(seed)d."
            )
            % {
                "created": result.created,
                "what": what,
                "skipped": result.skipped,
                "seconds": result.seconds,
                "rate": result.per_second,
                "seed": seed,
            }
        )


def _case_count(value: str, persons: int) -> int:
    """``--cases``: a number, or a ratio to ``persons`` written ``1x``, ``1.1x``."""
    text = value.strip().lower().replace("_", "").replace(",", "")
    try:
        count = round(float(text[:-1]) * persons) if text.endswith("x") else int(text)
    except ValueError:
        raise CommandError(_("--cases must be a number or a ratio such as 1x.")) from None
    if not 0 <= count <= MAX_CASES:
        raise CommandError(_("--cases must be between 0 and 20,000,000."))
    return count
