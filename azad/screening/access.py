"""The only way to read screenings and the indicator catalogue. Deny by default.

Screenings (``Data.SCREENINGS``, read or write) are seen by scope:

- national -> every screening;
- organisation -> screenings of the person's organisation, plus, once referred,
  the police anti-trafficking department (organisations of type PoliceATD) and
  any organisation a screening was shared with;
- own -> screenings the person made.

Only the organisation that made a screening may change it (write, 403 to
others who see it), and only while it is a draft. Roles with the aggregate
level (analysts, the National Coordinator) see counts only, through
:func:`screening_counts`, with counts below 11 suppressed.

The catalogue is reference data, not personal data: everyone who works with
screenings (aggregate level and up) reads it; system administrators read it
and load new lists (the permissions table has no column for reference
catalogues, so the role is named here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from azad.accounts.choices import OrgType
from azad.core.exceptions import NotVisible
from azad.core.permissions import Data, Level, Role, Scope, can, level_for
from azad.screening.choices import Status
from azad.screening.models import IndicatorList, Screening

# Small-cell suppression for aggregate-only readers (CTDC practice: k = 11).
SMALL_COUNT_THRESHOLD = 11
CATALOGUE_MANAGERS = frozenset({Role.SYSTEM_ADMIN})


def _org_type(user: Any) -> str:
    organisation = getattr(user, "organisation", None)
    return getattr(organisation, "org_type", "") if organisation is not None else ""


def visible_screenings(user: Any) -> QuerySet[Screening]:
    """Screenings ``user`` may see, by role (screenings, read) and scope."""
    if not can(user, Data.SCREENINGS, Level.READ):
        return Screening.objects.none()
    screenings = Screening.objects.select_related("indicator_list", "organisation", "screener")
    scope = getattr(user, "scope", "")
    if scope == Scope.NATIONAL:
        return screenings
    if scope == Scope.ORGANISATION:
        organisation_id = getattr(user, "organisation_id", None)
        if not organisation_id:
            return Screening.objects.none()
        seen = Q(organisation_id=organisation_id)
        # Referred screenings reach the police ATD; shared ones reach the named organisations.
        if _org_type(user) == OrgType.POLICE_ATD:
            seen |= Q(referred_to_atd_at__isnull=False)
        shared = Screening.shared_with.through.objects.filter(organisation_id=organisation_id).values(
            "screening_id"
        )
        seen |= Q(pk__in=shared)
        return screenings.filter(seen)
    if scope == Scope.OWN:
        return screenings.filter(screener_id=user.pk)
    return Screening.objects.none()


def get_screening_for_user(user: Any, pk: Any, *, write: bool = False) -> Screening:
    """One screening, or ``NotVisible`` (404) if not visible, or ``PermissionDenied`` (403) if ``write`` and read-only.

    Write needs the write level and a screening of the person's own organisation.
    """
    try:
        screening = visible_screenings(user).get(pk=pk)
    except (Screening.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    if write and not can_change(user, screening):
        raise PermissionDenied
    return screening


def can_change(user: Any, screening: Screening) -> bool:
    """Whether ``user`` may write to ``screening`` (its organisation, write level); drafts are checked by services."""
    return can(user, Data.SCREENINGS, Level.WRITE) and screening.organisation_id == getattr(
        user, "organisation_id", None
    )


def can_screen(user: Any) -> bool:
    """Whether ``user`` may start screenings (write level and an organisation)."""
    return can(user, Data.SCREENINGS, Level.WRITE) and getattr(user, "organisation_id", None) is not None


def can_see_counts(user: Any) -> bool:
    """Whether ``user`` may see screening counts (aggregate level and up)."""
    return can(user, Data.SCREENINGS, Level.AGGREGATE)


def can_read_catalogue(user: Any) -> bool:
    """Everyone who works with screenings, and the people who manage the catalogue."""
    return can_see_counts(user) or can_manage_catalogue(user)


def can_manage_catalogue(user: Any) -> bool:
    """System administrators load new list files."""
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", "") in CATALOGUE_MANAGERS
    )


def visible_indicator_lists(user: Any) -> QuerySet[IndicatorList]:
    """Catalogue list versions, for those who may read the catalogue."""
    if not can_read_catalogue(user):
        return IndicatorList.objects.none()
    return IndicatorList.objects.all()


def get_indicator_list_for_user(user: Any, pk: Any) -> IndicatorList:
    """One list version, or ``NotVisible`` (404)."""
    try:
        return visible_indicator_lists(user).get(pk=pk)
    except (IndicatorList.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None


def suppresses_small_counts(user: Any) -> bool:
    """Aggregate-only readers get counts below 11 suppressed."""
    return level_for(user, Data.SCREENINGS) < Level.READ


@dataclass(frozen=True)
class CountRow:
    """One cell of the counts: list version, result and month; ``count`` is None when suppressed."""

    list_code: str
    list_version: int
    outcome: str
    month: dt.date
    count: int | None


def screening_counts(user: Any) -> list[CountRow]:
    """Completed screenings counted by list version, result and month.

    Readers with the read level count the screenings they may see, exactly;
    aggregate-only readers count every completed screening, with each count
    from 1 to 10 suppressed (``None``). Nobody else gets any count
    (``PermissionDenied``).
    """
    if not can_see_counts(user):
        raise PermissionDenied
    suppress = suppresses_small_counts(user)
    base = Screening.objects.all() if suppress else visible_screenings(user)
    rows = (
        base.filter(status=Status.COMPLETED)
        .annotate(month=TruncMonth("completed_at"))
        .values("indicator_list__code", "indicator_list__version", "outcome", "month")
        .annotate(count=Count("pk"))
        .order_by("-month", "indicator_list__code", "indicator_list__version", "outcome")
    )
    result = []
    for row in rows:
        count = row["count"]
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        result.append(
            CountRow(
                list_code=row["indicator_list__code"],
                list_version=row["indicator_list__version"],
                outcome=row["outcome"],
                month=month,
                count=None if suppress and count < SMALL_COUNT_THRESHOLD else count,
            )
        )
    return result


def screenings_per_list(user: Any) -> dict[int, int | None]:
    """How many screenings (any status, nationally) used each list version: the catalogue's "in use" column.

    Counts from 1 to 10 are suppressed (``None``) for everyone: the catalogue
    is read by people who may not read screenings. 0 is shown (no screening
    used the version, so it can be retired).
    """
    if not can_read_catalogue(user):
        raise PermissionDenied
    counts = (
        Screening.objects.values("indicator_list_id")
        .annotate(n=Count("pk"))
        .values_list("indicator_list_id", "n")
    )
    return {list_id: (None if 0 < n < SMALL_COUNT_THRESHOLD else n) for list_id, n in counts}
