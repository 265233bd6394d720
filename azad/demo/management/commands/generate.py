"""``azad generate --persons N [--seed S] [--organisations M]``: synthetic persons at any size."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from azad.demo import generator
from azad.demo.loader import DemoRefused, demo_creators, require_demo_allowed

MAX_PERSONS = 10_000_000


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
        seed = options["seed"] if options["seed"] is not None else secrets.randbelow(2**31)

        specs = [*generator.NATIONAL_ORGANISATIONS, *(generator.ngo_spec(i) for i in range(ngos))]
        organisations, created_orgs = generator.ensure_organisations(specs)
        recorders = generator.Recorders.among(list(organisations.values()), demo_creators())
        self.stderr.write(
            _("Seed %(seed)d; %(orgs)d new organisations.") % {"seed": seed, "orgs": created_orgs}
        )

        def progress(done: int, total: int, rate: float) -> None:
            self.stderr.write(
                _("%(done)d / %(total)d persons (%(rate).0f persons/s)")
                % {"done": done, "total": total, "rate": rate}
            )

        result = generator.generate_persons(
            count, seed=seed, recorders=recorders, batch_size=batch_size, progress=progress
        )
        self.stdout.write(
            _(
                "Generated %(created)d persons (%(skipped)d already there) in %(seconds).1f s: "
                "%(rate).0f persons/s. Seed %(seed)d."
            )
            % {
                "created": result.created,
                "skipped": result.skipped,
                "seconds": result.seconds,
                "rate": result.per_second,
                "seed": seed,
            }
        )
