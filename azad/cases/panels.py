"""What the case page shows of increment 2: placements, plan, services, risks, payments, returns, sealing, history, comments.

Each section is read through :mod:`azad.cases.access` and shown only to those
who may see it; every list is fetched with its related rows in one query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from azad.cases import access
from azad.cases.access import CaseRights
from azad.cases.choices import EventKind, PaymentKind, TraffickingStatus
from azad.cases.models import Case
from azad.core.permissions import Data, Level, can


def support_context(user: Any, case: Case, rights: CaseRights) -> dict[str, Any]:
    """Template context for the increment-2 sections of the case page (``rights.content`` holds)."""
    placements = list(access.visible_placements(user).filter(case=case).order_by("-start_on", "id"))
    may_place = not case.is_ended and access.may_place_somewhere(user)
    plans = list(
        case.assistance_plans.select_related("responsible_organisation", "created_by").prefetch_related(
            "items__responsible_organisation"
        )
    )
    payments = list(case.payments.select_related("approved_by", "recorded_by"))
    comments = list(case.comments.select_related("author", "organisation"))
    events = case.events.select_related("actor", "organisation").exclude(kind=EventKind.COMMENT)
    entries: list[tuple[dt.datetime, dict[str, Any]]] = [
        (e.occurred_at, {"at": e.occurred_at, "event": e}) for e in events
    ] + [(c.created_at, {"at": c.created_at, "comment": c}) for c in comments]
    timeline = [entry for _at, entry in sorted(entries, key=lambda pair: pair[0])]
    returns = list(access.visible_returns(user, case))
    sealing = case.sealings.filter(lifted_at__isnull=True).select_related("decided_by_organisation").first()
    return {
        "shows_placements": can(user, Data.SHELTER_PLACEMENTS, Level.READ),
        "placements": placements,
        "may_place": may_place,
        "plans": plans,
        "open_plan": next((plan for plan in plans if plan.ended_on is None), None),
        "services": list(case.services.select_related("provider", "recorded_by", "plan_item")),
        "risks": list(case.risk_assessments.select_related("assessed_by")),
        "payments": payments,
        "may_pay": rights.write and not case.is_ended,
        "allowance_due": rights.write
        and case.trafficking_status == TraffickingStatus.ACTUAL
        and not any(p.kind == PaymentKind.ALLOWANCE for p in payments),
        "sealing": sealing,
        "may_seal": access.may_seal(user),
        "historic_events": list(case.historic_events.select_related("recorded_by")),
        "comments": comments,
        "timeline": timeline,
        "returns": returns,
        "may_write_returns": access.may_write_returns(rights) and not case.is_ended,
        "return_open": any(r.is_open for r in returns),
    }
