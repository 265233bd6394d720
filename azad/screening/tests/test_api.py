"""The screening API: every role against every endpoint, evaluation, the screening flow, bad input, 409."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from azad.accounts.tests.factories import make_org
from azad.accounts.tokens import issue_token
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role
from azad.screening.access import can_read_catalogue
from azad.screening.models import IndicatorList, Screening, ScreeningAnswer
from azad.screening.tests.factories import (
    ADULT_LABOUR,
    CHILD_LABOUR,
    INDICATIVE_ADULT,
    list_file,
    make_screening,
    pick,
    screener,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/screening"


def api_for(user) -> APIClient:
    client = APIClient()
    token_key = issue_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["azad_language"] = "en"
    return client


def expected(role: Role, needed: Level, *, on_object: bool, ok: int) -> int:
    level = PERMISSIONS[role][Data.SCREENINGS]
    if level >= needed:
        return ok
    if on_object and level < Level.READ:
        return 404
    return 403


@pytest.fixture
def world():
    ngo = make_org("Sağlam Gələcək", "NGO")
    author = screener(Role.NGO_CASEWORKER, ngo)
    draft = make_screening(author, answers={"ilo2009.al.d1.deceived-nature-of-job": "yes"})
    done = make_screening(author, answers=pick(ADULT_LABOUR, INDICATIVE_ADULT), complete=True)
    return {"ngo": ngo, "author": author, "draft": draft, "done": done}


def _endpoints(world):
    draft, done = world["draft"], world["done"]
    answers = pick(ADULT_LABOUR, INDICATIVE_ADULT)
    return [
        (
            "evaluate",
            "post",
            f"{API}/evaluate/",
            {"list": ADULT_LABOUR, "answers": answers},
            Level.WRITE,
            False,
            200,
        ),
        ("list", "get", f"{API}/screenings/", None, Level.READ, False, 200),
        (
            "create",
            "post",
            f"{API}/screenings/",
            {"suspected_exploitation": "labour", "age": 30},
            Level.WRITE,
            False,
            201,
        ),
        ("counts", "get", f"{API}/counts/", None, Level.AGGREGATE, False, 200),
        ("retrieve", "get", f"{API}/screenings/{done.pk}/", None, Level.READ, True, 200),
        (
            "answers",
            "post",
            f"{API}/screenings/{draft.pk}/answers/",
            {"version": 1, "answers": {"ilo2009.al.d4.hazardous-work": "no"}},
            Level.WRITE,
            True,
            200,
        ),
        (
            "complete",
            "post",
            f"{API}/screenings/{draft.pk}/complete/",
            {"version": 1},
            Level.WRITE,
            True,
            200,
        ),
        ("discard", "post", f"{API}/screenings/{draft.pk}/discard/", {"version": 1}, Level.WRITE, True, 200),
    ]


ENDPOINT_NAMES = ["evaluate", "list", "create", "counts", "retrieve", "answers", "complete", "discard"]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_it_answers_each_endpoint_as_the_permissions_table_says(world, role, name):
    (_, method, url, body, level, on_object, ok) = next(e for e in _endpoints(world) if e[0] == name)
    client = api_for(screener(role, world["ngo"]))

    response = (
        getattr(client, method)(url, body, format="json")
        if body is not None
        else getattr(client, method)(url)
    )

    assert response.status_code == expected(role, level, on_object=on_object, ok=ok), response.content


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", ["retrieve", "answers", "complete", "discard"])
def test_it_answers_404_for_another_organisations_screening(world, role, name):
    (_, method, url, body, *_rest) = next(e for e in _endpoints(world) if e[0] == name)
    client = api_for(screener(role, make_org(org_type="NGO")))

    response = (
        getattr(client, method)(url, body, format="json")
        if body is not None
        else getattr(client, method)(url)
    )

    assert response.status_code == 404
    assert Screening.objects.get(pk=world["draft"].pk).version == 1


@pytest.mark.parametrize("role", list(Role))
def test_it_answers_the_catalogue_endpoints_to_those_who_read_it(world, role):
    client = api_for(screener(role, world["ngo"]))
    allowed = can_read_catalogue(screener(role))
    adult = IndicatorList.objects.get(code=ADULT_LABOUR, version=1)

    assert client.get(f"{API}/lists/").status_code == (200 if allowed else 403)
    assert client.get(f"{API}/lists/{adult.pk}/").status_code == (200 if allowed else 404)
    assert client.post(f"{API}/lists/", list_file(), format="json").status_code == (
        201 if role == Role.SYSTEM_ADMIN else 403
    )


def test_it_refuses_anonymous_requests():
    assert APIClient().post(f"{API}/evaluate/", {}, format="json").status_code in (401, 403)


# --- Evaluate -------------------------------------------------------------------------------------


def test_it_evaluates_answers_and_explains_the_result(world):
    response = api_for(world["author"]).post(
        f"{API}/evaluate/",
        {"list": f"{ADULT_LABOUR}@1", "answers": pick(ADULT_LABOUR, INDICATIVE_ADULT)},
        format="json",
    )

    body = response.json()
    assert response.status_code == 200
    assert body["outcome"] == "indicative"
    assert (
        body["dimensions"][4]["summary"] == "D5 positive: 2 strong — Confiscation of documents, Debt bondage."
    )
    assert [t["id"] for t in body["dimensions"][4]["ticked"]] == [
        "ilo2009.al.d5.confiscation-of-documents",
        "ilo2009.al.d5.debt-bondage",
    ]
    assert "advisory" in body["advisory"]
    assert Screening.objects.count() == 2


def test_it_chooses_the_child_list_from_the_age_and_explains_why_means_are_not_needed(world):
    response = api_for(world["author"]).post(
        f"{API}/evaluate/",
        {
            "suspected_exploitation": "labour",
            "birth_year": 2015,
            "answers": pick(CHILD_LABOUR, {2: "SS", 4: "SM"}),
        },
        format="json",
    )

    body = response.json()
    assert body["list"] == f"{CHILD_LABOUR}@1"
    assert body["outcome"] == "indicative"
    assert "not required" in body["not_required_note"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"list": ADULT_LABOUR, "answers": {"no.such.id": "yes"}},
            "answers",
            "Unknown indicator id: no.such.id",
        ),
        (
            {"list": ADULT_LABOUR, "answers": {"ilo2009.cl.d3.family-situation": "yes"}},
            "answers",
            "belongs to the list ilo2009.child.labour",
        ),
        ({"list": "ilo2009.adult.labour@5", "answers": {"x.y": "yes"}}, "list", "does not exist"),
        ({"list": ADULT_LABOUR, "answers": {}}, "answers", "The screening is empty"),
        (
            {"list": ADULT_LABOUR, "answers": {"ilo2009.al.d5.debt-bondage": "si"}},
            "answers",
            "must be yes, no or unknown",
        ),
        (
            {
                "suspected_exploitation": "labour",
                "age": 40,
                "birth_date": "2014-01-01",
                "answers": {"x.y": "yes"},
            },
            "age",
            "differs from the age",
        ),
        (
            {"suspected_exploitation": "labour", "birth_date": "2099-01-01", "answers": {"x.y": "yes"}},
            "birth_date",
            "in the future",
        ),
        ({"answers": {"x.y": "yes"}}, "list", "Name the list"),
    ],
)
def test_it_refuses_bad_input_to_evaluate_naming_the_problem(world, body, field, message):
    response = api_for(world["author"]).post(f"{API}/evaluate/", body, format="json")

    assert response.status_code == 400
    assert any(message in m for m in response.json()[field]), response.json()


# --- Screenings ------------------------------------------------------------------------------------


def test_it_creates_a_screening_with_first_answers_and_notes(world):
    client = api_for(world["author"])

    response = client.post(
        f"{API}/screenings/",
        {
            "suspected_exploitation": "labour",
            "age": 25,
            "answers": {"ilo2009.al.d5.debt-bondage": "yes"},
            "notes": {"ilo2009.al.d5.debt-bondage": "owes the agency for the ticket"},
        },
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert body["list"] == f"{ADULT_LABOUR}@1" and body["status"] == "draft" and body["version"] == 1
    assert body["answers"] == [
        {"indicator": "ilo2009.al.d5.debt-bondage", "answer": "yes", "note": "owes the agency for the ticket"}
    ]
    assert AuditEvent.objects.filter(action="screening.screening.start", target_id=body["id"]).exists()


def test_it_refuses_a_screening_with_an_indicator_of_another_list_and_saves_nothing(world):
    before = Screening.objects.count()

    response = api_for(world["author"]).post(
        f"{API}/screenings/",
        {"suspected_exploitation": "labour", "age": 25, "answers": {"ilo2009.cl.d5.debt-bondage": "yes"}},
        format="json",
    )

    assert response.status_code == 400
    assert "belongs to the list ilo2009.child.labour" in response.json()["answers"][0]
    assert Screening.objects.count() == before


def test_it_saves_answers_then_completes_with_the_version(world):
    client = api_for(world["author"])
    draft = world["draft"]

    saved = client.post(
        f"{API}/screenings/{draft.pk}/answers/",
        {"version": 1, "answers": pick(ADULT_LABOUR, INDICATIVE_ADULT)},
        format="json",
    )
    done = client.post(
        f"{API}/screenings/{draft.pk}/complete/", {"version": saved.json()["version"]}, format="json"
    )

    body = done.json()
    assert done.status_code == 200
    assert body["status"] == "completed" and body["outcome"] == "indicative"
    assert body["result"]["outcome_label"] == "Indicative of trafficking"
    assert body["htcds_victim_context"] == {
        "vic_MethodsOfControl": [
            "DebtBondage",
            "ExcessiveWorkingHours",
            "FalsePromises",
            "WithholdsDocuments",
        ],
        "vic_TypeOfExploitation": ["ForcedLabour"],
    }


def test_it_answers_409_to_a_stale_version(world):
    client = api_for(world["author"])
    draft = world["draft"]
    client.post(
        f"{API}/screenings/{draft.pk}/answers/",
        {"version": 1, "answers": {"ilo2009.al.d4.hazardous-work": "no"}},
        format="json",
    )

    response = client.post(
        f"{API}/screenings/{draft.pk}/answers/",
        {"version": 1, "answers": {"ilo2009.al.d4.hazardous-work": "yes"}},
        format="json",
    )

    assert response.status_code == 409
    assert (
        ScreeningAnswer.objects.get(screening=draft, indicator__code="ilo2009.al.d4.hazardous-work").answer
        == "no"
    )


def test_it_requires_the_version_to_save_answers(world):
    response = api_for(world["author"]).post(
        f"{API}/screenings/{world['draft'].pk}/answers/", {"answers": {}}, format="json"
    )

    assert response.status_code == 400
    assert "version" in response.json()


def test_it_refuses_to_complete_an_empty_screening(world):
    draft = make_screening(world["author"])

    response = api_for(world["author"]).post(
        f"{API}/screenings/{draft.pk}/complete/", {"version": 1}, format="json"
    )

    assert response.status_code == 400
    assert "The screening is empty" in response.json()["answers"][0]
    assert Screening.objects.get(pk=draft.pk).status == "draft"


def test_it_records_a_view_when_a_screening_is_read(world):
    api_for(world["author"]).get(f"{API}/screenings/{world['done'].pk}/")

    assert AuditEvent.objects.filter(action="record.view", target_id=str(world["done"].pk)).count() == 1


def test_it_lists_screenings_with_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = api_for(world["author"])
    client.get(f"{API}/screenings/")
    with django_assert_max_num_queries(12) as few:
        client.get(f"{API}/screenings/")
    for _ in range(20):
        make_screening(world["author"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{API}/screenings/")
    assert len(response.json()["results"]) == 22


def test_it_filters_screenings_by_status(world):
    response = api_for(world["author"]).get(f"{API}/screenings/?status=completed")

    assert [row["id"] for row in response.json()["results"]] == [str(world["done"].pk)]


# --- Counts and catalogue ----------------------------------------------------------------------------


def test_it_gives_an_analyst_suppressed_counts(world):
    response = api_for(screener(Role.ANALYST)).get(f"{API}/counts/")

    assert response.json() == [
        {
            "list": ADULT_LABOUR,
            "version": 1,
            "outcome": "indicative",
            "month": response.json()[0]["month"],
            "count": None,
        }
    ]


def test_it_lists_catalogue_versions_with_their_indicators(world):
    client = api_for(world["author"])
    lists = client.get(f"{API}/lists/").json()
    adult = next(item for item in lists if item["key"] == f"{ADULT_LABOUR}@1")

    detail = client.get(f"{API}/lists/{adult['id']}/").json()

    assert adult["indicator_count"] == 67 and adult["verified"] is True
    assert detail["indicators"][0]["id"] == "ilo2009.al.d1.deceived-nature-of-job"
    assert detail["indicators"][0]["texts"]["az"].startswith("İşin")
    assert detail["indicators"][0]["vic_MethodsOfControl"] == ["FalsePromises"]


def test_it_refuses_a_list_file_through_the_api_listing_every_problem():
    data = list_file()
    data["indicators"][0]["grade"] = "X"
    data["list"]["title"] = {"az": "Siyahı"}

    response = api_for(screener(Role.SYSTEM_ADMIN)).post(f"{API}/lists/", data, format="json")

    assert response.status_code == 400
    assert len(response.json()["problems"]) == 3
    assert not IndicatorList.objects.filter(code=data["list"]["id"]).exists()


def test_it_describes_the_endpoints_in_the_schema(world):
    response = api_for(world["author"]).get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    schema = json.loads(response.content)
    assert "/api/v1/screening/evaluate/" in schema["paths"]
    assert "/api/v1/screening/screenings/{id}/complete/" in schema["paths"]
