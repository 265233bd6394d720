"""Screening services: list choice, age checks, answers, completion, audit, bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from azad.audit.models import AuditEvent
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.core.permissions import Role
from azad.persons.tests.factories import make_person
from azad.screening import services
from azad.screening.choices import Status
from azad.screening.models import Screening, ScreeningAnswer
from azad.screening.tests.factories import (
    ADULT_LABOUR,
    CHILD_LABOUR,
    INDICATIVE_ADULT,
    make_screening,
    pick,
    screener,
    shipped_file,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def _state() -> tuple[int, int, int]:
    return Screening.objects.count(), ScreeningAnswer.objects.count(), AuditEvent.objects.count()


# --- Age and list choice ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "age", "basis", "population"),
    [
        ({"age": 30}, 30, "stated", "adult"),
        ({"age": 18}, 18, "stated", "adult"),
        ({"age": 17}, 17, "stated", "child"),
        ({}, None, "unknown", "child"),
        ({"birth_date": "2008-06-15"}, 18, "birth_date", "adult"),
        ({"birth_date": "2008-06-16"}, 17, "birth_date", "child"),
        ({"birth_year": 2008}, 17, "birth_year", "child"),
        ({"birth_year": 2007}, 18, "birth_year", "adult"),
        ({"age": 18, "birth_year": 2008}, 18, "stated", "adult"),
        ({"age": 18, "birth_date": "2008-01-01", "birth_year": 2008}, 18, "birth_date", "adult"),
    ],
)
def test_it_decides_the_population_from_the_age_data(data, age, basis, population):
    decision = services.decide_age(**data, today=TODAY)

    assert (decision.age, decision.basis, decision.population) == (age, basis, population)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"age": 25, "birth_date": "2010-01-01"}, "age", "differs from the age by the date of birth"),
        ({"birth_date": "2027-01-01"}, "birth_date", "in the future"),
        ({"birth_year": 2030}, "birth_year", "in the future"),
        ({"birth_date": "2000-05-05", "birth_year": 2001}, "birth_year", "differs from the date of birth"),
        ({"age": 40, "birth_year": 2000}, "age", "does not fit the year of birth"),
        ({"age": 200}, "age", "between 0 and 130"),
        ({"birth_date": "15/06/2000"}, "birth_date", "YYYY-MM-DD"),
    ],
)
def test_it_refuses_contradictory_or_impossible_age_data(data, field, message):
    with pytest.raises(ValidationError) as caught:
        services.decide_age(**data, today=TODAY)

    assert any(message in m for m in caught.value.message_dict[field])


def test_it_refuses_age_data_that_contradicts_the_persons_record():
    actor = screener()
    person = make_person(actor, birth_date="1998-04-12")

    with pytest.raises(ValidationError) as caught:
        services.decide_age(birth_date="1999-04-12", person=person, today=TODAY)

    assert "person's record" in caught.value.message_dict["birth_date"][0]


def test_it_screens_a_person_of_unknown_age_as_a_child():
    screening = make_screening(age=None)

    assert screening.population == "child"
    assert screening.indicator_list.code == CHILD_LABOUR


def test_it_chooses_the_adult_labour_list_for_an_adult_suspected_of_labour_exploitation():
    screening = make_screening(age=30)

    assert screening.indicator_list.key == f"{ADULT_LABOUR}@1"
    assert (screening.population, screening.age, screening.age_basis) == ("adult", 30, "stated")


def test_it_refuses_sexual_exploitation_while_no_verified_list_is_loaded_and_writes_nothing():
    before = _state()

    with pytest.raises(ValidationError) as caught:
        make_screening(exploitation="sexual")

    assert "No verified indicator list" in caught.value.message_dict["list"][0]
    assert _state() == before


def test_it_uses_a_list_chosen_explicitly_for_the_same_population():
    screening = make_screening(exploitation="sexual", list_key=ADULT_LABOUR)

    assert screening.indicator_list.code == ADULT_LABOUR
    assert screening.suspected_exploitation == "sexual"


@pytest.mark.parametrize(
    ("age", "key", "message"),
    [
        (15, ADULT_LABOUR, "this person is screened as"),
        (30, CHILD_LABOUR, "this person is screened as"),
        (30, "ilo2009.adult.labour@9", "does not exist"),
        (30, "nothing.at.all", "does not exist"),
        (30, "ilo2009.adult.sexual@1", "has no indicators"),
    ],
)
def test_it_refuses_an_explicit_list_that_cannot_be_used(age, key, message):
    before = _state()

    with pytest.raises(ValidationError) as caught:
        make_screening(age=age, list_key=key)

    assert message in caught.value.message_dict["list"][0]
    assert _state() == before


def test_it_chooses_the_latest_verified_version_for_new_screenings():
    data = shipped_file()
    data["list"]["version"] = 2
    services.load_indicator_list(json.dumps(data), actor="test")

    assert make_screening().indicator_list.key == f"{ADULT_LABOUR}@2"


# --- Starting ---------------------------------------------------------------------------


def test_it_starts_a_draft_for_the_actors_organisation_and_records_it():
    actor = screener()

    screening = make_screening(
        actor,
        answers=pick(ADULT_LABOUR, {1: "S"}),
        notes={"ilo2009.al.d1.deceived-nature-of-job": "Promised a job as a waitress"},
    )

    assert screening.status == Status.DRAFT
    assert (screening.organisation_id, screening.screener_id) == (actor.organisation_id, actor.pk)
    assert screening.answer_map() == {"ilo2009.al.d1.deceived-nature-of-job": "yes"}
    event = AuditEvent.objects.get(action="screening.screening.start")
    assert event.target_id == str(screening.pk)
    assert event.payload == {"with_person": False, "answers": 1, "notes": 1}


def test_it_keeps_the_evidence_note_encrypted_and_out_of_the_audit_trail():
    note = "Pasportu Rəşad götürüb"
    screening = make_screening(
        answers=pick(ADULT_LABOUR, {5: "S"}), notes={"ilo2009.al.d5.confiscation-of-documents": note}
    )

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM screening_screeninganswer")
        (stored,) = cursor.fetchone()
    assert note not in stored
    assert ScreeningAnswer.objects.get(screening=screening).note == note
    assert all(note not in json.dumps(e.payload, ensure_ascii=False) for e in AuditEvent.objects.all())


def test_it_links_a_person_the_actor_may_see_and_takes_the_age_from_the_record():
    actor = screener(Role.NGO_CASEWORKER)
    person = make_person(actor, birth_date="2012-03-01")

    screening = make_screening(actor, person=person.pk, age=None)

    assert screening.person_id == person.pk
    assert screening.population == "child"
    assert screening.age_basis == "birth_date"
    assert AuditEvent.objects.get(action="screening.screening.start").payload["with_person"] is True


def test_it_refuses_a_person_of_another_organisation_as_not_found():
    person = make_person(screener(Role.NGO_CASEWORKER))
    before = _state()

    with pytest.raises(NotVisible):
        make_screening(screener(Role.NGO_CASEWORKER), person=person.pk)

    assert _state() == before


@pytest.mark.parametrize(
    "role",
    [
        r
        for r in Role
        if r
        not in {
            Role.POLICE_INVESTIGATOR,
            Role.POLICE_SUPERVISOR,
            Role.HOTLINE_OPERATOR,
            Role.HOTLINE_SUPERVISOR,
            Role.ASSISTANCE_CASEWORKER,
            Role.NGO_CASEWORKER,
        }
    ],
)
def test_it_lets_only_roles_that_write_screenings_start_one(role):
    with pytest.raises(PermissionDenied):
        make_screening(screener(role))


def test_it_refuses_to_start_for_an_account_without_an_organisation():
    actor = screener(Role.NGO_CASEWORKER)
    actor.organisation = None
    actor.save()

    with pytest.raises(PermissionDenied):
        make_screening(actor)


# --- Answers ------------------------------------------------------------------------------


def test_it_saves_answers_on_a_draft_and_bumps_the_version():
    actor = screener()
    screening = make_screening(actor)

    saved = services.save_answers(
        screening, actor=actor, expected_version=1, answers={"ilo2009.al.d4.hazardous-work": "no"}
    )

    assert saved.version == 2
    assert saved.answer_map() == {"ilo2009.al.d4.hazardous-work": "no"}
    assert AuditEvent.objects.get(action="screening.screening.save_answers").payload == {
        "answers": 1,
        "notes": 0,
    }


def test_it_writes_nothing_when_no_answer_changes():
    actor = screener()
    screening = make_screening(actor, answers={"ilo2009.al.d4.hazardous-work": "no"})
    before = _state()

    saved = services.save_answers(
        screening, actor=actor, expected_version=1, answers={"ilo2009.al.d4.hazardous-work": "no"}
    )

    assert saved.version == 1
    assert _state() == before


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"ilo2009.al.d9.no-such-thing": "yes"}, "Unknown indicator id: ilo2009.al.d9.no-such-thing"),
        (
            {"ilo2009.cl.d5.debt-bondage": "yes"},
            "belongs to the list ilo2009.child.labour, not to ilo2009.adult.labour@1",
        ),
        ({"ilo2009.al.d5.debt-bondage": "perhaps"}, "must be yes, no or unknown"),
    ],
)
def test_it_refuses_bad_answers_naming_the_problem_and_saves_nothing(answers, message):
    actor = screener()
    screening = make_screening(actor)
    before = _state()

    with pytest.raises(ValidationError) as caught:
        services.save_answers(
            screening,
            actor=actor,
            expected_version=1,
            answers={"ilo2009.al.d4.hazardous-work": "yes", **answers},
        )

    assert any(message in m for m in caught.value.message_dict["answers"])
    assert _state() == before
    assert Screening.objects.get(pk=screening.pk).version == 1


def test_it_names_every_bad_answer_at_once():
    actor = screener()
    screening = make_screening(actor)

    with pytest.raises(ValidationError) as caught:
        services.save_answers(
            screening,
            actor=actor,
            expected_version=1,
            answers={"a.b": "yes", "ilo2009.cl.d1.family": "yes", "ilo2009.al.d5.debt-bondage": "sure"},
            notes={"ilo2009.al.d4.hazardous-work": "x" * 1001},
        )

    assert len(caught.value.message_dict["answers"]) == 4


def test_it_detects_a_concurrent_edit():
    actor = screener()
    screening = make_screening(actor)
    services.save_answers(
        screening, actor=actor, expected_version=1, answers={"ilo2009.al.d4.hazardous-work": "no"}
    )

    with pytest.raises(ConflictError):
        services.save_answers(
            screening, actor=actor, expected_version=1, answers={"ilo2009.al.d4.hazardous-work": "yes"}
        )

    assert Screening.objects.get(pk=screening.pk).answer_map() == {"ilo2009.al.d4.hazardous-work": "no"}


def test_it_lets_a_colleague_of_the_same_organisation_save_but_not_another_organisation():
    actor = screener()
    screening = make_screening(actor)
    colleague = screener(Role.NGO_CASEWORKER, actor.organisation)

    services.save_answers(
        screening, actor=colleague, expected_version=1, answers={"ilo2009.al.d4.hazardous-work": "no"}
    )
    with pytest.raises(NotVisible):
        services.save_answers(
            screening, actor=screener(), expected_version=2, answers={"ilo2009.al.d4.hazardous-work": "yes"}
        )


# --- Completing -------------------------------------------------------------------------------


def test_it_completes_a_screening_with_its_result_and_explanation():
    actor = screener()
    screening = make_screening(actor, answers=pick(ADULT_LABOUR, INDICATIVE_ADULT))

    done = services.complete_screening(screening, actor=actor, expected_version=1)

    stored = Screening.objects.get(pk=screening.pk)
    assert (stored.status, stored.outcome, stored.version) == ("completed", "indicative", 2)
    assert stored.completed_at is not None
    assert stored.explanation["dimensions"][4]["ticked"] == [
        {"id": "ilo2009.al.d5.confiscation-of-documents", "grade": "S"},
        {"id": "ilo2009.al.d5.debt-bondage", "grade": "S"},
    ]
    event = AuditEvent.objects.get(action="screening.screening.complete")
    assert event.target_id == str(done.pk)
    assert "outcome" not in event.payload and "indicative" not in json.dumps(event.payload)


def test_it_completes_with_answers_given_at_completion():
    actor = screener()
    screening = make_screening(actor, age=12)

    done = services.complete_screening(
        screening, actor=actor, expected_version=1, answers=pick(CHILD_LABOUR, {2: "SS", 4: "SM"})
    )

    assert done.outcome == "indicative"
    assert done.explanation["not_required"] == [5, 6]


def test_it_refuses_to_complete_an_empty_screening_and_saves_nothing():
    actor = screener()
    screening = make_screening(actor, answers={"ilo2009.al.d4.hazardous-work": "unknown"})
    before = _state()

    with pytest.raises(ValidationError) as caught:
        services.complete_screening(
            screening,
            actor=actor,
            expected_version=1,
            answers={"ilo2009.al.d4.wage-manipulation": "unknown"},
            notes={"ilo2009.al.d4.wage-manipulation": "asked"},
        )

    assert "The screening is empty" in caught.value.message_dict["answers"][0]
    assert _state() == before
    assert Screening.objects.get(pk=screening.pk).status == "draft"


def test_it_never_changes_a_completed_screening():
    actor = screener()
    screening = make_screening(actor, answers=pick(ADULT_LABOUR, {1: "S"}), complete=True)

    with pytest.raises(ValidationError, match="can no longer change"):
        services.save_answers(
            screening, actor=actor, expected_version=2, answers={"ilo2009.al.d4.hazardous-work": "yes"}
        )
    with pytest.raises(ValidationError, match="can no longer change"):
        services.complete_screening(screening, actor=actor, expected_version=2)


def test_it_never_rescores_a_completed_screening_when_a_new_list_version_is_loaded():
    actor = screener()
    screening = make_screening(actor, answers=pick(ADULT_LABOUR, INDICATIVE_ADULT), complete=True)
    data = shipped_file()
    data["list"]["version"] = 2
    for item in data["indicators"]:
        if item["dimension"] == 5:
            item["grade"] = "W"
    services.load_indicator_list(json.dumps(data), actor="test")

    stored = Screening.objects.get(pk=screening.pk)
    assert stored.indicator_list.key == f"{ADULT_LABOUR}@1"
    assert stored.outcome == "indicative"
    assert stored.evaluate().outcome.value == "indicative"


def test_it_re_evaluates_only_as_an_explicit_new_screening():
    actor = screener()
    old = make_screening(
        actor,
        answers=pick(ADULT_LABOUR, INDICATIVE_ADULT),
        notes={"ilo2009.al.d5.debt-bondage": "owes 2000 AZN"},
        complete=True,
    )
    data = shipped_file()
    data["list"]["version"] = 2
    data["indicators"] = [i for i in data["indicators"] if i["id"] != "ilo2009.al.d5.debt-bondage"]
    services.load_indicator_list(json.dumps(data), actor="test")

    new = services.rescreen(old, actor=actor)

    assert new.replaces_id == old.pk and new.status == "draft"
    assert new.indicator_list.key == f"{ADULT_LABOUR}@2"
    assert "ilo2009.al.d5.debt-bondage" not in new.answer_map()
    assert new.answer_map()["ilo2009.al.d5.confiscation-of-documents"] == "yes"
    assert Screening.objects.get(pk=old.pk).outcome == "indicative"
    assert AuditEvent.objects.filter(action="screening.screening.start").order_by("seq").last().payload[
        "replaces"
    ] == str(old.pk)


def test_it_discards_a_draft_which_then_cannot_change():
    actor = screener()
    screening = make_screening(actor)

    services.discard_screening(screening, actor=actor, expected_version=1)

    assert Screening.objects.get(pk=screening.pk).status == "discarded"
    assert AuditEvent.objects.filter(action="screening.screening.discard").count() == 1
    with pytest.raises(ValidationError):
        services.save_answers(
            screening, actor=actor, expected_version=2, answers={"ilo2009.al.d4.hazardous-work": "no"}
        )


# --- Referral hook and HTCDS --------------------------------------------------------------------


def test_it_marks_a_completed_screening_as_referred_once():
    actor = screener()
    screening = make_screening(actor, answers=pick(ADULT_LABOUR, INDICATIVE_ADULT), complete=True)

    services.mark_referred(screening, actor=actor, referral_id="R-1")
    first = Screening.objects.get(pk=screening.pk).referred_to_atd_at
    services.mark_referred(screening, actor=actor, referral_id="R-1")

    stored = Screening.objects.get(pk=screening.pk)
    assert stored.referral_id == "R-1" and stored.referred_to_atd_at == first
    assert first <= timezone.now()
    assert AuditEvent.objects.filter(action="screening.screening.refer").count() == 1


def test_it_refuses_to_refer_a_draft():
    actor = screener()
    screening = make_screening(actor)

    with pytest.raises(ValidationError):
        services.mark_referred(screening, actor=actor, referral_id="R-1")

    assert Screening.objects.get(pk=screening.pk).referred_to_atd_at is None


def test_it_gives_the_htcds_victim_context_of_the_yes_answers():
    answers = {
        "ilo2009.al.d1.deceived-nature-of-job": "yes",
        "ilo2009.al.d4.excessive-working-hours": "yes",
        "ilo2009.al.d5.confiscation-of-documents": "yes",
        "ilo2009.al.d5.debt-bondage": "yes",
        "ilo2009.al.d2.debt-bondage": "yes",
        "ilo2009.al.d2.violence-on-victim": "no",
    }
    screening = make_screening(answers=answers, complete=True)

    assert screening.htcds_victim_context() == {
        "vic_MethodsOfControl": [
            "DebtBondage",
            "ExcessiveWorkingHours",
            "FalsePromises",
            "WithholdsDocuments",
        ],
        "vic_TypeOfExploitation": ["ForcedLabour"],
    }


# --- Evaluating without saving ---------------------------------------------------------------------


def test_it_evaluates_answers_without_saving_anything():
    before = _state()

    _list, evaluation = services.evaluate_answers(
        answers=pick(ADULT_LABOUR, INDICATIVE_ADULT), list_key=f"{ADULT_LABOUR}@1"
    )

    assert evaluation.outcome.value == "indicative"
    assert _state() == before


def test_it_evaluates_against_the_list_the_age_chooses():
    indicator_list, _evaluation = services.evaluate_answers(
        answers=pick(CHILD_LABOUR, {1: "S", 4: "S"}), suspected_exploitation="labour", age=None
    )

    assert indicator_list.code == CHILD_LABOUR


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"answers": {}}, "answers", "The screening is empty"),
        ({"answers": {"ilo2009.al.d5.debt-bondage": "unknown"}}, "answers", "The screening is empty"),
        (
            {"answers": {"ilo2009.al.d5.debt-bondage": "yes"}, "list_key": "ilo2009.adult.labour@3"},
            "list",
            "does not exist",
        ),
        (
            {"answers": {"ilo2009.cl.d5.debt-bondage": "yes"}},
            "answers",
            "belongs to the list ilo2009.child.labour",
        ),
    ],
)
def test_it_refuses_bad_input_for_an_evaluation(kwargs, field, message):
    kwargs.setdefault("list_key", ADULT_LABOUR)

    with pytest.raises(ValidationError) as caught:
        services.evaluate_answers(**kwargs)

    assert message in caught.value.message_dict[field][0]


def test_it_refuses_contradictory_age_data_for_an_evaluation():
    with pytest.raises(ValidationError) as caught:
        services.evaluate_answers(
            answers={"x": "yes"}, suspected_exploitation="labour", age=30, birth_date="2015-01-01"
        )

    assert "differs from the age by the date of birth" in caught.value.message_dict["age"][0]
