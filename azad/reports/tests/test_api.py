"""The report's API: every role against every endpoint, 202 and polling, the PDF, the narrative."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import Role
from azad.reports import generation
from azad.reports.models import Narrative, ReportRun
from azad.reports.tests.conftest import YEAR, make_done_run

pytestmark = pytest.mark.django_db

READERS = {Role.NATIONAL_COORDINATOR, Role.ANALYST, Role.AUDITOR}
GENERATORS = {Role.NATIONAL_COORDINATOR, Role.ANALYST}
EDITORS = {Role.NATIONAL_COORDINATOR}
RUNS = "/api/v1/reports/runs/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def narrative_url(year=YEAR, language="az"):
    return f"/api/v1/reports/narratives/{year}/{language}/"


@pytest.fixture
def no_launch(monkeypatch):
    monkeypatch.setattr(generation, "launch", lambda run: None)


@pytest.mark.parametrize("role", list(Role))
def test_it_lets_each_role_use_exactly_the_endpoints_it_may(role, no_launch):
    run = make_done_run()
    client = api(make_user(role))
    reader, generator, editor = role in READERS, role in GENERATORS, role in EDITORS
    calls = {
        "list": (client.get(RUNS), 200 if reader else 403),
        "retrieve": (client.get(f"{RUNS}{run.pk}/"), 200 if reader else 403),
        "pdf": (client.get(f"{RUNS}{run.pk}/pdf/"), 200 if reader else 403),
        "create": (
            client.post(RUNS, {"year": YEAR, "language": "en"}, format="json"),
            202 if generator else 403,
        ),
        "narrative_get": (client.get(narrative_url()), 200 if editor else 403),
        "narrative_put": (
            client.put(narrative_url(), {"text": "x", "version": 0}, format="json"),
            200 if editor else 403,
        ),
    }
    for name, (response, expected) in calls.items():
        assert response.status_code == expected, (name, response.status_code)
    assert ReportRun.objects.count() == (2 if generator else 1)
    assert Narrative.objects.exists() is editor


def test_it_refuses_anonymous_callers(db):
    assert APIClient().get(RUNS).status_code in (401, 403)


def test_it_accepts_a_generation_and_reports_its_progress_then_the_pdf(analyst):
    client = api(analyst)
    response = client.post(RUNS, {"year": 2001, "language": "ru"}, format="json")
    assert response.status_code == 202
    run_id = response.data["id"]
    status = client.get(f"{RUNS}{run_id}/").data
    assert status["status"] == "done" and status["progress"] == 100
    assert status["pdf_url"] == f"{RUNS}{run_id}/pdf/"
    pdf = client.get(status["pdf_url"])
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    export = AuditEvent.objects.get(action="export")
    assert export.payload == {
        "kind": "annual_report.pdf",
        "count": 1,
        "filters": {"language": "ru", "year": 2001},
    }


def test_it_answers_409_for_the_pdf_of_a_run_still_under_way(analyst, no_launch):
    client = api(analyst)
    run_id = client.post(RUNS, {"year": YEAR, "language": "az"}, format="json").data["id"]
    status = client.get(f"{RUNS}{run_id}/").data
    assert status["status"] == "queued" and status["pdf_url"] is None
    assert client.get(f"{RUNS}{run_id}/pdf/").status_code == 409
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": "abc", "language": "az"}, "year"),
        ({"year": 1990, "language": "az"}, "year"),
        ({"year": YEAR + 3, "language": "az"}, "year"),
        ({"language": "az"}, "year"),
        ({"year": YEAR, "language": "de"}, "language"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(analyst, body, field):
    response = api(analyst).post(RUNS, body, format="json")
    assert response.status_code == 400 and field in response.data
    assert not ReportRun.objects.exists()


def test_it_writes_the_narrative_with_versions_and_answers_409_when_stale(coordinator):
    client = api(coordinator)
    assert client.get(narrative_url()).data["version"] == 0
    saved = client.put(narrative_url(), {"text": "Hesabat", "version": 0}, format="json")
    assert saved.status_code == 200 and saved.data["version"] == 1
    assert client.put(narrative_url(), {"text": "Yeni", "version": 1}, format="json").data["version"] == 2
    stale = client.put(narrative_url(), {"text": "İtən", "version": 1}, format="json")
    assert stale.status_code == 409 and "Somebody else changed" in stale.data["detail"]
    assert client.get(narrative_url()).data["text"] == "Yeni"


def test_it_refuses_a_narrative_for_an_impossible_year_or_without_a_version(coordinator):
    client = api(coordinator)
    assert client.get(narrative_url(year=1990)).status_code == 404
    assert client.get(narrative_url(language="de")).status_code == 404
    response = client.put(narrative_url(), {"text": "x"}, format="json")
    assert response.status_code == 400 and "version" in response.data
    assert not Narrative.objects.exists()


def test_it_documents_the_endpoints_in_the_schema(coordinator):
    schema = api(coordinator).get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/reports/runs/" in schema["paths"]
    assert "202" in schema["paths"]["/api/v1/reports/runs/"]["post"]["responses"]
    assert "/api/v1/reports/runs/{id}/pdf/" in schema["paths"]
    assert "put" in schema["paths"]["/api/v1/reports/narratives/{year}/{language}/"]
