"""Screening pages: every role against every page, the screening flow, bad input, conflicts, query counts."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from azad.accounts.tests.factories import make_org
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role
from azad.screening.access import can_read_catalogue
from azad.screening.models import IndicatorList, Screening, ScreeningAnswer
from azad.screening.tests.factories import (
    ADULT_LABOUR,
    INDICATIVE_ADULT,
    list_file,
    make_screening,
    pick,
    screener,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def expected(role: Role, needed: Level, *, on_object: bool, ok: int = 200) -> int:
    level = PERMISSIONS[role][Data.SCREENINGS]
    if level >= needed:
        return ok
    if on_object and level < Level.READ:
        return 404
    return 403


@pytest.fixture
def world():
    ngo = make_org("Azad Qadınlar", "NGO")
    author = screener(Role.NGO_CASEWORKER, ngo)
    draft = make_screening(author, answers={"ilo2009.al.d1.deceived-nature-of-job": "yes"})
    done = make_screening(author, answers=pick(ADULT_LABOUR, INDICATIVE_ADULT), complete=True)
    return {"ngo": ngo, "author": author, "draft": draft, "done": done, "list": done.indicator_list}


# --- The permissions matrix -------------------------------------------------------------------

SECTION_PAGES = [
    ("list", "/screening/", Level.READ),
    ("start", "/screening/new/", Level.WRITE),
    ("counts", "/screening/counts/", Level.AGGREGATE),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "url", "level"), SECTION_PAGES, ids=[p[0] for p in SECTION_PAGES])
def test_it_answers_each_section_page_as_the_permissions_table_says(world, role, name, url, level):
    response = client_for(screener(role, world["ngo"])).get(url)

    assert response.status_code == expected(role, level, on_object=False)


OBJECT_PAGES = [
    ("detail of a draft", "get", "/screening/{draft}/", Level.READ, 200),
    ("detail of a completed screening", "get", "/screening/{done}/", Level.READ, 200),
    ("discard", "get", "/screening/{draft}/discard/", Level.WRITE, 200),
    ("preview", "post", "/screening/{draft}/preview/", Level.WRITE, 200),
    ("re-evaluate", "post", "/screening/{done}/re-evaluate/", Level.WRITE, 302),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("name", "method", "url", "level", "ok"), OBJECT_PAGES, ids=[p[0] for p in OBJECT_PAGES]
)
def test_it_answers_each_screening_page_of_the_own_organisation_as_the_table_says(
    world, role, name, method, url, level, ok
):
    client = client_for(screener(role, world["ngo"]))

    response = getattr(client, method)(url.format(draft=world["draft"].pk, done=world["done"].pk))

    assert response.status_code == expected(role, level, on_object=True, ok=ok)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("name", "method", "url", "level", "ok"), OBJECT_PAGES, ids=[p[0] for p in OBJECT_PAGES]
)
def test_it_answers_404_for_another_organisations_screening_to_every_role(
    world, role, name, method, url, level, ok
):
    client = client_for(screener(role, make_org(org_type="NGO")))

    response = getattr(client, method)(url.format(draft=world["draft"].pk, done=world["done"].pk))

    assert response.status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_the_catalogue_pages_to_those_who_read_it(world, role):
    client = client_for(screener(role, world["ngo"]))
    allowed = can_read_catalogue(screener(role))

    assert client.get("/screening/catalogue/").status_code == (200 if allowed else 403)
    assert client.get(f"/screening/catalogue/{world['list'].pk}/").status_code == (200 if allowed else 404)
    assert client.get("/screening/catalogue/upload/").status_code == (
        200 if role == Role.SYSTEM_ADMIN else 403
    )


def test_it_records_a_denied_look_at_another_organisations_screening(world):
    outsider = screener(Role.NGO_CASEWORKER)

    client_for(outsider).get(f"/screening/{world['done'].pk}/")

    event = AuditEvent.objects.get(action="access.denied", actor=outsider)
    assert event.payload["status"] == 404


def test_it_records_each_view_of_a_screening(world):
    client_for(world["author"]).get(f"/screening/{world['done'].pk}/")

    event = AuditEvent.objects.get(action="record.view")
    assert (event.target_type, event.target_id) == ("screening.screening", str(world["done"].pk))


# --- Starting, answering, completing -------------------------------------------------------------


def test_it_starts_a_screening_from_the_form_and_opens_it():
    user = screener()
    client = client_for(user)

    response = client.post("/screening/new/", {"suspected_exploitation": "labour", "age": "16"})

    screening = Screening.objects.get(screener=user)
    assert response.status_code == 302
    assert response["Location"] == f"/screening/{screening.pk}/"
    assert screening.indicator_list.code == "ilo2009.child.labour"
    assert AuditEvent.objects.filter(action="screening.screening.start", target_id=str(screening.pk)).exists()


def test_it_shows_contradictory_age_data_on_the_start_form_and_saves_nothing():
    user = screener()

    response = client_for(user).post(
        "/screening/new/", {"suspected_exploitation": "labour", "age": "30", "birth_date": "2015-02-01"}
    )

    assert response.status_code == 400
    assert "differs from the age by the date of birth" in response.content.decode()
    assert not Screening.objects.filter(screener=user).exists()


def test_it_explains_on_the_start_form_that_no_sexual_exploitation_list_is_verified():
    response = client_for(screener()).post(
        "/screening/new/", {"suspected_exploitation": "sexual", "age": "30"}
    )

    assert response.status_code == 400
    assert "No verified indicator list" in response.content.decode()


def test_it_shows_the_indicators_by_dimension_in_the_persons_language(world):
    client = client_for(world["author"])
    client.cookies["azad_language"] = "az"

    content = client.get(f"/screening/{world['draft'].pk}/").content.decode()

    assert "Borc əsarəti" in content
    assert content.count('class="dimension"') == 6
    assert 'name="answer:ilo2009.al.d5.debt-bondage"' in content
    assert 'hx-post="/screening/' in content


def _form(screening, answers=None, notes=None, **extra):
    data = {"version": screening.version}
    for code, answer in (answers or {}).items():
        data[f"answer:{code}"] = answer
    for code, note in (notes or {}).items():
        data[f"note:{code}"] = note
    data.update(extra)
    return data


def test_it_saves_a_draft_from_the_page(world):
    client = client_for(world["author"])
    draft = world["draft"]

    response = client.post(
        f"/screening/{draft.pk}/",
        _form(
            draft,
            {"ilo2009.al.d4.hazardous-work": "yes"},
            {"ilo2009.al.d4.hazardous-work": "works with acid"},
            save="1",
        ),
    )

    assert response.status_code == 302
    answer = ScreeningAnswer.objects.get(screening=draft, indicator__code="ilo2009.al.d4.hazardous-work")
    assert (answer.answer, answer.note) == ("yes", "works with acid")
    # The page posts every indicator: one left unknown replaces an earlier yes.
    assert (
        Screening.objects.get(pk=draft.pk).answer_map()["ilo2009.al.d1.deceived-nature-of-job"] == "unknown"
    )


def test_it_completes_a_screening_from_the_page_and_shows_the_explanation(world):
    client = client_for(world["author"])
    client.cookies["azad_language"] = "en"
    draft = world["draft"]

    response = client.post(
        f"/screening/{draft.pk}/", _form(draft, pick(ADULT_LABOUR, INDICATIVE_ADULT), complete="1")
    )
    page = client.get(response["Location"]).content.decode()

    assert Screening.objects.get(pk=draft.pk).outcome == "indicative"
    assert "Indicative of trafficking" in page
    assert "D5 positive: 2 strong — Confiscation of documents, Debt bondage." in page
    assert "advisory" in page
    assert "WithholdsDocuments" in page


def test_it_refuses_to_complete_an_empty_screening_from_the_page(world):
    client = client_for(world["author"])
    draft = world["draft"]

    response = client.post(f"/screening/{draft.pk}/", _form(draft, complete="1"))

    assert response.status_code == 400
    assert "The screening is empty" in response.content.decode()
    assert Screening.objects.get(pk=draft.pk).status == "draft"
    assert Screening.objects.get(pk=draft.pk).answer_map()["ilo2009.al.d1.deceived-nature-of-job"] == "yes"


def test_it_refuses_an_answer_other_than_yes_no_unknown_and_saves_nothing(world):
    client = client_for(world["author"])
    draft = world["draft"]
    before = AuditEvent.objects.count()

    response = client.post(
        f"/screening/{draft.pk}/", _form(draft, {"ilo2009.al.d4.hazardous-work": "maybe"}, save="1")
    )

    assert response.status_code == 400
    assert not ScreeningAnswer.objects.filter(
        screening=draft, indicator__code="ilo2009.al.d4.hazardous-work"
    ).exists()
    assert AuditEvent.objects.exclude(action="record.view").count() == before


def test_it_shows_the_conflict_page_when_the_screening_changed_meanwhile(world):
    client = client_for(world["author"])
    draft = world["draft"]
    stale = _form(draft, {"ilo2009.al.d4.hazardous-work": "no"}, save="1")
    client.post(f"/screening/{draft.pk}/", _form(draft, {"ilo2009.al.d4.hazardous-work": "yes"}, save="1"))

    response = client.post(f"/screening/{draft.pk}/", stale)

    assert response.status_code == 409
    assert (
        ScreeningAnswer.objects.get(screening=draft, indicator__code="ilo2009.al.d4.hazardous-work").answer
        == "yes"
    )


def test_it_does_not_change_a_completed_screening_from_the_page(world):
    client = client_for(world["author"])
    done = world["done"]

    response = client.post(
        f"/screening/{done.pk}/", _form(done, {"ilo2009.al.d4.hazardous-work": "no"}, save="1")
    )

    assert response.status_code == 302
    assert not ScreeningAnswer.objects.filter(
        screening=done, indicator__code="ilo2009.al.d4.hazardous-work"
    ).exists()


def test_it_evaluates_the_ticked_answers_live_without_saving(world):
    client = client_for(world["author"])
    draft = world["draft"]

    response = client.post(
        f"/screening/{draft.pk}/preview/",
        _form(draft, pick(ADULT_LABOUR, INDICATIVE_ADULT)),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Indicative of trafficking" in response.content.decode()
    assert Screening.objects.get(pk=draft.pk).answer_map() == {"ilo2009.al.d1.deceived-nature-of-job": "yes"}


def test_it_discards_a_draft_after_confirmation(world):
    client = client_for(world["author"])

    response = client.post(f"/screening/{world['draft'].pk}/discard/", {"version": 1})

    assert response.status_code == 302
    assert Screening.objects.get(pk=world["draft"].pk).status == "discarded"
    assert world["draft"].reference not in client.get("/screening/").content.decode()


def test_it_starts_a_re_evaluation_as_a_new_screening(world):
    response = client_for(world["author"]).post(f"/screening/{world['done'].pk}/re-evaluate/")

    new = Screening.objects.get(replaces=world["done"])
    assert response["Location"] == f"/screening/{new.pk}/"


# --- Lists, counts, catalogue ---------------------------------------------------------------------


def test_it_filters_the_list_by_result(world):
    content = client_for(world["author"]).get("/screening/?outcome=indicative").content.decode()

    assert world["done"].reference in content
    assert world["draft"].reference not in content


def test_it_answers_400_to_an_invalid_filter(world):
    assert client_for(world["author"]).get("/screening/?status=nonsense").status_code == 400


def test_it_lists_screenings_with_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = client_for(world["author"])
    client.get("/screening/")
    with django_assert_max_num_queries(14) as few:
        client.get("/screening/")
    for _ in range(25):
        make_screening(world["author"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/screening/")
    assert response.status_code == 200


def test_it_shows_counts_with_small_ones_suppressed_to_an_analyst(world):
    content = client_for(screener(Role.ANALYST)).get("/screening/counts/").content.decode()

    assert "&lt; 11" in content


def test_it_shows_the_catalogue_with_verification_notes_and_usage(world):
    content = client_for(screener(Role.SYSTEM_ADMIN)).get("/screening/catalogue/").content.decode()

    assert "ilo2009.adult.sexual" in content
    assert "NOT VERIFIED" in content
    assert "Load a list file" in content


def test_it_loads_an_uploaded_list_file():
    data = list_file()
    upload = SimpleUploadedFile("list.json", json.dumps(data).encode(), content_type="application/json")

    response = client_for(screener(Role.SYSTEM_ADMIN)).post("/screening/catalogue/upload/", {"file": upload})

    created = IndicatorList.objects.get(code=data["list"]["id"])
    assert response.status_code == 302
    assert response["Location"] == f"/screening/catalogue/{created.pk}/"
    assert created.indicators.count() == 18


def test_it_refuses_an_uploaded_file_listing_every_problem_and_loads_nothing():
    data = list_file()
    data["indicators"][0]["grade"] = "X"
    data["indicators"][1]["id"] = data["indicators"][2]["id"]
    del data["indicators"][3]["text"]["az"]
    upload = SimpleUploadedFile("list.json", json.dumps(data).encode(), content_type="application/json")

    response = client_for(screener(Role.SYSTEM_ADMIN)).post("/screening/catalogue/upload/", {"file": upload})

    content = response.content.decode()
    assert response.status_code == 400
    assert "3 problems" in content
    assert "duplicate id" in content and "is not one of S, M, W" in content and "az translation" in content
    assert not IndicatorList.objects.filter(code=data["list"]["id"]).exists()


def test_it_shows_a_screeners_drafts_on_the_home_page(world):
    content = client_for(world["author"]).get("/").content.decode()

    assert "My draft screenings" in content
    assert world["draft"].reference in content


def test_it_shows_the_screening_menu_entries_by_role(world):
    analyst_page = client_for(screener(Role.ANALYST)).get("/").content.decode()
    author_page = client_for(world["author"]).get("/").content.decode()

    assert 'href="/screening/counts/"' in analyst_page and 'href="/screening/"' not in analyst_page
    assert 'href="/screening/"' in author_page


def test_it_offers_a_re_evaluation_only_once_a_newer_list_version_is_loaded(world):
    from azad.screening import services
    from azad.screening.tests.factories import shipped_file

    client = client_for(world["author"])
    url = f"/screening/{world['done'].pk}/"
    assert "Re-evaluate with version" not in client.get(url).content.decode()
    data = shipped_file()
    data["list"]["version"] = 2
    services.load_indicator_list(json.dumps(data), actor="test")

    assert "Re-evaluate with version 2" in client.get(url).content.decode()
