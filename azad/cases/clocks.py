"""The legal clocks of the referral mechanism, computed in this one place.

Every clock has a start, a due time, the time it was met (if it was) and a
state: ``due``, ``due_soon``, ``overdue`` or ``met``. Times are stored in UTC
and shown in Asia/Baku (UTC+4 all year: Azerbaijan has had no daylight saving
time since 2016, so a period of *n* days is *n* × 24 hours on the wall clock
too). The choices the law leaves open are made here, once:

* **Referral to ATD** — due 24 hours after first contact (Decision 21 of
  2008); met when the referral is sent (or at once when ATD itself opened
  the case). Sent at exactly 24 h is in time. Due soon in the last 6 hours.
* **Child notifications** — the law says *immediately*; Azad reads that as
  within **one hour** of first contact, and the whole hour counts as due soon.
  Met when the last of the three bodies has been notified.
* **Reflection period** — 30 days (720 hours) from its start (Law Art. 14-1;
  CoE Convention Art. 13). No expulsion may be enforced until it ends
  (:func:`reflection_protects`). Met when ATD decides the status; still
  deciding after the 30 days is overdue. Due soon in the last 3 days.
* **Residence permit** (foreign and stateless victims) — the one-year permit
  is valid through its expiry date (Baku); overdue the day after, due soon
  in the last 30 days. Stored on the case for now.
* **Reintegration allowance** — due within **30 days** of identification as a
  victim (Azad's reading: the law fixes no term); met when paid; due soon in
  the last 7 days.

A clock that was not met when its case ended (closed, withdrawn, transferred)
stops: it is not shown if the case ended before it was due, and stays
overdue if it ended after. A clock is *overdue* only once the present is
strictly after its due time.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from azad.cases.choices import END_STAGES, TraffickingStatus

if TYPE_CHECKING:
    from azad.cases.models import Case

BAKU = zoneinfo.ZoneInfo("Asia/Baku")

ATD_REFERRAL_LIMIT = dt.timedelta(hours=24)
ATD_REFERRAL_SOON = dt.timedelta(hours=6)
CHILD_NOTIFICATION_LIMIT = dt.timedelta(hours=1)
REFLECTION_PERIOD = dt.timedelta(days=30)
REFLECTION_SOON = dt.timedelta(days=3)
RESIDENCE_PERMIT_SOON_DAYS = 30
ALLOWANCE_LIMIT = dt.timedelta(days=30)
ALLOWANCE_SOON = dt.timedelta(days=7)
HOME_COUNTRY = "AZ"


class ClockKind(models.TextChoices):
    """The legal clocks."""

    ATD_REFERRAL = "atd_referral", _("Referral to ATD within 24 hours")
    CHILD_NOTIFICATIONS = "child_notifications", _("Child-protection bodies notified immediately")
    REFLECTION = "reflection", _("Reflection period (30 days)")
    RESIDENCE_PERMIT = "residence_permit", _("Temporary residence permit")
    ALLOWANCE = "allowance", _("Reintegration allowance")


class ClockState(models.TextChoices):
    """Where a clock stands."""

    DUE = "due", _("Due")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")


# The order in which clocks are listed and the urgency of their states.
_STATE_ORDER = {ClockState.OVERDUE: 0, ClockState.DUE_SOON: 1, ClockState.DUE: 2, ClockState.MET: 3}


@dataclass(frozen=True)
class Clock:
    """One legal clock of one case."""

    kind: ClockKind
    case_id: Any
    started_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None
    state: ClockState

    @property
    def label(self) -> str | Promise:
        return self.kind.label

    @property
    def met_late(self) -> bool:
        """Met, but after its due time."""
        return self.met_at is not None and self.met_at > self.due_at

    @property
    def went_overdue(self) -> bool:
        """Overdue now, or met late: what the annual report counts."""
        return self.state == ClockState.OVERDUE or self.met_late

    @property
    def urgency(self) -> tuple[int, dt.datetime]:
        return (_STATE_ORDER[self.state], self.due_at)


def state_of(
    due_at: dt.datetime, met_at: dt.datetime | None, now: dt.datetime, soon: dt.timedelta
) -> ClockState:
    """met if met; overdue once ``now`` is strictly after ``due_at``; due soon within ``soon`` of it."""
    if met_at is not None:
        return ClockState.MET
    if now > due_at:
        return ClockState.OVERDUE
    if now >= due_at - soon:
        return ClockState.DUE_SOON
    return ClockState.DUE


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _stopped(case: Case, due_at: dt.datetime, met_at: dt.datetime | None) -> bool:
    """The case ended before the clock was due and the clock was not met: it no longer runs."""
    return met_at is None and case.ended_at is not None and case.ended_at <= due_at


def citizenship_of(case: Case) -> str:
    """The person's citizenship (an annotation ``person_citizenship`` spares the join)."""
    value = getattr(case, "person_citizenship", None)
    if value is None:
        value = case.person.citizenship
    return str(value or "")


def is_foreign(case: Case) -> bool:
    """A foreign or stateless (``XX``) person; unknown citizenship is not presumed foreign."""
    citizenship = citizenship_of(case)
    return bool(citizenship) and citizenship != HOME_COUNTRY


def atd_referral_clock(case: Case, now: dt.datetime | None = None) -> Clock | None:
    """Referral to ATD within 24 hours of first contact."""
    due = case.first_contact_at + ATD_REFERRAL_LIMIT
    met = case.referred_to_atd_at
    if _stopped(case, due, met):
        return None
    return Clock(
        ClockKind.ATD_REFERRAL,
        case.pk,
        case.first_contact_at,
        due,
        met,
        state_of(due, met, _now(now), ATD_REFERRAL_SOON),
    )


def child_notifications_clock(case: Case, now: dt.datetime | None = None) -> Clock | None:
    """The three child-protection bodies notified within an hour of first contact (children only)."""
    if not case.is_child:
        return None
    due = case.first_contact_at + CHILD_NOTIFICATION_LIMIT
    met = case.child_notifications_completed_at
    if _stopped(case, due, met):
        return None
    return Clock(
        ClockKind.CHILD_NOTIFICATIONS,
        case.pk,
        case.first_contact_at,
        due,
        met,
        state_of(due, met, _now(now), CHILD_NOTIFICATION_LIMIT),
    )


def reflection_end(case: Case) -> dt.datetime | None:
    """When the reflection period ends (``None`` if it never started)."""
    if case.reflection_started_at is None:
        return None
    return case.reflection_started_at + REFLECTION_PERIOD


def reflection_protects(case: Case, now: dt.datetime | None = None) -> bool:
    """Whether the reflection period runs now: no expulsion may be enforced."""
    end = reflection_end(case)
    return (
        end is not None
        and case.reflection_started_at is not None
        and (case.reflection_started_at <= _now(now) <= end)
    )


def reflection_clock(case: Case, now: dt.datetime | None = None) -> Clock | None:
    """The 30-day reflection period: met by the status decision, overdue if still undecided after it."""
    due = reflection_end(case)
    if due is None or case.reflection_started_at is None:
        return None
    met = case.reflection_closed_at
    if _stopped(case, due, met):
        return None
    return Clock(
        ClockKind.REFLECTION,
        case.pk,
        case.reflection_started_at,
        due,
        met,
        state_of(due, met, _now(now), REFLECTION_SOON),
    )


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of ``day`` in Baku."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=BAKU)


def one_year_after(day: dt.date) -> dt.date:
    """The same date a year later; 29 February gives 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def default_permit_expiry(issued_on: dt.date) -> dt.date:
    """A one-year permit issued on ``issued_on`` is valid through the day before its anniversary."""
    return one_year_after(issued_on) - dt.timedelta(days=1)


def residence_permit_clock(case: Case, now: dt.datetime | None = None) -> Clock | None:
    """The expiry of a foreign victim's temporary residence permit (valid through its expiry date)."""
    expires = case.residence_permit_expires_on
    if expires is None or not is_foreign(case):
        return None
    due = end_of_day(expires)
    if _stopped(case, due, None):
        return None
    today = timezone.localtime(_now(now), BAKU).date()
    if today > expires:
        state = ClockState.OVERDUE
    elif today >= expires - dt.timedelta(days=RESIDENCE_PERMIT_SOON_DAYS):
        state = ClockState.DUE_SOON
    else:
        state = ClockState.DUE
    issued = case.residence_permit_issued_on or expires
    started = dt.datetime.combine(issued, dt.time.min, tzinfo=BAKU)
    return Clock(ClockKind.RESIDENCE_PERMIT, case.pk, started, due, None, state)


def allowance_clock(case: Case, now: dt.datetime | None = None) -> Clock | None:
    """The reintegration allowance, due within 30 days of identification as a victim."""
    if case.trafficking_status != TraffickingStatus.ACTUAL or case.status_decided_at is None:
        return None
    due = case.status_decided_at + ALLOWANCE_LIMIT
    met = case.allowance_paid_at
    if _stopped(case, due, met):
        return None
    return Clock(
        ClockKind.ALLOWANCE,
        case.pk,
        case.status_decided_at,
        due,
        met,
        state_of(due, met, _now(now), ALLOWANCE_SOON),
    )


CLOCK_FUNCTIONS = (
    atd_referral_clock,
    child_notifications_clock,
    reflection_clock,
    residence_permit_clock,
    allowance_clock,
)
# The case columns the functions above read (and ``person_citizenship``, or the person, for a
# permit): a list may load only these. A test loads cases with only them and computes every clock
# without a query.
CLOCK_FIELDS = (
    "first_contact_at",
    "referred_to_atd_at",
    "ended_at",
    "is_child",
    "child_notifications_completed_at",
    "reflection_started_at",
    "reflection_closed_at",
    "residence_permit_issued_on",
    "residence_permit_expires_on",
    "trafficking_status",
    "status_decided_at",
    "allowance_paid_at",
)


def case_clocks(case: Case, now: dt.datetime | None = None) -> list[Clock]:
    """Every clock that applies to ``case``, the most urgent first."""
    now = _now(now)
    clocks = [clock for function in CLOCK_FUNCTIONS if (clock := function(case, now)) is not None]
    return sorted(clocks, key=lambda clock: clock.urgency)


def most_urgent(clocks: Iterable[Clock]) -> Clock | None:
    """The first clock that is not met, or ``None``."""
    return next(
        (clock for clock in sorted(clocks, key=lambda c: c.urgency) if clock.state != ClockState.MET), None
    )


# --- The same rules as database filters (open cases only) ----------------------------------


def _open() -> Q:
    return ~Q(stage__in=END_STAGES)


def _foreign() -> Q:
    return ~Q(person__citizenship__in=[HOME_COUNTRY, ""])


def clock_q(kind: ClockKind, state: ClockState, now: dt.datetime | None = None) -> Q:
    """Open cases whose ``kind`` clock is in ``state`` (``due_soon`` or ``overdue``) at ``now``.

    Agrees with the functions above (a test proves it); ``due`` and ``met`` are not offered.
    """
    now = _now(now)
    if state not in (ClockState.OVERDUE, ClockState.DUE_SOON):
        raise ValueError("Only due_soon and overdue clocks can be filtered on.")
    overdue = state == ClockState.OVERDUE
    if kind == ClockKind.ATD_REFERRAL:
        base = Q(referred_to_atd_at__isnull=True)
        limit = now - ATD_REFERRAL_LIMIT
        window = (
            Q(first_contact_at__lt=limit)
            if overdue
            else Q(
                first_contact_at__gte=limit,
                first_contact_at__lte=now - ATD_REFERRAL_LIMIT + ATD_REFERRAL_SOON,
            )
        )
    elif kind == ClockKind.CHILD_NOTIFICATIONS:
        base = Q(is_child=True, child_notifications_completed_at__isnull=True)
        limit = now - CHILD_NOTIFICATION_LIMIT
        window = (
            Q(first_contact_at__lt=limit)
            if overdue
            else Q(first_contact_at__gte=limit, first_contact_at__lte=now)
        )
    elif kind == ClockKind.REFLECTION:
        base = Q(reflection_started_at__isnull=False, reflection_closed_at__isnull=True)
        limit = now - REFLECTION_PERIOD
        window = (
            Q(reflection_started_at__lt=limit)
            if overdue
            else Q(reflection_started_at__gte=limit, reflection_started_at__lte=limit + REFLECTION_SOON)
        )
    elif kind == ClockKind.RESIDENCE_PERMIT:
        base = Q(residence_permit_expires_on__isnull=False) & _foreign()
        today = timezone.localtime(now, BAKU).date()
        window = (
            Q(residence_permit_expires_on__lt=today)
            if overdue
            else Q(
                residence_permit_expires_on__gte=today,
                residence_permit_expires_on__lte=today + dt.timedelta(days=RESIDENCE_PERMIT_SOON_DAYS),
            )
        )
    else:
        base = Q(
            trafficking_status=TraffickingStatus.ACTUAL,
            status_decided_at__isnull=False,
            allowance_paid_at__isnull=True,
        )
        limit = now - ALLOWANCE_LIMIT
        window = (
            Q(status_decided_at__lt=limit)
            if overdue
            else Q(status_decided_at__gte=limit, status_decided_at__lte=limit + ALLOWANCE_SOON)
        )
    return _open() & base & window


def any_clock_q(state: ClockState, now: dt.datetime | None = None) -> Q:
    """Open cases with at least one clock in ``state``."""
    now = _now(now)
    query = Q(pk__in=[])
    for kind in ClockKind:
        query |= clock_q(kind, state, now)
    return query


def attention_q(now: dt.datetime | None = None) -> Q:
    """Open cases with a clock due soon or overdue."""
    now = _now(now)
    return any_clock_q(ClockState.OVERDUE, now) | any_clock_q(ClockState.DUE_SOON, now)


def clocks_needing_attention(cases: QuerySet[Case], now: dt.datetime | None = None) -> list[Clock]:
    """The due-soon and overdue clocks of ``cases``, the most urgent first."""
    now = _now(now)
    found: list[Clock] = []
    for case in cases.filter(attention_q(now)).select_related("person"):
        found.extend(
            c for c in case_clocks(case, now) if c.state in (ClockState.OVERDUE, ClockState.DUE_SOON)
        )
    return sorted(found, key=lambda clock: clock.urgency)


def overdue_counts_for_year(
    year: int, *, now: dt.datetime | None = None, cases: QuerySet[Case] | None = None
) -> dict[ClockKind, int]:
    """How many clocks due in ``year`` (Baku calendar) went overdue: met late or still unmet.

    For the annual report. Clocks due in the year but stopped (their case ended
    before they were due) are not counted.
    """
    from azad.cases.models import Case

    now = _now(now)
    start = dt.datetime(year, 1, 1, tzinfo=BAKU)
    end = dt.datetime(year + 1, 1, 1, tzinfo=BAKU)
    queryset = (cases if cases is not None else Case.objects.all()).filter(first_contact_at__lt=end)
    # Unordered: the model's default order (newest first) made PostgreSQL walk the whole
    # creation-date index behind the server-side cursor (4 s a year at 1M cases; 1 s without).
    queryset = (
        queryset.exclude(ended_at__lt=start)
        .annotate(person_citizenship=models.F("person__citizenship"))
        .order_by()
    )
    counts: Counter[ClockKind] = Counter()
    for case in queryset.iterator(chunk_size=2000):
        for clock in case_clocks(case, now):
            if start <= clock.due_at < end and clock.went_overdue:
                counts[clock.kind] += 1
    return {kind: counts.get(kind, 0) for kind in ClockKind}
