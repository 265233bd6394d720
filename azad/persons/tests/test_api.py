"""The persons API: identity only on retrieve (recorded), search by POST, version -> 409."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope
from azad.persons.models import Person
from azad.persons.services import create_person

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.cookies["azad_language"] = "en"
    return client


@pytest.fixture
def org(db):
    return make_org("Bənövşə Vadisi QHT", OrgType.NGO)


@pytest.fixture
def worker(org):
    return make_user(Role.NGO_CASEWORKER, org, scope=Scope.ORGANISATION)


@pytest.fixture
def person(worker):
    return create_person(actor=worker, first_name="Aynur", last_name="Əliyeva", birth_date="1998-04-12")


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_each_role_by_the_table(org, person, role):
    user = make_user(role, org, scope=Scope.ORGANISATION)
    client = api(user)
    level = PERMISSIONS[role][Data.VICTIM_IDENTITY]
    assert client.get("/api/v1/persons/").status_code == (200 if level >= Level.READ else 403)
    assert client.get(f"/api/v1/persons/{person.pk}/").status_code == (200 if level >= Level.READ else 404)
    created = client.post("/api/v1/persons/", {"last_name": "Quliyeva"}, format="json")
    assert created.status_code == (201 if level >= Level.WRITE else 403)
    search = client.post("/api/v1/persons/search/", {"name": "Əliyeva"}, format="json")
    assert search.status_code == (200 if level >= Level.READ else 403)


def test_it_lists_without_identity(worker, person):
    row = api(worker).get("/api/v1/persons/").json()["results"][0]
    assert row["id"] == str(person.pk)
    assert "last_name" not in row and "document_number" not in row


def test_it_retrieves_identity_and_records_the_view(worker, person):
    data = api(worker).get(f"/api/v1/persons/{person.pk}/").json()
    assert (data["last_name"], data["birth_date"]) == ("Əliyeva", "1998-04-12")
    assert AuditEvent.objects.filter(action="record.view", target_id=str(person.pk)).count() == 1


def test_it_answers_404_for_another_organisations_person(person):
    other = make_user(Role.NGO_CASEWORKER, make_org("Başqa"), scope=Scope.ORGANISATION)
    assert api(other).get(f"/api/v1/persons/{person.pk}/").status_code == 404
    assert api(other).patch(f"/api/v1/persons/{person.pk}/", {"version": 1}, format="json").status_code == 404


def test_it_searches_by_post_and_records_the_search(worker, person):
    response = api(worker).post("/api/v1/persons/search/", {"name": "aynur əliyeva"}, format="json")
    assert [r["id"] for r in response.json()["results"]] == [str(person.pk)]
    assert AuditEvent.objects.get(action="person.search").payload["count"] == 1


def test_it_refuses_an_empty_search(worker):
    assert api(worker).post("/api/v1/persons/search/", {"name": ""}, format="json").status_code == 400


def test_it_answers_409_for_a_stale_version(worker, person):
    client = api(worker)
    assert (
        client.patch(
            f"/api/v1/persons/{person.pk}/", {"version": 1, "first_name": "A"}, format="json"
        ).status_code
        == 200
    )
    stale = client.patch(f"/api/v1/persons/{person.pk}/", {"version": 1, "first_name": "B"}, format="json")
    assert stale.status_code == 409
    person.refresh_from_db()
    assert person.first_name == "A"


def test_it_needs_the_version_to_update(worker, person):
    assert (
        api(worker).patch(f"/api/v1/persons/{person.pk}/", {"first_name": "A"}, format="json").status_code
        == 400
    )


def test_it_refuses_a_future_birth_date_and_records_nothing(worker):
    response = api(worker).post(
        "/api/v1/persons/", {"last_name": "X", "birth_date": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "birth_date" in response.json()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()
