"""The cases API: the same access and services as the pages, 409 on a stale version, no query per row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.cases.choices import ReferralStatus, Stage
from azad.cases.models import Case, Referral
from azad.cases.tests.factories import api, case_at, fresh, give_consent, make_case, make_person_for, refer
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope

pytestmark = pytest.mark.django_db


def _level(role, data=Data.CASE_CONTENT):
    return PERMISSIONS[role][data]


@pytest.mark.parametrize("role", list(Role))
def test_it_lists_cases_by_role(world, role):
    case = make_case(world)
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    response = api(user).get("/api/v1/cases/")
    if _level(role) < Level.READ:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [str(case.pk)]
        assert "person_identity" not in response.json()["results"][0]


@pytest.mark.parametrize("role", list(Role))
def test_it_retrieves_a_case_by_role(world, role):
    case = make_case(world)
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    response = api(user).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == (200 if _level(role) >= Level.READ else 404)


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_404_for_another_organisations_case_in_the_api(world, role):
    case = make_case(world, actor=world.other_ngo_worker)
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    client = api(user)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/cases/{case.pk}/transition/", {"version": 1, "to_stage": "withdrawn"}, format="json"
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_it_lets_only_case_writers_move_a_case_in_the_api(world, role):
    case = make_case(world)
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    response = api(user).post(
        f"/api/v1/cases/{case.pk}/transition/",
        {"version": case.version, "to_stage": "withdrawn", "withdrawal_reason": "Duplicate"},
        format="json",
    )
    level = _level(role)
    expected = 200 if level >= Level.WRITE else (403 if level >= Level.READ else 404)
    assert response.status_code == expected
    assert (fresh(case).stage == Stage.WITHDRAWN) is (expected == 200)


def test_it_retrieves_identity_only_for_readers_of_identity_and_records_the_view(world):
    case = make_case(world)
    data = api(world.ngo_worker).get(f"/api/v1/cases/{case.pk}/").json()
    assert data["person_identity"]["last_name"] == "Əliyeva"
    assert AuditEvent.objects.filter(action="record.view", target_id=str(case.pk)).count() == 1
    assert AuditEvent.objects.filter(action="record.view", target_id=str(case.person_id)).count() == 1


def test_it_hides_identity_from_a_receiver_it_was_not_shared_with(world):
    from azad.cases.tests.factories import accept

    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.investigator, to=world.assistance)
    response = api(world.investigator).post(
        f"/api/v1/cases/{case.pk}/referrals/",
        {
            "version": fresh(case).version,
            "to_organisation": world.assistance.pk,
            "purpose": "assistance",
            "shares": ["case_content"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    accept(Referral.objects.get(pk=response.json()["id"]), world.assistance_worker)
    data = api(world.assistance_worker).get(f"/api/v1/cases/{case.pk}/").json()
    assert data["person_identity"] is None
    assert data["status_decision_basis"]


def test_it_opens_a_case_in_the_api(world):
    person = make_person_for(world.ngo_worker)
    response = api(world.ngo_worker).post(
        "/api/v1/cases/",
        {
            "person": str(person.pk),
            "first_contact_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "channel": "Hotline",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == Stage.PRESUMED
    assert {c["kind"] for c in response.json()["clocks"]} == {"atd_referral"}


def test_it_refuses_to_open_a_case_for_a_person_you_cannot_see(world):
    person = make_person_for(world.other_ngo_worker)
    response = api(world.ngo_worker).post("/api/v1/cases/", {"person": str(person.pk)}, format="json")
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_it_answers_409_for_a_stale_version_and_changes_nothing(world):
    case = make_case(world)
    stale = case.version
    give_consent(case, world.ngo_worker, to=world.atd)
    response = api(world.ngo_worker).post(
        f"/api/v1/cases/{case.pk}/transition/",
        {"version": stale, "to_stage": "withdrawn", "withdrawal_reason": "Duplicate"},
        format="json",
    )
    assert response.status_code == 409
    assert fresh(case).stage == Stage.PRESUMED


def test_it_answers_400_for_a_transition_out_of_order(world):
    case = make_case(world)
    response = api(world.ngo_worker).post(
        f"/api/v1/cases/{case.pk}/transition/", {"version": case.version, "to_stage": "closed"}, format="json"
    )
    assert response.status_code == 400
    assert "cannot move" in str(response.json())


def test_it_refers_to_atd_and_atd_accepts_in_the_api(world):
    case = make_case(world)
    ngo = api(world.ngo_worker)
    refused = ngo.post(f"/api/v1/cases/{case.pk}/refer-to-atd/", {"version": case.version}, format="json")
    assert refused.status_code == 400
    assert "legal_ground" in refused.json()
    consent = ngo.post(
        f"/api/v1/cases/{case.pk}/consents/",
        {
            "version": case.version,
            "purpose": "referral",
            "status": "given",
            "given_by": "person",
            "to_organisation": world.atd.pk,
        },
        format="json",
    )
    assert consent.status_code == 201, consent.content
    referral = ngo.post(
        f"/api/v1/cases/{case.pk}/refer-to-atd/", {"version": fresh(case).version}, format="json"
    )
    assert referral.status_code == 201
    incoming = api(world.investigator).get("/api/v1/referrals/?box=incoming").json()["results"]
    assert [r["id"] for r in incoming] == [referral.json()["id"]]
    accepted = api(world.investigator).post(
        f"/api/v1/referrals/{referral.json()['id']}/accept/",
        {"version": referral.json()["version"]},
        format="json",
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == ReferralStatus.ACCEPTED
    stale = api(world.investigator).post(
        f"/api/v1/referrals/{referral.json()['id']}/complete/",
        {"version": referral.json()["version"]},
        format="json",
    )
    assert stale.status_code == 409


def test_it_refuses_a_referral_answer_from_another_organisation(world):
    referral = refer(make_case(world), world)
    response = api(world.assistance_worker).post(
        f"/api/v1/referrals/{referral.pk}/accept/", {"version": referral.version}, format="json"
    )
    assert response.status_code == 404


def test_it_records_child_notifications_in_the_api(world):
    case = make_case(world, birth_date="2012-01-01")
    client = api(world.ngo_worker)
    for body in ("guardianship_body", "family_committee", "minors_commission"):
        response = client.post(
            f"/api/v1/cases/{case.pk}/child-notifications/",
            {"version": fresh(case).version, "body": body, "channel": "letter"},
            format="json",
        )
        assert response.status_code == 201, response.content
    assert fresh(case).child_notifications_completed_at is not None
    assert len(client.get(f"/api/v1/cases/{case.pk}/child-notifications/").json()) == 3


def test_it_shows_the_timeline_in_the_api(world):
    case = case_at(world, Stage.REFLECTION)
    kinds = [e["kind"] for e in api(world.investigator).get(f"/api/v1/cases/{case.pk}/timeline/").json()]
    assert kinds[0] == "opened" and "transition" in kinds


def test_it_lists_cases_in_the_api_in_a_constant_number_of_queries(world):
    client = api(world.ngo_worker)
    make_case(world)
    client.get("/api/v1/cases/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/cases/")
    for _ in range(10):
        make_case(world)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/cases/")
    assert len(many) == len(few)


def test_it_sets_the_victim_context_with_a_version(world):
    case = make_case(world)
    response = api(world.ngo_worker).patch(
        f"/api/v1/cases/{case.pk}/",
        {"version": case.version, "exploitation_types": ["ForcedLabour"], "control_methods": ["DebtBondage"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert fresh(case).control_methods == ["DebtBondage"]
    bad = api(world.ngo_worker).patch(
        f"/api/v1/cases/{case.pk}/",
        {"version": fresh(case).version, "exploitation_types": ["Nonsense"], "control_methods": []},
        format="json",
    )
    assert bad.status_code == 400
