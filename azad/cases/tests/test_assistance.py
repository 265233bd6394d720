"""Assistance plans, services delivered, risk assessments, trafficking events and comments."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.cases import services
from azad.cases.choices import Stage
from azad.cases.models import AssistancePlan, CaseComment, HistoricEvent, RiskAssessment, ServiceDelivery
from azad.cases.tests.factories import api, case_at, client_for, fresh, make_case, shelter_referral
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope

pytestmark = pytest.mark.django_db
SECRET = "Gizli məqsəd: Gəncədəki ailəyə qayıtmaq"


def _no_secret_in_audit() -> None:
    for payload in AuditEvent.objects.values_list("payload", flat=True):
        assert SECRET not in json.dumps(payload, ensure_ascii=False)


def test_it_opens_a_plan_without_moving_the_stage(world):
    case = case_at(world, Stage.IDENTIFIED)
    plan = services.open_plan(case, actor=world.investigator, objectives=SECRET)
    assert fresh(case).stage == Stage.IDENTIFIED
    assert plan.objectives == SECRET and plan.responsible_organisation == world.atd
    event = AuditEvent.objects.get(action="cases.plan.open")
    assert event.payload["case"] == str(case.pk)
    _no_secret_in_audit()


def test_it_refuses_a_second_open_plan(world):
    case = case_at(world, Stage.ASSISTANCE)
    services.open_plan(case, actor=world.investigator, objectives="Bir")
    with pytest.raises(ValidationError, match="already has an open"):
        services.open_plan(case, actor=world.investigator, objectives="İki")
    assert AssistancePlan.objects.filter(case=case).count() == 1


def test_it_refuses_a_plan_without_objectives_or_ending_before_it_opens(world):
    case = case_at(world, Stage.ASSISTANCE)
    with pytest.raises(ValidationError):
        services.open_plan(case, actor=world.investigator, objectives="  ")
    with pytest.raises(ValidationError, match="cannot end before"):
        services.open_plan(
            case,
            actor=world.investigator,
            objectives="x",
            opened_on=timezone.localdate(),
            planned_end_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert not AssistancePlan.objects.exists()


def test_it_refuses_a_plan_from_someone_who_may_not_change_the_case(world):
    case = case_at(world, Stage.ASSISTANCE)
    shelter_referral(case, world)
    with pytest.raises(NotVisible):
        services.open_plan(case, actor=world.child_officer, objectives="x")
    with pytest.raises(PermissionDenied):
        services.open_plan(fresh(case), actor=world.shelter_worker, objectives="x")
    assert not AssistancePlan.objects.exists()


def test_it_adds_plan_items_of_htcds_support_types_only(world):
    case = case_at(world, Stage.ASSISTANCE)
    plan = services.open_plan(case, actor=world.investigator, objectives="x")
    item = services.add_plan_item(plan, actor=world.investigator, support_type="Health", objective=SECRET)
    assert item.get_support_type_display() == "Health"
    with pytest.raises(ValidationError):
        services.add_plan_item(plan, actor=world.investigator, support_type="Magic", objective="y")
    assert AuditEvent.objects.get(action="cases.plan.item").payload["support_type"] == "Health"
    _no_secret_in_audit()


def test_it_records_a_service_and_changes_its_outcome_with_a_version(world):
    case = case_at(world, Stage.ASSISTANCE)
    service = services.record_service(case, actor=world.investigator, support_type="Legal")
    assert service.outcome == "pending"
    changed = services.update_service_outcome(
        service,
        actor=world.investigator,
        expected_version=service.version,
        outcome="completed",
        outcome_note=SECRET,
    )
    assert changed.outcome == "completed" and changed.version == service.version + 1
    with pytest.raises(ConflictError):
        services.update_service_outcome(
            service, actor=world.investigator, expected_version=service.version, outcome="partial"
        )
    assert ServiceDelivery.objects.get(pk=service.pk).outcome == "completed"
    event = AuditEvent.objects.get(action="cases.service.outcome")
    assert event.payload["changes"]["outcome"] == {"from": "pending", "to": "completed"} or "outcome" in str(
        event.payload
    )
    _no_secret_in_audit()


def test_it_answers_409_on_the_outcome_page_for_a_stale_version(world):
    case = case_at(world, Stage.ASSISTANCE)
    service = services.record_service(case, actor=world.investigator, support_type="Legal")
    response = client_for(world.investigator).post(
        f"/cases/{case.pk}/services/{service.pk}/outcome/",
        {"version": service.version + 3, "outcome": "completed", "outcome_note": ""},
    )
    assert response.status_code == 409
    assert ServiceDelivery.objects.get(pk=service.pk).outcome == "pending"


def test_it_answers_409_in_the_api_for_a_stale_outcome(world):
    case = case_at(world, Stage.ASSISTANCE)
    service = services.record_service(case, actor=world.investigator, support_type="Legal")
    response = api(world.investigator).post(
        f"/api/v1/cases/{case.pk}/service-outcome/",
        {"service": str(service.pk), "version": 7, "outcome": "completed"},
        format="json",
    )
    assert response.status_code == 409


def test_it_records_risk_assessments_over_time(world):
    case = case_at(world, Stage.ASSISTANCE)
    services.record_risk_assessment(
        case, actor=world.investigator, level="high", assessed_on=timezone.localdate() - dt.timedelta(days=30)
    )
    services.record_risk_assessment(case, actor=world.investigator, level="low", note=SECRET)
    assert list(RiskAssessment.objects.filter(case=case).values_list("level", flat=True)) == ["low", "high"]
    with pytest.raises(ValidationError):
        services.record_risk_assessment(case, actor=world.investigator, level="extreme")
    assert AuditEvent.objects.filter(action="cases.risk.record").count() == 2
    _no_secret_in_audit()


def test_it_records_trafficking_events_with_htcds_types(world):
    case = make_case(world)
    event = services.record_historic_event(
        case,
        actor=world.ngo_worker,
        event_type="Exploitation",
        country="tr",
        place="İstanbul",
        date_from=dt.date(2025, 1, 1),
        date_to=dt.date(2025, 6, 1),
        description=SECRET,
    )
    assert event.country == "TR" and event.description == SECRET
    with pytest.raises(ValidationError):
        services.record_historic_event(case, actor=world.ngo_worker, event_type="Holiday", country="TR")
    with pytest.raises(ValidationError, match="earlier than the start"):
        services.record_historic_event(
            case,
            actor=world.ngo_worker,
            event_type="Transit",
            country="GE",
            date_from=dt.date(2025, 2, 1),
            date_to=dt.date(2025, 1, 1),
        )
    assert HistoricEvent.objects.filter(case=case).count() == 1
    _no_secret_in_audit()


def test_it_shows_comments_on_the_timeline_and_audits_no_text(world):
    case = make_case(world)
    services.add_comment(case, actor=world.ngo_worker, text=SECRET)
    page = client_for(world.ngo_worker).get(f"/cases/{case.pk}/")
    assert SECRET in page.content.decode()
    assert CaseComment.objects.get(case=case).author == world.ngo_worker
    assert AuditEvent.objects.get(action="cases.comment.add").payload == {"case": str(case.pk)}
    _no_secret_in_audit()


def test_it_refuses_an_empty_comment_on_the_page(world):
    case = make_case(world)
    response = client_for(world.ngo_worker).post(f"/cases/{case.pk}/comments/new/", {"text": " "})
    assert response.status_code == 400
    assert not CaseComment.objects.exists()


def test_it_records_everything_through_the_pages(world):
    case = case_at(world, Stage.ASSISTANCE)
    client = client_for(world.investigator)
    assert client.post(f"/cases/{case.pk}/plans/new/", {"objectives": SECRET}).status_code == 302
    plan = AssistancePlan.objects.get(case=case)
    item_url = f"/cases/{case.pk}/plans/{plan.pk}/items/new/"
    assert client.post(item_url, {"support_type": "Housing", "objective": "Ev"}).status_code == 302
    assert (
        client.post(
            f"/cases/{case.pk}/services/new/", {"support_type": "Health", "outcome": "completed"}
        ).status_code
        == 302
    )
    assert client.post(f"/cases/{case.pk}/risks/new/", {"level": "medium"}).status_code == 302
    history = {"event_type": "Recruitment", "country": "AZ", "place": "Gəncə"}
    assert client.post(f"/cases/{case.pk}/history/new/", history).status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    for text in (SECRET, "Housing", "Medium", "Recruitment"):
        assert text in page


def test_it_records_everything_through_the_api(world):
    case = case_at(world, Stage.ASSISTANCE)
    client = api(world.investigator)
    base = f"/api/v1/cases/{case.pk}"
    plan = client.post(f"{base}/plans/", {"objectives": SECRET}, format="json")
    assert plan.status_code == 201
    item = client.post(
        f"{base}/plan-items/",
        {"plan": plan.json()["id"], "support_type": "Legal", "objective": "x"},
        format="json",
    )
    assert item.status_code == 201
    assert client.post(f"{base}/services/", {"support_type": "Legal"}, format="json").status_code == 201
    assert client.post(f"{base}/risks/", {"level": "low"}, format="json").status_code == 201
    assert (
        client.post(f"{base}/history/", {"event_type": "Transit", "country": "GE"}, format="json").status_code
        == 201
    )
    assert client.post(f"{base}/comments/", {"text": "Salam"}, format="json").status_code == 201
    assert client.post(f"{base}/risks/", {"level": "nope"}, format="json").status_code == 400
    assert len(client.get(f"{base}/plans/").json()[0]["items"]) == 1
    for name in ("services", "risks", "history", "comments"):
        assert len(client.get(f"{base}/{name}/").json()) == 1


def test_it_answers_404_to_an_outsider_on_every_new_case_endpoint(world):
    case = case_at(world, Stage.ASSISTANCE)
    client = api(world.other_ngo_worker)
    for name in ("plans", "services", "risks", "history", "comments", "payments", "placements"):
        assert client.get(f"/api/v1/cases/{case.pk}/{name}/").status_code == 404
        assert client.post(f"/api/v1/cases/{case.pk}/{name}/", {}, format="json").status_code == 404


def test_it_shows_the_case_page_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    case = case_at(world, Stage.ASSISTANCE)
    plan = services.open_plan(case, actor=world.investigator, objectives="x")
    client = client_for(world.investigator)
    client.get("/")

    def fill(n: int) -> None:
        for _ in range(n):
            services.add_plan_item(plan, actor=world.investigator, support_type="Health", objective="y")
            services.record_service(case, actor=world.investigator, support_type="Legal")
            services.record_risk_assessment(case, actor=world.investigator, level="low")
            services.add_comment(case, actor=world.investigator, text="z")
            services.record_historic_event(case, actor=world.investigator, event_type="Transit", country="GE")

    fill(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    fill(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/cases/{case.pk}/").status_code == 200


NEW_LISTS = ("plans", "services", "risks", "history", "comments", "payments")


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", NEW_LISTS)
def test_it_answers_each_role_on_the_new_case_endpoints_by_the_table(world, role, name):
    case = make_case(world)
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    client = api(user)
    level = PERMISSIONS[role][Data.CASE_CONTENT]
    listed = client.get(f"/api/v1/cases/{case.pk}/{name}/")
    assert listed.status_code == (200 if level >= Level.READ else 404)
    posted = client.post(f"/api/v1/cases/{case.pk}/{name}/", {}, format="json")
    # Bad input from those who may write is a 400 (nothing written); read-only is 403.
    expected = 404 if level < Level.READ else (400 if level >= Level.WRITE else 403)
    assert posted.status_code == expected
    assert (
        AuditEvent.objects.filter(action__startswith="cases.").exclude(action="cases.case.create").count()
        == 0
    )
