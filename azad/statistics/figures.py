"""The core statistics: every figure of the dashboards and the annual report, computed in SQL.

This module is a contract: the annual report (:mod:`azad.reports`) and the
API code against :class:`Filters`, :class:`Figure`, :data:`FIGURE_KEYS`,
:func:`compute`, :func:`compute_all` and :func:`year_filters`. Figures here
are **never suppressed**; whoever shows them to someone who :func:`must_suppress
<azad.statistics.access.must_suppress>` passes them through
:func:`azad.statistics.suppression.suppress` first.

Choices made here, once:

* **A person is counted once.** Victim counts are ``COUNT(DISTINCT
  person.statistical_id)``; records linked by a "same person" decision share
  one statistical id (:mod:`azad.persons.services`). Within one row a person
  counts once; a person recorded differently by two organisations (say, two
  citizenships) can appear in two rows, so rows need not add up to the total.
* **Presumed victims in a period** are the persons with a case whose first
  contact falls in the period; **identified victims** are the persons whose
  case was decided "actual victim of trafficking" in the period. Dates are
  Baku calendar days, both ends inclusive.
* **Region** is the case's region; a case without one counts in its owner
  organisation's region. Hotline calls use the call's region.
* **Age band** is the CTDC's (0-8, 9-17, 18-20, ..., 48+), by age at first
  contact. Only the birth year is in clear, so the age is the lower of the
  two ages possible in that year (as :meth:`Person.age_on` does): doubt
  falls on the side of childhood.
* **Transnational**: some trafficking event outside Azerbaijan, or the person
  is not an Azerbaijani citizen; **internal**: at least one event recorded,
  all in Azerbaijan, and the person Azerbaijani (or of unknown citizenship);
  otherwise **not known**.
* **Referring organisation** is the kind of the organisation holding the case
  (the one that recorded the presumed victim, unless the case was transferred).
* **Times** from first contact to the referral to ATD and to the status
  decision are counted as cases per interval, so that they can be suppressed
  like any other count.
* **Clocks** count the clocks *due* in the period (as the annual report's
  :func:`azad.cases.clocks.overdue_counts_for_year` does): met in time, met
  late, missed (unmet and past due); a clock whose case ended before it was
  due is not counted.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractYear
from django.utils.translation import gettext as _

from azad.accounts.choices import OrgType
from azad.cases import clocks
from azad.cases.choices import (
    ExploitationType,
    HistoricEventType,
    PaymentKind,
    ReferralStatus,
    SupportType,
    TraffickingStatus,
)
from azad.cases.models import Case, HistoricEvent, Payment, Placement, Referral, ServiceDelivery
from azad.core.places import AZ_REGIONS, country_label
from azad.persons.choices import Gender

BAKU = zoneinfo.ZoneInfo("Asia/Baku")
HOME_COUNTRY = "AZ"
PERSON = "person__statistical_id"


@dataclass(frozen=True)
class Filters:
    """Which period (Baku dates, both inclusive) and region (``""`` = all) a figure covers."""

    start: dt.date
    end: dt.date
    region: str = ""


@dataclass(frozen=True)
class FigureRow:
    """One row of a figure: its label and one value per column (``None`` = suppressed)."""

    label: str
    values: tuple[int | None, ...]


@dataclass(frozen=True)
class Figure:
    """One statistic as a table: titled, with a label column and value columns."""

    key: str
    title: str
    row_label: str
    columns: tuple[str, ...]
    rows: tuple[FigureRow, ...]
    chart: str = "bar"
    suppressed: bool = False
    # (dependent column, guarding column): where the guarding count is suppressed the
    # dependent value is too (bed-days beside a hidden number of persons would describe them).
    hidden_with: tuple[tuple[int, int], ...] = ()


def validate_filters(filters: Filters) -> None:
    """Raise a translated :class:`ValidationError` for a period that ends before it starts or an unknown region."""
    errors: dict[str, str] = {}
    if filters.end < filters.start:
        errors["end"] = _("The period ends before it starts.")
    if filters.region and filters.region not in AZ_REGIONS:
        errors["region"] = _("Choose one of the listed regions.")
    if errors:
        raise ValidationError(errors)


def year_filters(year: int, region: str = "") -> Filters:
    """The calendar year ``year`` (Baku dates)."""
    return Filters(dt.date(year, 1, 1), dt.date(year, 12, 31), region)


# --- Building blocks -----------------------------------------------------------------------


def _bounds(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    """The period as [since, until) aware datetimes."""
    since = dt.datetime.combine(filters.start, dt.time.min, tzinfo=BAKU)
    until = dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time.min, tzinfo=BAKU)
    return since, until


def _region_q(filters: Filters, prefix: str = "") -> Q:
    if not filters.region:
        return Q()
    return Q(**{f"{prefix}region": filters.region}) | Q(
        **{f"{prefix}region": "", f"{prefix}owner_organisation__region": filters.region}
    )


def _presumed_q(filters: Filters, prefix: str = "") -> Q:
    since, until = _bounds(filters)
    return Q(**{f"{prefix}first_contact_at__gte": since, f"{prefix}first_contact_at__lt": until})


def _identified_q(filters: Filters, prefix: str = "") -> Q:
    since, until = _bounds(filters)
    return Q(
        **{
            f"{prefix}trafficking_status": TraffickingStatus.ACTUAL,
            f"{prefix}status_decided_at__gte": since,
            f"{prefix}status_decided_at__lt": until,
        }
    )


def _victim_cases(filters: Filters) -> QuerySet[Case]:
    """Cases that make someone a presumed or identified victim in the period, in the region."""
    return (
        Case.objects.filter(_region_q(filters))
        .filter(_presumed_q(filters) | _identified_q(filters))
        .order_by()
    )


def _victim_counts(cases: QuerySet[Case], filters: Filters, group: str) -> dict[Any, tuple[int, int]]:
    """Distinct presumed and identified persons per value of ``group``: one GROUP BY query."""
    rows = cases.values(group).annotate(
        presumed=Count(PERSON, distinct=True, filter=_presumed_q(filters)),
        identified=Count(PERSON, distinct=True, filter=_identified_q(filters)),
    )
    return {row[group]: (int(row["presumed"]), int(row["identified"])) for row in rows}


def _victim_columns() -> tuple[str, ...]:
    return (_("Presumed victims"), _("Identified victims"))


def _labelled_rows(
    counts: Mapping[Any, tuple[int, ...]], labels: Mapping[Any, str], width: int, unknown: str | None = None
) -> tuple[FigureRow, ...]:
    """One row per known value (zeros included), then any other value met, then the unknown row."""
    rows = [FigureRow(label, counts.get(code, (0,) * width)) for code, label in labels.items()]
    for code, values in counts.items():
        if code in labels or code in ("", None):
            continue
        rows.append(FigureRow(str(code), values))
    blank = tuple(map(sum, zip(*(counts[c] for c in ("", None) if c in counts), strict=True)))
    if unknown is not None and blank and any(blank):
        rows.append(FigureRow(unknown, blank))
    return tuple(rows)


def _months(filters: Filters) -> list[dt.date]:
    first = filters.start.replace(day=1)
    months = []
    while first <= filters.end:
        months.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return months


def _baku_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=BAKU)


def _month_of(field: str, filters: Filters) -> SqlCase:
    """The Baku month (``YYYY-MM``) of ``field`` for rows inside the period, by plain comparisons.

    ``TruncMonth`` with a time zone runs a Python function per row in SQLite;
    comparing with the months' first instants is native in every database.
    """
    whens = []
    for month in _months(filters):
        following = (month + dt.timedelta(days=32)).replace(day=1)
        whens.append(When(**{f"{field}__lt": _baku_start(following)}, then=Value(month.strftime("%Y-%m"))))
    return SqlCase(*whens, default=Value(""), output_field=CharField())


YEARS_BACK = 10


def _year_of(field: str, filters: Filters) -> SqlCase:
    """The Baku calendar year of ``field``: plain comparisons for recent years, ``ExtractYear`` before them."""
    whens = [
        When(**{f"{field}__lt": _baku_start(dt.date(year + 1, 1, 1))}, then=Value(year))
        for year in range(filters.start.year - YEARS_BACK, filters.end.year + 1)
    ]
    first = _baku_start(dt.date(filters.start.year - YEARS_BACK, 1, 1))
    return SqlCase(
        When(**{f"{field}__lt": first}, then=ExtractYear(field)),
        *whens,
        default=ExtractYear(field),
        output_field=IntegerField(),
    )


def _choice_labels(choices: Any) -> dict[str, str]:
    return {str(c.value): str(c.label) for c in choices}


# --- The figures ---------------------------------------------------------------------------


def victims_over_time(filters: Filters) -> Figure:
    """Presumed and identified victims per month (two GROUP BY queries)."""
    base = Case.objects.filter(_region_q(filters)).order_by()
    presumed = (
        base.filter(_presumed_q(filters))
        .annotate(month=_month_of("first_contact_at", filters))
        .values("month")
        .annotate(n=Count(PERSON, distinct=True))
    )
    identified = (
        base.filter(_identified_q(filters))
        .annotate(month=_month_of("status_decided_at", filters))
        .values("month")
        .annotate(n=Count(PERSON, distinct=True))
    )
    p = {r["month"]: int(r["n"]) for r in presumed}
    i = {r["month"]: int(r["n"]) for r in identified}
    labels = [month.strftime("%Y-%m") for month in _months(filters)]
    rows = tuple(FigureRow(label, (p.get(label, 0), i.get(label, 0))) for label in labels)
    return Figure(
        "victims_over_time",
        _("Presumed and identified victims by month"),
        _("Month"),
        _victim_columns(),
        rows,
        chart="line",
    )


def victims_by_sex(filters: Filters) -> Figure:
    counts = _victim_counts(_victim_cases(filters), filters, "person__gender")
    return Figure(
        "victims_by_sex",
        _("Victims by sex"),
        _("Sex"),
        _victim_columns(),
        _labelled_rows(counts, _choice_labels(Gender), 2),
    )


AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-8", 0, 8),
    ("9-17", 9, 17),
    ("18-20", 18, 20),
    ("21-23", 21, 23),
    ("24-26", 24, 26),
    ("27-29", 27, 29),
    ("30-38", 30, 38),
    ("39-47", 39, 47),
    ("48+", 48, None),
)


def age_band_expression(filters: Filters) -> tuple[SqlCase, Any]:
    """The CTDC age band at first contact in SQL, and the age it reads as ``_age`` (annotate that first).

    The band is empty when the birth year is unknown.
    """
    age = _year_of("first_contact_at", filters) - F("person__birth_year") - Value(1)
    whens = [When(person__birth_year__isnull=True, then=Value(""))]
    for label, _low, high in AGE_BANDS:
        condition = Q(_age__lte=high) if high is not None else Q(_age__gte=0)
        whens.append(When(condition, then=Value(label)))
    return SqlCase(*whens, default=Value(""), output_field=CharField()), age


def victims_by_age(filters: Filters) -> Figure:
    band, age = age_band_expression(filters)
    cases = _victim_cases(filters).annotate(_age=age).annotate(band=band)
    counts = _victim_counts(cases, filters, "band")
    labels = {label: label for label, _low, _high in AGE_BANDS}
    return Figure(
        "victims_by_age",
        _("Victims by age at first contact"),
        _("Age band"),
        _victim_columns(),
        _labelled_rows(counts, labels, 2, _("Not known")),
    )


def victims_by_citizenship(filters: Filters) -> Figure:
    counts = _victim_counts(_victim_cases(filters), filters, "person__citizenship")
    ordered = sorted(
        ((code, values) for code, values in counts.items() if code),
        key=lambda item: (-item[1][0], -item[1][1], item[0]),
    )
    rows = [FigureRow(country_label(code) if code != "XX" else _("Stateless"), v) for code, v in ordered]
    if counts.get(""):
        rows.append(FigureRow(_("Not known"), counts[""]))
    return Figure(
        "victims_by_citizenship",
        _("Victims by citizenship"),
        _("Citizenship"),
        _victim_columns(),
        tuple(rows),
    )


def victims_by_exploitation(filters: Filters) -> Figure:
    """Persons per HTCDS type of exploitation (a case may name several): one query of conditional counts."""
    cases = _victim_cases(filters).annotate(_types=Cast("exploitation_types", TextField()))
    conditions: dict[str, Q] = {str(t.value): Q(_types__contains=f'"{t.value}"') for t in ExploitationType}
    conditions[""] = ~Q(_types__contains='"')
    aggregates: dict[str, Any] = {}
    for index, condition in enumerate(conditions.values()):
        aggregates[f"p{index}"] = Count(PERSON, distinct=True, filter=condition & _presumed_q(filters))
        aggregates[f"i{index}"] = Count(PERSON, distinct=True, filter=condition & _identified_q(filters))
    row = cases.aggregate(**aggregates)
    counts = {
        code: (int(row[f"p{index}"] or 0), int(row[f"i{index}"] or 0))
        for index, code in enumerate(conditions)
    }
    return Figure(
        "victims_by_exploitation",
        _("Victims by type of exploitation"),
        _("Type of exploitation"),
        _victim_columns(),
        _labelled_rows(counts, _choice_labels(ExploitationType), 2, _("Not recorded")),
    )


ROUTE_TRANSNATIONAL = "transnational"
ROUTE_INTERNAL = "internal"


def victims_by_route(filters: Filters) -> Figure:
    """Internal or transnational trafficking (see the module's docstring for the rule)."""
    events = HistoricEvent.objects.filter(case=OuterRef("pk"))
    cases = _victim_cases(filters).annotate(
        route=SqlCase(
            When(
                Exists(events.exclude(country=HOME_COUNTRY))
                | (~Q(person__citizenship__in=[HOME_COUNTRY, ""])),
                then=Value(ROUTE_TRANSNATIONAL),
            ),
            When(Exists(events), then=Value(ROUTE_INTERNAL)),
            default=Value(""),
            output_field=CharField(),
        )
    )
    counts = _victim_counts(cases, filters, "route")
    labels = {ROUTE_INTERNAL: _("Internal"), ROUTE_TRANSNATIONAL: _("Transnational")}
    return Figure(
        "victims_by_route",
        _("Internal and transnational trafficking"),
        _("Trafficking"),
        _victim_columns(),
        _labelled_rows(counts, labels, 2, _("Not known")),
    )


def victims_by_exploitation_country(filters: Filters) -> Figure:
    """Persons per country where an exploitation event took place."""
    events = (
        HistoricEvent.objects.filter(event_type=HistoricEventType.EXPLOITATION)
        .filter(_region_q(filters, "case__"))
        .filter(_presumed_q(filters, "case__") | _identified_q(filters, "case__"))
        .order_by()
    )
    rows = events.values("country").annotate(
        presumed=Count(f"case__{PERSON}", distinct=True, filter=_presumed_q(filters, "case__")),
        identified=Count(f"case__{PERSON}", distinct=True, filter=_identified_q(filters, "case__")),
    )
    ordered = sorted(
        ((str(r["country"]), (int(r["presumed"]), int(r["identified"]))) for r in rows),
        key=lambda item: (-item[1][0], -item[1][1], item[0]),
    )
    return Figure(
        "victims_by_exploitation_country",
        _("Victims by country of exploitation"),
        _("Country of exploitation"),
        _victim_columns(),
        tuple(FigureRow(country_label(code), values) for code, values in ordered),
    )


def victims_by_referring_organisation(filters: Filters) -> Figure:
    counts = _victim_counts(_victim_cases(filters), filters, "owner_organisation__org_type")
    present = {code: label for code, label in _choice_labels(OrgType).items() if code in counts}
    return Figure(
        "victims_by_referring_organisation",
        _("Victims by kind of referring organisation"),
        _("Kind of organisation"),
        _victim_columns(),
        _labelled_rows(counts, present, 2),
    )


ABROAD = "__abroad__"


def referrals(filters: Filters) -> Figure:
    """Referrals sent in the period, by the kind of receiving organisation and how they were answered."""
    since, until = _bounds(filters)
    sent = Referral.objects.filter(sent_at__gte=since, sent_at__lt=until).filter(_region_q(filters, "case__"))
    statuses = {
        "accepted": Q(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED]),
        "declined": Q(status=ReferralStatus.DECLINED),
        "pending": Q(status=ReferralStatus.PENDING),
        "revoked": Q(status=ReferralStatus.REVOKED),
    }
    rows = (
        sent.order_by()
        .annotate(
            receiver=SqlCase(
                When(to_organisation__isnull=True, then=Value(ABROAD)),
                default=F("to_organisation__org_type"),
                output_field=CharField(),
            )
        )
        .values("receiver")
        .annotate(**{name: Count("pk", filter=q) for name, q in statuses.items()})
    )
    found = cast("list[dict[str, Any]]", list(rows))
    counts = {r["receiver"]: tuple(int(r[name]) for name in statuses) for r in found}
    labels = {code: label for code, label in _choice_labels(OrgType).items() if code in counts}
    labels[ABROAD] = _("Organisation abroad")
    if ABROAD not in counts:
        del labels[ABROAD]
    return Figure(
        "referrals",
        _("Referrals made and how they were answered"),
        _("Referred to"),
        (_("Accepted"), _("Declined"), _("Awaiting an answer"), _("Revoked")),
        _labelled_rows(counts, labels, len(statuses)),
        chart="stacked",
    )


DURATION_BANDS: tuple[tuple[dt.timedelta | None, str], ...] = (
    (dt.timedelta(days=1), "0-1"),
    (dt.timedelta(days=7), "1-7"),
    (dt.timedelta(days=30), "7-30"),
    (dt.timedelta(days=90), "30-90"),
    (None, "90+"),
)


def _duration_columns() -> tuple[str, ...]:
    return (
        _("Within a day"),
        _("1 to 7 days"),
        _("7 to 30 days"),
        _("30 to 90 days"),
        _("Over 90 days"),
    )


def _duration_counts(cases: QuerySet[Case], field: str, filters: Filters) -> tuple[int, ...]:
    aggregates: dict[str, Any] = {}
    lower: dt.timedelta | None = None
    for index, (upper, _name) in enumerate(DURATION_BANDS):
        condition = Q(**{f"{field}__isnull": False})
        if lower is not None:
            condition &= Q(**{f"{field}__gt": F("first_contact_at") + lower})
        if upper is not None:
            condition &= Q(**{f"{field}__lte": F("first_contact_at") + upper})
        aggregates[f"b{index}"] = Count("pk", filter=condition)
        lower = upper
    row = cases.aggregate(**aggregates)
    return tuple(int(row[f"b{index}"] or 0) for index in range(len(DURATION_BANDS)))


def time_to_referral_and_identification(filters: Filters) -> Figure:
    """Cases by the time from first contact to the referral to ATD and to identification (decided in the period)."""
    since, until = _bounds(filters)
    base = Case.objects.filter(_region_q(filters)).order_by()
    referred = base.filter(referred_to_atd_at__gte=since, referred_to_atd_at__lt=until)
    identified = base.filter(_identified_q(filters))
    rows = (
        FigureRow(
            _("First contact to referral to ATD"), _duration_counts(referred, "referred_to_atd_at", filters)
        ),
        FigureRow(
            _("First contact to identification"), _duration_counts(identified, "status_decided_at", filters)
        ),
    )
    return Figure(
        "time_to_referral_and_identification",
        _("Time from first contact to referral and to identification (cases)"),
        _("Step"),
        _duration_columns(),
        rows,
        chart="stacked",
    )


@dataclass(frozen=True)
class _ClockRule:
    kind: clocks.ClockKind
    start: str
    met: str
    limit: dt.timedelta
    condition: Q


def _clock_rules() -> tuple[_ClockRule, ...]:
    return (
        _ClockRule(
            clocks.ClockKind.ATD_REFERRAL,
            "first_contact_at",
            "referred_to_atd_at",
            clocks.ATD_REFERRAL_LIMIT,
            Q(),
        ),
        _ClockRule(
            clocks.ClockKind.CHILD_NOTIFICATIONS,
            "first_contact_at",
            "child_notifications_completed_at",
            clocks.CHILD_NOTIFICATION_LIMIT,
            Q(is_child=True),
        ),
        _ClockRule(
            clocks.ClockKind.REFLECTION,
            "reflection_started_at",
            "reflection_closed_at",
            clocks.REFLECTION_PERIOD,
            Q(reflection_started_at__isnull=False),
        ),
        _ClockRule(
            clocks.ClockKind.ALLOWANCE,
            "status_decided_at",
            "allowance_paid_at",
            clocks.ALLOWANCE_LIMIT,
            Q(trafficking_status=TraffickingStatus.ACTUAL, status_decided_at__isnull=False),
        ),
    )


def clocks_met_and_missed(filters: Filters, now: dt.datetime | None = None) -> Figure:
    """The legal clocks due in the period: met in time, met late, missed. One query of conditional counts.

    The same rules as :mod:`azad.cases.clocks` (a test proves they agree with
    :func:`~azad.cases.clocks.overdue_counts_for_year`).
    """
    from django.utils import timezone

    now = now or timezone.now()
    since, until = _bounds(filters)
    aggregates: dict[str, Any] = {}
    rules = _clock_rules()
    for index, rule in enumerate(rules):
        due = F(rule.start) + rule.limit
        in_period = rule.condition & Q(
            **{f"{rule.start}__gte": since - rule.limit, f"{rule.start}__lt": until - rule.limit}
        )
        met = Q(**{f"{rule.met}__isnull": False})
        in_time = met & Q(**{f"{rule.met}__lte": due})
        late = met & Q(**{f"{rule.met}__gt": due})
        # Unmet and past due, unless the case ended before the clock was due (it stopped).
        missed = (
            Q(**{f"{rule.met}__isnull": True})
            & Q(**{f"{rule.start}__lt": now - rule.limit})
            & (Q(ended_at__isnull=True) | Q(ended_at__gt=due))
        )
        aggregates[f"t{index}"] = Count("pk", filter=in_period & in_time)
        aggregates[f"l{index}"] = Count("pk", filter=in_period & late)
        aggregates[f"m{index}"] = Count("pk", filter=in_period & missed)
    row = Case.objects.filter(_region_q(filters)).order_by().aggregate(**aggregates)
    rows = tuple(
        FigureRow(
            str(rule.kind.label),
            (int(row[f"t{index}"] or 0), int(row[f"l{index}"] or 0), int(row[f"m{index}"] or 0)),
        )
        for index, rule in enumerate(rules)
    )
    return Figure(
        "clocks_met_and_missed",
        _("Legal deadlines due in the period: met and missed"),
        _("Deadline"),
        (_("Met in time"), _("Met late"), _("Missed")),
        rows,
        chart="stacked",
    )


def shelter_occupancy(filters: Filters) -> Figure:
    """Per month: placements started, persons in a shelter, bed-days used. One query for the placements."""
    placements = (
        Placement.objects.filter(start_on__lte=filters.end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=filters.start))
        .filter(_region_q(filters, "case__"))
        .order_by()
        .values_list(f"case__{PERSON}", "start_on", "end_on")
    )
    months = _months(filters)
    started: Counter[dt.date] = Counter()
    bed_days: Counter[dt.date] = Counter()
    persons: defaultdict[dt.date, set[Any]] = defaultdict(set)
    for person, start_on, end_on in placements:
        if filters.start <= start_on <= filters.end:
            started[start_on.replace(day=1)] += 1
        for month in months:
            month_end = (month + dt.timedelta(days=32)).replace(day=1)
            first = max(start_on, month, filters.start)
            last = min(
                end_on or filters.end + dt.timedelta(days=1), month_end, filters.end + dt.timedelta(days=1)
            )
            if first < last:
                bed_days[month] += (last - first).days
                persons[month].add(person)
    rows = tuple(
        FigureRow(month.strftime("%Y-%m"), (started[month], len(persons[month]), bed_days[month]))
        for month in months
    )
    return Figure(
        "shelter_occupancy",
        _("Shelter occupancy by month"),
        _("Month"),
        (_("Placements started"), _("Persons in shelters"), _("Bed-days used")),
        rows,
        chart="line",
        hidden_with=((2, 1),),
    )


def assistance_delivered(filters: Filters) -> Figure:
    services = (
        ServiceDelivery.objects.filter(delivered_on__gte=filters.start, delivered_on__lte=filters.end)
        .filter(_region_q(filters, "case__"))
        .order_by()
        .values("support_type")
        .annotate(n=Count("pk"), persons=Count(f"case__{PERSON}", distinct=True))
    )
    counts = {r["support_type"]: (int(r["n"]), int(r["persons"])) for r in services}
    return Figure(
        "assistance_delivered",
        _("Assistance delivered by kind of support"),
        _("Kind of support"),
        (_("Services delivered"), _("Persons assisted")),
        _labelled_rows(counts, _choice_labels(SupportType), 2),
    )


def allowances_paid(filters: Filters) -> Figure:
    since, until = _bounds(filters)
    payments = (
        Payment.objects.filter(paid_at__gte=since, paid_at__lt=until)
        .filter(_region_q(filters, "case__"))
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"), persons=Count(f"case__{PERSON}", distinct=True))
    )
    counts = {r["kind"]: (int(r["n"]), int(r["persons"])) for r in payments}
    return Figure(
        "allowances_paid",
        _("Allowances and relief paid"),
        _("Kind of payment"),
        (_("Payments"), _("Persons paid")),
        _labelled_rows(counts, _choice_labels(PaymentKind), 2),
    )


def _hotline_period(filters: Filters) -> Any:
    from azad.hotline import dashboard
    from azad.hotline.models import Call

    calls = Call.objects.all()
    if filters.region:
        calls = calls.filter(region=filters.region)
    return dashboard.in_period(calls, filters.start, filters.end)


def hotline_calls_by_month(filters: Filters) -> Figure:
    """Calls to the 152 hotline per Baku month (the hotline dashboard's grouping, one query)."""
    from azad.hotline import dashboard

    counts = dashboard.per_bucket(_hotline_period(filters), "month")
    rows = tuple(FigureRow(m.strftime("%Y-%m"), (counts.get(m, 0),)) for m in _months(filters))
    return Figure(
        "hotline_calls_by_month", _("Hotline calls by month"), _("Month"), (_("Calls"),), rows, chart="line"
    )


def hotline_calls_by_reason(filters: Filters) -> Figure:
    from azad.hotline import dashboard

    rows = tuple(FigureRow(label, (n,)) for label, n in dashboard.by_reason(_hotline_period(filters)))
    return Figure("hotline_calls_by_reason", _("Hotline calls by reason"), _("Reason"), (_("Calls"),), rows)


def merged_records_count(filters: Filters) -> int:
    """How many person records of the period's victims were merged into another by a "same person" decision."""
    values = _victim_cases(filters).aggregate(
        records=Count("person", distinct=True), persons=Count(PERSON, distinct=True)
    )
    return int(values["records"] or 0) - int(values["persons"] or 0)


def persons_counted_once(filters: Filters) -> Figure:
    """Person records behind the period's victims, distinct persons, and records merged."""
    values = _victim_cases(filters).aggregate(
        records=Count("person", distinct=True), persons=Count(PERSON, distinct=True)
    )
    records, persons = int(values["records"] or 0), int(values["persons"] or 0)
    return Figure(
        "persons_counted_once",
        _("Counting each person once"),
        _("Count"),
        (_("Number"),),
        (
            FigureRow(_("Person records"), (records,)),
            FigureRow(_("Distinct persons"), (persons,)),
            FigureRow(_("Records merged as the same person"), (records - persons,)),
        ),
    )


FIGURES: dict[str, Callable[[Filters], Figure]] = {
    "victims_over_time": victims_over_time,
    "victims_by_sex": victims_by_sex,
    "victims_by_age": victims_by_age,
    "victims_by_citizenship": victims_by_citizenship,
    "victims_by_exploitation": victims_by_exploitation,
    "victims_by_route": victims_by_route,
    "victims_by_exploitation_country": victims_by_exploitation_country,
    "victims_by_referring_organisation": victims_by_referring_organisation,
    "persons_counted_once": persons_counted_once,
    "referrals": referrals,
    "time_to_referral_and_identification": time_to_referral_and_identification,
    "clocks_met_and_missed": clocks_met_and_missed,
    "shelter_occupancy": shelter_occupancy,
    "assistance_delivered": assistance_delivered,
    "allowances_paid": allowances_paid,
    "hotline_calls_by_month": hotline_calls_by_month,
    "hotline_calls_by_reason": hotline_calls_by_reason,
}

FIGURE_KEYS: tuple[str, ...] = tuple(FIGURES)


class UnknownFigure(KeyError):
    """No figure has this key."""


def compute(key: str, filters: Filters) -> Figure:
    """The figure ``key`` for ``filters``, unsuppressed. Unknown key: :class:`UnknownFigure`; bad filters: ValidationError."""
    if key not in FIGURES:
        raise UnknownFigure(key)
    validate_filters(filters)
    return FIGURES[key](filters)


def compute_all(filters: Filters, keys: Iterable[str] | None = None) -> list[Figure]:
    """Every figure (or those of ``keys``, in that order) for ``filters``, unsuppressed."""
    return [compute(key, filters) for key in (FIGURE_KEYS if keys is None else keys)]
