"""The report's pages: every role against every page, progress polling, bad input, conflicts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import Role
from azad.reports import generation, services
from azad.reports.models import Narrative, ReportRun
from azad.reports.tests.conftest import YEAR, client_for, make_done_run

pytestmark = pytest.mark.django_db

READERS = {Role.NATIONAL_COORDINATOR, Role.ANALYST, Role.AUDITOR}
GENERATORS = {Role.NATIONAL_COORDINATOR, Role.ANALYST}
EDITORS = {Role.NATIONAL_COORDINATOR}


@pytest.fixture
def no_launch(monkeypatch):
    """Queue runs without generating them (the matrix is about who may, not about rendering)."""
    monkeypatch.setattr(generation, "launch", lambda run: None)


@pytest.mark.parametrize("role", list(Role))
def test_it_lets_each_role_do_exactly_what_it_may_on_every_page(role, no_launch):
    run = make_done_run()
    client = client_for(make_user(role))
    reader, generator, editor = role in READERS, role in GENERATORS, role in EDITORS
    pages = {
        "index": (client.get(reverse("reports:index")), 200 if reader else 403),
        "run_detail": (client.get(reverse("reports:run_detail", args=[run.pk])), 200 if reader else 403),
        "run_report": (client.get(reverse("reports:run_report", args=[run.pk])), 200 if reader else 403),
        "run_pdf": (client.get(reverse("reports:run_pdf", args=[run.pk])), 200 if reader else 403),
        "narrative": (
            client.get(reverse("reports:narrative_edit", args=[YEAR, "az"])),
            200 if editor else 403,
        ),
        "narrative_post": (
            client.post(reverse("reports:narrative_edit", args=[YEAR, "az"]), {"text": "x", "version": 0}),
            302 if editor else 403,
        ),
        "generate": (
            client.post(reverse("reports:generate"), {"year": YEAR, "language": "az"}),
            302 if generator else 403,
        ),
    }
    for name, (response, expected) in pages.items():
        assert response.status_code == expected, (name, response.status_code)
    assert ReportRun.objects.count() == (2 if generator else 1)
    assert Narrative.objects.exists() is editor
    assert AuditEvent.objects.filter(action="export", payload__kind="annual_report.pdf").exists() is reader
    menu = client.get("/").content.decode() if reader else ""
    if reader:
        assert reverse("reports:index") in menu


@pytest.mark.parametrize("role", [r for r in Role if r not in READERS])
def test_it_leaves_the_menu_entry_out_for_those_who_may_not_read(role):
    from azad.core.navigation import menu_for

    assert reverse("reports:index") not in [entry["url"] for entry in menu_for(make_user(role))]


def test_it_sends_anonymous_visitors_to_sign_in(db):
    run = make_done_run()
    for url in (reverse("reports:index"), reverse("reports:run_pdf", args=[run.pk])):
        response = client_for_anonymous().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def client_for_anonymous():
    from django.test import Client

    return Client()


def test_it_produces_the_report_from_the_page_and_shows_links_when_done(coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("reports:generate"), {"year": "2001", "language": "en"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:run_detail", args=[run.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert reverse("reports:run_pdf", args=[run.pk]) in page and "hx-trigger" not in page
    report = client.get(reverse("reports:run_report", args=[run.pk])).content.decode()
    assert "No data was recorded for 2001" in report and 'id="table-victims_by_sex"' in report
    pdf = client.get(reverse("reports:run_pdf", args=[run.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]


def test_it_polls_a_run_under_way_with_htmx_and_stops_when_it_is_done(analyst, no_launch):
    client = client_for(analyst)
    client.post(reverse("reports:generate"), {"year": YEAR, "language": "az"})
    run = ReportRun.objects.get()
    url = reverse("reports:run_detail", args=[run.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and f'hx-get="{url}"' in fragment and "<html" not in fragment
    assert '<progress max="100" value="0">' in fragment
    generation.generate(run.pk)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and reverse("reports:run_report", args=[run.pk]) in fragment
    assert '<progress max="100" value="100">' in fragment


def test_it_answers_a_repeated_click_with_the_run_under_way(analyst, no_launch):
    client = client_for(analyst)
    client.post(reverse("reports:generate"), {"year": YEAR, "language": "az"})
    client.post(reverse("reports:generate"), {"year": YEAR, "language": "az"})
    assert ReportRun.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "abc", "language": "az"}, "Enter the year as a number"),
        ({"year": "1990", "language": "az"}, "Choose a year from 2000"),
        ({"year": str(YEAR + 5), "language": "az"}, "Choose a year from 2000"),
        ({"year": str(YEAR), "language": "xx"}, "Select a valid choice"),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_starts_nothing(analyst, data, message):
    response = client_for(analyst).post(reverse("reports:generate"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReportRun.objects.exists()


def test_it_answers_a_stale_narrative_with_a_conflict_and_keeps_the_saved_text(coordinator):
    services.save_narrative(YEAR, "az", "Saxlanan", actor=coordinator, expected_version=0)
    client = client_for(coordinator)
    url = reverse("reports:narrative_edit", args=[YEAR, "az"])
    page = client.get(url).content.decode()
    assert "Saxlanan" in page and 'name="version" value="1"' in page
    assert client.post(url, {"text": "Yeni", "version": 1}).status_code == 302
    response = client.post(url, {"text": "İtən", "version": 1})
    assert response.status_code == 409
    assert Narrative.objects.get().text == "Yeni"


def test_it_gives_404_for_a_narrative_of_an_impossible_year_or_language(coordinator):
    client = client_for(coordinator)
    assert client.get(reverse("reports:narrative_edit", args=[1999, "az"])).status_code == 404
    assert client.get(reverse("reports:narrative_edit", args=[YEAR, "de"])).status_code == 404


def test_it_gives_404_for_the_page_and_pdf_of_a_run_not_done(analyst, no_launch):
    run, _created = services.start_report(YEAR, "az", actor=analyst)
    client = client_for(analyst)
    assert client.get(reverse("reports:run_report", args=[run.pk])).status_code == 404
    assert client.get(reverse("reports:run_pdf", args=[run.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_it_shows_suppressed_cells_as_under_the_threshold(analyst):
    run = make_done_run()
    page = client_for(analyst).get(reverse("reports:run_report", args=[run.pk])).content.decode()
    assert "<td>&lt;11</td>" in page and "<td>40</td>" in page


def test_it_lists_runs_with_a_constant_number_of_queries(analyst):
    client = client_for(analyst)
    make_done_run(requested_by=analyst)
    client.get(reverse("reports:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:index"))
    for _ in range(8):
        make_done_run(requested_by=make_user(Role.ANALYST))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert len(many) == len(few)
    assert not any('"reports_reportrun"."pdf"' in q["sql"] for q in many.captured_queries)


def test_it_stops_polling_and_says_so_when_a_run_was_interrupted(analyst, no_launch):
    run, _created = services.start_report(YEAR, "az", actor=analyst)
    ReportRun.objects.filter(pk=run.pk).update(updated_at=run.updated_at - services.STALE_AFTER * 2)
    url = reverse("reports:run_detail", args=[run.pk])
    fragment = client_for(analyst).get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and "This generation stopped" in fragment


def test_it_says_why_a_run_failed_without_any_data(analyst):
    run = make_done_run(status="failed", step="failed", error="OperationalError", content=None, pdf=None)
    page = client_for(analyst).get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    assert "could not be produced (OperationalError)" in page and "hx-trigger" not in page
