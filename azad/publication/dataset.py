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
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.db.models.functions import ExtractYear

from azad.cases.choices import ControlMethod, ExploitationType, HistoricEventType, TraffickingStatus
from azad.cases.models import Case, HistoricEvent
from azad.persons.choices import Gender
from azad.publication.kanon import AGE_BANDS

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

_FIELDS = (
    "pk",
    "registration_year",
    "is_child",
    "exploitation_types",
    "control_methods",
    "person__statistical_id",
    "person__gender",
    "person__citizenship",
    "person__birth_year",
    "person__age_unknown",
)


def age_band(age: int | None) -> str:
    """The CTDC age band of ``age`` ("" when unknown)."""
    if age is None or age < 0:
        return ""
    bounds = (8, 17, 20, 23, 26, 29, 38, 47)
    for band, upper in zip(AGE_BANDS, bounds, strict=False):
        if age <= upper:
            return band
    return AGE_BANDS[-1]


def _cases(year_from: int, year_to: int, *, identified_only: bool) -> Any:
    start = dt.datetime(year_from, 1, 1, tzinfo=BAKU)
    end = dt.datetime(year_to + 1, 1, 1, tzinfo=BAKU)
    cases = Case.objects.filter(first_contact_at__gte=start, first_contact_at__lt=end)
    if identified_only:
        cases = cases.filter(trafficking_status=TraffickingStatus.ACTUAL)
    else:
        cases = cases.filter(~Q(trafficking_status=TraffickingStatus.NOT_A_VICTIM))
    return cases


def _exploitation_countries(cases: Any) -> dict[Any, str]:
    """The first recorded country of exploitation of each of ``cases`` (one query, a subquery for the cases)."""
    first: dict[Any, str] = {}
    events = (
        HistoricEvent.objects.filter(case__in=cases.values("pk"), event_type=HistoricEventType.EXPLOITATION)
        .order_by("date_from", "recorded_at", "id")
        .values_list("case_id", "country")
    )
    for case_id, country in events:
        first.setdefault(case_id, country)
    return first


def _row(year: int, case: Any, country: str) -> dict[str, Any]:
    birth_year = case.person__birth_year
    known_age = not case.person__age_unknown and birth_year is not None
    row: dict[str, Any] = {
        "yearOfRegistration": year,
        "gender": _GENDER.get(case.person__gender, ""),
        "ageBroad": age_band(year - birth_year) if known_age else "",
        "majorityStatus": ("Minor" if case.is_child else "Adult") if known_age else "",
        "citizenship": case.person__citizenship or "",
        "CountryOfExploitation": country,
    }
    methods = set(case.control_methods or ())
    kinds = set(case.exploitation_types or ())
    for column, values in _CONTROL_SETS.items():
        row[column] = 0 if methods.isdisjoint(values) else 1
    row["meansOfControlNotSpecified"] = 0 if methods else 1
    for column, values in _EXPLOITATION_SETS.items():
        row[column] = 0 if kinds.isdisjoint(values) else 1
    row["isSexAndLabour"] = int(row["isForcedLabour"] and row["isSexualExploit"])
    return row


def _merge(row: dict[str, Any], other: dict[str, Any]) -> None:
    """A second case of the same person in the same year: or its flags into ``row``."""
    for column in (*MEANS_OF_CONTROL, *EXPLOITATION, "isSexAndLabour"):
        row[column] = int(row[column] or other[column])
    row["meansOfControlNotSpecified"] = int(not any(row[c] for c in MEANS_OF_CONTROL))
    row["isSexAndLabour"] = int(row["isForcedLabour"] and row["isSexualExploit"])
    if not row["CountryOfExploitation"]:
        row["CountryOfExploitation"] = other["CountryOfExploitation"]


def count_cases(year_from: int, year_to: int, *, identified_only: bool = False) -> int:
    return int(_cases(year_from, year_to, identified_only=identified_only).count())


def build_rows(
    year_from: int,
    year_to: int,
    *,
    identified_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """The CTDC rows for victims first in contact from ``year_from`` to ``year_to`` (inclusive).

    Presumed and identified victims (not those decided not to be victims);
    ``identified_only`` keeps the identified. ``progress(done, total)`` is
    called after each chunk of cases read.
    """
    cases = _cases(year_from, year_to, identified_only=identified_only)
    total = cases.count() if progress else 0
    countries = _exploitation_countries(cases)
    by_person_year: dict[tuple[Any, int], dict[str, Any]] = {}
    done = 0
    values = (
        cases.annotate(registration_year=ExtractYear("first_contact_at", tzinfo=BAKU))
        .order_by("first_contact_at", "pk")
        .values_list(*_FIELDS, named=True)
        .iterator(chunk_size=CHUNK)
    )
    for chunk in _chunks(values, CHUNK):
        for case in chunk:
            year = case.registration_year
            row = _row(year, case, countries.get(case.pk, ""))
            key = (case.person__statistical_id, year)
            if key in by_person_year:
                _merge(by_person_year[key], row)
            else:
                by_person_year[key] = row
        done += len(chunk)
        if progress:
            progress(done, total)
    return list(by_person_year.values())


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
