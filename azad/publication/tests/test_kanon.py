"""The k-anonymiser: an independent check of the property on random data, against a plain re-statement of
the method, and its bad input."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from azad.publication import kanon
from azad.publication.kanon import AGE_BANDS, HIERARCHIES, KAnonymityError, anonymise, columns_of

GENDERS = ["Female", "Male", "Transgender/NonConforming", ""]
COUNTRIES = ["AZ", "RU", "TR", "AE", "GE", "UA", "IR", "DE", "XX", ""]

row_strategy = st.fixed_dictionaries(
    {
        "yearOfRegistration": st.integers(min_value=2008, max_value=2025),
        "gender": st.sampled_from(GENDERS),
        "ageBroad": st.sampled_from([*AGE_BANDS, ""]),
        "majorityStatus": st.sampled_from(["Adult", "Minor", ""]),
        "citizenship": st.sampled_from(COUNTRIES),
        "CountryOfExploitation": st.sampled_from(COUNTRIES),
        "isForcedLabour": st.sampled_from([0, 1]),
        "isSexualExploit": st.sampled_from([0, 1]),
        "isOtherExploit": st.sampled_from([0, 1]),
        "meansOfControlDebtBondage": st.sampled_from([0, 1]),
    }
)
qi_strategy = st.lists(st.sampled_from(list(HIERARCHIES)), min_size=1, max_size=len(HIERARCHIES), unique=True)
ROW_COLUMNS = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "meansOfControlDebtBondage",
]


def anonymise_rows(rows, qis, k, **options):
    """The anonymiser on rows written as dicts (easier to read in a test than columns)."""
    return anonymise(columns_of(rows, list(rows[0]) if rows else ROW_COLUMNS), qis, k, **options)


def plainly(rows, qis, k, budget):
    """The method as the module's docstring states it, on rows, recounting the rows at every step.

    Returns the published rows, the index of each row kept, the levels, the
    steps and the final class sizes: what the anonymiser must agree with.
    """
    levels = dict.fromkeys(qis, 0)

    def published(row):
        return tuple(HIERARCHIES[q].chain(row[q])[levels[q]] for q in qis)

    steps = []
    while True:
        counts = Counter(map(published, rows))
        at_risk = [key for key, n in counts.items() if n < k]
        if sum(counts[key] for key in at_risk) <= int(budget * len(rows)):
            break
        candidates = [i for i, q in enumerate(qis) if levels[q] < HIERARCHIES[q].top]
        if not candidates:
            break
        distinct = [len({key[i] for key in at_risk}) for i in range(len(qis))]
        chosen = max(candidates, key=lambda i: (distinct[i], -i))
        levels[qis[chosen]] += 1
        steps.append(qis[chosen])
    kept = [index for index, row in enumerate(rows) if counts[published(row)] >= k]
    out = [{**rows[index], **dict(zip(qis, published(rows[index]), strict=True))} for index in kept]
    return out, kept, levels, steps, {key: n for key, n in counts.items() if n >= k}


def combinations(rows, qis):
    """Counted independently of the anonymiser: how often each combination of values occurs."""
    return Counter(tuple(row[q] for q in qis) for row in rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(row_strategy, max_size=300),
    qis=qi_strategy,
    k=st.integers(min_value=2, max_value=25),
    budget=st.sampled_from([0.0, 0.05, 0.1, 0.5]),
)
def test_it_publishes_no_combination_of_quasi_identifiers_fewer_than_k_times(rows, qis, k, budget):
    result = anonymise_rows(rows, qis, k, max_suppression=budget)
    counts = combinations(result.rows(), qis)
    assert all(n >= k for n in counts.values()), counts
    assert result.report.rows_out + result.report.rows_suppressed == len(rows)
    assert len(result.rows()) == result.report.rows_out
    assert result.report.classes == len(counts)


def assert_agrees_with_the_plain_method(rows, qis, k, budget):
    result = anonymise_rows(rows, qis, k, max_suppression=budget)
    out, kept, levels, steps, classes = plainly(rows, qis, k, budget)
    assert result.rows() == out
    assert result.kept == kept
    assert result.report.steps == steps
    assert {g.name: g.level for g in result.report.generalisation} == levels
    assert result.report.class_sizes == dict(Counter(classes.values()))
    assert result.report.classes == len(classes)
    for i, g in enumerate(result.report.generalisation):
        assert g.distinct_before == len({row[g.name] for row in rows})
        assert g.distinct_after == len({key[i] for key in classes})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(row_strategy, max_size=300),
    qis=qi_strategy,
    k=st.integers(min_value=2, max_value=25),
    budget=st.sampled_from([0.0, 0.05, 0.1, 0.5]),
)
def test_it_publishes_what_the_plain_statement_of_the_method_publishes(rows, qis, k, budget):
    assert_agrees_with_the_plain_method(rows, qis, k, budget)


def test_it_groups_combinations_too_wide_for_one_int_key():
    """Seven quasi-identifiers of 300 values each need 63 bits: the key is renumbered on the way."""
    wide = ["gender", "majorityStatus", "isForcedLabour", "isSexualExploit", "isOtherExploit"]
    rows = [
        {
            **{name: f"{name}{i % 300}" for name in wide},
            "citizenship": f"C{i % 300}",
            "CountryOfExploitation": f"E{(i * 7) % 300}",
        }
        for i in range(900)
    ]
    assert_agrees_with_the_plain_method(rows, [*wide, "citizenship", "CountryOfExploitation"], 3, 0.0)
    assert_agrees_with_the_plain_method(rows, [*wide, "citizenship", "CountryOfExploitation"], 2, 0.5)


def test_it_takes_columns_and_refuses_columns_of_different_lengths():
    result = anonymise({"gender": ["Female"] * 3, "note": [1, 2, 3]}, ["gender"], 2)
    assert result.columns == {"gender": ["Female"] * 3, "note": [1, 2, 3]}
    assert result.rows() == [{"gender": "Female", "note": n} for n in (1, 2, 3)]
    with pytest.raises(ValueError, match="one value per row"):
        anonymise({"gender": ["Female"] * 3, "note": [1]}, ["gender"], 2)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(row_strategy, max_size=200), qis=qi_strategy, k=st.integers(min_value=2, max_value=15))
def test_it_never_makes_a_value_more_specific_than_its_row(rows, qis, k):
    result = anonymise_rows(rows, qis, k)
    for index, published in zip(result.kept, result.rows(), strict=True):
        original = rows[index]
        for name, value in published.items():
            if name in qis:
                assert value in HIERARCHIES[name].chain(original[name])
            else:
                assert value == original[name]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row_strategy, max_size=200), qis=qi_strategy, k=st.integers(min_value=2, max_value=15))
def test_it_suppresses_no_more_than_the_budget_unless_nothing_is_left_to_generalise(rows, qis, k):
    budget = 0.1
    result = anonymise_rows(rows, qis, k, max_suppression=budget)
    at_top = all(g.level == g.top_level for g in result.report.generalisation)
    assert result.report.rows_suppressed <= int(budget * len(rows)) or at_top


def test_it_is_deterministic():
    rows = [
        {
            "yearOfRegistration": 2015 + i % 7,
            "gender": GENDERS[i % 3],
            "ageBroad": AGE_BANDS[i % 9],
            "citizenship": COUNTRIES[i % 10],
        }
        for i in range(500)
    ]
    qis = ["yearOfRegistration", "gender", "ageBroad", "citizenship"]
    first = anonymise_rows(rows, qis, 11)
    second = anonymise_rows(list(rows), qis, 11)
    assert first.rows() == second.rows()
    assert first.report.as_dict() == second.report.as_dict()


def test_it_keeps_rows_that_are_already_k_anonymous_untouched():
    rows = [{"gender": "Female", "yearOfRegistration": 2020}] * 11 + [
        {"gender": "Male", "yearOfRegistration": 2020}
    ] * 11
    result = anonymise_rows(rows, ["gender", "yearOfRegistration"], 11)
    assert result.rows() == rows
    assert result.report.rows_suppressed == 0
    assert [g.level for g in result.report.generalisation] == [0, 0]
    assert result.report.class_sizes == {11: 2}


def test_it_generalises_age_bands_to_broader_bands_before_suppressing():
    rows = [{"ageBroad": band} for band in ("18--20", "21--23", "24--26", "27--29") for _ in range(3)]
    result = anonymise_rows(rows, ["ageBroad"], 11, max_suppression=0.0)
    assert {row["ageBroad"] for row in result.rows()} == {"18--29"}
    assert result.report.generalisation[0].level_name == "broad age band"
    assert result.report.rows_suppressed == 0


def test_it_generalises_citizenship_to_the_region():
    rows = [{"citizenship": code} for code in ("RU", "UA", "DE", "GE", "TR", "AZ") for _ in range(4)]
    result = anonymise_rows(rows, ["citizenship"], 11, max_suppression=0.0)
    assert Counter(row["citizenship"] for row in result.rows()) == {"Europe": 12, "Asia": 12}
    assert result.report.generalisation[0].level_name == "region"


def test_it_suppresses_everything_when_there_are_fewer_than_k_rows():
    rows = [{"gender": "Female"}] * 5
    result = anonymise_rows(rows, ["gender"], 11)
    assert result.rows() == []
    assert result.report.rows_suppressed == 5
    assert result.report.smallest_class is None


def test_it_reports_an_honest_empty_result_for_no_rows():
    result = anonymise_rows([], ["gender"], 11)
    assert result.rows() == []
    assert result.report.rows_in == 0


@pytest.mark.parametrize(
    ("qis", "k", "budget", "code"),
    [
        (["gender", "shoeSize"], 11, 0.1, "unknown_quasi_identifier"),
        ([], 11, 0.1, "no_quasi_identifiers"),
        (["gender", "gender"], 11, 0.1, "repeated_quasi_identifier"),
        (["gender"], 1, 0.1, "k_too_small"),
        (["gender"], 0, 0.1, "k_too_small"),
        (["gender"], -3, 0.1, "k_too_small"),
        (["gender"], "11", 0.1, "k_too_small"),
        (["gender"], True, 0.1, "k_too_small"),
        (["gender"], 11, 1.0, "bad_suppression"),
        (["gender"], 11, -0.1, "bad_suppression"),
    ],
)
def test_it_refuses_bad_parameters_with_a_clear_message(qis, k, budget, code):
    with pytest.raises(KAnonymityError) as error:
        anonymise_rows([{"gender": "Female"}], qis, k, max_suppression=budget)
    assert error.value.code == code
    assert str(error.value)


def test_it_names_the_unknown_quasi_identifier():
    with pytest.raises(KAnonymityError, match="shoeSize"):
        kanon.validate(["shoeSize"], 11)


def test_it_refuses_rows_missing_a_quasi_identifier_column():
    with pytest.raises(KAnonymityError) as error:
        anonymise_rows([{"gender": "Female"}], ["gender", "ageBroad"], 2)
    assert error.value.code == "missing_column"
