"""A clock's badge: one markup for the case page, the home panel and the case list."""

from __future__ import annotations

import datetime as dt

from django.template import engines
from django.utils import translation

from azad.cases.badges import clock_badge
from azad.cases.clocks import BAKU, Clock, ClockKind, ClockState

DUE = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)  # 2026-03-02 00:30 in Baku


def _clock(state: ClockState, met_at: dt.datetime | None = None) -> Clock:
    return Clock(ClockKind.ATD_REFERRAL, "c", DUE - dt.timedelta(hours=24), DUE, met_at, state)


def test_it_shows_the_state_and_when_the_clock_falls_due_in_baku_time():
    with translation.override("en"):
        badge = clock_badge(_clock(ClockState.OVERDUE))
        label = str(ClockKind.ATD_REFERRAL.label)
        assert badge == f'<span class="badge clock-overdue" title="{label}">Overdue · 2026-03-02 00:30</span>'
    assert DUE.astimezone(BAKU).strftime("%Y-%m-%d %H:%M") == "2026-03-02 00:30"


def test_a_met_clock_shows_no_due_time():
    with translation.override("en"):
        assert clock_badge(_clock(ClockState.MET, met_at=DUE)).endswith(">Met</span>")


def test_labels_translated_once_per_page_give_the_same_badge():
    clock = _clock(ClockState.DUE_SOON)
    with translation.override("ru"):
        given = clock_badge(clock, label=str(clock.label), state_label=str(clock.state.label))
        assert given == clock_badge(clock)


def test_the_template_tag_writes_the_badge_and_nothing_for_no_clock():
    template = engines["django"].from_string("{% load clock_badges %}[{% clock_badge clock %}]")
    clock = _clock(ClockState.DUE)
    with translation.override("az"):
        assert template.render({"clock": clock}) == f"[{clock_badge(clock)}]"
        assert template.render({"clock": None}) == "[]"
