import datetime

import pytest
from django.db import connection

from azad.persons.models import Person
from azad.persons.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_it_keeps_no_personal_value_in_clear_in_the_database():
    person = make_person(
        first_name="Nərmin",
        last_name="Quliyeva",
        middle_name="Elçin qızı",
        birth_date="1997-03-05",
        document_type="Passport",
        document_number="C01234567",
        phone="+994 50 123 45 67",
        email="nermin@example.az",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM persons_person WHERE id = %s", [person.pk.hex])
        row = cursor.fetchone()  # SQLite keeps the hex, PostgreSQL accepts it as a uuid
    raw = " ".join(str(value) for value in row)
    for secret in ("Nərmin", "Quliyeva", "Elçin", "1997-03-05", "C01234567", "123 45 67", "nermin@"):
        assert secret not in raw
    assert "az1$" in raw
    assert "1997" in raw  # the birth year stays in clear for statistics


def test_it_opens_the_values_again_after_reading_the_row():
    person = make_person(first_name="Nərmin", document_type="Passport", document_number="C01234567")
    again = Person.objects.get(pk=person.pk)
    assert again.first_name == "Nərmin"
    assert again.document_number == "C01234567"
    assert again.birth_date_value == datetime.date(1998, 4, 12)
    assert again.birth_year == 1998


def test_it_never_shows_the_name_in_its_text_form():
    person = make_person(first_name="Nərmin", last_name="Quliyeva")
    assert "Nərmin" not in str(person) and "Quliyeva" not in str(person)
    assert person.display_name() == "Quliyeva Nərmin Rauf qızı"


def test_it_presumes_a_child_when_the_age_is_unknown():
    person = make_person(birth_date="")
    assert person.age_unknown is True
    assert person.birth_year is None
    assert person.is_presumed_child()


def test_it_gives_the_benefit_of_the_doubt_to_childhood_with_only_a_birth_year():
    person = make_person(birth_date="", birth_year=2007)
    assert person.age_unknown is False
    assert person.age_on(datetime.date(2025, 6, 1)) == 17
    assert person.is_presumed_child(datetime.date(2025, 6, 1))
    assert not person.is_presumed_child(datetime.date(2026, 6, 1))


def test_it_counts_the_exact_age_from_a_birth_date():
    person = make_person(birth_date="2007-06-02")
    assert person.age_on(datetime.date(2025, 6, 1)) == 17
    assert person.age_on(datetime.date(2025, 6, 2)) == 18
    assert not person.is_presumed_child(datetime.date(2025, 6, 2))
