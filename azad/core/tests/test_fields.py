"""The encrypted model field, exercised through the Person model."""

import pytest
from django.db import connection, transaction

from azad.core import crypto
from azad.core.fields import Ciphertext, EncryptedTextField
from azad.persons.models import Person
from azad.persons.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _raw(person: Person, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM persons_person WHERE id = %s",
            [person.pk.hex if connection.vendor == "sqlite" else person.pk],
        )
        return cursor.fetchone()[0]


def test_it_stores_ciphertext_and_reads_plaintext():
    person = make_person(first_name="Leyla", last_name="Həsənova")
    stored = _raw(person, "last_name")
    assert stored.startswith("az1$") and "Həsənova" not in stored
    assert Person.objects.get(pk=person.pk).last_name == "Həsənova"


def test_it_refuses_ciphertext_copied_from_another_row():
    first = make_person(last_name="Həsənova")
    second = make_person(last_name="Quliyeva")
    Person.objects.filter(pk=second.pk).update(last_name=Ciphertext(_raw(first, "last_name")))
    moved = Person.objects.get(pk=second.pk)
    with pytest.raises(crypto.DecryptionError):
        _ = moved.last_name


def test_it_refuses_ciphertext_copied_from_another_column():
    person = make_person(first_name="Leyla", last_name="Həsənova")
    Person.objects.filter(pk=person.pk).update(last_name=Ciphertext(_raw(person, "first_name")))
    with pytest.raises(crypto.DecryptionError):
        _ = Person.objects.get(pk=person.pk).last_name


def test_it_raises_on_a_wrong_key_instead_of_returning_ciphertext():
    person = make_person(last_name="Həsənova")
    original = crypto.get_keyring()
    crypto.set_keyring(crypto.generate_keyring(original.current))
    try:
        loaded = Person.objects.get(pk=person.pk)
        with pytest.raises(crypto.DecryptionError):
            _ = loaded.last_name
    finally:
        crypto.set_keyring(original)


def test_it_never_lets_plaintext_reach_the_database():
    person = make_person(last_name="Həsənova")
    with pytest.raises(TypeError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(last_name="Həsənova")
    with pytest.raises(TypeError), transaction.atomic():
        list(Person.objects.filter(last_name="Həsənova"))
    person.last_name = "Quliyeva"
    with pytest.raises(TypeError), transaction.atomic():
        Person.objects.bulk_update([person], ["last_name"])
    assert Person.objects.get(pk=person.pk).last_name == "Həsənova"


def test_it_keeps_an_empty_value_empty_without_encrypting_nothing():
    person = make_person(phone=None)
    assert isinstance(Person._meta.get_field("phone"), EncryptedTextField)
    stored = _raw(person, "phone")
    assert stored is None or stored.startswith("az1$")
    assert Person.objects.get(pk=person.pk).phone in (None, "")
