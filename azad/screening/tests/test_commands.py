"""``azad screen`` and ``azad load-indicators``: the same result as the API; bad input stops with the problem named."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from azad.audit.models import AuditEvent
from azad.screening.models import IndicatorList, Screening
from azad.screening.tests.factories import ADULT_LABOUR, CHILD_LABOUR, INDICATIVE_ADULT, list_file, pick

pytestmark = pytest.mark.django_db


def _write(tmp_path, data, name="answers.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def _screen(*args: str) -> str:
    out = io.StringIO()
    call_command("screen", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_result_and_its_explanation(tmp_path):
    path = _write(
        tmp_path, {"list": ADULT_LABOUR, "version": 1, "answers": pick(ADULT_LABOUR, INDICATIVE_ADULT)}
    )

    output = _screen(path)

    assert output.startswith("Indicative of trafficking")
    assert "D5 positive: 2 strong — Confiscation of documents, Debt bondage." in output
    assert "advisory" in output
    assert Screening.objects.count() == 0


def test_it_prints_the_same_result_as_json(tmp_path):
    path = _write(tmp_path, {"list": CHILD_LABOUR, "version": 1, "answers": pick(CHILD_LABOUR, {1: "S"})})

    result = json.loads(_screen(path, "--json"))

    assert result["outcome"] == "insufficient_information"
    assert result["list"] == f"{CHILD_LABOUR}@1"
    assert result["not_required_note"]


def test_it_prints_in_the_language_asked_for(tmp_path):
    path = _write(
        tmp_path, {"list": ADULT_LABOUR, "version": 1, "answers": pick(ADULT_LABOUR, INDICATIVE_ADULT)}
    )

    assert "Borc əsarəti" in _screen(path, "--language", "az")


def test_it_uses_the_latest_version_when_none_is_given(tmp_path):
    path = _write(tmp_path, {"list": ADULT_LABOUR, "answers": {"ilo2009.al.d5.debt-bondage": "no"}})

    assert f"{ADULT_LABOUR}@1" in _screen(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            {"list": ADULT_LABOUR, "version": 1, "answers": {"no.such.id": "yes"}},
            "Unknown indicator id: no.such.id",
        ),
        (
            {"list": ADULT_LABOUR, "version": 1, "answers": {"ilo2009.cl.d5.debt-bondage": "yes"}},
            "belongs to the list ilo2009.child.labour",
        ),
        ({"list": ADULT_LABOUR, "version": 4, "answers": {"x.y": "yes"}}, "does not exist"),
        ({"list": ADULT_LABOUR, "version": 1, "answers": {}}, "The screening is empty"),
        (
            {"list": ADULT_LABOUR, "version": 1, "answers": {"ilo2009.al.d5.debt-bondage": "oui"}},
            "must be yes, no or unknown",
        ),
        ({"list": "ilo2009.adult.sexual", "version": 1, "answers": {"x.y": "yes"}}, "has no indicators"),
        ({"version": 1, "answers": {}}, "list must name the indicator list"),
        ({"list": ADULT_LABOUR, "version": "one", "answers": {}}, "version must be a whole number"),
        ({"list": ADULT_LABOUR, "answers": ["yes"]}, "answers must be an object"),
        ({"list": ADULT_LABOUR, "answers": {}, "age": 4}, "Unknown fields: age"),
        ("{broken", "is not valid JSON"),
        ("[]", "must hold one JSON object"),
    ],
)
def test_it_stops_on_bad_input_naming_the_problem(tmp_path, content, message):
    path = _write(tmp_path, content)

    with pytest.raises(CommandError, match=message):
        _screen(path)


def test_it_stops_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _screen(str(tmp_path / "missing.json"))


def test_it_loads_list_files_and_records_the_command_as_actor(tmp_path):
    data = list_file()
    out = io.StringIO()

    call_command("load_indicators", _write(tmp_path, data, "list.json"), stdout=out)

    assert "loaded" in out.getvalue()
    assert IndicatorList.objects.get(code=data["list"]["id"]).loaded_by == "azad load-indicators"
    assert AuditEvent.objects.get(action="screening.catalogue.load").actor_label == "azad load-indicators"


def test_it_reloads_the_shipped_files_without_changing_anything():
    out = io.StringIO()
    before = IndicatorList.objects.count()

    call_command("load_indicators", stdout=out)

    assert IndicatorList.objects.count() == before
    assert out.getvalue().count("nothing changed") == 4


def test_it_refuses_a_bad_list_file_with_every_problem(tmp_path):
    data = list_file()
    data["indicators"][0]["grade"] = "X"
    data["indicators"][1]["dimension"] = 0

    with pytest.raises(CommandError) as caught:
        call_command("load_indicators", _write(tmp_path, data, "bad.json"), stdout=io.StringIO())

    assert "2 problems" in str(caught.value)
    assert not IndicatorList.objects.filter(code=data["list"]["id"]).exists()
