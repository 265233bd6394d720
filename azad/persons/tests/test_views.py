"""Person pages: every role against every page, exact search by POST, views recorded, conflicts and bad input."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role, Scope
from azad.persons.models import Person
from azad.persons.services import create_person

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["azad_language"] = "en"
    return client


@pytest.fixture
def org(db):
    return make_org("Qaranquş Yuvası QHT", OrgType.NGO)


@pytest.fixture
def worker(org):
    return make_user(Role.NGO_CASEWORKER, org, scope=Scope.ORGANISATION)


@pytest.fixture
def person(worker):
    return create_person(
        actor=worker,
        first_name="Aynur",
        last_name="Əliyeva",
        birth_date="1998-04-12",
        gender="Feminine",
        citizenship="AZ",
        document_type="Passport",
        document_number="C 1234-5678",
    )


PAGES = [
    ("list", "/persons/", Level.READ, False),
    ("search", "/persons/search/", Level.READ, False),
    ("create", "/persons/new/", Level.WRITE, False),
    ("detail", "/persons/{person}/", Level.READ, True),
    ("edit", "/persons/{person}/edit/", Level.WRITE, True),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "url", "needed", "on_record"), PAGES, ids=[p[0] for p in PAGES])
def test_it_answers_each_role_on_each_person_page(org, person, role, name, url, needed, on_record):
    user = make_user(role, org, scope=Scope.ORGANISATION)
    level = PERMISSIONS[role][Data.VICTIM_IDENTITY]
    expected = 200 if level >= needed else (404 if on_record and level < Level.READ else 403)
    assert client_for(user).get(url.format(person=person.pk)).status_code == expected


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("name", "url", "needed", "on_record"), [p for p in PAGES if p[3]], ids=["detail", "edit"]
)
def test_it_answers_404_for_another_organisations_person(person, role, name, url, needed, on_record):
    user = make_user(role, make_org("Başqa QHT"), scope=Scope.ORGANISATION)
    assert client_for(user).get(url.format(person=person.pk)).status_code == 404


def test_it_lists_persons_without_names_in_a_constant_number_of_queries(worker, person):
    client = client_for(worker)
    client.get("/persons/")
    with CaptureQueriesContext(connection) as few:
        page = client.get("/persons/").content.decode()
    assert "Əliyeva" not in page and str(person)[:6] in page
    for i in range(10):
        create_person(actor=worker, first_name=f"Ad{i}", last_name="Soyad")
    with CaptureQueriesContext(connection) as many:
        client.get("/persons/")
    assert len(many) == len(few)


def test_it_finds_a_person_by_name_through_a_post_and_records_the_search_without_the_term(worker, person):
    response = client_for(worker).post("/persons/search/", {"name": "ƏLİYEVA aynur", "document": ""})
    assert response.status_code == 200
    assert "Əliyeva Aynur" in response.content.decode()
    event = AuditEvent.objects.get(action="person.search")
    assert event.payload == {"by": ["name"], "count": 1, "results": [str(person.pk)]}
    assert "liyeva" not in str(event.payload).lower()


def test_its_search_results_link_each_person_with_birth_citizenship_and_organisation(worker, person):
    unknown = create_person(actor=worker, first_name="Aynur", last_name="Əliyeva")
    page = (
        client_for(worker)
        .post("/persons/search/", {"name": "Aynur Əliyeva", "document": ""})
        .content.decode()
    )
    organisation = worker.organisation.display_name()
    assert (
        f'<td><a href="/persons/{person.pk}/">Əliyeva Aynur</a></td>\n        <td>1998-04-12</td>\n'
        f"        <td>AZ</td>\n        <td>{organisation}</td>" in page
    )
    assert (
        f'<a href="/persons/{unknown.pk}/">Əliyeva Aynur</a></td>\n        <td>—</td>\n        <td>—</td>'
        in page
    )


def test_its_search_results_escape_markup_in_names(worker):
    create_person(actor=worker, first_name="<b>Aynur</b>", last_name="O'Nil")
    page = client_for(worker).post("/persons/search/", {"name": "O'Nil", "document": ""}).content.decode()
    assert "O&#x27;Nil &lt;b&gt;Aynur&lt;/b&gt;</a>" in page
    assert "<b>Aynur" not in page


def test_it_finds_a_person_by_document_number_ignoring_spaces_and_dashes(worker, person):
    response = client_for(worker).post("/persons/search/", {"name": "", "document": "c12345678"})
    assert "Əliyeva Aynur" in response.content.decode()


def test_it_does_not_search_on_a_get_request(worker, person):
    response = client_for(worker).get("/persons/search/?name=Əliyeva")
    assert response.status_code == 200
    assert "Əliyeva Aynur" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.search").exists()


def test_it_refuses_an_empty_search(worker):
    response = client_for(worker).post("/persons/search/", {"name": " ", "document": ""})
    assert response.status_code == 400
    assert "Give a name or a document number" in response.content.decode()


def test_it_finds_nobody_the_searcher_may_not_see(person):
    other = make_user(Role.NGO_CASEWORKER, make_org("Başqa QHT"), scope=Scope.ORGANISATION)
    response = client_for(other).post("/persons/search/", {"name": "Əliyeva", "document": ""})
    assert "Əliyeva Aynur" not in response.content.decode()


def test_it_records_a_view_each_time_the_person_page_opens(worker, person):
    client = client_for(worker)
    client.get(f"/persons/{person.pk}/")
    client.get(f"/persons/{person.pk}/")
    views = AuditEvent.objects.filter(action="record.view", target_id=str(person.pk))
    assert views.count() == 2
    assert all(v.payload == {} for v in views)


def test_it_records_a_person_and_redirects_to_the_page(worker):
    response = client_for(worker).post(
        "/persons/new/",
        {"last_name": "Məmmədova", "first_name": "Günay", "gender": "Feminine", "languages": "az, ru"},
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert response["Location"] == f"/persons/{person.pk}/"
    assert person.languages == ["az", "ru"]
    assert "Məmmədova" not in response["Location"]


def test_it_refuses_a_birth_date_in_the_future_and_records_nothing(worker):
    response = client_for(worker).post(
        "/persons/new/", {"last_name": "X", "gender": "Feminine", "birth_date": "2999-01-01"}
    )
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_it_edits_a_person_with_the_version_read(worker, person):
    response = client_for(worker).post(
        f"/persons/{person.pk}/edit/",
        {
            "version": person.version,
            "last_name": "Əliyeva",
            "first_name": "Aynurə",
            "gender": "Feminine",
            "birth_date": "1998-04-12",
            "citizenship": "az",
            "document_type": "Passport",
            "document_number": "C 1234-5678",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Aynurə"
    assert person.citizenship == "AZ"


def test_it_shows_the_conflict_page_for_a_stale_edit_and_changes_nothing(worker, person):
    client = client_for(worker)
    form = {"version": person.version, "last_name": "Əliyeva", "first_name": "Birinci", "gender": "Feminine"}
    assert client.post(f"/persons/{person.pk}/edit/", form).status_code == 302
    form["first_name"] = "İkinci"
    response = client.post(f"/persons/{person.pk}/edit/", form)
    assert response.status_code == 409
    person.refresh_from_db()
    assert person.first_name == "Birinci"


def test_it_keeps_names_out_of_urls(worker, person):
    page = client_for(worker).post("/persons/search/", {"name": "Aynur Əliyeva"}).content.decode()
    for url in re.findall(r'(?:href|action)="([^"]+)"', page):
        assert "Aynur" not in url and "liyeva" not in url


def test_it_offers_opening_a_case_only_to_those_who_write_case_content(org, person):
    # The hotline writes case content since it refers like an NGO (it used to be the example of a
    # person reader without case access; no role reads identities without case content any more).
    hotline = make_user(Role.HOTLINE_OPERATOR, org, scope=Scope.ORGANISATION)
    assert "Open a case" in client_for(hotline).get(f"/persons/{person.pk}/").content.decode()
    shelter = make_user(Role.SHELTER_STAFF, org, scope=Scope.ORGANISATION)  # reads case content only
    page = client_for(shelter).get(f"/persons/{person.pk}/")
    assert page.status_code == 200 and "Open a case" not in page.content.decode()
