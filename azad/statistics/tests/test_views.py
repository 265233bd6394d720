"""The statistics pages, downloads and API: who sees what, suppression, bad input, audit."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from openpyxl import load_workbook

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.navigation import menu_for
from azad.core.permissions import Data, Level, Role, can
from azad.statistics import access, output
from azad.statistics.figures import Figure, FigureRow
from azad.statistics.tests.conftest import YEAR

pytestmark = pytest.mark.django_db

PERIOD = "start=2025-01-01&end=2025-12-31"
UNSUPPRESSED = {Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR, Role.ASSISTANCE_CASEWORKER, Role.PROSECUTOR}


def _urls() -> dict[str, str]:
    return {
        "dashboard": reverse("statistics:dashboard") + "?" + PERIOD,
        "csv": reverse("statistics:download_all", args=["csv"]) + "?" + PERIOD,
        "xlsx": reverse("statistics:download", args=["victims_by_sex", "xlsx"]) + "?" + PERIOD,
        "api_list": "/api/v1/statistics/figures/",
        "api_figure": "/api/v1/statistics/figures/victims_by_sex/?" + PERIOD,
    }


def _may_see(role: Role) -> bool:
    from azad.core.permissions import PERMISSIONS

    return PERMISSIONS[role][Data.STATISTICS] >= Level.AGGREGATE


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", ["dashboard", "csv", "xlsx", "api_list", "api_figure"])
def test_it_gives_the_statistics_to_every_role_with_aggregate_access_and_no_one_else(client, role, page):
    client.force_login(make_user(role))
    response = client.get(_urls()[page])
    assert response.status_code == (200 if _may_see(role) else 403), (role, page)


def test_it_sends_anonymous_people_to_sign_in(client):
    assert client.get(_urls()["dashboard"]).status_code == 302
    assert client.get(_urls()["api_list"]).status_code in (401, 403)


@pytest.mark.parametrize("role", [r for r in Role if _may_see(r)])
def test_it_suppresses_for_everyone_without_case_access(role):
    user = make_user(role)
    assert access.must_suppress(user) == (not can(user, Data.CASE_CONTENT, Level.READ))


def test_it_suppresses_for_the_coordinator_analysts_and_auditors_but_not_for_atd():
    for role in (
        Role.NATIONAL_COORDINATOR,
        Role.ANALYST,
        Role.AUDITOR,
        Role.SYSTEM_ADMIN,
        Role.PLAN_FOCAL_POINT,
    ):
        assert access.must_suppress(make_user(role)), role
    for role in UNSUPPRESSED:
        assert not access.must_suppress(make_user(role)), role


def test_it_shows_analysts_suppressed_numbers_and_never_a_case(client, stats):
    analyst = stats.world.analyst
    client.force_login(analyst)
    page = client.get(_urls()["dashboard"]).content.decode()
    assert "&lt;11" in page
    for case in stats.cases:
        assert case.reference not in page
        assert str(case.person.pk) not in page
    assert client.get(reverse("cases:case_detail", args=[stats.cases[0].pk])).status_code in (403, 404)
    body = client.get(_urls()["api_figure"]).json()
    assert body["suppressed"] is True
    assert body["suppressed_below"] == 11
    assert all(value is None or value == 0 for row in body["rows"] for value in row["values"])


def test_it_shows_people_with_case_access_the_real_numbers(client, stats):
    client.force_login(stats.world.investigator)
    body = client.get(_urls()["api_figure"]).json()
    assert body["suppressed"] is False
    assert body["suppressed_below"] is None
    assert {row["label"]: row["values"] for row in body["rows"]}["Female"] == [2, 2]
    page = client.get(_urls()["dashboard"]).content.decode()
    assert "&lt;11" not in page
    assert 'id="figure-victims_by_sex"' in page


def test_it_uses_the_configured_threshold(client, stats, settings):
    settings.AZAD_SUPPRESSION_THRESHOLD = 2
    client.force_login(stats.world.analyst)
    body = client.get(_urls()["api_figure"]).json()
    assert body["suppressed_below"] == 2
    assert {row["label"]: row["values"] for row in body["rows"]}["Female"] == [2, 2]


@pytest.mark.parametrize("value", [1, 0, -5, "11", True])
def test_it_refuses_a_threshold_below_two_or_not_a_number(settings, value):
    settings.AZAD_SUPPRESSION_THRESHOLD = value
    with pytest.raises(ImproperlyConfigured):
        access.threshold()


def test_it_records_every_download_as_an_export(client, stats):
    client.force_login(stats.world.coordinator)
    for name in ("csv", "xlsx"):
        before = AuditEvent.objects.filter(action="export").count()
        response = client.get(_urls()[name])
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        events = AuditEvent.objects.filter(action="export").order_by("-seq")
        assert events.count() == before + 1
        payload = events.first().payload
        assert payload["kind"] == f"statistics.{name}"
        assert payload["filters"]["start"] == "2025-01-01"
        assert payload["filters"]["suppressed"] is True


def test_it_writes_the_csv_with_every_figure_and_suppressed_cells_marked(client, stats):
    client.force_login(stats.world.analyst)
    text = client.get(_urls()["csv"]).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    keys = {row[0] for row in rows if row}
    assert {"victims_by_sex", "clocks_met_and_missed", "hotline_calls_by_reason"} <= keys
    assert ["Female", "<11", "<11"] in rows


def test_it_writes_one_figure_as_xlsx(client, stats):
    client.force_login(stats.world.investigator)
    response = client.get(_urls()["xlsx"])
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["victims_by_sex"]
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert ["Female", 2, 2] in [list(v[:3]) for v in values]


def _hostile_figure() -> Figure:
    return Figure(
        "hostile",
        "=cmd|' /C calc'!A0",
        "+label",
        ("-col", "@col"),
        (FigureRow('=HYPERLINK("x")', (5, None)),),
    )


def test_it_escapes_formulas_in_csv_downloads():
    text, count = output.csv_text([_hostile_figure()], YEAR, 11)
    rows = list(csv.reader(io.StringIO(text)))
    assert count == 1
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("x")' in cells
    assert "'+label" in cells and "'-col" in cells and "'@col" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_it_escapes_formulas_in_xlsx_downloads():
    data, _count = output.xlsx_bytes([_hostile_figure()], YEAR, 11)
    sheet = load_workbook(io.BytesIO(data))["hostile"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert '\'=HYPERLINK("x")' in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2025-05-01&end=2025-01-01", "The period ends before it starts."),
        ("region=Atlantis", "Select a valid choice."),
        ("start=yesterday", "Enter a valid date."),
    ],
)
def test_it_refuses_bad_filters_with_a_clear_message(client, world, query, message):
    client.force_login(world.analyst)
    page = client.get(reverse("statistics:dashboard") + "?" + query)
    assert page.status_code == 400
    assert message in page.content.decode()
    api = client.get("/api/v1/statistics/figures/victims_by_sex/?" + query)
    assert api.status_code == 400
    assert message in str(api.json())
    download = client.get(reverse("statistics:download_all", args=["csv"]) + "?" + query)
    assert download.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_it_answers_404_for_an_unknown_figure_or_format(client, world):
    client.force_login(world.analyst)
    assert client.get("/api/v1/statistics/figures/victims_by_shoe_size/").status_code == 404
    assert client.get(reverse("statistics:download", args=["victims_by_shoe_size", "csv"])).status_code == 404
    assert client.get(reverse("statistics:download_all", args=["pdf"])).status_code == 404


def test_it_lists_the_figure_keys(client, world):
    client.force_login(world.analyst)
    assert "victims_by_sex" in client.get(_urls()["api_list"]).json()["keys"]


def test_it_shows_the_statistics_in_the_menu_of_those_who_may_see_them(world):
    assert any(entry["url"] == reverse("statistics:dashboard") for entry in menu_for(world.coordinator))
    assert not any(entry["url"] == reverse("statistics:dashboard") for entry in menu_for(world.ngo_worker))


def test_it_draws_charts_as_svg_with_a_note_on_gaps():
    from azad.statistics.charts import figure_svg

    for chart in ("bar", "line", "stacked"):
        svg = figure_svg(
            Figure(
                "k", "t", "r", ("a", "b"), (FigureRow("x", (None, 50)), FigureRow("y", (40, 60))), chart=chart
            )
        )
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "Gaps: small numbers not shown." in svg


def test_it_describes_the_statistics_endpoints_in_the_schema_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = [
        m for m in (*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache) if "statistic" in m.lower()
    ]
    assert problems == []
    assert {"/api/v1/statistics/figures/", "/api/v1/statistics/figures/{key}/"} <= set(schema["paths"])
    parameters = {
        p["name"] for p in schema["paths"]["/api/v1/statistics/figures/{key}/"]["get"]["parameters"]
    }
    assert {"start", "end", "region"} <= parameters


def test_it_shows_this_year_so_far_when_no_period_is_given(client, world):
    from azad.statistics.forms import default_filters

    client.force_login(world.analyst)
    response = client.get(reverse("statistics:dashboard"))
    assert response.status_code == 200
    assert response.context["filters"] == default_filters()
    assert len(response.context["figures"]) == len(output.figures.FIGURE_KEYS)
