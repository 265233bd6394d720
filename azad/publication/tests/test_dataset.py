"""The public dataset's rows against hand-made cases: columns, merging of one person's records, filters."""

from __future__ import annotations

import pytest

from azad.cases.models import Case
from azad.persons.models import Person
from azad.publication import dataset
from azad.publication.tests.helpers import case_with

pytestmark = pytest.mark.django_db


def test_it_writes_one_row_per_case_in_ctdc_columns(world):
    case_with(
        world,
        exploitation=("SexualExploitation",),
        control=("DebtBondage", "PhysicalThreats"),
        exploited_in="TR",
        gender="Feminine",
        citizenship="AZ",
        birth_date="2000-03-01",
    )
    [row] = dataset.build_rows(2024, 2024)
    assert list(row) == list(dataset.COLUMNS)
    assert row["yearOfRegistration"] == 2024
    assert row["gender"] == "Female"
    assert row["ageBroad"] == "24--26"
    assert row["majorityStatus"] == "Adult"
    assert row["citizenship"] == "AZ"
    assert row["CountryOfExploitation"] == "TR"
    assert row["isSexualExploit"] == 1
    assert row["isForcedLabour"] == 0
    assert row["meansOfControlDebtBondage"] == 1
    assert row["meansOfControlThreats"] == 1
    assert row["meansOfControlTakesEarnings"] == 0
    assert row["meansOfControlNotSpecified"] == 0


def test_it_marks_a_child_and_an_unknown_age(world):
    case_with(world, birth_date="2012-03-01", gender="Masculine")
    case_with(world, birth_date="", gender="NonSpecifiedUnknown")
    rows = sorted(dataset.build_rows(2024, 2024), key=lambda r: r["ageBroad"])
    assert [(r["ageBroad"], r["majorityStatus"], r["gender"]) for r in rows] == [
        ("", "", ""),
        ("9--17", "Minor", "Male"),
    ]
    assert all(r["meansOfControlNotSpecified"] == 1 for r in rows)


def test_it_counts_a_person_once_per_year_when_records_are_linked(world):
    first = case_with(world, exploitation=("ForcedLabour",), control=("WithholdsDocuments",))
    second = case_with(world, exploitation=("SexualExploitation",), exploited_in="RU")
    Person.objects.filter(pk=second.person_id).update(
        statistical_id=Person.objects.get(pk=first.person_id).statistical_id
    )
    [row] = dataset.build_rows(2024, 2024)
    assert row["isForcedLabour"] == row["isSexualExploit"] == row["isSexAndLabour"] == 1
    assert row["meansOfControlWithholdsDocuments"] == 1
    assert row["CountryOfExploitation"] == "RU"


def test_it_counts_the_same_person_again_in_another_year(world):
    first = case_with(world, year=2023)
    second = case_with(world, year=2024)
    Person.objects.filter(pk=second.person_id).update(
        statistical_id=Person.objects.get(pk=first.person_id).statistical_id
    )
    assert sorted(r["yearOfRegistration"] for r in dataset.build_rows(2023, 2024)) == [2023, 2024]


def test_it_leaves_out_other_years_and_people_decided_not_to_be_victims(world):
    case_with(world, year=2022)
    kept = case_with(world, year=2024)
    refused = case_with(world, year=2024)
    Case.objects.filter(pk=refused.pk).update(trafficking_status="NotAVictimOfTrafficking")
    assert len(dataset.build_rows(2024, 2024)) == 1
    assert dataset.build_rows(2024, 2024, identified_only=True) == []
    Case.objects.filter(pk=kept.pk).update(trafficking_status="ActualVictimOfTrafficking")
    assert len(dataset.build_rows(2024, 2024, identified_only=True)) == 1


def test_it_reads_the_rows_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(5):
        case_with(world, exploited_in="AE")
    with django_assert_max_num_queries(3):
        rows = dataset.build_rows(2024, 2024)
    assert len(rows) == 5


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0--8"),
        (8, "0--8"),
        (9, "9--17"),
        (17, "9--17"),
        (18, "18--20"),
        (29, "27--29"),
        (30, "30--38"),
        (47, "39--47"),
        (48, "48+"),
        (90, "48+"),
        (None, ""),
    ],
)
def test_it_puts_ages_in_ctdc_bands(age, band):
    assert dataset.age_band(age) == band
