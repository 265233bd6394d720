"""Publication's pages: every role against every page, builds of the public dataset and their progress,
the approval flow through the pages, bad input."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
import pyzipper
from django.test import Client
from openpyxl import load_workbook

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope
from azad.publication import generation, services
from azad.publication.choices import RequestStatus, RunStatus
from azad.publication.models import DatasetRun, ExportRequest
from azad.publication.tests.helpers import case_with, client_for

pytestmark = pytest.mark.django_db

DATASET = {
    "year_from": 2024,
    "year_to": 2024,
    "k": 11,
    "max_suppression_percent": 10,
    "quasi_identifiers": ["gender", "ageBroad", "citizenship"],
}
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


@pytest.fixture
def no_launch(monkeypatch):
    """Queue builds without running them (to see them queued, or to ask about who may)."""
    monkeypatch.setattr(generation, "launch", lambda run: None)


def _built(world, **changes):
    """A finished build of the 2024 dataset, started by the analyst."""
    parameters = {
        "year_from": 2024,
        "year_to": 2024,
        "k": 11,
        "quasi_identifiers": ["gender", "ageBroad", "citizenship"],
        "max_suppression": 0.1,
        **changes,
    }
    run, _created = services.start_public_dataset(actor=world.analyst, **parameters)
    return generation.generate(run.pk)


@pytest.mark.parametrize("role", list(Role))
def test_it_lets_only_roles_with_statistics_build_and_download_the_public_dataset(world, role):
    for _ in range(12):
        case_with(world)
    run = _built(world)  # another person's build: every publisher sees every build
    user = _user(role, world)
    client = client_for(user)
    form = client.get("/publication/dataset/")
    build = client.post("/publication/dataset/build/", {**DATASET, "k": 12})
    page = client.get(f"/publication/dataset/runs/{run.pk}/")
    fragment = client.get(f"/publication/dataset/runs/{run.pk}/", headers={"HX-Request": "true"})
    download = client.get(f"/publication/dataset/runs/{run.pk}/ctdc.csv")
    workbook = client.get(f"/publication/dataset/runs/{run.pk}/ctdc.xlsx")
    if role in PUBLISHERS:
        assert form.status_code == 200
        assert build.status_code == 302
        mine = DatasetRun.objects.get(requested_by=user)
        assert build["Location"] == f"/publication/dataset/runs/{mine.pk}/"
        assert mine.status == RunStatus.DONE
        assert page.status_code == 200
        assert b"12 rows built, 12 published, 0 suppressed" in page.content
        assert fragment.status_code == 200
        assert download.status_code == 200
        assert download["Content-Type"].startswith("text/csv")
        assert download.content.decode().count("\n") == 13
        assert workbook.status_code == 200
        sheet = load_workbook(io.BytesIO(workbook.content)).active
        assert sheet.max_row == 13
        assert sheet["A1"].value == "yearOfRegistration"
        downloads = AuditEvent.objects.filter(action="export", actor=user)
        assert sorted(e.payload["kind"] for e in downloads) == ["ctdc_dataset.csv", "ctdc_dataset.xlsx"]
    else:
        for response in (form, build, page, fragment, download, workbook):
            assert response.status_code == 403
        assert DatasetRun.objects.count() == 1
        assert not AuditEvent.objects.filter(action="export").exists()


def test_it_answers_404_for_a_build_that_does_not_exist_or_is_not_finished(world, no_launch):
    client = client_for(world.analyst)
    assert client.get(f"/publication/dataset/runs/{uuid.uuid4()}/").status_code == 404
    client.post("/publication/dataset/build/", DATASET)
    run = DatasetRun.objects.get()
    assert client.get(f"/publication/dataset/runs/{run.pk}/").status_code == 200
    assert client.get(f"/publication/dataset/runs/{run.pk}/ctdc.csv").status_code == 404
    assert client.get(f"/publication/dataset/runs/{run.pk}/ctdc.xlsx").status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_it_sends_anonymous_visitors_to_sign_in(world):
    run = _built(world)
    for url in ("/publication/dataset/", f"/publication/dataset/runs/{run.pk}/ctdc.csv"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_the_progress_of_a_build_under_way_and_stops_polling_when_it_is_done(world, no_launch):
    for _ in range(12):
        case_with(world)
    client = client_for(world.analyst)
    response = client.post("/publication/dataset/build/", DATASET)
    run = DatasetRun.objects.get()
    url = f"/publication/dataset/runs/{run.pk}/"
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "Queued" in page and "Waiting to start" in page and "gender, ageBroad, citizenship" in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in fragment and 'hx-trigger="every 1s"' in fragment and "<html" not in fragment
    assert '<progress max="100" value="0">' in fragment
    assert "ctdc.csv" not in fragment

    seen = []
    generation.generate(run.pk, listener=lambda percent, step: seen.append((percent, step)))
    assert seen[0][1] == "reading"
    assert {"anonymising", "writing", "done"} <= {step for _percent, step in seen}
    assert [percent for percent, _step in seen] == sorted(percent for percent, _step in seen)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and '<progress max="100" value="100">' in fragment
    assert f"{url}ctdc.csv" in fragment and f"{url}ctdc.xlsx" in fragment
    assert "12 rows built, 12 published, 0 suppressed" in fragment


def test_it_answers_a_repeated_click_with_the_build_under_way(world, no_launch):
    client = client_for(world.analyst)
    first = client.post("/publication/dataset/build/", DATASET)
    again = client_for(world.coordinator).post("/publication/dataset/build/", DATASET, follow=True)
    run = DatasetRun.objects.get()
    assert first["Location"] == f"/publication/dataset/runs/{run.pk}/"
    assert again.redirect_chain[-1][0] == f"/publication/dataset/runs/{run.pk}/"
    assert b"already being built" in again.content
    other = client.post("/publication/dataset/build/", {**DATASET, "k": 12})
    assert other.status_code == 302 and DatasetRun.objects.count() == 2
    assert AuditEvent.objects.filter(action="publication.dataset_run.start").count() == 2


def test_it_shows_a_failed_build_with_the_kind_of_error_only(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Aysel Məmmədova, 1990")

    monkeypatch.setattr(services.kanon, "anonymise", broken)
    client = client_for(world.analyst)
    client.post("/publication/dataset/build/", DATASET)
    run = DatasetRun.objects.get()
    assert run.status == RunStatus.FAILED and run.error == "RuntimeError" and run.csv is None
    page = client.get(f"/publication/dataset/runs/{run.pk}/").content.decode()
    assert "could not be built (RuntimeError)" in page and "Aysel" not in page and "hx-trigger" not in page
    assert client.get(f"/publication/dataset/runs/{run.pk}/ctdc.csv").status_code == 404
    finish = AuditEvent.objects.get(action="publication.dataset_run.finish")
    assert finish.payload == {"status": "failed", "error": "RuntimeError"}


def test_it_shows_a_build_that_stopped_moving_as_interrupted_and_builds_again(world, no_launch):
    client = client_for(world.analyst)
    client.post("/publication/dataset/build/", DATASET)
    stale = DatasetRun.objects.get()
    DatasetRun.objects.filter(pk=stale.pk).update(updated_at=stale.updated_at - services.STALE_AFTER * 2)
    page = client.get(f"/publication/dataset/runs/{stale.pk}/", headers={"HX-Request": "true"}).content
    assert b"This build stopped" in page and b"hx-trigger" not in page
    client.post("/publication/dataset/build/", DATASET)
    assert DatasetRun.objects.count() == 2


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
    ("change", "message"),
    [
        ({"k": 1}, b"at least 2"),
        ({"k": 0}, b"at least 2"),
        ({"k": 100_001}, b"at most 100000"),
        ({"k": "many"}, b"Enter a whole number"),
        ({"quasi_identifiers": ["shoeSize"]}, b"Unknown quasi-identifier"),
        ({"quasi_identifiers": []}, b"This field is required"),
        ({"year_from": 2025, "year_to": 2020}, b"must not be after"),
        ({"max_suppression_percent": 100}, b"less than or equal to 99"),
    ],
)
def test_it_answers_bad_parameters_with_a_clear_message_and_changes_nothing(world, change, message):
    client = client_for(world.analyst)
    page = client.post("/publication/dataset/build/", {**DATASET, **change})
    assert page.status_code == 400
    assert message in page.content
    assert not DatasetRun.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="publication.").exists()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_it_translates_the_messages_about_bad_parameters(world):
    client = client_for(world.analyst)
    client.cookies["azad_language"] = "az"
    page = client.post("/publication/dataset/build/", {**DATASET, "k": 1})
    assert page.status_code == 400
    assert "k ən azı 2 olan tam ədəd olmalıdır" in page.content.decode()


def test_it_records_the_start_and_the_download_of_a_build_with_its_parameters(world):
    client = client_for(world.analyst)
    client.post("/publication/dataset/build/", DATASET)
    run = DatasetRun.objects.get()
    start = AuditEvent.objects.get(action="publication.dataset_run.start")
    assert start.actor == world.analyst and start.target_id == str(run.pk)
    assert start.payload["quasi_identifiers"] == "gender,ageBroad,citizenship"
    assert start.payload["k"] == 11 and start.payload["max_suppression"] == 0.1
    assert AuditEvent.objects.get(action="publication.dataset_run.finish").payload["status"] == "done"
    assert not AuditEvent.objects.filter(action="export").exists()
    client.get(f"/publication/dataset/runs/{run.pk}/ctdc.csv")
    event = AuditEvent.objects.get(action="export")
    assert event.payload["kind"] == "ctdc_dataset.csv"
    assert event.payload["filters"]["k"] == 11
    assert event.payload["filters"]["run"] == str(run.pk)
    assert event.payload["filters"]["quasi_identifiers"] == "gender,ageBroad,citizenship"


def test_it_shows_the_menu_entries_by_role(world):
    analyst_home = client_for(world.analyst).get("/").content
    supervisor_home = client_for(world.supervisor).get("/").content
    assert b"/publication/dataset/" in analyst_home
    assert b"/publication/exports/" not in analyst_home
    assert b"/publication/exports/" in supervisor_home


def test_it_shows_what_is_generalised_without_showing_any_row(world):
    for birth in ("1998-01-01",) * 6 + ("1996-01-01",) * 6:
        case_with(world, birth_date=birth)
    client = client_for(world.analyst)
    parameters = {**DATASET, "max_suppression_percent": 0, "quasi_identifiers": ["ageBroad"]}
    response = client.post("/publication/dataset/build/", parameters, follow=True)
    assert response.status_code == 200
    assert b"broad age band" in response.content
    assert b"12 rows built, 12 published, 0 suppressed" in response.content
    assert b"24--26" not in response.content
    assert not AuditEvent.objects.filter(action="export").exists()


def test_it_lists_the_builds_with_links_to_their_files(world):
    run = _built(world)
    page = client_for(world.analyst).get("/publication/dataset/").content.decode()
    assert f"/publication/dataset/runs/{run.pk}/" in page
    assert f"/publication/dataset/runs/{run.pk}/ctdc.csv" in page
    assert world.analyst.username in page


def test_it_offers_no_xlsx_when_the_rows_would_not_fit_in_a_worksheet(world, monkeypatch):
    monkeypatch.setattr(generation, "XLSX_MAX_ROWS", 0)
    for _ in range(12):
        case_with(world)
    run = _built(world)
    client = client_for(world.analyst)
    page = client.get(f"/publication/dataset/runs/{run.pk}/").content.decode()
    assert "more rows than a worksheet holds" in page and "ctdc.xlsx" not in page
    assert client.get(f"/publication/dataset/runs/{run.pk}/ctdc.xlsx").status_code == 404
    assert client.get(f"/publication/dataset/runs/{run.pk}/ctdc.csv").status_code == 200


def test_it_lists_the_builds_in_a_fixed_number_of_queries(world, no_launch, django_assert_max_num_queries):
    client = client_for(world.analyst)
    client.post("/publication/dataset/build/", DATASET)
    with django_assert_max_num_queries(8):
        assert client.get("/publication/dataset/").status_code == 200
    for k in range(12, 20):
        client_for(world.coordinator).post("/publication/dataset/build/", {**DATASET, "k": k})
    with django_assert_max_num_queries(8):
        page = client.get("/publication/dataset/")
    assert page.content.count(b'class="run-row"') == 9
