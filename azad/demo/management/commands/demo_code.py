"""``azad demo-code USERNAME``: the current TOTP code of a demo account (demo accounts only)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from azad.accounts.adapters import MFAAdapter
from azad.accounts.models import User
from azad.demo.loader import DemoRefused, require_demo_allowed
from azad.demo.totp import seconds_left, totp_code


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account. Refused for every other account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            require_demo_allowed()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        user = User.objects.filter(username=options["username"]).first()
        # The same answer whether the account is missing or real: no account discovery here.
        if user is None or not user.is_demo:
            raise CommandError(_("%(username)s is not a demo account.") % {"username": options["username"]})
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            raise CommandError(_("This demo account has no TOTP authenticator; run `azad load_demo`."))
        secret = MFAAdapter().decrypt(authenticator.data["secret"])
        self.stdout.write(totp_code(secret))
        self.stderr.write(_("valid for %(seconds)d more seconds") % {"seconds": seconds_left()})
