"""System check: production refuses to run while any demo account exists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.db import DatabaseError


def demo_accounts_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Error ``azad.demo.E001`` when demo data is not allowed and a demo account exists.

    Demo accounts share a public password and public TOTP secrets; in a real
    system they are an open door. (Before the first migration there is no
    account table: nothing to check.)
    """
    if getattr(settings, "AZAD_DEMO_ALLOWED", False):
        return []
    from azad.accounts.models import User

    try:
        names = list(User.objects.filter(is_demo=True).values_list("username", flat=True)[:20])
    except DatabaseError:
        return []
    if not names:
        return []
    return [
        Error(
            "Demo accounts exist under production settings: " + ", ".join(sorted(names)) + ".",
            hint="They have a public password and public TOTP secrets. A production database must "
            "never hold them: use a database the demo was never loaded into.",
            id="azad.demo.E001",
        )
    ]
