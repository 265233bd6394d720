"""The identification rule of the ILO/EC operational indicators (2009), as plain Python.

No Django here: the rule is evaluated the same way by the pages, the API, the
``azad screen`` command and the benchmark, and can be read on its own.

**Step 1 — a dimension is positive** when its indicators answered "yes" hold
at least two strong; or one strong and one medium or weak; or three medium;
or two medium and one weak (:func:`dimension_positive`).

**Step 2 — the dimensions combine** into the requirements of the trafficking
definition:

- adult: recruitment (D1 or D2 or D3) **and** exploitation (D4) **and** means at
  destination (D5 or D6);
- child: recruitment (D1 or D2 or D3) **and** exploitation (D4). The means are
  not required: under the Palermo Protocol (Art. 3(c)) and Azerbaijani law a
  child is a victim whatever means were used, and a child's consent is
  irrelevant.

**The outcome** (each indicator is answered yes, no or unknown; an indicator not
answered at all counts as unknown):

- ``indicative`` — the rule is met by the "yes" answers alone;
- ``not_indicative`` — the rule would not be met even if every unknown
  indicator were "yes": nothing left open can change the outcome;
- ``insufficient_information`` — the rule is not met now, but could still be
  met by the indicators left unknown: find out more before concluding.

The outcome is advisory: "indicative of trafficking" starts a referral, it is
never the victim status itself (which the police anti-trafficking department
decides). Adding a "yes" never turns a positive dimension negative and never
turns an indicative outcome into a not indicative one (the tests prove it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

RULE_ILO_2009 = "ilo2009"
KNOWN_RULES = frozenset({RULE_ILO_2009})
DIMENSIONS: tuple[int, ...] = (1, 2, 3, 4, 5, 6)


class Grade(StrEnum):
    """How strongly one indicator points to trafficking (ILO/EC Delphi grades)."""

    STRONG = "S"
    MEDIUM = "M"
    WEAK = "W"


class Answer(StrEnum):
    """What the screener found for one indicator."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Population(StrEnum):
    """Whom a list is for; a person of unknown age is screened as a child."""

    ADULT = "adult"
    CHILD = "child"


class Outcome(StrEnum):
    """The advisory result of a screening."""

    INDICATIVE = "indicative"
    NOT_INDICATIVE = "not_indicative"
    INSUFFICIENT = "insufficient_information"


class RuleInputError(ValueError):
    """Answers the rule cannot evaluate; ``ids`` names the offending indicator ids."""

    code = "invalid"

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids: tuple[str, ...] = tuple(sorted(ids))
        super().__init__(f"{self.code}: {', '.join(self.ids)}")


class UnknownIndicatorError(RuleInputError):
    """Answers name indicators that are not in the list being evaluated."""

    code = "unknown_indicator"


class InvalidAnswerError(RuleInputError):
    """Answers other than yes, no or unknown."""

    code = "invalid_answer"


@dataclass(frozen=True, slots=True)
class IndicatorRule:
    """What the rule needs of one indicator: its stable id, dimension and grade."""

    id: str
    dimension: int
    grade: Grade


@dataclass(frozen=True, slots=True)
class Requirement:
    """One element of the definition, met when any of its dimensions is positive."""

    code: str
    dimensions: tuple[int, ...]


RECRUITMENT = Requirement("recruitment", (1, 2, 3))
EXPLOITATION = Requirement("exploitation", (4,))
MEANS_AT_DESTINATION = Requirement("means_at_destination", (5, 6))

REQUIREMENTS: dict[Population, tuple[Requirement, ...]] = {
    Population.ADULT: (RECRUITMENT, EXPLOITATION, MEANS_AT_DESTINATION),
    Population.CHILD: (RECRUITMENT, EXPLOITATION),
}

_ANSWERS = frozenset(a.value for a in Answer)
_GRADE_RANK = {Grade.STRONG: 0, Grade.MEDIUM: 1, Grade.WEAK: 2}
_POSITION_BITS = 16  # a list holds fewer than 65,536 indicators
_new_tuple = tuple.__new__
_NOT_REQUIRED: dict[Population, tuple[int, ...]] = {
    population: tuple(d for d in DIMENSIONS if not any(d in r.dimensions for r in requirements))
    for population, requirements in REQUIREMENTS.items()
}


def dimension_positive(strong: int, medium: int, weak: int) -> bool:
    """Step 1: whether a dimension with these counts of "yes" answers is positive."""
    return strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)


class IndicatorSet:
    """One version of one indicator list, as the rule sees it.

    Built once per list version (the catalogue caches it) and then used for any
    number of evaluations. Everything an evaluation looks up is precomputed
    here, so evaluating costs one pass over the answers.
    """

    __slots__ = (
        "_by_key",
        "_keys",
        "_slots",
        "_totals",
        "by_id",
        "key",
        "order",
        "population",
        "requirements",
        "rule",
        "rules",
    )

    def __init__(
        self,
        population: Population | str,
        indicators: Iterable[IndicatorRule],
        *,
        key: str = "",
        rule: str = RULE_ILO_2009,
    ) -> None:
        if rule not in KNOWN_RULES:
            raise ValueError(f"Unknown rule {rule!r}")
        self.population = Population(population)
        self.key = key
        self.rule = rule
        self.requirements = REQUIREMENTS[self.population]
        self.by_id: dict[str, IndicatorRule] = {}
        self.order: dict[str, int] = {}
        self.rules: list[IndicatorRule] = []
        # id -> slot (dimension * 3 + grade rank), and id -> sort key (slot, then position in
        # the list, in one integer), so that sorting the keys of the "yes" answers orders them
        # by dimension, strongest first, then as listed.
        self._slots: dict[str, int] = {}
        self._keys: dict[str, int] = {}
        self._by_key: dict[int, IndicatorRule] = {}
        self._totals = [0] * (7 * 3)
        for position, indicator in enumerate(indicators):
            if indicator.id in self.by_id:
                raise ValueError(f"Duplicate indicator id {indicator.id!r}")
            if indicator.dimension not in DIMENSIONS:
                raise ValueError(f"Indicator {indicator.id!r} has no dimension 1-6")
            grade = Grade(indicator.grade)
            item = IndicatorRule(indicator.id, indicator.dimension, grade)
            slot = indicator.dimension * 3 + _GRADE_RANK[grade]
            self.by_id[item.id] = item
            self.order[item.id] = position
            self.rules.append(item)
            self._slots[item.id] = slot
            self._keys[item.id] = slot << _POSITION_BITS | position
            self._by_key[slot << _POSITION_BITS | position] = item
            self._totals[slot] += 1

    def __len__(self) -> int:
        return len(self.by_id)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self.by_id

    def total(self, dimension: int, grade: Grade) -> int:
        """How many indicators of ``grade`` the list has in ``dimension``."""
        return self._totals[dimension * 3 + _GRADE_RANK[Grade(grade)]]


class DimensionResult(NamedTuple):
    """Step 1 for one dimension: positive now, positive if every unknown were yes, and why."""

    dimension: int
    positive: bool
    attainable: bool
    ticked: tuple[IndicatorRule, ...]
    unknown: int
    strong: int
    medium: int
    weak: int


class RequirementResult(NamedTuple):
    """Step 2 for one requirement: met now, or still attainable."""

    code: str
    dimensions: tuple[int, ...]
    met: bool
    attainable: bool


class Evaluation(NamedTuple):
    """The outcome of one set of answers against one list, with everything that explains it."""

    rule: str
    population: Population
    outcome: Outcome
    dimensions: tuple[DimensionResult, ...]
    requirements: tuple[RequirementResult, ...]
    not_required: tuple[int, ...]
    answered: int

    @property
    def ticked(self) -> int:
        return sum(len(d.ticked) for d in self.dimensions)

    def dimension(self, number: int) -> DimensionResult:
        return self.dimensions[number - 1]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot: what a completed screening stores and the API returns."""
        return {
            "rule": self.rule,
            "population": self.population.value,
            "outcome": self.outcome.value,
            "answered": self.answered,
            "dimensions": [
                {
                    "dimension": d.dimension,
                    "positive": d.positive,
                    "attainable": d.attainable,
                    "strong": d.strong,
                    "medium": d.medium,
                    "weak": d.weak,
                    "unknown": d.unknown,
                    "ticked": [{"id": i.id, "grade": i.grade.value} for i in d.ticked],
                }
                for d in self.dimensions
            ],
            "requirements": [
                {"code": r.code, "dimensions": list(r.dimensions), "met": r.met, "attainable": r.attainable}
                for r in self.requirements
            ],
            "not_required": list(self.not_required),
        }


def check_answers(indicators: IndicatorSet, answers: Mapping[str, str]) -> None:
    """Raise :class:`UnknownIndicatorError` or :class:`InvalidAnswerError` for answers the rule cannot use."""
    unknown = [indicator_id for indicator_id in answers if indicator_id not in indicators.by_id]
    if unknown:
        raise UnknownIndicatorError(unknown)
    invalid = [indicator_id for indicator_id, answer in answers.items() if answer not in _ANSWERS]
    if invalid:
        raise InvalidAnswerError(invalid)


def evaluate(indicators: IndicatorSet, answers: Mapping[str, str]) -> Evaluation:
    """Evaluate ``answers`` (indicator id -> "yes" / "no" / "unknown") against ``indicators``.

    Indicators without an answer count as unknown. Raises
    :class:`UnknownIndicatorError` for ids not in the list and
    :class:`InvalidAnswerError` for other answers.
    """
    slots = indicators._slots
    keys = indicators._keys
    yes = [0] * 21
    no = [0] * 21
    ticked: list[int] = []
    try:
        for indicator_id, answer in answers.items():
            if answer == "yes":
                key = keys[indicator_id]
                ticked.append(key)
                yes[key >> _POSITION_BITS] += 1
            elif answer == "no":
                no[slots[indicator_id]] += 1
            elif answer != "unknown" or indicator_id not in slots:
                raise KeyError(indicator_id)
    except KeyError:
        check_answers(indicators, answers)  # raises, naming every unknown id or invalid answer
        raise
    ticked.sort()  # by dimension, then strongest first, then in the list's order
    answered = len(ticked) + sum(no)

    totals = indicators._totals
    by_key = indicators._by_key.__getitem__
    results: list[DimensionResult] = []
    offset = 0
    for dimension in DIMENSIONS:
        s_ = dimension * 3
        strong, medium, weak = yes[s_], yes[s_ + 1], yes[s_ + 2]
        open_strong = totals[s_] - strong - no[s_]
        open_medium = totals[s_ + 1] - medium - no[s_ + 1]
        open_weak = totals[s_ + 2] - weak - no[s_ + 2]
        positive = (
            strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)
        )
        if positive:
            attainable = True
        else:
            # Could the dimension be positive if every unknown indicator were yes?
            can_s, can_m, can_w = strong + open_strong, medium + open_medium, weak + open_weak
            attainable = (
                can_s >= 2 or (can_s >= 1 and can_m + can_w >= 1) or can_m >= 3 or (can_m >= 2 and can_w >= 1)
            )
        count = strong + medium + weak
        chosen = tuple(map(by_key, ticked[offset : offset + count])) if count else ()
        # tuple.__new__ skips the named tuple's Python-level constructor: this runs six times per evaluation.
        results.append(
            _new_tuple(
                DimensionResult,
                (
                    dimension,
                    positive,
                    attainable,
                    chosen,
                    open_strong + open_medium + open_weak,
                    strong,
                    medium,
                    weak,
                ),
            )
        )
        offset += count

    met_all = attainable_all = True
    requirements = []
    for requirement in indicators.requirements:
        met = attainable_ = False
        for d in requirement.dimensions:
            result = results[d - 1]
            met = met or result[1]  # positive
            attainable_ = attainable_ or result[2]  # attainable
        met_all = met_all and met
        attainable_all = attainable_all and attainable_
        requirements.append(
            _new_tuple(RequirementResult, (requirement.code, requirement.dimensions, met, attainable_))
        )
    if met_all:
        outcome = Outcome.INDICATIVE
    elif attainable_all:
        outcome = Outcome.INSUFFICIENT
    else:
        outcome = Outcome.NOT_INDICATIVE
    return Evaluation(
        indicators.rule,
        indicators.population,
        outcome,
        tuple(results),
        tuple(requirements),
        _NOT_REQUIRED[indicators.population],
        answered,
    )
