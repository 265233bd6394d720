import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from azad.audit.models import AuditEvent
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope
from azad.persons.access import find_persons
from azad.persons.models import Person
from azad.persons.services import create_person, update_person
from azad.persons.tests.factories import make_organisation, make_person, make_user

pytestmark = pytest.mark.django_db

PERSONAL_VALUES = ("Aynur", "Əliyeva", "Rauf", "1998-04-12", "C0987", "+994")


def test_it_records_a_person_for_the_actors_organisation_with_an_audit_event():
    actor = make_user(Role.POLICE_INVESTIGATOR)
    person = make_person(
        actor, document_type="Passport", document_number="C0987654", phone="+994 55 111 22 33"
    )
    assert Person.objects.get(pk=person.pk).organisation_id == actor.organisation_id
    assert person.created_by == actor
    event = AuditEvent.objects.get(action="person.create")
    assert event.actor == actor
    assert event.target_id == str(person.pk)
    assert "first_name" in event.payload["fields"] and "document_number" in event.payload["fields"]


def test_it_keeps_personal_values_out_of_the_audit_payload():
    actor = make_user()
    person = make_person(
        actor, document_type="Passport", document_number="C0987654", phone="+994 55 111 22 33"
    )
    update_person(
        person,
        actor=actor,
        expected_version=1,
        first_name="Aysel",
        citizenship="GE",
        birth_date="",
        birth_year=1990,
    )
    payloads = json.dumps([e.payload for e in AuditEvent.objects.all()], ensure_ascii=False)
    for value in (*PERSONAL_VALUES, "Aysel", "GE", "1990"):
        assert value not in payloads
    update = AuditEvent.objects.get(action="person.update")
    assert update.payload["changes"] == {
        "birth_date": "[redacted]",
        "birth_year": "[redacted]",
        "citizenship": "[redacted]",
        "first_name": "[redacted]",
    }


@pytest.mark.parametrize("role", list(Role))
def test_it_lets_only_roles_with_write_access_record_persons(role):
    actor = make_user(role, scope=Scope.NATIONAL)
    allowed = PERMISSIONS[role][Data.VICTIM_IDENTITY] >= Level.WRITE
    if allowed:
        make_person(actor)
        assert Person.objects.count() == 1
        assert AuditEvent.objects.filter(action="person.create").count() == 1
    else:
        with pytest.raises(PermissionDenied):
            make_person(actor)
        assert Person.objects.count() == 0
        assert not AuditEvent.objects.exists()


def test_it_refuses_to_record_for_an_account_without_organisation():
    actor = make_user()
    actor.organisation = None
    with pytest.raises(ValidationError):
        make_person(actor)
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("citizenship", {"citizenship": "ZZ"}),
        ("birth_date", {"birth_date": "2999-01-01"}),
        ("birth_date", {"birth_date": "12.04.1998"}),
        ("birth_year", {"birth_date": "", "birth_year": 2999}),
        ("birth_year", {"birth_date": "1998-04-12", "birth_year": 1997}),
        ("document_type", {"document_number": "AZE123"}),
        ("languages", {"languages": ["azerbaijani"]}),
        ("gender", {"gender": "Female"}),
        ("email", {"email": "not-an-address"}),
        ("phone", {"phone": "call me"}),
    ],
)
def test_it_rejects_bad_input_and_writes_nothing(field, data):
    actor = make_user()
    with pytest.raises(ValidationError) as error:
        make_person(actor, **data)
    assert field in error.value.message_dict
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_it_normalises_input_before_storing():
    person = make_person(
        first_name="  Aynur  ", citizenship="az", languages=["AZ", "ru", "az"], birth_date="1998-04-12"
    )
    stored = Person.objects.get(pk=person.pk)
    assert stored.first_name == "Aynur"
    assert stored.citizenship == "AZ"
    assert stored.languages == ["az", "ru"]


def test_it_updates_a_person_and_bumps_the_version():
    actor = make_user()
    person = make_person(actor)
    update_person(person, actor=actor, expected_version=1, last_name="Həsənova", gender="Feminine")
    stored = Person.objects.get(pk=person.pk)
    assert stored.last_name == "Həsənova"
    assert stored.version == 2
    assert AuditEvent.objects.filter(action="person.update", target_id=str(person.pk)).count() == 1


def test_it_recomputes_the_search_hashes_on_update():
    actor = make_user(scope=Scope.ORGANISATION)
    person = make_person(actor, last_name="Əliyeva")
    update_person(person, actor=actor, expected_version=1, last_name="Həsənova")
    assert not find_persons(actor, name="Əliyeva").exists()
    assert list(find_persons(actor, name="Гасанова")) == [person]


def test_it_raises_a_conflict_when_somebody_saved_in_between():
    actor = make_user()
    person = make_person(actor)
    first, second = Person.objects.get(pk=person.pk), Person.objects.get(pk=person.pk)
    update_person(first, actor=actor, expected_version=1, first_name="Aysel")
    with pytest.raises(ConflictError):
        update_person(second, actor=actor, expected_version=1, first_name="Lalə")
    assert Person.objects.get(pk=person.pk).first_name == "Aysel"
    assert AuditEvent.objects.filter(action="person.update").count() == 1


def test_it_raises_a_conflict_for_a_stale_expected_version():
    actor = make_user()
    person = make_person(actor)
    update_person(person, actor=actor, expected_version=1, first_name="Aysel")
    with pytest.raises(ConflictError):
        update_person(person, actor=actor, expected_version=1, first_name="Lalə")


def test_it_writes_nothing_when_nothing_changes():
    actor = make_user()
    person = make_person(actor)
    update_person(person, actor=actor, expected_version=1, first_name="Aynur")
    assert Person.objects.get(pk=person.pk).version == 1
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_it_rejects_a_bad_update_and_keeps_the_stored_values():
    actor = make_user()
    person = make_person(actor)
    with pytest.raises(ValidationError):
        update_person(person, actor=actor, expected_version=1, citizenship="ZZ", first_name="Aysel")
    stored = Person.objects.get(pk=person.pk)
    assert (stored.citizenship, stored.first_name, stored.version) == ("AZ", "Aynur", 1)
    assert person.first_name == "Aynur"
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_it_hides_a_person_of_another_organisation_from_an_update():
    person = make_person(make_user())
    outsider = make_user(organisation=make_organisation())
    with pytest.raises(NotVisible):
        update_person(person, actor=outsider, expected_version=1, first_name="Aysel")
    assert Person.objects.get(pk=person.pk).first_name == "Aynur"


def test_it_forbids_an_update_by_a_read_only_role():
    recorder = make_user()
    person = make_person(recorder)
    reader = make_user(Role.SHELTER_STAFF, organisation=recorder.organisation)
    with pytest.raises(PermissionDenied):
        update_person(person, actor=reader, expected_version=1, first_name="Aysel")
    assert Person.objects.get(pk=person.pk).version == 1


def test_it_refuses_fields_that_are_not_editable():
    actor = make_user()
    with pytest.raises(TypeError):
        create_person(actor=actor, first_name="Aynur", organisation_id=1)


def test_it_derives_the_birth_year_from_a_new_birth_date():
    actor = make_user()
    person = make_person(actor, birth_date="1998-04-12")
    update_person(person, actor=actor, expected_version=1, birth_date="2001-01-30")
    stored = Person.objects.get(pk=person.pk)
    assert (stored.birth_year, stored.age_unknown) == (2001, False)
