"""Builders for screening tests: screeners, answers by grade, screenings, list files.

The shipped ILO/EC lists are loaded by the app's data migration, so every test
database has ``ilo2009.adult.labour@1`` and ``ilo2009.child.labour@1``.

    from azad.screening.tests.factories import screener, pick, make_screening
    user = screener()                                   # an NGO case worker who can sign in
    answers = pick("ilo2009.adult.labour", {1: "S", 4: "SM", 5: "SS"})
    screening = make_screening(user, answers=answers, complete=True)
"""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

from azad.accounts.models import Organisation, User
from azad.accounts.tests.factories import make_org, make_user
from azad.core.permissions import Role, Scope
from azad.screening import services
from azad.screening.loader import SHIPPED_DIR
from azad.screening.models import IndicatorList, Screening

ADULT_LABOUR = "ilo2009.adult.labour"
CHILD_LABOUR = "ilo2009.child.labour"
_counter = itertools.count(1)


def screener(role: str = Role.NGO_CASEWORKER, org: Organisation | None = None, **kw: Any) -> User:
    """An account that can sign in (TOTP) and, for roles with write access, start screenings."""
    return make_user(role, org, **kw)


def indicator_list(code: str = ADULT_LABOUR, version: int | None = None) -> IndicatorList:
    lists = IndicatorList.objects.filter(code=code)
    return lists.get(version=version) if version is not None else lists.order_by("-version").first()  # type: ignore[return-value]


def pick(
    code: str, wanted: dict[int, str], *, answer: str = "yes", version: int | None = None
) -> dict[str, str]:
    """Answers ``answer`` to indicators by dimension and grade: ``{5: "SS"}`` -> two strong of D5.

    Fails loudly if the list has too few indicators of a grade in a dimension.
    """
    chosen: dict[str, str] = {}
    rows = list(
        indicator_list(code, version)
        .indicators.order_by("position")
        .values_list("code", "dimension", "grade")
    )
    for dimension, grades in wanted.items():
        for grade in set(grades):
            matching = [c for c, d, g in rows if d == dimension and g == grade]
            needed = grades.count(grade)
            assert len(matching) >= needed, (
                f"D{dimension} has {len(matching)} of grade {grade}, need {needed}"
            )
            for code_ in matching[:needed]:
                chosen[code_] = answer
    return chosen


def all_of(code: str, dimension: int, answer: str, *, version: int | None = None) -> dict[str, str]:
    """The same answer for every indicator of one dimension."""
    return {
        c: answer
        for c in indicator_list(code, version)
        .indicators.filter(dimension=dimension)
        .values_list("code", flat=True)
    }


INDICATIVE_ADULT = {1: "SM", 4: "SM", 5: "SS"}


def make_screening(
    actor: User | None = None,
    *,
    answers: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
    complete: bool = False,
    age: int | None = 30,
    exploitation: str = "labour",
    **kw: Any,
) -> Screening:
    """A screening started (and optionally completed) through the services."""
    actor = actor or screener()
    screening = services.start_screening(
        actor=actor,
        suspected_exploitation=exploitation,
        age=age,
        answers=answers or {},
        notes=notes or {},
        **kw,
    )
    if complete:
        screening = services.complete_screening(screening, actor=actor, expected_version=screening.version)
    return screening


def atd_member(role: str = Role.POLICE_INVESTIGATOR, **kw: Any) -> User:
    """A member of a police anti-trafficking department."""
    return make_user(role, make_org(org_type="PoliceATD"), scope=kw.pop("scope", Scope.ORGANISATION), **kw)


def shipped_file(name: str = "ilo2009.adult.labour.v1.json") -> dict[str, Any]:
    """A shipped list file, decoded (a fresh copy each time)."""
    return json.loads((SHIPPED_DIR / name).read_text(encoding="utf-8"))


def list_file(**list_changes: Any) -> dict[str, Any]:
    """A small valid list file (new code each call) with one indicator of each grade in every dimension."""
    number = next(_counter)
    code = f"test{number}.adult.labour"
    indicators = []
    for dimension in range(1, 7):
        for grade in "SMW":
            indicators.append(
                {
                    "id": f"test{number}.d{dimension}.{grade.lower()}",
                    "dimension": dimension,
                    "grade": grade,
                    "text": {
                        "az": f"Göstərici {dimension}{grade}",
                        "en": f"Indicator {dimension}{grade}",
                        "ru": f"Индикатор {dimension}{grade}",
                    },
                    "htcds": {
                        "vic_MethodsOfControl": ["DebtBondage"] if dimension == 5 else [],
                        "vic_TypeOfExploitation": [],
                    },
                }
            )
    header = {
        "id": code,
        "version": 1,
        "rule": "ilo2009",
        "population": "adult",
        "exploitation": "labour",
        "title": {"az": "Sınaq siyahısı", "en": "Test list", "ru": "Тестовый список"},
        "source": "Test source",
        "verified": True,
        "verification_notes": "Made for tests.",
    }
    header.update(list_changes)
    return {"format": 1, "list": header, "indicators": indicators}


def copy_of(data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(data)
