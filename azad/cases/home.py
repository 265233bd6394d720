"""The home-page panel: the legal clocks that concern the signed-in person, due soon and overdue."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from azad.cases.access import visible_cases
from azad.cases.choices import OPEN_REFERRAL_STATUSES
from azad.cases.clocks import ClockState, clocks_needing_attention
from azad.cases.models import Referral
from azad.core.home import register_panel
from azad.core.permissions import Data, Level, Scope, can

PANEL_LIMIT = 15


@register_panel
def clocks_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Clocks due soon or overdue on the cases of the person's organisation and those referred to it.

    Own-scope accounts get the clocks of the cases they own. Shown to roles that read case content.
    """
    user = request.user
    if not can(user, Data.CASE_CONTENT, Level.READ):
        return None
    organisation_id = getattr(user, "organisation_id", None)
    if getattr(user, "scope", "") == Scope.OWN:
        concern = Q(owner_id=user.pk)
    elif organisation_id is not None:
        referred = Referral.objects.filter(
            case=OuterRef("pk"), to_organisation_id=organisation_id, status__in=OPEN_REFERRAL_STATUSES
        )
        concern = Q(owner_organisation_id=organisation_id) | Q(Exists(referred))
    else:
        return None
    now = timezone.now()
    clocks = clocks_needing_attention(visible_cases(user).filter(concern), now)
    return {
        "title": _("Legal clocks"),
        "template": "cases/home_panel.html",
        "clocks": clocks[:PANEL_LIMIT],
        "more": max(len(clocks) - PANEL_LIMIT, 0),
        "overdue": sum(1 for clock in clocks if clock.state == ClockState.OVERDUE),
        "due_soon": sum(1 for clock in clocks if clock.state == ClockState.DUE_SOON),
    }


@register_panel
def shelter_panel(request: HttpRequest) -> dict[str, Any] | None:
    """A shelter's staff: residents today and free beds (counts only, never names)."""
    from azad.cases.access import shelters_placing
    from azad.cases.occupancy import occupied_today

    shelter = shelters_placing(request.user).first()
    if shelter is None:
        return None
    residents = occupied_today([shelter]).get(shelter.pk, 0)
    return {
        "title": _("Shelter"),
        "template": "cases/shelter_panel.html",
        "shelter": shelter,
        "residents": residents,
        "free": max(shelter.beds - residents, 0),
    }
