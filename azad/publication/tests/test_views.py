"""Publication's pages: every role against every page, the approval flow through the pages, bad input."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import pyzipper
from openpyxl import load_workbook

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope
from azad.publication.choices import RequestStatus
from azad.publication.models import ExportRequest
from azad.publication.tests.helpers import case_with, client_for

pytestmark = pytest.mark.django_db

DATASET_QUERY = (
    "year_from=2024&year_to=2024&k=11&max_suppression_percent=10"
    "&quasi_identifiers=gender&quasi_identifiers=ageBroad&quasi_identifiers=citizenship"
)
PUBLISHERS = {role for role in Role if PERMISSIONS[role][Data.STATISTICS] >= Level.AGGREGATE}
PASSWORD = "uzun-bir-parol-2024"


def _user(role, world):
    if role in (Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR):
        return make_user(role, world.atd)
    return make_user(role)


@pytest.fixture
def pending(world):
    case_with(world)
    return ExportRequest.objects.create(
        requested_by=world.supervisor,
        reason="Hesabat",
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
        case_count=1,
    )


@pytest.mark.parametrize("role", list(Role))
def test_it_lets_only_roles_with_statistics_build_the_public_dataset(world, role):
    for _ in range(12):
        case_with(world)
    client = client_for(_user(role, world))
    page = client.get(f"/publication/dataset/?{DATASET_QUERY}")
    download = client.get(f"/publication/dataset.csv?{DATASET_QUERY}")
    workbook = client.get(f"/publication/dataset.xlsx?{DATASET_QUERY}")
    if role in PUBLISHERS:
        assert workbook.status_code == 200
        sheet = load_workbook(io.BytesIO(workbook.content)).active
        assert sheet.max_row == 13
        assert sheet["A1"].value == "yearOfRegistration"
        assert page.status_code == 200
        assert b"12 rows built, 12 published, 0 suppressed" in page.content
        assert download.status_code == 200
        assert download["Content-Type"].startswith("text/csv")
        assert download.content.decode().count("\n") == 13
    else:
        assert page.status_code == 403
        assert download.status_code == 403
        assert workbook.status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_export_requests_only_to_requesters_and_approvers(world, pending, role):
    user = _user(role, world)
    client = client_for(user)
    listing = client.get("/publication/exports/")
    new = client.get("/publication/exports/new/")
    detail = client.get(f"/publication/exports/{pending.pk}/")
    approve = client.post(f"/publication/exports/{pending.pk}/approve/")
    if role == Role.POLICE_SUPERVISOR:
        assert listing.status_code == 200
        assert pending.reference.encode() in listing.content
        assert new.status_code == 200
        assert detail.status_code == 200
        assert approve.status_code == 302
        assert ExportRequest.objects.get(pk=pending.pk).status == RequestStatus.APPROVED
    else:
        assert listing.status_code == 403
        assert new.status_code == 403
        assert detail.status_code == 404
        assert approve.status_code == 404
        assert ExportRequest.objects.get(pk=pending.pk).status == RequestStatus.PENDING


def test_it_lets_a_national_scope_case_worker_request_and_see_only_their_own(world, pending):
    worker = make_user(Role.NGO_CASEWORKER, world.ngo, scope=Scope.NATIONAL)
    client = client_for(worker)
    assert client.get("/publication/exports/").status_code == 200
    assert client.get(f"/publication/exports/{pending.pk}/").status_code == 404
    response = client.post(
        "/publication/exports/new/",
        {"reason": "Tədqiqat", "date_from": "2024-01-01", "date_to": "2024-12-31"},
    )
    assert response.status_code == 302
    mine = ExportRequest.objects.get(requested_by=worker)
    assert client.get(f"/publication/exports/{mine.pk}/").status_code == 200
    assert client.post(f"/publication/exports/{mine.pk}/approve/").status_code == 403


def test_it_goes_from_request_to_approval_to_an_encrypted_download_through_the_pages(world):
    case_with(world)
    requester = client_for(world.supervisor)
    response = requester.post(
        "/publication/exports/new/",
        {"reason": "IOM hesabatı", "date_from": "2024-01-01", "date_to": "2024-12-31"},
    )
    assert response.status_code == 302
    export = ExportRequest.objects.get()
    assert export.case_count == 1

    early = requester.post(
        f"/publication/exports/{export.pk}/download/", {"password": PASSWORD, "password_again": PASSWORD}
    )
    assert early.status_code == 400
    assert b"no approver yet" in early.content

    self_approval = requester.post(f"/publication/exports/{export.pk}/approve/")
    assert self_approval.status_code == 400
    assert b"own request" in self_approval.content
    assert ExportRequest.objects.get().status == RequestStatus.PENDING

    approver = make_user(Role.POLICE_SUPERVISOR, world.atd)
    assert client_for(approver).post(f"/publication/exports/{export.pk}/approve/").status_code == 302
    assert (
        client_for(approver)
        .post(
            f"/publication/exports/{export.pk}/download/", {"password": PASSWORD, "password_again": PASSWORD}
        )
        .status_code
        == 403
    )

    mismatch = requester.post(
        f"/publication/exports/{export.pk}/download/", {"password": PASSWORD, "password_again": "x" * 14}
    )
    assert mismatch.status_code == 400
    download = requester.post(
        f"/publication/exports/{export.pk}/download/", {"password": PASSWORD, "password_again": PASSWORD}
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    with pyzipper.AESZipFile(io.BytesIO(download.content)) as zipped:
        zipped.setpassword(PASSWORD.encode())
        assert any(name.endswith(".csv") for name in zipped.namelist())
        assert all(zipped.read(name) for name in zipped.namelist())
    assert AuditEvent.objects.filter(action="export", payload__kind="htcds_cases.zip").count() == 1
    assert PASSWORD.encode() not in download.request["QUERY_STRING"].encode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("k=1", b"at least 2"),
        ("k=0", b"at least 2"),
        ("quasi_identifiers=shoeSize", b"Unknown quasi-identifier"),
        ("year_from=2025&year_to=2020", b"must not be after"),
    ],
)
def test_it_answers_bad_parameters_with_a_clear_message_and_no_export(world, query, message):
    params = dict(p.split("=") for p in DATASET_QUERY.split("&") if not p.startswith("quasi_identifiers"))
    params["quasi_identifiers"] = "gender"
    for part in query.split("&"):
        key, value = part.split("=")
        params[key] = value
    client = client_for(world.analyst)
    page = client.get("/publication/dataset/", params)
    assert page.status_code == 400
    assert message in page.content
    assert client.get("/publication/dataset.csv", params).status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_it_records_the_public_export_with_its_parameters(world):
    client_for(world.analyst).get(f"/publication/dataset.csv?{DATASET_QUERY}")
    event = AuditEvent.objects.get(action="export")
    assert event.payload["kind"] == "ctdc_dataset.csv"
    assert event.payload["filters"]["k"] == 11
    assert event.payload["filters"]["quasi_identifiers"] == "gender,ageBroad,citizenship"


def test_it_shows_the_menu_entries_by_role(world):
    analyst_home = client_for(world.analyst).get("/").content
    supervisor_home = client_for(world.supervisor).get("/").content
    assert b"/publication/dataset/" in analyst_home
    assert b"/publication/exports/" not in analyst_home
    assert b"/publication/exports/" in supervisor_home


def test_it_previews_what_is_generalised_without_showing_any_row(world):
    for birth in ("1998-01-01",) * 6 + ("1996-01-01",) * 6:
        case_with(world, birth_date=birth)
    query = "year_from=2024&year_to=2024&k=11&max_suppression_percent=0&quasi_identifiers=ageBroad"
    page = client_for(world.analyst).get(f"/publication/dataset/?{query}")
    assert page.status_code == 200
    assert b"broad age band" in page.content
    assert b"12 rows built, 12 published, 0 suppressed" in page.content
    assert b"24--26" not in page.content
    assert not AuditEvent.objects.filter(action="export").exists()
