"""The dashboard's figures against a hand-counted fixture, suppression and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import Role
from azad.hotline import access, dashboard
from azad.hotline.tests.factories import make_call, make_hotline, make_operator, make_supervisor

pytestmark = pytest.mark.django_db

DAY1 = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dashboard.BAKU)  # a Monday, 09:15 in Baku
DAY2 = dt.datetime(2026, 3, 3, 14, 40, tzinfo=dashboard.BAKU)
PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def line():
    """Hand-counted: 5 calls (3 on 2 March at 09h, 2 on 3 March at 14h); 2 led to a referral.

    reasons: information_request 2, report_suspected_trafficking 2, complaint 1
    callers: public 3, relative 2; languages: az 3, ru 2; places: Bakı 3, Gəncə 1, abroad TR 1
    outcomes: information_given 3, referred_to_atd 1, referred_to_service 1, nothing recorded 1
    Plus one call of another line and one outside the period, never counted for this line.
    """
    hotline = make_hotline()
    operator = make_operator(hotline)
    make_call(operator, started_at=DAY1, reason="information_request", actions=["information_given"])
    make_call(operator, started_at=DAY1 + dt.timedelta(minutes=10), reason="information_request",
              actions=["information_given"])  # fmt: skip
    make_call(operator, started_at=DAY1 + dt.timedelta(minutes=20), reason="complaint", actions=[],
              region="Gəncə")  # fmt: skip
    make_call(operator, started_at=DAY2, reason="report_suspected_trafficking", caller_type="relative",
              language="ru", actions=["information_given", "referred_to_atd"])  # fmt: skip
    make_call(operator, started_at=DAY2 + dt.timedelta(minutes=5), reason="report_suspected_trafficking",
              caller_type="relative", language="ru", region="", country="TR",
              actions=["referred_to_service"])  # fmt: skip
    make_call(make_operator(), started_at=DAY1)  # another line: never counted for this line
    make_call(operator, started_at=DAY1 - dt.timedelta(days=30))  # outside the period
    return hotline


def _figures(user, grain="day"):
    return dashboard.compute(
        access.dashboard_calls(user),
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
        grain=grain,
        suppress=access.suppresses_small_counts(user),
    )


def _table(figures, key):
    return dict(next(t for t in figures.tables if t.key == key).rows)


def test_it_counts_the_lines_calls_as_counted_by_hand(line):
    figures = _figures(make_supervisor(line))
    assert figures.total == 5 and figures.referred == 2 and figures.referral_share == 40.0
    assert _table(figures, "time") == {"2026-03-02": 3, "2026-03-03": 2}
    reasons = _table(figures, "reason")
    assert reasons["Information request"] == 2
    assert reasons["Report of suspected trafficking"] == 2
    assert reasons["Complaint"] == 1 and reasons["Victim seeking help"] == 0
    assert _table(figures, "caller_type")["Member of the public"] == 3
    assert _table(figures, "caller_type")["Relative"] == 2
    assert _table(figures, "language")["Azerbaijani"] == 3 and _table(figures, "language")["Russian"] == 2
    assert _table(figures, "region") == {"Bakı": 3, "Gəncə": 1, "Abroad: TR": 1}
    outcomes = _table(figures, "outcome")
    assert outcomes["Information given"] == 3 and outcomes["Referred to ATD"] == 1
    assert outcomes["Referred to a service"] == 1 and outcomes["Nothing recorded"] == 1
    hours = _table(figures, "hour")
    assert hours["09:00"] == 3 and hours["14:00"] == 2 and sum(hours.values()) == 5


def test_it_counts_per_week_and_month(line):
    supervisor = make_supervisor(line)
    assert _table(_figures(supervisor, "week"), "time") == {"2026-03-02": 5}
    assert _table(_figures(supervisor, "month"), "time") == {"2026-03-01": 5}


def test_it_suppresses_small_counts_for_the_analyst(line):
    figures = _figures(make_user(Role.ANALYST))
    assert figures.suppressed
    assert figures.total is None  # 6 calls nationally in March: under 11
    assert all(
        count is None or count >= dashboard.SUPPRESS_BELOW for t in figures.tables for _, count in t.rows
    )


def test_it_shows_the_analyst_counts_of_eleven_and_more(line):
    operator = make_operator(line)
    for minute in range(11):
        make_call(operator, started_at=DAY2 + dt.timedelta(minutes=minute))
    figures = _figures(make_user(Role.NATIONAL_COORDINATOR))
    assert figures.total == 17  # 5 + 1 other line + 11
    assert _table(figures, "time") == {"2026-03-02": None, "2026-03-03": 13}


def test_it_renders_charts_as_inline_svg(client, line):
    client.force_login(make_supervisor(line))
    response = client.get(reverse("hotline:dashboard"), PERIOD)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('src="data:image/svg+xml;base64,') == 7
    assert 'id="total-calls">5<' in body


def test_it_exports_aggregates_as_csv_and_records_the_export(client, line):
    supervisor = make_supervisor(line)
    client.force_login(supervisor)
    response = client.get(reverse("hotline:dashboard_csv"), PERIOD)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["breakdown", "label", "count"]
    assert ["total", "calls", "5"] in rows and ["reason", "Complaint", "1"] in rows
    event = AuditEvent.objects.get(action="export", actor=supervisor)
    assert event.payload["kind"] == "hotline_dashboard.csv"
    assert event.payload["filters"]["start"] == "2026-03-01"


def test_it_exports_suppressed_cells_for_counts_only_viewers(client, line):
    client.force_login(make_user(Role.ANALYST))
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("hotline:dashboard_csv"), PERIOD).content.decode()))
    )
    assert ["total", "calls", "<11"] in rows
    assert all(row[2] == "<11" or int(row[2]) >= 11 for row in rows[1:])


def test_it_gives_the_analyst_counts_only_in_the_api(client, line):
    client.force_login(make_user(Role.ANALYST))
    data = client.get("/api/v1/hotline/dashboard/", PERIOD).json()
    assert data["suppressed_below"] == 11 and data["total"] is None
    assert client.get("/api/v1/hotline/calls/").status_code == 403
