"""Case-level exports: the approval flow, the encrypted ZIP, formula escaping, the audit trail."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import pyzipper
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from azad.accounts.models import Organisation
from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import Role, Scope
from azad.publication import services
from azad.publication.choices import RequestStatus
from azad.publication.htcds import COLUMNS
from azad.publication.models import ExportRequest
from azad.publication.tests.helpers import case_with

pytestmark = pytest.mark.django_db

PASSWORD = "uzun-bir-parol-2024"
REASON = "IOM-a illik hesabat üçün"


def _request(world, actor=None, **extra):
    values = {"reason": REASON, "date_from": dt.date(2024, 1, 1), "date_to": dt.date(2024, 12, 31)}
    values.update(extra)
    return services.create_export_request(actor=actor or world.supervisor, **values)


@pytest.fixture
def second_supervisor(world):
    return make_user(Role.POLICE_SUPERVISOR, world.atd, scope=Scope.NATIONAL)


def _files(archive: bytes, password: str = PASSWORD) -> dict[str, bytes]:
    with pyzipper.AESZipFile(io.BytesIO(archive)) as zipped:
        zipped.setpassword(password.encode())
        return {name: zipped.read(name) for name in zipped.namelist()}


def test_it_records_a_request_pending_with_the_count_of_cases_the_requester_sees(world):
    case_with(world, year=2024)
    case_with(world, year=2023)
    export = _request(world)
    assert export.status == RequestStatus.PENDING
    assert export.case_count == 1
    event = AuditEvent.objects.get(action="publication.export_request.create")
    assert event.target_id == str(export.pk)
    assert REASON not in str(event.payload)
    assert event.payload["count"] == 1


def test_it_refuses_a_download_without_an_approver(world):
    export = _request(world)
    with pytest.raises(ValidationError, match="no approver"):
        services.download_export(export, actor=world.supervisor, password=PASSWORD)
    assert ExportRequest.objects.get(pk=export.pk).status == RequestStatus.PENDING
    assert not AuditEvent.objects.filter(action="export").exists()


def test_it_refuses_self_approval(world):
    export = _request(world)
    with pytest.raises(ValidationError, match="own request"):
        services.approve_export_request(export, actor=world.supervisor)
    assert ExportRequest.objects.get(pk=export.pk).status == RequestStatus.PENDING


def test_it_refuses_approval_by_a_role_without_the_approvers_right(world):
    export = _request(world)
    for user in (world.investigator, world.coordinator, world.analyst, world.admin, world.ngo_worker):
        with pytest.raises(PermissionDenied):
            services.approve_export_request(export, actor=user)


def test_it_refuses_a_request_from_a_role_that_may_not_ask(world):
    for user in (world.investigator, world.ngo_worker, world.coordinator, world.analyst, world.admin):
        with pytest.raises(PermissionDenied):
            _request(world, actor=user)
    assert not ExportRequest.objects.exists()


def test_it_refuses_a_request_without_a_reason_or_with_a_reversed_period(world):
    with pytest.raises(ValidationError):
        _request(world, reason="  ")
    with pytest.raises(ValidationError):
        _request(world, date_from=dt.date(2024, 5, 1), date_to=dt.date(2024, 1, 1))
    assert not ExportRequest.objects.exists()


def test_it_approves_once_then_downloads_once(world, second_supervisor):
    case_with(world, exploitation=("SexualExploitation",), exploited_in="TR")
    export = _request(world)
    approved = services.approve_export_request(export, actor=second_supervisor)
    assert approved.status == RequestStatus.APPROVED
    assert approved.decided_by == second_supervisor
    with pytest.raises(ValidationError, match="already been decided"):
        services.approve_export_request(approved, actor=second_supervisor)
    _archive, count = services.download_export(approved, actor=world.supervisor, password=PASSWORD)
    assert count == 1
    assert ExportRequest.objects.get(pk=export.pk).status == RequestStatus.DOWNLOADED
    with pytest.raises(ValidationError, match="already been downloaded"):
        services.download_export(approved, actor=world.supervisor, password=PASSWORD)
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert "publication.export_request.create" in actions
    assert "publication.export_request.approve" in actions
    export_event = AuditEvent.objects.get(action="export")
    assert export_event.payload["kind"] == "htcds_cases.zip"
    assert export_event.payload["count"] == 1
    assert PASSWORD not in str(export_event.payload)


def test_it_refuses_a_download_by_anyone_but_the_requester(world, second_supervisor):
    export = services.approve_export_request(_request(world), actor=second_supervisor)
    with pytest.raises(PermissionDenied):
        services.download_export(export, actor=second_supervisor, password=PASSWORD)


def test_it_refuses_a_short_password(world, second_supervisor):
    export = services.approve_export_request(_request(world), actor=second_supervisor)
    with pytest.raises(ValidationError):
        services.download_export(export, actor=world.supervisor, password="short")
    assert ExportRequest.objects.get(pk=export.pk).status == RequestStatus.APPROVED


def test_it_refuses_an_expired_or_refused_export(world, second_supervisor, settings):
    export = services.approve_export_request(_request(world), actor=second_supervisor)
    ExportRequest.objects.filter(pk=export.pk).update(
        decided_at=timezone.now() - dt.timedelta(hours=settings.AZAD_EXPORT_VALID_HOURS + 1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.download_export(export, actor=world.supervisor, password=PASSWORD)
    refused = services.refuse_export_request(_request(world), actor=second_supervisor, reason="Lazım deyil")
    assert refused.status == RequestStatus.REFUSED
    assert "Lazım" not in str(AuditEvent.objects.get(action="publication.export_request.refuse").payload)
    with pytest.raises(ValidationError, match="refused"):
        services.download_export(refused, actor=world.supervisor, password=PASSWORD)


def test_it_writes_a_zip_that_opens_with_the_password_and_not_without(world, second_supervisor):
    case_with(world, exploitation=("ForcedLabour",), control=("DebtBondage",), exploited_in="RU")
    export = services.approve_export_request(_request(world), actor=second_supervisor)
    archive, _count = services.download_export(export, actor=world.supervisor, password=PASSWORD)
    files = _files(archive)
    [csv_name] = [n for n in files if n.endswith(".csv")]
    table = list(csv.reader(io.StringIO(files[csv_name].decode("utf-8-sig"))))
    assert table[0] == list(COLUMNS)
    row = dict(zip(table[0], table[1], strict=True))
    assert row["vic_TypeOfExploitation"] == "ForcedLabour"
    assert row["vic_MethodsOfControl"] == "DebtBondage"
    assert row["hte_ExploitationCountry"] == "RU"
    assert row["prs_Gender"] == "Feminine"
    assert "Aynur" not in files[csv_name].decode("utf-8-sig")  # no names
    with pytest.raises(RuntimeError):
        _files(archive, password="wrong-password-123")
    with pyzipper.AESZipFile(io.BytesIO(archive)) as zipped, pytest.raises(RuntimeError):
        zipped.read(csv_name)


def test_it_escapes_formulas_in_every_cell(world, second_supervisor):
    Organisation.objects.filter(pk=world.ngo.pk).update(name='=HYPERLINK("http://x.example","klik")')
    case_with(world, exploited_in="TR", place="+994 Bakı")
    export = services.approve_export_request(_request(world), actor=second_supervisor)
    archive, _count = services.download_export(export, actor=world.supervisor, password=PASSWORD)
    files = _files(archive)
    text = next(v for n, v in files.items() if n.endswith(".csv")).decode("utf-8-sig")
    row = dict(zip(*list(csv.reader(io.StringIO(text))), strict=True))
    assert row["cas_OwnerOrganisation"] == '\'=HYPERLINK("http://x.example","klik")'
    assert row["hte_ExploitationPlace"] == "'+994 Bakı"
    book = load_workbook(io.BytesIO(next(v for n, v in files.items() if n.endswith(".xlsx"))))
    values = [cell.value for cell in book.active[2]]
    assert '\'=HYPERLINK("http://x.example","klik")' in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in values)


def test_it_exports_only_the_cases_the_requester_sees(world, second_supervisor):
    """An ATD supervisor with organisation scope sees only cases referred to ATD."""
    from azad.cases.tests.factories import referred_case

    org_supervisor = make_user(Role.POLICE_SUPERVISOR, world.atd, scope=Scope.ORGANISATION)
    case_with(world)  # the NGO's, never referred
    referred_case(world)
    export = _request(
        world, actor=org_supervisor, date_from=dt.date(2000, 1, 1), date_to=timezone.localdate()
    )
    assert export.case_count == 1
    services.approve_export_request(export, actor=second_supervisor)
    _archive, count = services.download_export(export, actor=org_supervisor, password=PASSWORD)
    assert count == 1


def test_it_reads_the_export_rows_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from azad.cases.access import visible_cases
    from azad.publication import htcds

    for _ in range(6):
        case_with(world, exploited_in="AE")
    with django_assert_max_num_queries(2):
        table = htcds.rows(visible_cases(world.supervisor))
    assert len(table) == 7
