"""A legal clock's badge: its state, and when it falls due unless it was met.

One piece of markup for the case page, the home panel (``{% clock_badge clock %}``) and
the case list's rows (:class:`azad.cases.views.CaseRow`), which pass labels translated once
per page.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from azad.cases.clocks import Clock, ClockState


def minute(moment: dt.datetime | None) -> str:
    """``Y-m-d H:i`` in the active time zone (Baku), as the ``date`` filter prints it; empty for none."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def clock_badge(clock: Clock, *, label: str | None = None, state_label: str | None = None) -> SafeString:
    """The badge of ``clock``; ``label`` and ``state_label`` spare a translation per call."""
    due = "" if clock.state == ClockState.MET else format_html(" · {}", minute(clock.due_at))
    return format_html(
        '<span class="badge clock-{}" title="{}">{}{}</span>',
        clock.state,
        clock.label if label is None else label,
        clock.state.label if state_label is None else state_label,
        due,
    )
