"""k-anonymity for published datasets: generalise, then suppress, until every class has k rows.

Pure Python, no Django: rows are dicts, quasi-identifiers are column names from
:data:`HIERARCHIES`. The method is a deterministic full-domain generalisation
in the manner of Datafly (Sweeney, 2002), followed by record suppression:

1. count the rows of every combination of quasi-identifier values;
2. while more rows sit in combinations smaller than ``k`` than the
   suppression budget allows (``max_suppression`` of all rows), move one
   quasi-identifier one level up its hierarchy — the one with the most distinct
   values among the rows still at risk (ties: the order the caller gave);
3. drop the rows still in combinations smaller than ``k`` (CTDC "redacts" them).

Each hierarchy step is a function of the previous level's value, so the search
works on the counts of distinct combinations, never on the rows again; the rows
are read twice (count, then write out). Every published combination of
quasi-identifier values then occurs at least ``k`` times, and no value is more
specific than the row it came from. Columns that are not quasi-identifiers are
copied unchanged.
"""

from __future__ import annotations

import gc
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# What a value becomes when it is generalised away (and how an unknown value is written).
WITHHELD = ""

# CTDC's age bands (the global dataset writes them with a double dash).
AGE_BANDS: tuple[str, ...] = (
    "0--8",
    "9--17",
    "18--20",
    "21--23",
    "24--26",
    "27--29",
    "30--38",
    "39--47",
    "48+",
)
_BROAD_AGE = {
    "0--8": "0--17",
    "9--17": "0--17",
    "18--20": "18--29",
    "21--23": "18--29",
    "24--26": "18--29",
    "27--29": "18--29",
    "30--38": "30--47",
    "39--47": "30--47",
    "48+": "48+",
}
_MAJORITY_AGE = {"0--17": "0--17", "18--29": "18+", "30--47": "18+", "48+": "18+"}

# UN M49 regions by ISO 3166 alpha-2 code; anything else (XX: stateless) is "Other".
_REGION_CODES = {
    "Africa": (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS LY MA MG "
        "ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG YT ZA ZM ZW"
    ),
    "Americas": (
        "AG AI AR AW BB BL BM BO BQ BR BS BV BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GS GT GY HN "
        "HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT UM US UY VC VE VG VI"
    ),
    "Asia": (
        "AE AF AM AZ BD BH BN BT CN CY GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN MO "
        "MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE"
    ),
    "Europe": (
        "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU "
        "LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK"
    ),
    "Oceania": "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF",
}
REGION_OF: dict[str, str] = {
    code: region for region, codes in _REGION_CODES.items() for code in codes.split()
}


def _withhold(_value: Any) -> Any:
    return WITHHELD


def _keep_unknown(step: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An unknown value stays unknown at every level."""

    def generalise(value: Any) -> Any:
        return WITHHELD if value in (WITHHELD, None) else step(value)

    return generalise


def _year_span(width: int) -> Callable[[Any], Any]:
    def span(value: Any) -> str:
        first = int(str(value).split("-")[0])
        start = first - first % width
        return f"{start}-{start + width - 1}"

    return span


@dataclass(frozen=True)
class Hierarchy:
    """How far a quasi-identifier can be generalised: level names and the step up from each level."""

    levels: tuple[str, ...]
    steps: tuple[Callable[[Any], Any], ...]

    def __post_init__(self) -> None:
        if len(self.steps) != len(self.levels) - 1:
            raise ValueError("a hierarchy needs one step between each two levels")

    @property
    def top(self) -> int:
        return len(self.levels) - 1

    def chain(self, value: Any) -> list[Any]:
        """``value`` at every level, from the original to withheld."""
        values = [value]
        for step in self.steps:
            values.append(step(values[-1]))
        return values


def _flag_hierarchy() -> Hierarchy:
    return Hierarchy(("value", "withheld"), (_withhold,))


HIERARCHIES: dict[str, Hierarchy] = {
    "yearOfRegistration": Hierarchy(
        ("year", "two years", "five years", "withheld"),
        (_keep_unknown(_year_span(2)), _keep_unknown(_year_span(5)), _withhold),
    ),
    "gender": Hierarchy(("value", "withheld"), (_withhold,)),
    "ageBroad": Hierarchy(
        ("CTDC age band", "broad age band", "child or adult", "withheld"),
        (
            _keep_unknown(lambda v: _BROAD_AGE.get(v, WITHHELD)),
            _keep_unknown(lambda v: _MAJORITY_AGE.get(v, WITHHELD)),
            _withhold,
        ),
    ),
    "majorityStatus": Hierarchy(("value", "withheld"), (_withhold,)),
    "citizenship": Hierarchy(
        ("country", "region", "withheld"),
        (_keep_unknown(lambda v: REGION_OF.get(v, "Other")), _withhold),
    ),
    "CountryOfExploitation": Hierarchy(
        ("country", "region", "withheld"),
        (_keep_unknown(lambda v: REGION_OF.get(v, "Other")), _withhold),
    ),
    "isForcedLabour": _flag_hierarchy(),
    "isSexualExploit": _flag_hierarchy(),
    "isOtherExploit": _flag_hierarchy(),
}

# CTDC's quasi-identifiers (year, gender, age, citizenship, type of exploitation, country of exploitation).
DEFAULT_QUASI_IDENTIFIERS: tuple[str, ...] = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
)
DEFAULT_MAX_SUPPRESSION = 0.1


class KAnonymityError(ValueError):
    """Bad parameters. ``code`` says which rule (for a translated message); ``params`` the details."""

    def __init__(self, message: str, *, code: str, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})


@dataclass
class QuasiIdentifierReport:
    """What happened to one quasi-identifier."""

    name: str
    level: int
    level_name: str
    top_level: int
    distinct_before: int
    distinct_after: int


@dataclass
class Report:
    """What the anonymiser did: generalisation per quasi-identifier, suppression, class sizes."""

    k: int
    quasi_identifiers: list[str]
    max_suppression: float
    rows_in: int
    rows_out: int
    rows_suppressed: int
    classes: int
    smallest_class: int | None
    largest_class: int | None
    class_sizes: dict[int, int] = field(default_factory=dict)  # class size -> how many classes
    generalisation: list[QuasiIdentifierReport] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)  # the order quasi-identifiers were generalised

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "quasi_identifiers": list(self.quasi_identifiers),
            "max_suppression": self.max_suppression,
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_suppressed": self.rows_suppressed,
            "classes": self.classes,
            "smallest_class": self.smallest_class,
            "largest_class": self.largest_class,
            "class_sizes": {str(size): n for size, n in sorted(self.class_sizes.items())},
            "generalisation": [vars(g) for g in self.generalisation],
            "steps": list(self.steps),
        }


@dataclass
class Result:
    """The published rows (in input order), the input index of each, and the report."""

    rows: list[dict[str, Any]]
    kept: list[int]
    report: Report


def validate(
    quasi_identifiers: Sequence[str], k: Any, max_suppression: Any = DEFAULT_MAX_SUPPRESSION
) -> None:
    """Raise :class:`KAnonymityError` for an unknown or repeated quasi-identifier, k < 2, a bad budget."""
    if not quasi_identifiers:
        raise KAnonymityError("Choose at least one quasi-identifier.", code="no_quasi_identifiers")
    unknown = [q for q in quasi_identifiers if q not in HIERARCHIES]
    if unknown:
        raise KAnonymityError(
            f"Unknown quasi-identifier: {', '.join(unknown)}. Known: {', '.join(HIERARCHIES)}.",
            code="unknown_quasi_identifier",
            params={"names": unknown, "known": list(HIERARCHIES)},
        )
    if len(set(quasi_identifiers)) != len(quasi_identifiers):
        raise KAnonymityError("A quasi-identifier is named twice.", code="repeated_quasi_identifier")
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise KAnonymityError("k must be a whole number of at least 2.", code="k_too_small", params={"k": k})
    if (
        isinstance(max_suppression, bool)
        or not isinstance(max_suppression, int | float)
        or not 0 <= max_suppression < 1
    ):
        raise KAnonymityError(
            "The suppression budget must be a fraction from 0 up to (not including) 1.",
            code="bad_suppression",
            params={"max_suppression": max_suppression},
        )


def _apply_step(
    counts: Counter[tuple[Any, ...]], position: int, step: Callable[[Any], Any]
) -> Counter[tuple[Any, ...]]:
    """The class counts after moving the quasi-identifier at ``position`` one level up.

    Works column-wise so that the per-class work stays in C: the step is called
    once per distinct value, the keys are rebuilt with ``zip``.
    """
    columns = list(zip(*counts, strict=True)) if counts else []
    if not columns:
        return Counter()
    mapping = {value: step(value) for value in set(columns[position])}
    columns[position] = tuple(map(mapping.__getitem__, columns[position]))
    result: Counter[tuple[Any, ...]] = Counter()
    for key, n in zip(zip(*columns, strict=True), counts.values(), strict=True):
        result[key] += n
    return result


def _distinct(keys: Iterable[tuple[Any, ...]], width: int) -> list[int]:
    """How many distinct values each position of ``keys`` takes."""
    columns = list(zip(*keys, strict=True))
    return [len(set(column)) for column in columns] if columns else [0] * width


def anonymise(
    rows: Iterable[dict[str, Any]],
    quasi_identifiers: Sequence[str],
    k: int,
    *,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
) -> Result:
    """Rows made k-anonymous over ``quasi_identifiers`` (see the module's docstring), and the report.

    The cyclic garbage collector is paused meanwhile: the work allocates one
    dict per row and no cycles, and the collector's repeated passes over a
    million fresh dicts would otherwise cost more than the work itself.
    """
    validate(quasi_identifiers, k, max_suppression)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _anonymise(rows, list(quasi_identifiers), k, max_suppression)
    finally:
        if was_enabled:
            gc.enable()


def _anonymise(rows: Iterable[dict[str, Any]], qis: list[str], k: int, max_suppression: float) -> Result:
    hierarchies = [HIERARCHIES[q] for q in qis]
    rows = rows if isinstance(rows, list) else list(rows)
    total = len(rows)

    # 1. Count the original combinations (one pass over the rows, tuples built in C).
    getter = operator.itemgetter(*qis)
    try:
        keys: list[tuple[Any, ...]] = (
            list(map(getter, rows)) if len(qis) > 1 else [(value,) for value in map(getter, rows)]
        )
    except KeyError as missing:
        raise KAnonymityError(
            f"A row has no column {missing}.", code="missing_column", params={"name": str(missing)}
        ) from None
    original: Counter[tuple[Any, ...]] = Counter(keys)
    distinct_before = _distinct(original, len(qis))

    # 2. Generalise one quasi-identifier a level at a time, on the counts only.
    budget = int(max_suppression * total)
    levels = [0] * len(qis)
    counts = original
    steps: list[str] = []
    while True:
        at_risk = [key for key, n in counts.items() if n < k]
        if sum(map(counts.__getitem__, at_risk)) <= budget:
            break
        candidates = [i for i in range(len(qis)) if levels[i] < hierarchies[i].top]
        if not candidates:
            break
        # Datafly: the attribute with the most distinct values among the rows at risk.
        distinct = _distinct(at_risk, len(qis))
        chosen = max(candidates, key=lambda i: (distinct[i], -i))
        counts = _apply_step(counts, chosen, hierarchies[chosen].steps[levels[chosen]])
        levels[chosen] += 1
        steps.append(qis[chosen])

    # 3. Map each original value to its published value, then write out the rows kept.
    value_maps: list[dict[Any, Any]] = []
    original_columns = list(zip(*original, strict=True)) if original else [()] * len(qis)
    for i, hierarchy in enumerate(hierarchies):
        mapping = {}
        for value in set(original_columns[i]):
            published = value
            for step in hierarchy.steps[: levels[i]]:
                published = step(published)
            mapping[value] = published
        value_maps.append(mapping)
    # Per original combination: None if suppressed, else the quasi-identifiers that change.
    changed = [i for i in range(len(qis)) if levels[i] > 0]
    changed_names = [qis[i] for i in changed]
    generalised_columns = [
        list(map(value_maps[i].__getitem__, original_columns[i])) if levels[i] else original_columns[i]
        for i in range(len(qis))
    ]
    changes: dict[tuple[Any, ...], dict[str, Any] | None] = {}
    if original:
        generalised_keys = zip(*generalised_columns, strict=True)
        new_values = zip(*(generalised_columns[i] for i in changed), strict=True) if changed else None
        for key, generalised in zip(original, generalised_keys, strict=True):
            values = next(new_values) if new_values is not None else ()
            changes[key] = dict(zip(changed_names, values, strict=True)) if counts[generalised] >= k else None
    per_row = list(map(changes.__getitem__, keys))
    kept = [index for index, change in enumerate(per_row) if change is not None]
    out = [row | change for row, change in zip(rows, per_row, strict=True) if change is not None]

    sizes = [n for n in counts.values() if n >= k]
    distinct_after = _distinct((key for key, n in counts.items() if n >= k), len(qis))
    report = Report(
        k=k,
        quasi_identifiers=qis,
        max_suppression=max_suppression,
        rows_in=total,
        rows_out=len(out),
        rows_suppressed=total - len(out),
        classes=len(sizes),
        smallest_class=min(sizes) if sizes else None,
        largest_class=max(sizes) if sizes else None,
        class_sizes=dict(Counter(sizes)),
        generalisation=[
            QuasiIdentifierReport(
                name=q,
                level=levels[i],
                level_name=hierarchies[i].levels[levels[i]],
                top_level=hierarchies[i].top,
                distinct_before=distinct_before[i],
                distinct_after=distinct_after[i],
            )
            for i, q in enumerate(qis)
        ],
        steps=steps,
    )
    return Result(rows=out, kept=kept, report=report)
