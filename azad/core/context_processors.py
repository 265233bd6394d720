"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from azad.core.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu for the signed-in person and the languages of the switcher."""
    user = getattr(request, "user", None)
    return {
        "azad_menu": menu_for(user) if user is not None and user.is_authenticated else [],
        "azad_languages": settings.LANGUAGES,
    }
