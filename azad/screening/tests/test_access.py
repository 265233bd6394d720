"""Who sees which screening, who may change it, and who gets counts (small ones suppressed)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from azad.accounts.tests.factories import make_org
from azad.core.exceptions import NotVisible
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope
from azad.screening import access, services
from azad.screening.tests.factories import (
    ADULT_LABOUR,
    INDICATIVE_ADULT,
    atd_member,
    make_screening,
    pick,
    screener,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ngo = make_org("Təmiz Dünya", "NGO")
    author = screener(Role.NGO_CASEWORKER, ngo)
    screening = make_screening(author, answers=pick(ADULT_LABOUR, INDICATIVE_ADULT), complete=True)
    return {"ngo": ngo, "author": author, "screening": screening}


def sees(user, screening) -> bool:
    return access.visible_screenings(user).filter(pk=screening.pk).exists()


def test_it_shows_a_screening_to_its_organisation():
    author = screener()
    screening = make_screening(author)

    assert sees(author, screening)
    assert sees(screener(Role.NGO_CASEWORKER, author.organisation), screening)
    assert sees(screener(Role.CHILD_PROTECTION_OFFICER, author.organisation), screening)


@pytest.mark.parametrize("role", list(Role))
def test_it_hides_a_screening_from_every_role_of_another_organisation(world, role):
    outsider = screener(role, make_org(org_type="NGO"))

    assert not sees(outsider, world["screening"])
    with pytest.raises(NotVisible):
        access.get_screening_for_user(outsider, world["screening"].pk)


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_screenings_only_to_roles_that_read_them(world, role):
    member = screener(role, world["ngo"])

    assert sees(member, world["screening"]) == (PERMISSIONS[role][Data.SCREENINGS] >= Level.READ)


def test_it_shows_an_own_scope_account_only_its_own_screenings(world):
    own = screener(Role.NGO_CASEWORKER, world["ngo"], scope=Scope.OWN)
    mine = make_screening(own)

    assert sees(own, mine)
    assert not sees(own, world["screening"])


def test_it_shows_a_national_scope_account_every_screening(world):
    national = screener(Role.POLICE_SUPERVISOR, scope=Scope.NATIONAL)

    assert sees(national, world["screening"])


def test_it_shows_a_screening_to_the_police_atd_only_once_referred(world):
    atd = atd_member()
    assert not sees(atd, world["screening"])

    services.mark_referred(world["screening"], actor=world["author"], referral_id="R-7")

    assert sees(atd, world["screening"])
    assert not sees(
        screener(Role.POLICE_INVESTIGATOR, make_org(org_type="LawEnforcement")), world["screening"]
    )


def test_it_lets_the_police_atd_read_but_not_change_a_referred_screening(world):
    services.mark_referred(world["screening"], actor=world["author"], referral_id="R-7")
    atd = atd_member()

    with pytest.raises(PermissionDenied):
        access.get_screening_for_user(atd, world["screening"].pk, write=True)
    assert not access.can_change(atd, world["screening"])


def test_it_shows_a_screening_to_an_organisation_it_was_shared_with(world):
    centre = make_org(org_type="AssistanceCentre")
    reader = screener(Role.ASSISTANCE_CASEWORKER, centre)
    assert not sees(reader, world["screening"])

    services.mark_referred(
        world["screening"], actor=world["author"], referral_id="R-8", to_organisation=centre
    )

    assert sees(reader, world["screening"])


def test_it_lets_only_the_screenings_organisation_change_it(world):
    colleague = screener(Role.NGO_CASEWORKER, world["ngo"])
    reader = screener(Role.CHILD_PROTECTION_OFFICER, world["ngo"])

    assert access.get_screening_for_user(colleague, world["screening"].pk, write=True) == world["screening"]
    with pytest.raises(PermissionDenied):
        access.get_screening_for_user(reader, world["screening"].pk, write=True)


def test_it_finds_nothing_for_a_malformed_id(world):
    with pytest.raises(NotVisible):
        access.get_screening_for_user(world["author"], "not-a-uuid")


# --- Counts ----------------------------------------------------------------------------------


def _completed(actor, count, answers):
    for _ in range(count):
        make_screening(actor, answers=answers, complete=True)


def test_it_gives_aggregate_readers_national_counts_with_small_ones_suppressed():
    actor = screener()
    _completed(actor, 11, pick(ADULT_LABOUR, INDICATIVE_ADULT))
    _completed(actor, 3, pick(ADULT_LABOUR, {1: "S"}))

    rows = {row.outcome: row.count for row in access.screening_counts(screener(Role.ANALYST))}

    assert rows == {"indicative": 11, "insufficient_information": None}


def test_it_gives_readers_exact_counts_of_the_screenings_they_see():
    actor = screener()
    _completed(actor, 2, pick(ADULT_LABOUR, INDICATIVE_ADULT))
    make_screening(
        screener(), answers=pick(ADULT_LABOUR, INDICATIVE_ADULT), complete=True
    )  # another organisation

    rows = access.screening_counts(actor)

    assert [(r.list_code, r.list_version, r.outcome, r.count) for r in rows] == [
        (ADULT_LABOUR, 1, "indicative", 2)
    ]


@pytest.mark.parametrize("role", [r for r in Role if PERMISSIONS[r][Data.SCREENINGS] < Level.AGGREGATE])
def test_it_gives_no_counts_to_roles_without_access_to_screenings(role):
    with pytest.raises(PermissionDenied):
        access.screening_counts(screener(role))


def test_it_suppresses_small_usage_counts_in_the_catalogue():
    actor = screener()
    _completed(actor, 2, pick(ADULT_LABOUR, {1: "S"}))

    usage = access.screenings_per_list(screener(Role.SYSTEM_ADMIN))

    adult = access.visible_indicator_lists(actor).get(code=ADULT_LABOUR, version=1)
    assert usage[adult.pk] is None
    assert access.visible_indicator_lists(screener(Role.SHELTER_STAFF)).count() == 0
