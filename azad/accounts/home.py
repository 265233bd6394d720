"""The accounts panel on the home page, for system administrators."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from azad.accounts import access
from azad.accounts.filters import without_second_factor
from azad.core.home import register_panel
from azad.core.permissions import Data, Level, can


@register_panel
def accounts_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Counts of active organisations and accounts, and accounts without a second factor."""
    user = request.user
    if not can(user, Data.ACCOUNTS, Level.WRITE):
        return None
    active_users = access.visible_users(user).filter(is_active=True)
    return {
        "title": _("Organisations and accounts"),
        "template": "accounts/home_panel.html",
        "organisations": access.visible_organisations(user).filter(is_active=True).count(),
        "accounts": active_users.count(),
        "without_second_factor": without_second_factor(active_users).count(),
    }
