"""Publication in a real browser: the public dataset built with its progress shown (htmx) and downloaded;
a case-level export requested by one supervisor, approved by another, downloaded encrypted."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import pyzipper

from azad.accounts.tests.factories import make_user
from azad.cases.tests.factories import make_world
from azad.core.permissions import Role, Scope
from azad.core.tests.test_browser import sign_in
from azad.publication import generation, services
from azad.publication.models import DatasetRun
from azad.publication.tests.helpers import case_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "uzun-və-gizli-parol-2026"


def test_it_exports_only_after_a_second_person_approves(live_server, page, browser, csp_violations):
    world = make_world()
    case_with(world, year=2025, exploitation=("ForcedLabour",), exploited_in="TR")
    requester = world.supervisor
    approver = make_user(Role.POLICE_SUPERVISOR, world.atd, scope=Scope.NATIONAL, username="ikinci.reis")

    sign_in(page, live_server.url, requester)
    page.goto(live_server.url + "/publication/exports/new/")
    page.fill("textarea[name=reason]", "GRETA sorğusu üçün anonim olmayan iş səviyyəsində məlumat")
    page.fill("input[name=date_from]", "2025-01-01")
    page.fill("input[name=date_to]", "2025-12-31")
    page.click("#main form [type=submit]")
    page.wait_for_selector("#waiting")
    detail_url = page.url
    assert page.query_selector("#download") is None  # nothing to download before approval
    assert page.query_selector("#decide") is None  # nobody approves their own request

    other = browser.new_context()
    approver_page = other.new_page()
    sign_in(approver_page, live_server.url, approver)
    approver_page.goto(detail_url)
    approver_page.click("#decide form:first-child button[type=submit]")
    approver_page.wait_for_selector("#status")
    other.close()

    page.goto(detail_url)
    page.fill("#download input[name=password]", PASSWORD)
    page.fill("#download input[name=password_again]", PASSWORD)
    with page.expect_download() as download_info:
        page.click("#download button[type=submit]")
    data = Path(download_info.value.path()).read_bytes()

    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        archive.setpassword(PASSWORD.encode())
        names = archive.namelist()
        csv_name = next(name for name in names if name.endswith(".csv"))
        text = archive.read(csv_name).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # the header and the one case
    assert "cas_CaseId" in rows[0]
    assert "TR" in rows[1]  # the country of exploitation
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive, pytest.raises(RuntimeError):
        archive.setpassword(b"wrong-password-123")
        archive.read(csv_name)
    assert csp_violations == []


def test_it_builds_the_public_dataset_and_downloads_it(live_server, page, csp_violations):
    world = make_world()
    for _ in range(12):
        case_with(world, year=2025, exploitation=("ForcedLabour",), exploited_in="TR")
    sign_in(page, live_server.url, world.analyst)
    page.click("nav >> text=Public dataset")
    page.fill("#build input[name=year_from]", "2025")
    page.fill("#build input[name=year_to]", "2025")
    page.click("#build button[type=submit]")
    page.wait_for_selector("#run-links")
    assert "12 rows built, 12 published, 0 suppressed" in page.inner_text("#report-summary")
    with page.expect_download() as download_info:
        page.click("#run-links >> text=Download CSV")
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 13 and rows[0][0] == "yearOfRegistration"
    assert csp_violations == []


def test_it_follows_the_progress_of_a_build_and_shows_the_links_when_done(live_server, page, csp_violations):
    world = make_world()
    run, _created = services.start_public_dataset(
        actor=world.analyst,
        year_from=2025,
        year_to=2025,
        k=11,
        quasi_identifiers=["gender"],
        max_suppression=0.1,
    )
    sign_in(page, live_server.url, world.analyst)
    page.goto(f"{live_server.url}/publication/dataset/runs/{run.pk}/")
    assert page.get_attribute("#run-progress progress", "value") == "0"
    assert page.query_selector("#run-links") is None
    generation.generate(run.pk)
    page.wait_for_selector("#run-links", timeout=10_000)
    assert page.get_attribute("#run-progress progress", "value") == "100"
    assert DatasetRun.objects.get().status == "done"
    assert csp_violations == []
