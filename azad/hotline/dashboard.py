"""The hotline dashboard's figures: counts of calls by time, reason, caller, place and outcome.

Everything here is an aggregate. For viewers with counts only (the roles
whose level on ``Data.HOTLINE_CALLS`` is ``AGGREGATE``) every count below
:data:`SUPPRESS_BELOW` is suppressed (``None``), so that a small cell cannot
point at one caller. Charts are drawn server-side by matplotlib as SVG.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import CharField, Count, DateField, Q, QuerySet
from django.db.models.functions import Cast, Substr, Trunc, TruncHour
from django.utils.translation import gettext as _

from azad.hotline.choices import Action, CallerType, Language, Reason
from azad.hotline.models import Call

SUPPRESS_BELOW = 11
BAKU = zoneinfo.ZoneInfo("Asia/Baku")
GRAINS = ("day", "week", "month")


@dataclass
class Table:
    """One breakdown: a title, (label, count) rows; a count is ``None`` when suppressed."""

    key: str
    title: str
    rows: list[tuple[str, int | None]] = field(default_factory=list)
    chart: str = ""


@dataclass
class Figures:
    """All the dashboard's numbers for one period."""

    total: int | None
    referred: int | None
    referral_share: float | None
    tables: list[Table]
    suppressed: bool


def _cell(count: int, suppress: bool) -> int | None:
    return None if suppress and count < SUPPRESS_BELOW else count


def _labelled(counts: dict[str, int], labels: dict[str, str], suppress: bool) -> list[tuple[str, int | None]]:
    rows = [(label, _cell(counts.get(code, 0), suppress)) for code, label in labels.items()]
    for code, count in counts.items():
        if code not in labels:
            rows.append((code or _("Not given"), _cell(count, suppress)))
    return rows


CATEGORIES: dict[str, Any] = {"reason": Reason, "caller_type": CallerType, "language": Language}


def _categorical(period: QuerySet[Call]) -> dict[str, dict[str, int]]:
    """Total, referred, and counts by reason, caller and language in one scan (conditional counts)."""
    cells: list[tuple[str, str, Q | None]] = [("total", "", None), ("referred", "", Q(referred=True))]
    for name, choices in CATEGORIES.items():
        cells += [(name, str(value), Q(**{name: value})) for value in choices.values]
    row = period.aggregate(
        **{f"c{index}": Count("pk", filter=condition) for index, (_n, _v, condition) in enumerate(cells)}
    )
    counts: dict[str, dict[str, int]] = {}
    for index, (name, value, _condition) in enumerate(cells):
        counts.setdefault(name, {})[value] = int(row[f"c{index}"] or 0)
    return counts


def in_period(calls: QuerySet[Call], start: dt.date, end: dt.date) -> QuerySet[Call]:
    """The calls started between ``start`` and ``end`` (inclusive, Baku dates), unordered."""
    since = dt.datetime.combine(start, dt.time.min, tzinfo=BAKU)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=BAKU)
    return calls.filter(started_at__gte=since, started_at__lt=until).order_by()


def per_bucket(period: QuerySet[Call], grain: str) -> dict[dt.date, int]:
    """Calls per Baku day, week (its Monday) or month (its first day): one grouped query.

    PostgreSQL groups by the Baku bucket itself; SQLite by UTC hour (see :func:`_utc_hours`).
    """
    if connections[period.db].vendor == "postgresql" and grain in ("day", "week", "month"):
        grouped = (
            period.annotate(bucket=Trunc("started_at", grain, output_field=DateField(), tzinfo=BAKU))
            .values("bucket")
            .annotate(n=Count("pk"))
        )
        return {row["bucket"]: int(row["n"]) for row in grouped}
    buckets: Counter[dt.date] = Counter()
    for utc_hour, n in _utc_hours(period).items():
        buckets[_bucket(utc_hour.astimezone(BAKU).date(), grain)] += n
    return dict(buckets)


def by_reason(period: QuerySet[Call]) -> list[tuple[str, int]]:
    """Calls per reason, every reason labelled (unsuppressed): one query."""
    row = period.aggregate(
        **{f"c{index}": Count("pk", filter=Q(reason=value)) for index, value in enumerate(Reason.values)}
    )
    counts = {str(value): int(row[f"c{index}"] or 0) for index, value in enumerate(Reason.values)}
    return [(label, int(count or 0)) for label, count in _labelled(counts, _labels(Reason), False)]


def compute(calls: QuerySet[Call], *, start: dt.date, end: dt.date, grain: str, suppress: bool) -> Figures:
    """The figures for the calls started between ``start`` and ``end`` (inclusive, Baku dates)."""
    period = in_period(calls, start, end)
    counts = _categorical(period)
    total, referred = counts["total"][""], counts["referred"][""]
    buckets: Counter[dt.date] = Counter()
    hours: Counter[int] = Counter()
    for utc_hour, n in _utc_hours(period).items():
        local = utc_hour.astimezone(BAKU)
        buckets[_bucket(local.date(), grain)] += n
        hours[local.hour] += n
    time_rows = sorted(buckets.items())
    outcomes: Counter[str] = Counter()
    for row in period.values("actions").annotate(n=Count("pk")):
        chosen = row["actions"] or []
        for action in chosen:
            outcomes[action] += row["n"]
        if not chosen:
            outcomes[""] += row["n"]
    outcome_labels = {str(a.value): str(a.label) for a in Action}
    outcome_labels[""] = _("Nothing recorded")
    tables = [
        Table(
            "time",
            _("Calls per %(grain)s")
            % {"grain": {"day": _("day"), "week": _("week"), "month": _("month")}.get(grain, _("day"))},
            [(day.isoformat(), _cell(n, suppress)) for day, n in time_rows],
        ),
        Table("reason", _("By reason"), _labelled(counts["reason"], _labels(Reason), suppress)),
        Table(
            "caller_type",
            _("By caller"),
            _labelled(counts["caller_type"], _labels(CallerType), suppress),
        ),
        Table("region", _("By region or country"), _places(period, suppress)),
        Table("language", _("By language"), _labelled(counts["language"], _labels(Language), suppress)),
        Table("outcome", _("By outcome"), _labelled(dict(outcomes), outcome_labels, suppress)),
        Table(
            "hour",
            _("Busiest hours (Baku time)"),
            [(f"{hour:02d}:00", _cell(hours.get(hour, 0), suppress)) for hour in range(24)],
        ),
    ]
    shown_total = _cell(total, suppress)
    shown_referred = _cell(referred, suppress)
    share = round(100 * referred / total, 1) if total and shown_referred is not None else None
    return Figures(shown_total, shown_referred, share, tables, suppress)


def _utc_hours(period: QuerySet[Call]) -> dict[dt.datetime, int]:
    """Calls per UTC hour, grouped in the database (at most 24 a day of the period).

    Baku's offset is a whole number of hours (UTC+4, no summer time), so
    local days, weeks, months and hours of the day are sums of UTC hours.
    SQLite stores UTC text: its first 13 characters are the hour, grouped
    natively (a time-zone function would run in Python for every row).
    """
    if connections[period.db].vendor == "sqlite":
        rows = (
            period.annotate(hour=Substr(Cast("started_at", CharField()), 1, 13))
            .values("hour")
            .annotate(n=Count("pk"))
        )
        return {
            dt.datetime.strptime(str(row["hour"]), "%Y-%m-%d %H").replace(tzinfo=dt.UTC): int(row["n"])
            for row in rows
        }
    grouped = (
        period.annotate(hour=TruncHour("started_at", tzinfo=dt.UTC)).values("hour").annotate(n=Count("pk"))
    )
    return {row["hour"]: int(row["n"]) for row in grouped}


def _bucket(day: dt.date, grain: str) -> dt.date:
    """The first day of the day's week (Monday) or month, or the day itself."""
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def _labels(choices: Any) -> dict[str, str]:
    return {str(c.value): str(c.label) for c in choices}


def _places(period: QuerySet[Call], suppress: bool) -> list[tuple[str, int | None]]:
    counts: Counter[str] = Counter()
    for row in period.values("region", "country").annotate(n=Count("pk")):
        label = (
            row["region"] or (row["country"] and _("Abroad: %(country)s") % {"country": row["country"]}) or ""
        )
        counts[label] += row["n"]
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(label or _("Not given"), _cell(n, suppress)) for label, n in rows]


CHART_CACHE_SECONDS = 600


def render_chart(table: Table) -> str:
    """A bar chart of ``table`` as an SVG data URI (suppressed cells drawn as zero).

    Drawing takes a good part of a second; the same figures give the same
    chart, so charts are cached by their content (aggregates only: no
    personal data reaches the cache).
    """
    from django.core.cache import cache

    digest = hashlib.sha256(json.dumps([table.key, table.title, table.rows]).encode()).hexdigest()
    key = f"hotline-chart-{digest}"
    chart = cache.get(key)
    if chart is None:
        chart = _draw_chart(table)
        cache.set(key, chart, CHART_CACHE_SECONDS)
    return str(chart)


def _draw_chart(table: Table) -> str:
    import matplotlib
    from matplotlib.figure import Figure

    rows = table.rows or [(_("No calls"), 0)]
    labels = [label for label, _count in rows]
    values = [count or 0 for _label, count in rows]
    vertical = table.key in {"time", "hour"}
    height = 3.2 if vertical else max(2.0, 0.32 * len(rows) + 0.8)
    figure = Figure(figsize=(6.4, height))
    axes = figure.add_subplot()
    if vertical:
        axes.bar(range(len(values)), values, color="#1f5f8b")
        step = max(1, len(labels) // 12)
        axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right", fontsize=7)
    else:
        axes.barh(range(len(values)), values, color="#1f5f8b")
        axes.set_yticks(range(len(labels)), labels, fontsize=8)
        axes.invert_yaxis()
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.StringIO()
    # Text as SVG text, not glyph paths: a tenth of the size and of the time.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "azad"}):
        figure.savefig(buffer, format="svg")
    encoded = base64.b64encode(buffer.getvalue().encode()).decode()
    return f"data:image/svg+xml;base64,{encoded}"


def csv_rows(figures: Figures) -> list[list[str]]:
    """The figures as CSV rows: breakdown, label, count (suppressed cells as "<11")."""
    mark = f"<{SUPPRESS_BELOW}"
    rows = [["breakdown", "label", "count"]]
    rows.append(["total", "calls", mark if figures.total is None else str(figures.total)])
    rows.append(["total", "referred", mark if figures.referred is None else str(figures.referred)])
    for table in figures.tables:
        for label, count in table.rows:
            rows.append([table.key, label, mark if count is None else str(count)])
    return rows
