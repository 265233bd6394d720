"""The public dataset's rows in the CTDC global dataset's layout, read without decrypting anything.

One row per person and year of registration: records that a "same person"
decision linked share ``Person.statistical_id`` and count once; several cases
of one person in one year are merged (flags are or-ed, the earliest case gives
the rest). The year of registration is the year of first contact (Baku time).
Everything read here is stored in clear — gender, citizenship, birth year,
stage, exploitation types, methods of control, the country of exploitation —
so building the rows decrypts nothing.

Column names follow the CTDC k-anonymised global dataset (July 2021 release).
Age is the year of registration minus the birth year (the full birth date is
encrypted), so a band may be one year off at its edges.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case as Case_
from django.db.models import CharField, IntegerField, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce

from azad.cases.choices import ControlMethod, ExploitationType, HistoricEventType, TraffickingStatus
from azad.cases.models import Case, HistoricEvent
from azad.persons.choices import Gender
from azad.publication.kanon import AGE_BANDS, rows_of

BAKU = ZoneInfo("Asia/Baku")
CHUNK = 2000

GENDER = {
    Gender.FEMININE: "Female",
    Gender.MASCULINE: "Male",
    Gender.TRANSGENDER_FEMININE: "Transgender/NonConforming",
    Gender.TRANSGENDER_MASCULINE: "Transgender/NonConforming",
    Gender.NON_CONFORMING: "Transgender/NonConforming",
    Gender.NON_SPECIFIED_UNKNOWN: "",
}

_GENDER = {str(code): label for code, label in GENDER.items()}

# CTDC column -> the HTCDS vic_MethodsOfControl values that set it.
MEANS_OF_CONTROL: dict[str, tuple[str, ...]] = {
    "meansOfControlDebtBondage": (ControlMethod.DEBT_BONDAGE,),
    "meansOfControlTakesEarnings": (ControlMethod.TAKES_EARNINGS,),
    "meansOfControlRestrictsFinancialAccess": (ControlMethod.RESTRICTS_FINANCIAL_ACCESS,),
    "meansOfControlThreats": (ControlMethod.PHYSICAL_THREATS, ControlMethod.THREATENS_CHILDREN_FAMILY),
    "meansOfControlPsychologicalAbuse": (ControlMethod.PSYCHOLOGICAL_ABUSE,),
    "meansOfControlPhysicalAbuse": (ControlMethod.PHYSICAL_ABUSE,),
    "meansOfControlSexualAbuse": (ControlMethod.SEXUAL_ABUSE,),
    "meansOfControlFalsePromises": (ControlMethod.FALSE_PROMISES,),
    "meansOfControlPsychoactiveSubstances": (ControlMethod.PSYCHOACTIVE_SUBSTANCE,),
    "meansOfControlRestrictsMedicalCare": (ControlMethod.RESTRICTS_MEDICAL_CARE,),
    "meansOfControlExcessiveWorkingHours": (ControlMethod.EXCESSIVE_WORKING_HOURS,),
    "meansOfControlThreatOfLawEnforcement": (ControlMethod.THREATS_LAW_ENFORCEMENT,),
    "meansOfControlWithholdsNecessities": (ControlMethod.WITHHOLDS_NECESSITIES,),
    "meansOfControlWithholdsDocuments": (ControlMethod.WITHHOLDS_DOCUMENTS,),
    "meansOfControlOther": (ControlMethod.OTHER,),
}

_LABOUR = (ExploitationType.FORCED_LABOUR, ExploitationType.CHILD_LABOUR, ExploitationType.FORCED_BEGGING)
# CTDC column -> the HTCDS vic_TypeOfExploitation values (and Azerbaijani law's additions) that set it.
EXPLOITATION: dict[str, tuple[str, ...]] = {
    "isForcedLabour": _LABOUR,
    "isSexualExploit": (ExploitationType.SEXUAL_EXPLOITATION,),
    "isForcedMarriage": (ExploitationType.FORCED_MARRIAGE,),
    "isForcedMilitary": (ExploitationType.FORCED_MILITARY,),
    "isOrganRemoval": (ExploitationType.ORGAN_REMOVAL,),
    "isSlaveryAndPractices": (ExploitationType.SERVITUDE,),
    "isOtherExploit": (
        ExploitationType.FORCED_ADOPTION,
        ExploitationType.SURROGACY,
        ExploitationType.ILLICIT_BIOMEDICAL_RESEARCH,
        ExploitationType.UNLAWFUL_ACTIVITY,
        ExploitationType.OTHER,
    ),
}

# Plain strings (hashing a TextChoices member is a Python-level call, a plain str's is not).
_CONTROL_SETS = {column: frozenset(map(str, values)) for column, values in MEANS_OF_CONTROL.items()}
_EXPLOITATION_SETS = {column: frozenset(map(str, values)) for column, values in EXPLOITATION.items()}

COLUMNS: tuple[str, ...] = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    *MEANS_OF_CONTROL,
    "meansOfControlNotSpecified",
    *EXPLOITATION,
    "isSexAndLabour",
)

_FLAGS = (*MEANS_OF_CONTROL, "meansOfControlNotSpecified", *EXPLOITATION, "isSexAndLabour")
_CONTROL = range(len(MEANS_OF_CONTROL))  # positions in a row's flags
_NOT_SPECIFIED = len(MEANS_OF_CONTROL)
_LABOUR_FLAG = _NOT_SPECIFIED + 1 + list(EXPLOITATION).index("isForcedLabour")
_SEXUAL_FLAG = _NOT_SPECIFIED + 1 + list(EXPLOITATION).index("isSexualExploit")
_SEX_AND_LABOUR = len(_FLAGS) - 1
_FIRST_FLAG = COLUMNS.index(_FLAGS[0])
_COUNTRY = COLUMNS.index("CountryOfExploitation")


def age_band(age: int | None) -> str:
    """The CTDC age band of ``age`` ("" when unknown)."""
    if age is None or age < 0:
        return ""
    bounds = (8, 17, 20, 23, 26, 29, 38, 47)
    for band, upper in zip(AGE_BANDS, bounds, strict=False):
        if age <= upper:
            return band
    return AGE_BANDS[-1]


class _AgeBands(dict[int, str]):
    """:func:`age_band` remembered per age."""

    def __missing__(self, age: int) -> str:
        band = self[age] = age_band(age)
        return band


def _listed(raw: Any) -> list[str]:
    """A JSON list column read as text (or already decoded, or NULL)."""
    if raw is None:
        return []
    return list(json.loads(raw) if isinstance(raw, str) else raw)


class _Flags(dict[tuple[Any, Any], tuple[int, ...]]):
    """The CTDC flag columns of a case, remembered per pair (methods of control, types of exploitation).

    Keyed by the two JSON lists as the database returns their text: a few
    hundred distinct pairs stand for all the cases, so each is decoded once.
    """

    def __missing__(self, key: tuple[Any, Any]) -> tuple[int, ...]:
        methods, kinds = set(_listed(key[0])), set(_listed(key[1]))
        flags = [0 if methods.isdisjoint(values) else 1 for values in _CONTROL_SETS.values()]
        flags.append(0 if methods else 1)
        flags += [0 if kinds.isdisjoint(values) else 1 for values in _EXPLOITATION_SETS.values()]
        flags.append(int(flags[_LABOUR_FLAG] and flags[_SEXUAL_FLAG]))
        self[key] = result = tuple(flags)
        return result


def _cases(year_from: int, year_to: int, *, identified_only: bool) -> Any:
    start = dt.datetime(year_from, 1, 1, tzinfo=BAKU)
    end = dt.datetime(year_to + 1, 1, 1, tzinfo=BAKU)
    cases = Case.objects.filter(first_contact_at__gte=start, first_contact_at__lt=end)
    if identified_only:
        cases = cases.filter(trafficking_status=TraffickingStatus.ACTUAL)
    else:
        cases = cases.filter(~Q(trafficking_status=TraffickingStatus.NOT_A_VICTIM))
    return cases


def _registration_year(year_from: int, year_to: int) -> Case_:
    """The year (Baku time) of first contact, as a CASE over the years' bounds (no per-row function call)."""
    return Case_(
        *(
            When(first_contact_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=BAKU), then=Value(year))
            for year in range(year_from, year_to + 1)
        ),
        output_field=IntegerField(),
    )


def _exploitation_country() -> Coalesce:
    """The first recorded country of exploitation of the case ("" if none)."""
    first = (
        HistoricEvent.objects.filter(case=OuterRef("pk"), event_type=HistoricEventType.EXPLOITATION)
        .order_by("date_from", "recorded_at", "id")
        .values("country")[:1]
    )
    return Coalesce(Subquery(first), Value(""), output_field=CharField())


def count_cases(year_from: int, year_to: int, *, identified_only: bool = False) -> int:
    return int(_cases(year_from, year_to, identified_only=identified_only).count())


def build_columns(
    year_from: int,
    year_to: int,
    *,
    identified_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, list[Any]]:
    """The CTDC columns for victims first in contact from ``year_from`` to ``year_to`` (inclusive).

    Presumed and identified victims (not those decided not to be victims);
    ``identified_only`` keeps the identified. ``progress(done, total)`` is
    called after each chunk of cases read. One query: the year, the country of
    exploitation and the merge key are computed by the database, and the JSON
    lists are read as text and decoded once per distinct pair.
    """
    cases = _cases(year_from, year_to, identified_only=identified_only)
    total = cases.count() if progress else 0
    values = (
        cases.annotate(
            registration_year=_registration_year(year_from, year_to),
            statistical_key=Cast("person__statistical_id", output_field=CharField()),
            country=_exploitation_country(),
            control_text=Cast("control_methods", output_field=TextField()),
            exploitation_text=Cast("exploitation_types", output_field=TextField()),
        )
        .order_by("first_contact_at", "pk")
        .values_list(
            "registration_year",
            "statistical_key",
            "person__gender",
            "person__citizenship",
            "person__birth_year",
            "person__age_unknown",
            "is_child",
            "country",
            "control_text",
            "exploitation_text",
        )
        .iterator(chunk_size=CHUNK)
    )
    rows: list[list[Any]] = []
    by_person_year: dict[tuple[Any, int], list[Any]] = {}
    flags_of, bands, gender_of = _Flags(), _AgeBands(), _GENDER.get
    done = 0
    for chunk in _chunks(values, CHUNK):
        for (
            year,
            person,
            gender,
            citizenship,
            birth_year,
            age_unknown,
            is_child,
            country,
            control,
            kinds,
        ) in chunk:
            flags = flags_of[control, kinds]
            seen = by_person_year.get((person, year))
            if seen is not None:
                _merge(seen, flags, country)
                continue
            known_age = not age_unknown and birth_year is not None
            row = [
                year,
                gender_of(gender, ""),
                bands[year - birth_year] if known_age else "",
                ("Minor" if is_child else "Adult") if known_age else "",
                citizenship or "",
                country,
                *flags,
            ]
            by_person_year[person, year] = row
            rows.append(row)
        done += len(chunk)
        if progress:
            progress(done, total)
    if not rows:
        return {name: [] for name in COLUMNS}
    return {name: list(column) for name, column in zip(COLUMNS, zip(*rows, strict=True), strict=True)}


def _merge(row: list[Any], flags: tuple[int, ...], country: str) -> None:
    """A second case of the same person in the same year: or its flags into ``row``."""
    merged = [a | b for a, b in zip(row[_FIRST_FLAG:], flags, strict=True)]
    merged[_NOT_SPECIFIED] = 0 if any(merged[i] for i in _CONTROL) else 1
    merged[_SEX_AND_LABOUR] = int(merged[_LABOUR_FLAG] and merged[_SEXUAL_FLAG])
    row[_FIRST_FLAG:] = merged
    if not row[_COUNTRY]:
        row[_COUNTRY] = country


def build_rows(
    year_from: int,
    year_to: int,
    *,
    identified_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """:func:`build_columns` as one dict per row (person and year)."""
    return rows_of(build_columns(year_from, year_to, identified_only=identified_only, progress=progress))


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
