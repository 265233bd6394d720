"""Sections other apps add to the person page (the cases app lists the person's cases there).

An app registers ``section(request, person) -> dict | None`` with
:func:`register_section`; the dict has ``template`` and the context it needs.
``None`` hides the section for that person. Keeps the import direction: the
persons app never imports the apps built on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from azad.persons.models import Person

Section = Callable[[HttpRequest, Person], dict[str, Any] | None]
_SECTIONS: list[Section] = []


def register_section(section: Section) -> Section:
    """Add ``section`` to the person page (usable as a decorator)."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)
    return section


def sections_for(request: HttpRequest, person: Person) -> list[dict[str, Any]]:
    """The sections the signed-in person gets on ``person``'s page."""
    return [s for s in (section(request, person) for section in _SECTIONS) if s is not None]
