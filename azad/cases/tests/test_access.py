"""Who sees which case: scope, ATD, receivers, child protection; 404 for the rest, 403 on write when read-only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from azad.accounts.tests.factories import make_user
from azad.cases.access import case_rights, get_case_for_user, visible_cases, visible_referrals
from azad.cases.choices import Stage
from azad.cases.tests.factories import case_at, make_case, refer
from azad.core.exceptions import NotVisible
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    return {
        "ngo": make_case(world),
        "other_ngo": make_case(world, actor=world.other_ngo_worker),
        "referred": case_at(world, Stage.REFERRED_TO_ATD),
    }


def _reads(role):
    return PERMISSIONS[role][Data.CASE_CONTENT] >= Level.READ


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_national_scope_roles_every_case_only_if_they_read_case_content(world, cases, role):
    user = make_user(role, world.coordinator_office, scope=Scope.NATIONAL)
    expected = set(c.pk for c in cases.values()) if _reads(role) else set()
    assert set(visible_cases(user).values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_organisation_scope_roles_their_organisations_cases(world, cases, role):
    user = make_user(role, world.ngo, scope=Scope.ORGANISATION)
    expected = {cases["ngo"].pk, cases["referred"].pk} if _reads(role) else set()
    assert set(visible_cases(user).values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_own_scope_roles_the_cases_they_own(world, cases, role):
    user = make_user(role, world.ngo, scope=Scope.OWN)
    assert set(visible_cases(user)) == set()
    if PERMISSIONS[role][Data.CASE_CONTENT] >= Level.WRITE:
        mine = make_case(world, actor=user)
        assert set(visible_cases(user)) == {mine}


def test_it_shows_atd_the_cases_referred_to_it_and_not_the_others(world, cases):
    assert set(visible_cases(world.investigator)) == {cases["referred"]}


@pytest.mark.parametrize(
    "role", [Role.ANALYST, Role.NATIONAL_COORDINATOR, Role.AUDITOR, Role.SYSTEM_ADMIN, Role.PLAN_FOCAL_POINT]
)
def test_it_shows_aggregate_only_roles_no_case(world, cases, role):
    user = make_user(role, world.coordinator_office, scope=Scope.NATIONAL)
    with pytest.raises(NotVisible):
        get_case_for_user(user, cases["ngo"].pk)
    assert not visible_referrals(user).exists() or PERMISSIONS[role][Data.REFERRALS] >= Level.READ


def test_it_answers_404_for_another_organisations_case(world, cases):
    with pytest.raises(NotVisible):
        get_case_for_user(world.ngo_worker, cases["other_ngo"].pk)


@pytest.mark.parametrize("pk", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", 12])
def test_it_answers_404_for_ids_that_are_no_case(world, pk):
    with pytest.raises(NotVisible):
        get_case_for_user(world.ngo_worker, pk)


def test_it_answers_403_on_write_for_someone_who_only_reads(world, cases):
    prosecutor = make_user(Role.PROSECUTOR, scope=Scope.NATIONAL)
    assert get_case_for_user(prosecutor, cases["ngo"].pk)
    with pytest.raises(PermissionDenied):
        get_case_for_user(prosecutor, cases["ngo"].pk, write=True)


def test_it_gives_the_owner_organisation_write_and_identity(world, cases):
    rights = case_rights(world.ngo_colleague, get_case_for_user(world.ngo_colleague, cases["ngo"].pk))
    assert rights.write and rights.identity and rights.content


def test_it_keeps_a_referred_case_with_its_owner_ngo(world, cases):
    assert get_case_for_user(world.ngo_worker, cases["referred"].pk)


def test_it_shares_the_referred_person_with_atd(world):
    from azad.persons.access import get_person_for_user

    case = make_case(world)
    with pytest.raises(NotVisible):
        get_person_for_user(world.investigator, case.person_id)
    refer(case, world)
    assert get_person_for_user(world.investigator, case.person_id) == case.person
