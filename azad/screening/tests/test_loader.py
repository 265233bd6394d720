"""The catalogue: shipped list files, validation (every problem listed), all-or-nothing loading."""

from __future__ import annotations

import json

import pytest

from azad.audit.models import AuditEvent
from azad.core.permissions import Role
from azad.screening import loader, services
from azad.screening.models import Indicator, IndicatorList
from azad.screening.tests.factories import copy_of, list_file, screener, shipped_file

pytestmark = pytest.mark.django_db


# --- The shipped lists -------------------------------------------------------------------


def test_it_ships_the_four_ilo_lists_loaded_by_the_migration():
    lists = {il.key: il for il in IndicatorList.objects.all()}

    assert {
        "ilo2009.adult.labour@1",
        "ilo2009.child.labour@1",
        "ilo2009.adult.sexual@1",
        "ilo2009.child.sexual@1",
    } <= set(lists)
    assert lists["ilo2009.adult.labour@1"].indicators.count() == 67
    assert lists["ilo2009.child.labour@1"].indicators.count() == 65
    assert lists["ilo2009.adult.labour@1"].verified and lists["ilo2009.child.labour@1"].verified


def test_it_ships_the_sexual_exploitation_lists_as_unverified_placeholders_without_grades():
    for code in ("ilo2009.adult.sexual", "ilo2009.child.sexual"):
        placeholder = IndicatorList.objects.get(code=code, version=1)
        assert not placeholder.verified
        assert placeholder.indicators.count() == 0
        assert "NOT VERIFIED" in placeholder.verification_notes


@pytest.mark.parametrize("path", loader.shipped_files(), ids=lambda p: p.name)
def test_it_stores_each_shipped_file_exactly_as_it_is_on_disk(path):
    parsed = loader.parse_list_file(path.read_bytes())

    stored = IndicatorList.objects.get(code=parsed.code, version=parsed.version)
    assert stored.content_hash == parsed.content_hash
    assert list(stored.indicators.order_by("position").values_list("code", "dimension", "grade")) == [
        (i.code, i.dimension, i.grade) for i in parsed.indicators
    ]


@pytest.mark.parametrize(
    ("code", "grade"),
    [
        # The domain brief's sample of the adult labour list.
        ("ilo2009.al.d1.deceived-nature-of-job", "S"),
        ("ilo2009.al.d4.excessive-working-hours", "S"),
        ("ilo2009.al.d5.confiscation-of-documents", "S"),
        ("ilo2009.al.d5.debt-bondage", "S"),
        ("ilo2009.al.d5.isolation-confinement-surveillance", "S"),
        ("ilo2009.al.d5.violence-on-victim", "S"),
        ("ilo2009.al.d1.deceived-education-opportunities", "W"),
        ("ilo2009.cl.d1.deceived-education-opportunities", "S"),
        ("ilo2009.cl.d2.debt-bondage", "S"),
        ("ilo2009.al.d2.debt-bondage", "M"),
    ],
)
def test_it_ships_the_reference_grades(code, grade):
    assert Indicator.objects.get(code=code).grade == grade


def test_it_ships_a_child_labour_list_without_weak_indicators_or_the_two_adult_only_items():
    child = IndicatorList.objects.get(code="ilo2009.child.labour", version=1)

    assert not child.indicators.filter(grade="W").exists()
    assert not child.indicators.filter(code__endswith="false-information-law-authorities").exists()
    assert not child.indicators.filter(code__endswith="no-social-protection").exists()


def test_it_ships_every_indicator_in_three_languages():
    assert not Indicator.objects.filter(text_az="").exists()
    assert not Indicator.objects.filter(text_ru="").exists()
    assert Indicator.objects.get(code="ilo2009.al.d5.debt-bondage").text("az") == "Borc əsarəti"


# --- Validation ----------------------------------------------------------------------------


def test_it_accepts_a_valid_file():
    parsed = loader.parse_list_file(json.dumps(list_file()))

    assert len(parsed.indicators) == 18
    assert parsed.verified


def test_it_lists_every_problem_of_a_file_at_once():
    data = list_file()
    data["indicators"][1]["id"] = data["indicators"][0]["id"]  # duplicate id
    del data["indicators"][2]["text"]["ru"]  # missing translation
    data["indicators"][3]["grade"] = "X"  # unknown grade
    data["indicators"][4]["dimension"] = 7
    data["indicators"][5]["htcds"] = {"vic_MethodsOfControl": ["Magic"]}
    data["list"]["title"]["az"] = "  "

    with pytest.raises(loader.CatalogueError) as caught:
        loader.parse_list_file(data)

    problems = "\n".join(caught.value.problems)
    assert len(caught.value.problems) == 6
    assert "duplicate id" in problems
    assert "ru translation of the text is missing" in problems
    assert 'the grade "X" is not one of S, M, W' in problems
    assert "dimension must be 1 to 6" in problems
    assert "Magic is not a value of HTCDS vic_MethodsOfControl" in problems
    assert "az translation of the title is missing" in problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["list"].update(version=0), "version must be a whole number"),
        (lambda d: d["list"].update(population="elderly"), "population must be one of"),
        (lambda d: d["list"].update(exploitation="begging"), "exploitation must be one of"),
        (lambda d: d["list"].update(rule="decision131"), "rule decision131 is not known"),
        (lambda d: d["list"].update(id="Not An Id"), "id must be a lower-case dotted identifier"),
        (lambda d: d["list"].update(source=""), "source must name"),
        (lambda d: d["list"].update(verified="yes"), "verified must be true or false"),
        (lambda d: d["list"].update(verified=False, verification_notes=""), "must say in verification_notes"),
        (lambda d: d["list"].update(grades="S"), "unknown field grades"),
        (lambda d: d.update(indicators=[]), "A verified list needs indicators"),
        (lambda d: d.update(format=2), "format must be 1"),
        (lambda d: d["indicators"][0].update(colour="red"), "unknown field colour"),
        (lambda d: d["indicators"][0]["text"].update(fr="Indicateur"), "languages Azad does not use: fr"),
    ],
)
def test_it_names_each_kind_of_problem(change, expected):
    data = list_file()
    change(data)

    with pytest.raises(loader.CatalogueError) as caught:
        loader.parse_list_file(data)

    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(b"{not json", "not valid JSON"), (b"\xff\xfe", "not UTF-8"), (b"[1, 2]", "one JSON object")],
)
def test_it_refuses_a_file_that_is_not_a_json_object(raw, expected):
    with pytest.raises(loader.CatalogueError) as caught:
        loader.parse_list_file(raw)

    assert expected in caught.value.problems[0]


# --- Loading ----------------------------------------------------------------------------------


def test_it_loads_a_new_list_with_its_indicators_and_records_it():
    admin = screener(Role.SYSTEM_ADMIN)
    data = list_file()

    indicator_list, created = services.load_indicator_list(json.dumps(data), actor=admin)

    assert created
    assert indicator_list.indicators.count() == 18
    assert indicator_list.loaded_by == admin.username
    event = AuditEvent.objects.get(action="screening.catalogue.load")
    assert event.actor_id == admin.pk
    assert event.payload["list"] == indicator_list.key
    assert event.payload["indicators"] == 18


def test_it_loads_nothing_from_a_refused_file():
    admin = screener(Role.SYSTEM_ADMIN)
    data = list_file()
    data["indicators"][-1]["grade"] = "Q"
    before = (IndicatorList.objects.count(), Indicator.objects.count(), AuditEvent.objects.count())

    with pytest.raises(loader.CatalogueError):
        services.load_indicator_list(json.dumps(data), actor=admin)

    assert (IndicatorList.objects.count(), Indicator.objects.count(), AuditEvent.objects.count()) == before


def test_it_loads_the_same_version_with_the_same_content_only_once():
    admin = screener(Role.SYSTEM_ADMIN)
    data = list_file()
    services.load_indicator_list(json.dumps(data), actor=admin)
    events = AuditEvent.objects.count()

    _again, created = services.load_indicator_list(json.dumps(data, indent=4), actor=admin)

    assert not created
    assert IndicatorList.objects.filter(code=data["list"]["id"]).count() == 1
    assert AuditEvent.objects.count() == events


def test_it_refuses_a_changed_list_under_a_version_already_loaded():
    admin = screener(Role.SYSTEM_ADMIN)
    data = list_file()
    services.load_indicator_list(json.dumps(data), actor=admin)
    changed = copy_of(data)
    changed["indicators"][0]["grade"] = "M"

    with pytest.raises(loader.CatalogueError) as caught:
        services.load_indicator_list(json.dumps(changed), actor=admin)

    assert "already loaded with different content" in caught.value.problems[0]
    assert (
        Indicator.objects.get(indicator_list__code=data["list"]["id"], code=data["indicators"][0]["id"]).grade
        == "S"
    )


def test_it_loads_a_new_version_beside_the_old_one():
    admin = screener(Role.SYSTEM_ADMIN)
    data = shipped_file()
    data["list"]["version"] = 2
    data["indicators"][0]["grade"] = "M"

    _new, created = services.load_indicator_list(json.dumps(data), actor=admin)

    assert created
    assert list(
        IndicatorList.objects.filter(code="ilo2009.adult.labour")
        .values_list("version", flat=True)
        .order_by("version")
    ) == [1, 2]
    assert (
        Indicator.objects.get(indicator_list__version=1, code="ilo2009.al.d1.deceived-nature-of-job").grade
        == "S"
    )


def test_it_refuses_an_indicator_id_another_list_owns():
    admin = screener(Role.SYSTEM_ADMIN)
    data = list_file()
    data["indicators"][0]["id"] = "ilo2009.al.d5.debt-bondage"

    with pytest.raises(loader.CatalogueError) as caught:
        services.load_indicator_list(json.dumps(data), actor=admin)

    assert "already belongs to the list ilo2009.adult.labour" in caught.value.problems[0]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMIN])
def test_it_lets_only_system_administrators_load_lists(role):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.load_indicator_list(json.dumps(list_file()), actor=screener(role))
