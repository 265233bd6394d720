"""The identification rule, tested on its own (no database).

Step 1 at every threshold and near miss; Step 2 for adults and children, with
each dimension's role; the three outcomes; and properties (hypothesis): adding
a "yes" never turns a positive dimension negative and never turns an
indicative outcome into a not indicative one.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from azad.screening import rules
from azad.screening.rules import Answer, Grade, IndicatorRule, IndicatorSet, Outcome, Population

# A synthetic list: in every dimension, three strong, four medium and three weak indicators.
PER_GRADE = {Grade.STRONG: 3, Grade.MEDIUM: 4, Grade.WEAK: 3}


def _indicators() -> list[IndicatorRule]:
    return [
        IndicatorRule(f"t.d{d}.{grade.value.lower()}{n}", d, grade)
        for d in rules.DIMENSIONS
        for grade, count in PER_GRADE.items()
        for n in range(count)
    ]


ADULT = IndicatorSet(Population.ADULT, _indicators(), key="test.adult@1")
CHILD = IndicatorSet(Population.CHILD, _indicators(), key="test.child@1")
ALL_IDS = [i.id for i in _indicators()]


def ticks(dimension: int, grades: str) -> dict[str, str]:
    """``ticks(5, "SSM")``: yes to two strong and one medium indicator of D5."""
    answers = {}
    for grade in set(grades):
        for n in range(grades.count(grade)):
            answers[f"t.d{dimension}.{grade.lower()}{n}"] = "yes"
    return answers


def all_no_except(answers: dict[str, str]) -> dict[str, str]:
    """Every indicator answered "no" except those in ``answers``."""
    return {**dict.fromkeys(ALL_IDS, "no"), **answers}


# --- Step 1: one dimension ---------------------------------------------------------

POSITIVE = [
    ("SS", "2 strong"),
    ("SM", "1 strong + 1 medium"),
    ("SW", "1 strong + 1 weak"),
    ("MMM", "3 medium"),
    ("MMW", "2 medium + 1 weak"),
]
NEGATIVE = [
    ("", "nothing"),
    ("S", "1 strong"),
    ("MM", "2 medium"),
    ("MWW", "1 medium + 2 weak"),
    ("WWW", "3 weak"),
    ("M", "1 medium"),
    ("W", "1 weak"),
    ("MW", "1 medium + 1 weak"),
]


@pytest.mark.parametrize(("grades", "name"), POSITIVE, ids=[p[1] for p in POSITIVE])
def test_it_makes_a_dimension_positive_at_each_threshold(grades, name):
    assert rules.dimension_positive(grades.count("S"), grades.count("M"), grades.count("W"))


@pytest.mark.parametrize(("grades", "name"), NEGATIVE, ids=[n[1] for n in NEGATIVE])
def test_it_keeps_a_dimension_negative_at_each_near_miss(grades, name):
    assert not rules.dimension_positive(grades.count("S"), grades.count("M"), grades.count("W"))


@pytest.mark.parametrize(("grades", "name"), POSITIVE, ids=[p[1] for p in POSITIVE])
@pytest.mark.parametrize("dimension", rules.DIMENSIONS)
def test_it_applies_the_thresholds_to_every_dimension_of_a_list(dimension, grades, name):
    evaluation = rules.evaluate(ADULT, ticks(dimension, grades))

    assert [d.positive for d in evaluation.dimensions] == [d == dimension for d in rules.DIMENSIONS]


@pytest.mark.parametrize(("grades", "name"), NEGATIVE, ids=[n[1] for n in NEGATIVE])
@pytest.mark.parametrize("dimension", rules.DIMENSIONS)
def test_it_applies_the_near_misses_to_every_dimension_of_a_list(dimension, grades, name):
    evaluation = rules.evaluate(ADULT, ticks(dimension, grades))

    assert not any(d.positive for d in evaluation.dimensions)


def test_it_agrees_with_the_four_clauses_for_every_count_up_to_four():
    for strong, medium, weak in itertools.product(range(5), repeat=3):
        expected = (
            strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)
        )
        assert rules.dimension_positive(strong, medium, weak) == expected, (strong, medium, weak)


def test_it_lists_the_ticked_indicators_strongest_first():
    evaluation = rules.evaluate(
        ADULT, {"t.d5.w0": "yes", "t.d5.m0": "yes", "t.d5.s1": "yes", "t.d5.s0": "yes"}
    )

    ticked = evaluation.dimension(5).ticked
    assert [i.id for i in ticked] == ["t.d5.s0", "t.d5.s1", "t.d5.m0", "t.d5.w0"]
    assert (evaluation.dimension(5).strong, evaluation.dimension(5).weak) == (2, 1)


# --- Step 2: adults and children ----------------------------------------------------

RECRUITMENT = (1, 2, 3)
MEANS = (5, 6)


def positive_dimensions(dimensions: tuple[int, ...]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for dimension in dimensions:
        answers.update(ticks(dimension, "SS"))
    return answers


def adult_rule(positive: set[int]) -> bool:
    return bool(positive & {1, 2, 3}) and 4 in positive and bool(positive & {5, 6})


def child_rule(positive: set[int]) -> bool:
    return bool(positive & {1, 2, 3}) and 4 in positive


SUBSETS = [s for r in range(7) for s in itertools.combinations(rules.DIMENSIONS, r)]


@pytest.mark.parametrize("positive", SUBSETS, ids=lambda s: "D" + "".join(map(str, s)) if s else "none")
def test_it_combines_every_set_of_positive_dimensions_as_the_adult_rule_says(positive):
    evaluation = rules.evaluate(ADULT, all_no_except(positive_dimensions(positive)))

    expected = Outcome.INDICATIVE if adult_rule(set(positive)) else Outcome.NOT_INDICATIVE
    assert evaluation.outcome == expected


@pytest.mark.parametrize("positive", SUBSETS, ids=lambda s: "D" + "".join(map(str, s)) if s else "none")
def test_it_combines_every_set_of_positive_dimensions_as_the_child_rule_says(positive):
    evaluation = rules.evaluate(CHILD, all_no_except(positive_dimensions(positive)))

    expected = Outcome.INDICATIVE if child_rule(set(positive)) else Outcome.NOT_INDICATIVE
    assert evaluation.outcome == expected


@pytest.mark.parametrize("recruitment", RECRUITMENT)
@pytest.mark.parametrize("means", MEANS)
def test_it_accepts_any_one_recruitment_dimension_and_any_one_means_dimension_for_an_adult(
    recruitment, means
):
    evaluation = rules.evaluate(ADULT, positive_dimensions((recruitment, 4, means)))

    assert evaluation.outcome == Outcome.INDICATIVE


def test_it_requires_exploitation_for_an_adult_whatever_else_is_positive():
    evaluation = rules.evaluate(ADULT, all_no_except(positive_dimensions((1, 2, 3, 5, 6))))

    assert evaluation.outcome == Outcome.NOT_INDICATIVE
    assert [r.met for r in evaluation.requirements] == [True, False, True]


def test_it_requires_means_at_destination_for_an_adult_but_not_for_a_child():
    answers = all_no_except(positive_dimensions((2, 4)))

    assert rules.evaluate(ADULT, answers).outcome == Outcome.NOT_INDICATIVE
    assert rules.evaluate(CHILD, answers).outcome == Outcome.INDICATIVE


def test_it_says_which_dimensions_a_child_does_not_need():
    evaluation = rules.evaluate(CHILD, {})

    assert evaluation.not_required == (5, 6)
    assert [r.code for r in evaluation.requirements] == ["recruitment", "exploitation"]
    assert rules.evaluate(ADULT, {}).not_required == ()


def test_it_requires_recruitment_for_a_child():
    evaluation = rules.evaluate(CHILD, all_no_except(positive_dimensions((4, 5, 6))))

    assert evaluation.outcome == Outcome.NOT_INDICATIVE


# --- Outcomes with unknown answers -----------------------------------------------------


def test_it_gives_insufficient_information_when_nothing_is_answered():
    evaluation = rules.evaluate(ADULT, {})

    assert evaluation.outcome == Outcome.INSUFFICIENT
    assert all(d.attainable and not d.positive for d in evaluation.dimensions)


def test_it_gives_insufficient_information_when_unknown_indicators_could_still_meet_the_rule():
    answers = {**positive_dimensions((1, 4)), **{i: "no" for i in ALL_IDS if ".d6." in i}}

    evaluation = rules.evaluate(ADULT, answers)

    assert evaluation.outcome == Outcome.INSUFFICIENT
    assert evaluation.dimension(5).attainable and not evaluation.dimension(6).attainable


def test_it_gives_not_indicative_when_no_unknown_indicator_could_change_the_outcome():
    answers = {**positive_dimensions((1,)), **{i: "no" for i in ALL_IDS if ".d4." in i}}

    evaluation = rules.evaluate(ADULT, answers)

    assert evaluation.outcome == Outcome.NOT_INDICATIVE
    assert not evaluation.dimension(4).attainable


def test_it_counts_a_dimension_as_attainable_only_if_its_unknown_indicators_could_reach_a_threshold():
    # D4 of a list with a single weak indicator can never be positive.
    small = IndicatorSet(
        Population.CHILD, [IndicatorRule("x.d4.w", 4, Grade.WEAK), IndicatorRule("x.d1.s", 1, Grade.STRONG)]
    )

    evaluation = rules.evaluate(small, {})

    assert not evaluation.dimension(4).attainable
    assert evaluation.outcome == Outcome.NOT_INDICATIVE


def test_it_treats_an_unknown_answer_like_no_answer():
    assert rules.evaluate(ADULT, {"t.d1.s0": "unknown"}) == rules.evaluate(ADULT, {})


def test_it_counts_answered_indicators():
    evaluation = rules.evaluate(ADULT, {"t.d1.s0": "yes", "t.d1.s1": "no", "t.d1.s2": "unknown"})

    assert evaluation.answered == 2
    assert evaluation.ticked == 1


def test_it_snapshots_the_evaluation_as_json_ready_data():
    snapshot = rules.evaluate(CHILD, ticks(5, "SW")).to_dict()

    assert snapshot["population"] == "child"
    assert snapshot["outcome"] == "insufficient_information"
    assert snapshot["not_required"] == [5, 6]
    assert snapshot["dimensions"][4]["ticked"] == [
        {"id": "t.d5.s0", "grade": "S"},
        {"id": "t.d5.w0", "grade": "W"},
    ]
    assert snapshot["dimensions"][4]["positive"] is True


# --- Bad input ---------------------------------------------------------------------------


def test_it_names_every_unknown_indicator():
    with pytest.raises(rules.UnknownIndicatorError) as caught:
        rules.evaluate(ADULT, {"nope.b": "yes", "t.d1.s0": "yes", "nope.a": "no"})

    assert caught.value.ids == ("nope.a", "nope.b")


def test_it_names_every_answer_other_than_yes_no_unknown():
    with pytest.raises(rules.InvalidAnswerError) as caught:
        rules.evaluate(ADULT, {"t.d1.s0": "maybe", "t.d1.s1": "YES!", "t.d1.s2": "yes"})

    assert caught.value.ids == ("t.d1.s0", "t.d1.s1")


def test_it_refuses_a_list_with_a_duplicate_id_or_a_dimension_out_of_range():
    with pytest.raises(ValueError, match="Duplicate"):
        IndicatorSet(
            Population.ADULT, [IndicatorRule("a.b", 1, Grade.STRONG), IndicatorRule("a.b", 2, Grade.WEAK)]
        )
    with pytest.raises(ValueError, match="dimension"):
        IndicatorSet(Population.ADULT, [IndicatorRule("a.b", 7, Grade.STRONG)])


def test_it_refuses_an_unknown_rule():
    with pytest.raises(ValueError, match="rule"):
        IndicatorSet(Population.ADULT, [], rule="decision131")


# --- Properties ---------------------------------------------------------------------------

answer_values = st.sampled_from([a.value for a in Answer])
answer_sets = st.dictionaries(st.sampled_from(ALL_IDS), answer_values, max_size=len(ALL_IDS))
populations = st.sampled_from([ADULT, CHILD])


@settings(max_examples=300, deadline=None)
@given(indicators=populations, answers=answer_sets, extra=st.sampled_from(ALL_IDS))
def test_it_never_turns_a_positive_dimension_negative_when_a_yes_is_added(indicators, answers, extra):
    before = rules.evaluate(indicators, answers)
    after = rules.evaluate(indicators, {**answers, extra: "yes"})

    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert not (old.positive and not new.positive)
        assert not (old.attainable and not new.attainable)


@settings(max_examples=300, deadline=None)
@given(indicators=populations, answers=answer_sets, extra=st.sampled_from(ALL_IDS))
def test_it_never_turns_indicative_into_not_indicative_when_a_yes_is_added(indicators, answers, extra):
    before = rules.evaluate(indicators, answers)
    after = rules.evaluate(indicators, {**answers, extra: "yes"})

    if before.outcome == Outcome.INDICATIVE:
        assert after.outcome == Outcome.INDICATIVE
    if before.outcome != Outcome.NOT_INDICATIVE:
        assert after.outcome != Outcome.NOT_INDICATIVE


@settings(max_examples=300, deadline=None)
@given(indicators=populations, answers=answer_sets)
def test_it_decides_as_the_rule_would_if_every_unknown_were_resolved(indicators, answers):
    evaluation = rules.evaluate(indicators, answers)
    open_ids = [i for i in ALL_IDS if answers.get(i, "unknown") == "unknown"]
    all_yes = rules.evaluate(indicators, {**answers, **dict.fromkeys(open_ids, "yes")})

    if evaluation.outcome == Outcome.NOT_INDICATIVE:
        assert all_yes.outcome == Outcome.NOT_INDICATIVE
    if evaluation.outcome == Outcome.INSUFFICIENT:
        assert all_yes.outcome == Outcome.INDICATIVE


@settings(max_examples=200, deadline=None)
@given(answers=answer_sets)
def test_it_never_finds_a_child_less_indicative_than_an_adult_with_the_same_answers(answers):
    order = {Outcome.NOT_INDICATIVE: 0, Outcome.INSUFFICIENT: 1, Outcome.INDICATIVE: 2}

    assert order[rules.evaluate(CHILD, answers).outcome] >= order[rules.evaluate(ADULT, answers).outcome]
