"""``azad load_demo``: the demo organisations, one account per role and ~200 persons."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from azad.core.permissions import Role
from azad.demo.loader import DEMO_PASSWORD, DEMO_PERSONS, DemoRefused, load_demo
from azad.demo.totp import otpauth_uri, seconds_left, totp_code


class Command(BaseCommand):
    help = "Load the demo data set (idempotent) and print the demo accounts with their TOTP secrets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons", type=int, default=DEMO_PERSONS, help="Synthetic persons (default 200)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["persons"] < 0:
            raise CommandError(_("--persons cannot be negative."))
        try:
            result = load_demo(persons=options["persons"])
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        self.stderr.write(
            _(
                "Demo loaded: %(orgs)d new organisations, %(new)d new and %(reset)d reset accounts, "
                "%(persons)d new persons."
            )
            % {
                "orgs": result.organisations_created,
                "new": result.accounts_created,
                "reset": result.accounts_updated,
                "persons": result.persons_created,
            }
        )
        header = (_("username"), _("role"), _("organisation"), _("password"), _("TOTP secret"), _("code"))
        rows = [
            (
                spec.username,
                str(Role(spec.role).label),
                (user.organisation.short_name or user.organisation.name) if user.organisation else "",
                DEMO_PASSWORD,
                secret,
                totp_code(secret),
            )
            for spec, user, secret in result.accounts
        ]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, tuple("-" * w for w in widths), *rows]:
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            )
        self.stdout.write("")
        self.stdout.write(
            _("Codes change in %(seconds)d s; `azad demo-code USERNAME` prints the current one.")
            % {"seconds": seconds_left()}
        )
        self.stdout.write(_("Authenticator app links:"))
        for spec, _user, secret in result.accounts:
            self.stdout.write(f"  {spec.username}: {otpauth_uri(secret, spec.username)}")
