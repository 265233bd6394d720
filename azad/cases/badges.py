"""A legal clock's badge: its state, and when it falls due unless it was met.

One piece of markup for the case page, the home panel (``{% clock_badge clock %}``) and
the case list's rows (:class:`azad.cases.views.CaseRow`), which pass labels translated once
per page.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from azad.cases.clocks import Clock, ClockState
from azad.core.rendering import escape_html


def minute(moment: dt.datetime | None, tz: dt.tzinfo | None = None) -> str:
    """``Y-m-d H:i`` in ``tz`` or the active time zone (Baku), as the ``date`` filter prints it.

    Empty for none. A list passes the time zone it looked up once for all its rows.
    """
    return timezone.localtime(moment, tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def clock_badge(
    clock: Clock,
    *,
    label: str | None = None,
    state_label: str | None = None,
    tz: dt.tzinfo | None = None,
) -> SafeString:
    """The badge of ``clock``; ``label``, ``state_label`` and ``tz`` spare a look-up per call.

    Written as ``format_html`` would write it (every value escaped), without its per-argument
    wrapper: a case list writes fifty.
    """
    due = "" if clock.state == ClockState.MET else f" · {escape_html(minute(clock.due_at, tz))}"
    title = clock.label if label is None else label
    state = clock.state.label if state_label is None else state_label
    return mark_safe(  # every value is escaped
        f'<span class="badge clock-{escape_html(str(clock.state))}" title="{escape_html(title)}">'
        f"{escape_html(state)}{due}</span>"
    )
