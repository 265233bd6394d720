"""Counting each person once: candidate pairs, the "same person" decision, undoing it, who may decide."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_user as make_account
from azad.audit.models import AuditEvent
from azad.core.exceptions import NotVisible
from azad.core.permissions import Role, Scope
from azad.persons import access
from azad.persons.models import Person, SamePersonDecision
from azad.persons.services import link_same_person, undo_same_person
from azad.persons.tests.factories import make_organisation, make_person, make_user

pytestmark = pytest.mark.django_db

DECIDERS = {Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR}


@pytest.fixture
def setting():
    """A hotline's and an NGO's record of the same woman (same passport), a third record with the
    same name and birth year but no document, an unrelated person, and ATD's national supervisor."""
    hotline_worker = make_user(
        Role.HOTLINE_OPERATOR, organisation=make_organisation(org_type=OrgType.HOTLINE)
    )
    ngo_worker = make_user(Role.NGO_CASEWORKER, organisation=make_organisation(org_type=OrgType.NGO))
    passport = {"document_type": "Passport", "document_number": "C01234567"}
    first = make_person(hotline_worker, **passport)
    second = make_person(ngo_worker, **passport)
    third = make_person(ngo_worker, birth_date="", birth_year=1998)
    other = make_person(ngo_worker, first_name="Nigar", document_type="Passport", document_number="C7654321")
    supervisor = make_account(Role.POLICE_SUPERVISOR, scope=Scope.NATIONAL)
    return {"first": first, "second": second, "third": third, "other": other, "supervisor": supervisor,
            "ngo_worker": ngo_worker}  # fmt: skip


def sid(person):
    return Person.objects.get(pk=person.pk).statistical_id


def test_it_gives_every_new_record_its_own_statistical_identity(setting):
    ids = {sid(setting[name]) for name in ("first", "second", "third", "other")}
    assert len(ids) == 4


def test_it_lists_pairs_sharing_a_document_or_a_name_and_birth_year(setting):
    pairs = {(a.pk, b.pk, basis) for a, b, basis in access.same_person_candidates(setting["supervisor"])}
    first, second, third = setting["first"].pk, setting["second"].pk, setting["third"].pk
    assert (first, second, "same_document") in pairs
    assert {(first, third, "same_name_birth_year"), (second, third, "same_name_birth_year")} <= pairs
    assert not any(setting["other"].pk in pair[:2] for pair in pairs)


def test_it_finds_candidates_in_a_few_queries_however_many_there_are(setting):
    for n in range(10):
        make_person(
            setting["ngo_worker"], document_type="Passport", document_number="C01234567", first_name=f"X{n}"
        )
    with CaptureQueriesContext(connection) as queries:
        pairs = access.same_person_candidates(setting["supervisor"])
    assert len(pairs) > 50
    assert len(queries) <= 5


def test_it_links_two_records_as_one_person_and_audits_it_without_personal_data(setting):
    decision = link_same_person(
        setting["second"], setting["first"], actor=setting["supervisor"], basis="same_document"
    )
    assert sid(setting["first"]) == sid(setting["second"]) == decision.statistical_id
    # The older record keeps its identity.
    assert decision.record_a_id == setting["first"].pk
    assert decision.organisation_id == setting["supervisor"].organisation_id
    event = AuditEvent.objects.get(action="person.same_person.link")
    assert event.target_id == str(decision.pk)
    assert event.payload == {
        "record_a": str(setting["first"].pk),
        "record_b": str(setting["second"].pk),
        "basis": "same_document",
        "records_moved": 1,
    }
    assert not any(pair[:2] == (setting["first"], setting["second"])
                   for pair in access.same_person_candidates(setting["supervisor"]))  # fmt: skip


def test_it_moves_a_whole_group_when_linking_to_it(setting):
    link_same_person(setting["first"], setting["second"], actor=setting["supervisor"], basis="same_document")
    link_same_person(setting["third"], setting["other"], actor=setting["supervisor"], basis="other_evidence",
                     note="Same mother, confirmed by the consulate.")  # fmt: skip
    decision = link_same_person(setting["first"], setting["third"], actor=setting["supervisor"],
                                basis="same_name_birth_year")  # fmt: skip
    assert len({sid(setting[name]) for name in ("first", "second", "third", "other")}) == 1
    assert len(decision.moved) == 2


def test_it_undoes_a_decision(setting):
    before = sid(setting["second"])
    decision = link_same_person(
        setting["first"], setting["second"], actor=setting["supervisor"], basis="same_document"
    )
    undo_same_person(decision, actor=setting["supervisor"])
    assert sid(setting["second"]) == before != sid(setting["first"])
    assert SamePersonDecision.objects.get().undone_by == setting["supervisor"]
    assert AuditEvent.objects.filter(action="person.same_person.undo").count() == 1
    with pytest.raises(ValidationError, match="already been undone"):
        undo_same_person(decision, actor=setting["supervisor"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"basis": "hunch"}, "Choose the basis"),
        ({"basis": "other_evidence"}, "Describe the evidence"),
    ],
)
def test_it_refuses_a_decision_without_a_basis(setting, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        link_same_person(setting["first"], setting["second"], actor=setting["supervisor"], **kwargs)
    assert not SamePersonDecision.objects.exists()
    assert sid(setting["first"]) != sid(setting["second"])


def test_it_refuses_the_same_record_twice_and_records_already_linked(setting):
    with pytest.raises(ValidationError, match="two different records"):
        link_same_person(
            setting["first"], setting["first"], actor=setting["supervisor"], basis="same_document"
        )
    link_same_person(setting["first"], setting["second"], actor=setting["supervisor"], basis="same_document")
    with pytest.raises(ValidationError, match="already counted as one person"):
        link_same_person(
            setting["second"], setting["first"], actor=setting["supervisor"], basis="same_document"
        )
    assert SamePersonDecision.objects.count() == 1


def test_it_lets_only_atd_decide(setting):
    with pytest.raises(PermissionDenied):
        link_same_person(
            setting["second"], setting["third"], actor=setting["ngo_worker"], basis="same_document"
        )
    assert access.same_person_candidates(setting["ngo_worker"]) == []


def test_it_refuses_records_the_decider_cannot_see(setting):
    investigator = make_user(Role.POLICE_INVESTIGATOR)  # organisation scope: sees neither record
    with pytest.raises(NotVisible):
        link_same_person(setting["first"], setting["second"], actor=investigator, basis="same_document")
    assert access.same_person_candidates(investigator) == []


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_the_same_person_page_only_to_atd(role):
    client = Client()
    client.force_login(make_account(role, scope=Scope.NATIONAL))
    response = client.get(reverse("persons:same_person"))
    assert response.status_code == (200 if role in DECIDERS else 403)


def test_it_decides_and_undoes_from_the_page(setting):
    client = Client()
    client.force_login(setting["supervisor"])
    page = client.get(reverse("persons:same_person"))
    assert str(setting["first"].pk) in page.content.decode()
    assert "Aynur" not in page.content.decode()
    data = {"record_a": setting["first"].pk, "record_b": setting["second"].pk, "basis": "same_document"}
    assert client.post(reverse("persons:same_person"), data).status_code == 302
    assert sid(setting["first"]) == sid(setting["second"])
    decision = SamePersonDecision.objects.get()
    assert client.post(reverse("persons:same_person_undo", args=[decision.pk])).status_code == 302
    assert sid(setting["first"]) != sid(setting["second"])


def test_it_answers_a_bad_decision_with_400_and_changes_nothing(setting):
    client = Client()
    client.force_login(setting["supervisor"])
    data = {"record_a": setting["first"].pk, "record_b": setting["first"].pk, "basis": "same_document"}
    response = client.post(reverse("persons:same_person"), data)
    assert response.status_code == 400
    assert "two different records" in response.content.decode()
    assert not SamePersonDecision.objects.exists()
