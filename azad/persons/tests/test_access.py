import uuid

import pytest
from django.core.exceptions import PermissionDenied

from azad.core.exceptions import NotVisible
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope
from azad.persons.access import find_persons, get_person_for_user, visible_persons
from azad.persons.tests.factories import make_organisation, make_person, make_user

pytestmark = pytest.mark.django_db


def _reads_identity(role):
    return PERMISSIONS[role][Data.VICTIM_IDENTITY] >= Level.READ


@pytest.fixture
def world():
    """Two organisations; the first has a recorder and a person of theirs, the second a person too."""
    home, other = make_organisation("Ev təşkilatı"), make_organisation("Başqa təşkilat")
    recorder = make_user(Role.POLICE_INVESTIGATOR, scope=Scope.OWN, organisation=home)
    colleague = make_user(Role.POLICE_INVESTIGATOR, scope=Scope.OWN, organisation=home)
    return {
        "home": home,
        "other": other,
        "recorder": recorder,
        "mine": make_person(recorder),
        "colleagues": make_person(colleague),
        "elsewhere": make_person(make_user(organisation=other)),
    }


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_every_person_to_national_scope_roles_that_read_identity(world, role):
    user = make_user(role, scope=Scope.NATIONAL, organisation=world["home"])
    expected = {world["mine"], world["colleagues"], world["elsewhere"]} if _reads_identity(role) else set()
    assert set(visible_persons(user)) == expected


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_organisation_scope_roles_their_organisations_persons(world, role):
    user = make_user(role, scope=Scope.ORGANISATION, organisation=world["home"])
    expected = {world["mine"], world["colleagues"]} if _reads_identity(role) else set()
    assert set(visible_persons(user)) == expected


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_own_scope_roles_only_the_persons_they_recorded(world, role):
    user = world["recorder"]
    user.role = role
    user.save()
    expected = {world["mine"]} if _reads_identity(role) else set()
    assert set(visible_persons(user)) == expected


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_404_403_or_the_person(world, role):
    user = make_user(role, scope=Scope.ORGANISATION, organisation=world["home"])
    pk = world["colleagues"].pk
    level = PERMISSIONS[role][Data.VICTIM_IDENTITY]
    if level < Level.READ:
        with pytest.raises(NotVisible):
            get_person_for_user(user, pk)
        return
    assert get_person_for_user(user, pk) == world["colleagues"]
    if level >= Level.WRITE:
        assert get_person_for_user(user, pk, write=True) == world["colleagues"]
    else:
        with pytest.raises(PermissionDenied):
            get_person_for_user(user, pk, write=True)


def test_it_answers_404_for_a_person_of_another_organisation(world):
    user = make_user(Role.POLICE_SUPERVISOR, scope=Scope.ORGANISATION, organisation=world["home"])
    with pytest.raises(NotVisible):
        get_person_for_user(user, world["elsewhere"].pk)


@pytest.mark.parametrize("pk", [uuid.uuid4(), "not-a-uuid", 12])
def test_it_answers_404_for_missing_or_malformed_keys(world, pk):
    with pytest.raises(NotVisible):
        get_person_for_user(world["recorder"], pk)


def test_it_denies_anonymous_and_inactive_people(world):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_persons(AnonymousUser()).exists()
    world["recorder"].is_active = False
    assert not visible_persons(world["recorder"]).exists()


@pytest.mark.parametrize("query", ["Əliyev", "Алиев", "ALİYEV", "aliyev", "Aliev"])
def test_it_finds_a_last_name_in_any_spelling(query):
    user = make_user(scope=Scope.ORGANISATION)
    person = make_person(user, last_name="Əliyev", first_name="Rəşad", gender="Masculine")
    make_person(user, last_name="Məmmədov", first_name="Elvin", gender="Masculine")
    assert list(find_persons(user, name=query)) == [person]


def test_it_finds_first_and_last_name_in_either_order():
    user = make_user(scope=Scope.ORGANISATION)
    person = make_person(user, last_name="Hüseynova", first_name="Günay")
    make_person(user, last_name="Hüseynova", first_name="Səbinə")
    assert list(find_persons(user, name="Гюнай Гусейнова")) == [person]
    assert list(find_persons(user, name="HÜSEYNOVA GÜNAY")) == [person]


@pytest.mark.parametrize("query", ["AZE 1234-5678", "aze12345678", " Aze-1234 5678 "])
def test_it_finds_a_document_number_ignoring_spaces_dashes_and_case(query):
    user = make_user(scope=Scope.ORGANISATION)
    person = make_person(user, document_type="NationalIdentityCard", document_number="AZE12345678")
    make_person(user, document_type="NationalIdentityCard", document_number="AZE12345679")
    assert list(find_persons(user, document=query)) == [person]


def test_it_requires_both_name_and_document_to_match_when_both_are_given():
    user = make_user(scope=Scope.ORGANISATION)
    person = make_person(user, document_type="Passport", document_number="C111")
    assert list(find_persons(user, name="Əliyeva", document="c-111")) == [person]
    assert not find_persons(user, name="Əliyeva", document="C222").exists()


def test_it_finds_nothing_without_search_terms():
    user = make_user(scope=Scope.ORGANISATION)
    make_person(user)
    assert not find_persons(user).exists()
    assert not find_persons(user, name="  ", document="").exists()


def test_it_searches_only_among_visible_persons(world):
    user = make_user(Role.POLICE_SUPERVISOR, scope=Scope.ORGANISATION, organisation=world["home"])
    assert set(find_persons(user, name="Əliyeva")) == {world["mine"], world["colleagues"]}
    outsider = make_user(Role.ANALYST, scope=Scope.NATIONAL)
    assert not find_persons(outsider, name="Əliyeva").exists()


def test_it_lists_persons_without_a_query_per_row(world, django_assert_max_num_queries):
    user = make_user(Role.POLICE_SUPERVISOR, scope=Scope.NATIONAL, organisation=world["home"])
    with django_assert_max_num_queries(1):
        names = [(p.organisation.name, p.last_name) for p in visible_persons(user)]
    assert len(names) == 3
