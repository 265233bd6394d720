"""The "Cases" section of the person page: the person's cases the reader may see, and "Open a case"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from azad.cases.access import visible_cases
from azad.core.permissions import Data, Level, can
from azad.persons.models import Person
from azad.persons.sections import register_section

SHOWN = 20


@register_section
def person_cases(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    """Hidden for roles that read no case content."""
    user = request.user
    if not can(user, Data.CASE_CONTENT, Level.READ):
        return None
    return {
        "template": "cases/person_cases.html",
        "person": person,
        "cases": list(visible_cases(user).filter(person=person).order_by("-created_at")[:SHOWN]),
        "may_open": can(user, Data.CASE_CONTENT, Level.WRITE),
    }
