"""Publication's API: the same rules as the pages, every role, builds of the public dataset, bad input,
the approval flow."""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter

import pytest
import pyzipper

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role
from azad.publication import generation, services
from azad.publication.choices import RequestStatus
from azad.publication.models import DatasetRun, ExportRequest
from azad.publication.tests.helpers import case_with, client_for

pytestmark = pytest.mark.django_db

PASSWORD = "uzun-bir-parol-2024"
PUBLISHERS = {role for role in Role if PERMISSIONS[role][Data.STATISTICS] >= Level.AGGREGATE}
BODY = {"year_from": 2024, "year_to": 2024, "quasi_identifiers": ["gender", "ageBroad"], "k": 3}


def _user(role, world):
    if role in (Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR):
        return make_user(role, world.atd)
    return make_user(role)


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


RUNS = "/api/v1/publication/dataset/runs/"


@pytest.fixture
def no_launch(monkeypatch):
    monkeypatch.setattr(generation, "launch", lambda run: None)


@pytest.mark.parametrize("role", list(Role))
def test_it_builds_the_public_dataset_for_roles_with_statistics_only(world, role):
    for birth in ("1990-01-01",) * 4 + ("2010-01-01",) * 2:
        case_with(world, birth_date=birth)
    theirs = _post(client_for(world.analyst), RUNS, BODY).json()  # every publisher sees every build
    client = client_for(_user(role, world))
    started = _post(client, RUNS, {**BODY, "k": 2})
    listing = client.get(RUNS)
    detail = client.get(f"{RUNS}{theirs['id']}/")
    download = client.get(f"{RUNS}{theirs['id']}/csv/")
    if role not in PUBLISHERS:
        for response in (started, listing, detail, download):
            assert response.status_code == 403
        assert DatasetRun.objects.count() == 1
        return
    assert started.status_code == 202
    assert started.json()["status"] == "done" and started.json()["k"] == 2
    assert listing.status_code == 200 and len(listing.json()["results"]) == 2
    assert detail.status_code == 200
    body = detail.json()
    assert body["report"]["rows_in"] == 6
    assert body["quasi_identifiers"] == ["gender", "ageBroad"]
    assert body["csv_url"] == f"{RUNS}{theirs['id']}/csv/"
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    counts = Counter((row["gender"], row["ageBroad"]) for row in rows)
    assert all(n >= 3 for n in counts.values())
    assert body["report"]["rows_out"] == len(rows)


def test_it_answers_at_once_and_gives_the_file_only_when_built(world, no_launch):
    client = client_for(world.analyst)
    started = _post(client, RUNS, BODY)
    assert started.status_code == 202
    body = started.json()
    assert body["status"] == "queued" and body["progress"] == 0 and body["report"] is None
    assert body["csv_url"] is None
    assert client.get(f"{RUNS}{body['id']}/csv/").status_code == 409
    again = _post(client_for(world.coordinator), RUNS, BODY)
    assert again.status_code == 202 and again.json()["id"] == body["id"]
    assert DatasetRun.objects.count() == 1
    generation.generate(body["id"])
    assert client.get(f"{RUNS}{body['id']}/").json()["status"] == "done"
    assert client.get(f"{RUNS}{body['id']}/csv/").status_code == 200


def test_it_answers_404_for_a_build_that_does_not_exist(world):
    assert client_for(world.analyst).get(f"{RUNS}{uuid.uuid4()}/").status_code == 404
    assert client_for(world.analyst).get(f"{RUNS}{uuid.uuid4()}/csv/").status_code == 404


def test_it_records_the_export_only_when_the_file_is_downloaded(world):
    client = client_for(world.analyst)
    run = _post(client, RUNS, BODY).json()
    assert client.get(f"{RUNS}{run['id']}/").status_code == 200
    assert not AuditEvent.objects.filter(action="export").exists()
    client.get(f"{RUNS}{run['id']}/csv/")
    event = AuditEvent.objects.get(action="export")
    assert event.payload["kind"] == "ctdc_dataset.csv"
    assert event.payload["filters"]["run"] == run["id"]


def test_it_reports_a_failed_build_by_the_kind_of_error(world, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(services.kanon, "anonymise", broken)
    body = _post(client_for(world.analyst), RUNS, BODY).json()
    assert body["status"] == "failed" and body["error"] == "MemoryError" and body["csv_url"] is None
    assert client_for(world.analyst).get(f"{RUNS}{body['id']}/csv/").status_code == 409


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"k": 1}, "k", "at least 2"),
        ({"quasi_identifiers": ["gender", "shoeSize"]}, "quasi_identifiers", "shoeSize"),
        ({"max_suppression": 1.5}, "non_field_errors", "suppressed"),
        ({"year_from": 2025, "year_to": 2020}, "non_field_errors", "must not be after"),
    ],
)
def test_it_answers_bad_parameters_with_a_400_and_a_clear_message(world, change, field, text):
    response = _post(client_for(world.analyst), RUNS, {**BODY, **change})
    assert response.status_code == 400
    assert text in " ".join(response.json()[field])
    assert not DatasetRun.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="publication.").exists()


@pytest.mark.parametrize("role", list(Role))
def test_it_lets_only_requesters_and_approvers_use_export_requests(world, role):
    export = ExportRequest.objects.create(
        requested_by=world.supervisor, reason="Hesabat", date_from="2024-01-01", date_to="2024-12-31"
    )
    client = client_for(_user(role, world))
    listing = client.get("/api/v1/publication/exports/")
    detail = client.get(f"/api/v1/publication/exports/{export.pk}/")
    create = _post(
        client,
        "/api/v1/publication/exports/",
        {"reason": "x", "date_from": "2024-01-01", "date_to": "2024-02-01"},
    )
    if role == Role.POLICE_SUPERVISOR:
        assert listing.status_code == 200 and detail.status_code == 200 and create.status_code == 201
        assert "reason" in detail.json()
    else:
        assert listing.status_code == 403
        assert detail.status_code in (403, 404)
        assert create.status_code == 403


def test_it_runs_the_approval_flow_through_the_api(world):
    case_with(world)
    requester = client_for(world.supervisor)
    created = _post(
        requester,
        "/api/v1/publication/exports/",
        {"reason": "IOM", "date_from": "2024-01-01", "date_to": "2024-12-31"},
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["case_count"] == 1
    url = f"/api/v1/publication/exports/{pk}/"

    no_approver = _post(requester, url + "download/", {"password": PASSWORD})
    assert no_approver.status_code == 400
    assert "no approver" in str(no_approver.json())
    self_approval = _post(requester, url + "approve/")
    assert self_approval.status_code == 400
    assert "own request" in str(self_approval.json())

    approver = client_for(make_user(Role.POLICE_SUPERVISOR, world.atd))
    assert _post(approver, url + "approve/").json()["status"] == RequestStatus.APPROVED
    assert _post(approver, url + "download/", {"password": PASSWORD}).status_code == 403
    assert _post(requester, url + "download/", {"password": "short"}).status_code == 400

    download = _post(requester, url + "download/", {"password": PASSWORD})
    assert download.status_code == 200
    with pyzipper.AESZipFile(io.BytesIO(download.content)) as zipped:
        zipped.setpassword(PASSWORD.encode())
        assert b"cas_CaseId" in zipped.read(next(n for n in zipped.namelist() if n.endswith(".csv")))
    again = _post(requester, url + "download/", {"password": PASSWORD})
    assert again.status_code == 400


def test_it_refuses_through_the_api(world):
    export = ExportRequest.objects.create(
        requested_by=world.supervisor, reason="Hesabat", date_from="2024-01-01", date_to="2024-12-31"
    )
    approver = client_for(make_user(Role.POLICE_SUPERVISOR, world.atd))
    response = _post(approver, f"/api/v1/publication/exports/{export.pk}/refuse/", {"reason": "Yox"})
    assert response.status_code == 200
    assert ExportRequest.objects.get().status == RequestStatus.REFUSED


def test_it_documents_the_endpoints_in_the_schema(world):
    schema = client_for(world.analyst).get("/api/v1/schema/?format=json").json()
    assert "/api/v1/publication/dataset/runs/" in schema["paths"]
    assert "/api/v1/publication/dataset/runs/{id}/csv/" in schema["paths"]
    assert "/api/v1/publication/exports/{id}/download/" in schema["paths"]
