"""Shelter occupancy: beds taken per day (counts only, never names) and its chart.

A placement occupies a bed on each day ``start_on <= day < end_on``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from azad.cases.models import Placement, ShelterProfile

WINDOW_DAYS = 90


def daily_occupancy(shelter: ShelterProfile, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """Beds taken on each day from ``start`` to ``end`` (inclusive), from one query."""
    stays = Placement.objects.filter(shelter=shelter, start_on__lte=end).filter(
        Q(end_on__isnull=True) | Q(end_on__gt=start)
    )
    spans = list(stays.values_list("start_on", "end_on"))
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return [(day, sum(1 for s, e in spans if s <= day and (e is None or e > day))) for day in days]


def occupied_today(shelters: Iterable[ShelterProfile] | Any) -> dict[Any, int]:
    """Beds taken today per shelter id (one query for all of them)."""
    today = timezone.localdate()
    rows = (
        Placement.objects.filter(shelter__in=shelters, start_on__lte=today)
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=today))
        .values("shelter_id")
        .annotate(n=Count("id"))
    )
    return {row["shelter_id"]: row["n"] for row in rows}


def render_chart(series: list[tuple[dt.date, int]], beds: int) -> str:
    """A step chart of daily occupancy against the beds, as an SVG data URI (no JavaScript, no inline style)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 2.8))
    axes = figure.add_subplot()
    days: Any = [day for day, _n in series]
    counts = [n for _day, n in series]
    axes.step(days, counts, where="post", color="#1f5f8b", label=_("Beds taken"))
    axes.axhline(beds, color="#b03a2e", linestyle="--", linewidth=1, label=_("Beds"))
    axes.set_ylim(0, max(beds, *counts, 1) * 1.1)
    axes.legend(loc="lower left", fontsize=7)
    axes.tick_params(labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    encoded = base64.b64encode(buffer.getvalue().encode()).decode()
    return f"data:image/svg+xml;base64,{encoded}"
