"""Return home: repatriation of foreign victims and citizens' return, its rules, access, pages and API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.cases import services
from azad.cases.choices import ReturnStatus, Stage
from azad.cases.models import Case, CaseEvent, Return
from azad.cases.tests.factories import api, assisted, case_at, client_for, fresh, last_seq, make_case
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


def foreign_case(world, stage=Stage.IDENTIFIED, *, reflection_over=True):
    """A foreign (Uzbek) victim's case; ``reflection_over`` moves the reflection start 31 days back."""
    case = case_at(world, stage, citizenship="UZ")
    if reflection_over and case.reflection_started_at is not None:
        Case.objects.filter(pk=case.pk).update(reflection_started_at=timezone.now() - dt.timedelta(days=31))
    return fresh(case)


def plan(world, case, actor=None, **values):
    values.setdefault("direction", "repatriation")
    values.setdefault("country", "UZ")
    values.setdefault("receiver_name", "IOM Daşkənd")
    values.setdefault("receiver_contact", "+998 71 000 00 00")
    return services.record_return(case, actor=actor or world.investigator, **values)


def move(world, record, status, actor=None, **extra):
    record = Return.objects.get(pk=record.pk)
    return services.set_return_status(
        record, actor=actor or world.investigator, expected_version=record.version, status=status, **extra
    )


# --- Services ---------------------------------------------------------------------------------------


def test_it_plans_a_repatriation_and_audits_it_without_the_receiver(world):
    case = foreign_case(world)
    since = last_seq()
    record = plan(world, case, cost_amount="350.00", costs_paid_by="IOM", documents="requested",
                  documents_requested_on=TODAY())  # fmt: skip
    record.refresh_from_db()
    assert (record.status, record.country, record.receiver_name) == (
        ReturnStatus.PLANNED,
        "UZ",
        "IOM Daşkənd",
    )
    event = AuditEvent.objects.get(seq__gt=since, action="cases.return.record")
    assert event.payload["direction"] == "repatriation"
    assert "IOM" not in str(event.payload)
    assert CaseEvent.objects.filter(case=case, kind="return_recorded").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT receiver_name, receiver_contact FROM cases_return WHERE id = %s", [record.pk.hex]
        )
        row = cursor.fetchone() or ()
    assert row and "IOM" not in str(row) and "+998" not in str(row)


@pytest.mark.parametrize(
    ("citizenship", "direction", "country", "field"),
    [
        ("AZ", "repatriation", "UZ", "direction"),  # a citizen is not repatriated
        ("UZ", "citizen_return", "RU", "direction"),  # a foreigner does not return through our consulate
        ("UZ", "repatriation", "AZ", "country"),  # the country is abroad
        ("UZ", "repatriation", "QQ", "country"),  # and exists
    ],
)
def test_it_refuses_a_return_that_does_not_fit_the_person_and_writes_nothing(
    world, citizenship, direction, country, field
):
    case = fresh(case_at(world, Stage.IDENTIFIED, citizenship=citizenship))
    since = last_seq()
    with pytest.raises(ValidationError) as error:
        plan(world, case, direction=direction, country=country)
    assert field in error.value.message_dict
    assert not Return.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(seq__gt=since).exists()


def test_it_plans_a_citizens_return_through_a_consulate(world):
    case = fresh(case_at(world, Stage.IDENTIFIED, citizenship="AZ"))
    record = plan(world, case, direction="citizen_return", country="AE", receiver_name="Dubaydakı konsulluq")
    assert record.direction == "citizen_return"


def test_it_refuses_documents_issued_before_they_were_requested(world):
    case = foreign_case(world)
    with pytest.raises(ValidationError) as error:
        plan(world, case, documents="issued", documents_requested_on=TODAY(),
             documents_issued_on=TODAY() - dt.timedelta(days=3))  # fmt: skip
    assert "documents_issued_on" in error.value.message_dict
    assert not Return.objects.filter(case=case).exists()


def test_it_refuses_a_negative_cost_and_a_bad_currency(world):
    case = foreign_case(world)
    with pytest.raises(ValidationError) as error:
        plan(world, case, cost_amount="-5")
    assert "cost_amount" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        plan(world, case, cost_amount="5", cost_currency="manat")
    assert "cost_currency" in error.value.message_dict


def test_it_refuses_a_second_open_return(world):
    case = foreign_case(world)
    plan(world, case)
    with pytest.raises(ValidationError, match="already planned"):
        plan(world, case)


def test_it_refuses_a_risk_assessment_of_another_case(world):
    case, other = foreign_case(world), foreign_case(world)
    risk = services.record_risk_assessment(other, actor=world.investigator, level="low")
    with pytest.raises(ValidationError) as error:
        plan(world, case, risk_assessment=risk.pk)
    assert "risk_assessment" in error.value.message_dict


def test_it_moves_a_return_along_and_audits_each_step(world):
    case = foreign_case(world)
    risk = services.record_risk_assessment(case, actor=world.investigator, level="medium")
    record = plan(world, case, risk_assessment=risk.pk, documents="issued", documents_issued_on=TODAY())
    since = last_seq()
    record = move(world, record, ReturnStatus.IN_PROGRESS)
    record = move(world, record, ReturnStatus.COMPLETED)
    assert (record.status, record.started_on, record.completed_on) == (
        ReturnStatus.COMPLETED,
        TODAY(),
        TODAY(),
    )
    assert list(AuditEvent.objects.filter(seq__gt=since).values_list("action", flat=True)) == [
        "cases.return.status",
        "cases.return.status",
    ]
    assert record.risk_label() == "Medium"


def test_it_refuses_a_status_out_of_order(world):
    case = foreign_case(world)
    record = plan(world, case, risk_level="low", documents="not_needed")
    with pytest.raises(ValidationError, match="cannot move"):
        move(world, record, ReturnStatus.COMPLETED)
    move(world, record, ReturnStatus.CANCELLED)
    with pytest.raises(ValidationError, match="cannot move"):
        move(world, record, ReturnStatus.IN_PROGRESS)
    assert Return.objects.get(pk=record.pk).status == ReturnStatus.CANCELLED


def test_it_refuses_to_start_a_repatriation_during_the_reflection_period_unless_asked(world):
    case = foreign_case(world, Stage.REFLECTION, reflection_over=False)
    record = plan(world, case, risk_level="low", documents="not_needed")
    with pytest.raises(ValidationError, match="no expulsion may be enforced"):
        move(world, record, ReturnStatus.IN_PROGRESS)
    assert Return.objects.get(pk=record.pk).status == ReturnStatus.PLANNED
    record = Return.objects.get(pk=record.pk)
    record = services.update_return(
        record, actor=world.investigator, expected_version=record.version, voluntary_request_on=TODAY()
    )
    assert move(world, record, ReturnStatus.IN_PROGRESS).status == ReturnStatus.IN_PROGRESS


def test_it_needs_a_risk_level_before_the_return_starts(world):
    case = foreign_case(world)
    record = plan(world, case, documents="not_needed")
    with pytest.raises(ValidationError, match="Assess the risk"):
        move(world, record, ReturnStatus.IN_PROGRESS)


def test_it_needs_travel_documents_before_the_return_completes(world):
    case = foreign_case(world)
    record = plan(world, case, risk_level="high", documents="requested")
    move(world, record, ReturnStatus.IN_PROGRESS)
    with pytest.raises(ValidationError, match="travel documents"):
        move(world, record, ReturnStatus.COMPLETED)
    assert Return.objects.get(pk=record.pk).status == ReturnStatus.IN_PROGRESS


def test_it_refuses_an_end_before_the_start(world):
    case = foreign_case(world)
    record = plan(world, case, risk_level="high", documents="not_needed")
    move(world, record, ReturnStatus.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        move(world, record, ReturnStatus.COMPLETED, on=TODAY() - dt.timedelta(days=2))
    assert "on" in error.value.message_dict


def test_it_changes_a_return_with_its_version_and_redacts_the_receiver_in_the_audit(world):
    case = foreign_case(world)
    record = plan(world, case)
    changed = services.update_return(
        record, actor=world.investigator, expected_version=record.version,
        receiver_name="Tashkent NGO", planned_on=TODAY() + dt.timedelta(days=10),
    )  # fmt: skip
    assert changed.version == record.version + 1
    event = AuditEvent.objects.filter(action="cases.return.update").get()
    assert event.payload["changes"]["receiver_name"] == "[redacted]"
    assert "Tashkent" not in str(event.payload)
    with pytest.raises(ConflictError):
        services.update_return(record, actor=world.investigator, expected_version=record.version, note="x")
    assert Return.objects.get(pk=record.pk).note == ""


def test_it_refuses_changes_to_a_finished_return(world):
    case = foreign_case(world)
    record = move(world, plan(world, case), ReturnStatus.CANCELLED)
    with pytest.raises(ValidationError, match="finished"):
        services.update_return(record, actor=world.investigator, expected_version=record.version, note="x")


# --- Access -----------------------------------------------------------------------------------------


def test_it_lets_only_the_owner_and_atd_write_returns(world):
    case = foreign_case(world)
    plan(world, case, actor=world.ngo_worker)  # the owner
    record = Return.objects.get(case=case)
    assisted(case, world)  # the assistance centre sees the content, but does not decide the return
    with pytest.raises(PermissionDenied):
        services.update_return(
            record, actor=world.assistance_worker, expected_version=record.version, note="x"
        )
    with pytest.raises(NotVisible):
        services.update_return(
            record, actor=world.other_ngo_worker, expected_version=record.version, note="x"
        )
    assert Return.objects.get(pk=record.pk).version == record.version


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_the_return_pages_and_api(world, role):
    case = make_case(world, citizenship="UZ")
    record = plan(world, fresh(case), actor=world.ngo_worker)
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    level = PERMISSIONS[role][Data.CASE_CONTENT]
    page = client_for(user).get(f"/cases/{case.pk}/returns/new/")
    edit = client_for(user).get(f"/cases/{case.pk}/returns/{record.pk}/")
    listing = api(user).get(f"/api/v1/cases/{case.pk}/returns/")
    post = api(user).post(f"/api/v1/cases/{case.pk}/returns/{record.pk}/status/",
                          {"version": record.version, "status": "cancelled"}, format="json")  # fmt: skip
    if level < Level.READ:
        assert {page.status_code, edit.status_code, listing.status_code, post.status_code} == {404}
    elif level < Level.WRITE:
        assert (page.status_code, edit.status_code, listing.status_code, post.status_code) == (
            403,
            403,
            200,
            403,
        )
        assert Return.objects.get(pk=record.pk).status == ReturnStatus.PLANNED
    else:
        assert (page.status_code, edit.status_code, listing.status_code, post.status_code) == (
            200,
            200,
            200,
            200,
        )
        assert Return.objects.get(pk=record.pk).status == ReturnStatus.CANCELLED


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_404_for_another_organisations_return(world, role):
    case = make_case(world, actor=world.other_ngo_worker, citizenship="UZ")
    record = plan(world, fresh(case), actor=world.other_ngo_worker)
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    assert client_for(user).get(f"/cases/{case.pk}/returns/{record.pk}/").status_code == 404
    assert client_for(user).get(f"/cases/{case.pk}/returns/{record.pk}/status/").status_code == 404
    assert api(user).get(f"/api/v1/cases/{case.pk}/returns/").status_code == 404
    response = api(user).patch(f"/api/v1/cases/{case.pk}/returns/{record.pk}/",
                               {"version": record.version, "note": "x"}, format="json")  # fmt: skip
    assert response.status_code == 404


def test_it_answers_404_for_a_return_under_the_wrong_case(world):
    case = foreign_case(world)
    mine = make_case(world, citizenship="UZ")
    record = plan(world, case)
    assert client_for(world.ngo_worker).get(f"/cases/{mine.pk}/returns/{record.pk}/").status_code == 404


# --- Pages ------------------------------------------------------------------------------------------


def test_it_plans_and_moves_a_return_through_the_pages(world):
    case = foreign_case(world)
    client = client_for(world.investigator)
    response = client.post(
        f"/cases/{case.pk}/returns/new/",
        {"direction": "repatriation", "country": "UZ", "receiver_name": "IOM Daşkənd", "documents": "not_needed",
         "cost_currency": "AZN", "risk_level": "low"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    record = Return.objects.get(case=case)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Return home" in page and "IOM Daşkənd" in page
    response = client.post(
        f"/cases/{case.pk}/returns/{record.pk}/status/", {"version": record.version, "status": "in_progress"}
    )
    assert response.status_code == 302
    assert Return.objects.get(pk=record.pk).status == ReturnStatus.IN_PROGRESS


def test_it_shows_a_clear_message_for_bad_dates_on_the_page_and_writes_nothing(world):
    case = foreign_case(world)
    response = client_for(world.investigator).post(
        f"/cases/{case.pk}/returns/new/",
        {"direction": "repatriation", "country": "UZ", "documents": "issued", "cost_currency": "AZN",
         "documents_requested_on": TODAY().isoformat(),
         "documents_issued_on": (TODAY() - dt.timedelta(days=1)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 400
    assert "cannot be issued before they were requested" in response.content.decode()
    assert not Return.objects.filter(case=case).exists()


def test_it_shows_the_conflict_page_for_a_stale_return_form(world):
    case = foreign_case(world)
    record = plan(world, case)
    services.update_return(record, actor=world.investigator, expected_version=record.version, note="first")
    response = client_for(world.investigator).post(
        f"/cases/{case.pk}/returns/{record.pk}/",
        {"version": record.version, "direction": "repatriation", "country": "UZ", "documents": "needed",
         "cost_currency": "AZN", "note": "second"},
    )  # fmt: skip
    assert response.status_code == 409
    assert Return.objects.get(pk=record.pk).note == "first"


# --- API --------------------------------------------------------------------------------------------


def test_it_plans_changes_and_moves_a_return_in_the_api(world):
    case = foreign_case(world)
    client = api(world.investigator)
    created = client.post(
        f"/api/v1/cases/{case.pk}/returns/",
        {"direction": "repatriation", "country": "UZ", "documents": "not_needed", "risk_level": "low"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    changed = client.patch(
        f"/api/v1/cases/{case.pk}/returns/{body['id']}/",
        {"version": body["version"], "cost_amount": "120.50", "costs_paid_by": "IOM"},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["cost_amount"] == "120.50"
    stale = client.patch(
        f"/api/v1/cases/{case.pk}/returns/{body['id']}/",
        {"version": body["version"], "note": "x"},
        format="json",
    )
    assert stale.status_code == 409
    moved = client.post(
        f"/api/v1/cases/{case.pk}/returns/{body['id']}/status/",
        {"version": changed.json()["version"], "status": "in_progress"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    listed = client.get(f"/api/v1/cases/{case.pk}/returns/").json()
    assert [row["id"] for row in listed] == [body["id"]]


def test_it_answers_400_for_a_repatriation_of_a_citizen_in_the_api(world):
    case = fresh(case_at(world, Stage.IDENTIFIED, citizenship="AZ"))
    response = api(world.investigator).post(
        f"/api/v1/cases/{case.pk}/returns/", {"direction": "repatriation", "country": "UZ"}, format="json"
    )
    assert response.status_code == 400
    assert "direction" in response.json()
    assert not Return.objects.filter(case=case).exists()


def test_it_shows_the_returns_on_the_case_page_in_a_constant_number_of_queries(world):
    from django.test.utils import CaptureQueriesContext

    case = foreign_case(world)
    risk = services.record_risk_assessment(case, actor=world.investigator, level="low")
    move(world, plan(world, case, risk_assessment=risk.pk), ReturnStatus.CANCELLED)
    client = client_for(world.investigator)
    client.get(f"/cases/{case.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/cases/{case.pk}/")
    for _ in range(3):
        move(world, plan(world, case, risk_assessment=risk.pk), ReturnStatus.CANCELLED)
    with CaptureQueriesContext(connection) as four:
        client.get(f"/cases/{case.pk}/")
    assert len(four) == len(one)
