"""The navigation a person sees, by what their role may do.

Each domain app adds its entries to ``MENU``; an entry shows when the person
has at least its level on its kind of data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from azad.core.permissions import Data, Level, can


@dataclass(frozen=True)
class MenuEntry:
    """One link in the navigation."""

    label: str | Promise
    url_name: str
    data: Data
    level: Level = Level.READ
    # A further rule beyond the roles x data table (e.g. one role only); None: the table decides.
    allowed: Callable[[Any], bool] | None = None


MENU: list[MenuEntry] = [
    MenuEntry(_("Organisations"), "accounts:organisation_list", Data.ORGANISATIONS),
    MenuEntry(_("Accounts"), "accounts:user_list", Data.ACCOUNTS, Level.WRITE),
    MenuEntry(_("Audit trail"), "audit:event_list", Data.AUDIT_TRAIL),
]


def menu_for(user: Any) -> list[dict[str, str]]:
    """The entries ``user`` may follow, with their URLs."""
    entries = []
    for entry in MENU:
        if can(user, entry.data, entry.level) and (entry.allowed is None or entry.allowed(user)):
            try:
                entries.append({"label": str(entry.label), "url": reverse(entry.url_name)})
            except NoReverseMatch:
                continue
    return entries
