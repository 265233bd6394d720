"""k-anonymity for published datasets: generalise, then suppress, until every class has k rows.

No Django: the data comes as columns (a dict of name -> list of values, one
per row); quasi-identifiers are column names from :data:`HIERARCHIES`. The
method is a deterministic full-domain generalisation in the manner of Datafly
(Sweeney, 2002), followed by record suppression:

1. count the rows of every combination of quasi-identifier values;
2. while more rows sit in combinations smaller than ``k`` than the
   suppression budget allows (``max_suppression`` of all rows), move one
   quasi-identifier one level up its hierarchy — the one with the most distinct
   values among the rows still at risk (ties: the order the caller gave);
3. drop the rows still in combinations smaller than ``k`` (CTDC "redacts" them).

Each hierarchy step is a function of the previous level's value, so the search
works on the counts of distinct combinations, never on the rows again; the rows
are read twice (count, then write out). The work per row is done over whole
columns in C: each quasi-identifier's values are numbered with one dict lookup
per cell, the numbers are packed into one int per row and grouped by NumPy, and
the published columns are cut with ``itertools.compress``. Every published
combination of quasi-identifier values then occurs at least ``k`` times, and
no value is more specific than the row it came from. Columns that are not
quasi-identifiers are copied unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

import numpy as np

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
    """The published columns (rows in input order), the report, and which input rows were kept."""

    columns: dict[str, list[Any]]
    report: Report
    kept_flags: bytes = b""  # one byte per input row: 1 if it is published

    @property
    def kept(self) -> list[int]:
        """The input index of each published row."""
        return list(compress(range(len(self.kept_flags)), self.kept_flags))

    def rows(self) -> list[dict[str, Any]]:
        """The published rows as dicts."""
        return rows_of(self.columns)


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


def columns_of(rows: Iterable[Mapping[str, Any]], names: Sequence[str] | None = None) -> dict[str, list[Any]]:
    """``rows`` (dicts) as columns; ``names`` default to the first row's keys."""
    rows = rows if isinstance(rows, list) else list(rows)
    if names is None:
        names = list(rows[0]) if rows else []
    return {name: [row[name] for row in rows] for name in names}


def rows_of(columns: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """``columns`` as one dict per row (for a caller that wants records, e.g. JSON)."""
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


class _Numbering(dict[Any, int]):
    """Each value -> its number, in the order values are first met."""

    def __missing__(self, value: Any) -> int:
        number = self[value] = len(self)
        return number


def _width(n: int) -> int:
    """Bits that hold the numbers 0 .. n - 1."""
    return max(n - 1, 0).bit_length()


def _group(codes: Sequence[np.ndarray], widths: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct combinations of ``codes`` (one array per quasi-identifier, all of one length).

    Returns, per combination, the index of one element that has it and its
    number of elements, and per element the number of its combination. The
    codes are packed side by side into one int64 key (what would not fit in
    62 bits is renumbered first), so the grouping is one sort of ints.
    """
    length = len(codes[0])
    key = np.zeros(length, dtype=np.int64)
    bits = 0
    for column, width in zip(codes, widths, strict=True):
        if bits + width > 62:
            distinct, key = np.unique(key, return_inverse=True)
            bits = _width(len(distinct))
        key |= column << bits
        bits += width
    distinct, inverse, sizes = np.unique(key, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(length)
    representative = np.empty(len(distinct), dtype=np.int64)
    representative[inverse] = np.arange(length)
    return representative, inverse, sizes


def _object_array(values: Sequence[Any]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    for index, value in enumerate(values):
        array[index] = value
    return array


def anonymise(
    columns: Mapping[str, Sequence[Any]],
    quasi_identifiers: Sequence[str],
    k: int,
    *,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
) -> Result:
    """``columns`` made k-anonymous over ``quasi_identifiers`` (see the module's docstring), and the report.

    ``columns`` maps each column's name to its values, one per row (all of the
    same length); :func:`columns_of` turns a list of dicts into that shape.
    """
    validate(quasi_identifiers, k, max_suppression)
    missing = [q for q in quasi_identifiers if q not in columns]
    if missing:
        raise KAnonymityError(
            f"A row has no column {missing[0]}.", code="missing_column", params={"name": missing[0]}
        )
    if len({len(values) for values in columns.values()}) > 1:
        raise ValueError("every column must hold one value per row")
    return _anonymise(columns, list(quasi_identifiers), k, max_suppression)


def _anonymise(
    columns: Mapping[str, Sequence[Any]], qis: list[str], k: int, max_suppression: float
) -> Result:
    hierarchies = [HIERARCHIES[q] for q in qis]
    total = len(columns[qis[0]])

    # 1. Number each quasi-identifier's values (one dict lookup per cell, in C) and count the combinations.
    originals: list[list[Any]] = []  # each quasi-identifier's distinct values, numbered from 0
    row_codes: list[np.ndarray] = []
    for q in qis:
        numbering = _Numbering()
        row_codes.append(np.fromiter(map(numbering.__getitem__, columns[q]), dtype=np.int64, count=total))
        originals.append(list(numbering))
    widths = [_width(len(values)) for values in originals]
    one_row, row_class, counts = _group(row_codes, widths)
    class_codes = [codes[one_row] for codes in row_codes]  # per class: each quasi-identifier's number

    # 2. Generalise one quasi-identifier a level at a time, on the classes only.
    budget = int(max_suppression * total)
    levels = [0] * len(qis)
    level_values = [list(v) for v in originals]  # the distinct values at the level reached
    published = [np.arange(len(v), dtype=np.int64) for v in originals]  # original number -> number now
    current = np.arange(len(counts), dtype=np.int64)  # class of the original combinations -> class now
    steps: list[str] = []
    while True:
        at_risk = counts < k
        if int(counts[at_risk].sum()) <= budget:
            break
        candidates = [i for i in range(len(qis)) if levels[i] < hierarchies[i].top]
        if not candidates:
            break
        # Datafly: the attribute with the most distinct values among the rows at risk.
        distinct = {i: len(np.unique(class_codes[i][at_risk])) for i in candidates}
        chosen = max(candidates, key=lambda i: (distinct[i], -i))
        stepped = [hierarchies[chosen].steps[levels[chosen]](value) for value in level_values[chosen]]
        level_values[chosen] = list(dict.fromkeys(stepped))
        number = {value: index for index, value in enumerate(level_values[chosen])}
        remap = np.array([number[value] for value in stepped], dtype=np.int64)
        published[chosen] = remap[published[chosen]]
        class_codes[chosen] = remap[class_codes[chosen]]
        levels[chosen] += 1
        steps.append(qis[chosen])
        one_class, regrouped, _sizes = _group(class_codes, widths)
        counts = np.bincount(regrouped, weights=counts).astype(np.int64)
        class_codes = [codes[one_class] for codes in class_codes]
        current = regrouped[current]

    # 3. Keep the rows whose class has k rows; the generalised columns get their published values.
    published_class = counts >= k
    row_kept = published_class[current][row_class]
    everything = bool(row_kept.all())
    flags = row_kept.tobytes()
    rows_out = int(np.count_nonzero(row_kept))
    generalised = {q: i for i, q in enumerate(qis) if levels[i]}
    out: dict[str, list[Any]] = {}
    for name, column in columns.items():
        if name in generalised:
            i = generalised[name]
            codes = row_codes[i] if everything else row_codes[i][row_kept]
            out[name] = _object_array(level_values[i])[published[i][codes]].tolist()
        else:
            out[name] = list(column if everything else compress(column, flags))

    sizes = counts[published_class]
    size_values, size_classes = np.unique(sizes, return_counts=True)
    report = Report(
        k=k,
        quasi_identifiers=qis,
        max_suppression=max_suppression,
        rows_in=total,
        rows_out=rows_out,
        rows_suppressed=total - rows_out,
        classes=len(sizes),
        smallest_class=int(sizes.min()) if len(sizes) else None,
        largest_class=int(sizes.max()) if len(sizes) else None,
        class_sizes=dict(zip(size_values.tolist(), size_classes.tolist(), strict=True)),
        generalisation=[
            QuasiIdentifierReport(
                name=q,
                level=levels[i],
                level_name=hierarchies[i].levels[levels[i]],
                top_level=hierarchies[i].top,
                distinct_before=len(originals[i]),
                distinct_after=len(np.unique(class_codes[i][published_class])),
            )
            for i, q in enumerate(qis)
        ],
        steps=steps,
    )
    return Result(columns=out, report=report, kept_flags=flags)
