"""Sealing: a prosecutor's or court decision closes a case to all but the roles it names; refusals audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.cases import access, services
from azad.cases.models import Sealing
from azad.cases.tests.factories import api, client_for, make_case, make_shelter, placed_case, referred_case
from azad.core.exceptions import NotVisible
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope
from azad.persons.access import visible_persons

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2026, 1, 15)


def seal(world, case, roles=(Role.POLICE_INVESTIGATOR,), organisation=None):
    return services.seal_case(
        case,
        actor=world.prosecutor,
        decided_by_organisation=organisation or world.court,
        decision_reference="2-1(103)-55/2026",
        decided_on=DECIDED,
        roles=list(roles),
    )


def test_it_seals_a_case_for_all_but_the_named_roles(world):
    case = referred_case(world)
    sealing = seal(world, case)
    assert sealing.role_list == [Role.POLICE_INVESTIGATOR, Role.PROSECUTOR]
    assert access.get_case_for_user(world.investigator, case.pk) == case
    assert access.get_case_for_user(world.prosecutor, case.pk) == case
    for user in (world.ngo_worker, world.ngo_colleague, world.supervisor):
        with pytest.raises(NotVisible):
            access.get_case_for_user(user, case.pk)
        assert not access.visible_cases(user).filter(pk=case.pk).exists()
    event = AuditEvent.objects.get(action="cases.case.seal")
    assert event.payload == {
        "case": str(case.pk),
        "decided_by": world.court.pk,
        "roles": [Role.POLICE_INVESTIGATOR, Role.PROSECUTOR],
    }


def test_it_audits_every_refused_opening_of_a_sealed_case(world):
    case = referred_case(world)
    seal(world, case)
    client = client_for(world.ngo_worker)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert api(world.ngo_worker).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    denied = AuditEvent.objects.filter(action="cases.sealed_access_denied")
    assert denied.count() == 2
    assert {e.target_id for e in denied} == {str(case.pk)}
    assert all(e.payload == {} for e in denied)


def test_it_does_not_audit_a_refusal_for_a_case_never_reachable(world):
    case = make_case(world)
    seal(world, case, roles=[Role.NGO_CASEWORKER])
    with pytest.raises(NotVisible):
        access.get_case_for_user(world.other_ngo_worker, case.pk)
    assert not AuditEvent.objects.filter(action="cases.sealed_access_denied").exists()


def test_it_hides_the_person_through_a_sealed_case(world):
    case = referred_case(world)
    assert visible_persons(world.investigator).filter(pk=case.person_id).exists()
    seal(world, case, roles=[Role.NGO_CASEWORKER])
    assert not visible_persons(world.investigator).filter(pk=case.person_id).exists()


def test_it_hides_placements_of_a_sealed_case(world):
    make_shelter(world)
    case, _placement = placed_case(world)
    seal(world, case, roles=[Role.NGO_CASEWORKER])
    assert not access.visible_placements(world.shelter_worker).exists()
    assert access.visible_placements(world.ngo_worker).exists()


def test_it_lets_only_prosecutors_seal(world):
    case = referred_case(world)
    for user in (world.investigator, world.supervisor, world.ngo_worker, world.admin):
        with pytest.raises(PermissionDenied):
            services.seal_case(
                case,
                actor=user,
                decided_by_organisation=world.court,
                decision_reference="x",
                decided_on=DECIDED,
                roles=[],
            )
    assert not Sealing.objects.exists()


def test_it_refuses_a_decision_by_an_organisation_that_is_not_a_prosecutor_or_court(world):
    case = referred_case(world)
    with pytest.raises(ValidationError):
        seal(world, case, organisation=world.ngo)
    with pytest.raises(ValidationError):
        services.seal_case(
            case,
            actor=world.prosecutor,
            decided_by_organisation=world.court,
            decision_reference="x",
            decided_on=DECIDED,
            roles=["king"],
        )
    assert not Sealing.objects.exists()


def test_it_refuses_a_second_sealing_and_lifts_one(world):
    case = referred_case(world)
    sealing = seal(world, case, organisation=world.prosecutor_office)
    with pytest.raises(ValidationError, match="already sealed"):
        seal(world, case)
    services.unseal_case(sealing, actor=world.prosecutor)
    assert access.get_case_for_user(world.ngo_worker, case.pk) == case
    assert AuditEvent.objects.filter(action="cases.case.unseal").count() == 1
    with pytest.raises(ValidationError):
        services.unseal_case(sealing, actor=world.prosecutor)


def test_it_lets_only_prosecutors_lift_a_sealing(world):
    case = referred_case(world)
    sealing = seal(world, case)
    with pytest.raises(PermissionDenied):
        services.unseal_case(sealing, actor=world.investigator)
    assert Sealing.objects.get(pk=sealing.pk).lifted_at is None


def test_it_seals_and_lifts_through_the_pages(world):
    case = referred_case(world)
    client = client_for(world.prosecutor)
    form = {
        "decided_by_organisation": world.court.pk,
        "decision_reference": "Q-1",
        "decided_on": DECIDED.isoformat(),
        "roles": [Role.POLICE_SUPERVISOR],
    }
    assert client.post(f"/cases/{case.pk}/seal/", form).status_code == 302
    sealing = Sealing.objects.get(case=case)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Q-1" in page and "Police supervisor" in page
    assert client.post(f"/cases/{case.pk}/sealings/{sealing.pk}/lift/").status_code == 302
    assert Sealing.objects.get(pk=sealing.pk).lifted_at is not None


def test_it_seals_and_lifts_through_the_api(world):
    case = referred_case(world)
    client = api(world.prosecutor)
    bad = client.post(
        f"/api/v1/cases/{case.pk}/seal/", {"decided_by_organisation": world.ngo.pk}, format="json"
    )
    assert bad.status_code == 400
    done = client.post(
        f"/api/v1/cases/{case.pk}/seal/",
        {
            "decided_by_organisation": world.prosecutor_office.pk,
            "decision_reference": "A-7",
            "decided_on": DECIDED.isoformat(),
            "roles": [Role.POLICE_INVESTIGATOR],
        },
        format="json",
    )
    assert done.status_code == 201
    assert api(world.ngo_worker).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    lifted = client.post(f"/api/v1/cases/{case.pk}/unseal/", {"sealing": done.json()["id"]}, format="json")
    assert lifted.status_code == 200
    assert api(world.ngo_worker).get(f"/api/v1/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_on_the_seal_page(world, role):
    case = make_case(world)
    user = make_user(role, world.ngo, scope=Scope.NATIONAL)
    response = client_for(user).get(f"/cases/{case.pk}/seal/")
    api_response = api(user).post(f"/api/v1/cases/{case.pk}/seal/", {}, format="json")
    sees = PERMISSIONS[role][Data.CASE_CONTENT] >= Level.READ
    if role == Role.PROSECUTOR:
        assert response.status_code == 200
        assert api_response.status_code == 400
    else:
        assert response.status_code == (403 if sees else 404)
        assert api_response.status_code == (403 if sees else 404)
    assert not Sealing.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_it_opens_a_sealed_case_to_exactly_the_named_role(world, role):
    case = make_case(world)
    seal(world, case, roles=[role])
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    response = client_for(user).get(f"/cases/{case.pk}/")
    sees = PERMISSIONS[role][Data.CASE_CONTENT] >= Level.READ
    assert response.status_code == (200 if sees else 404)
    outsider_role = Role.NGO_CASEWORKER if role != Role.NGO_CASEWORKER else Role.ASSISTANCE_CASEWORKER
    outsider = make_user(outsider_role, world.ngo, scope=Scope.ORGANISATION)
    assert client_for(outsider).get(f"/cases/{case.pk}/").status_code == 404
