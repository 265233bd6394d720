"""The only code that writes persons: checks the rules, writes, audits in one transaction.

Audit payloads carry field names only: every attribute of a person is treated
as personal (even the ones kept in clear for statistics, since next to the
record's id they would describe one person).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from azad.audit.services import record_event, redacted_changes
from azad.core.locking import ConflictError, save_versioned
from azad.core.permissions import Data, Level, can
from azad.persons.access import get_person_for_user
from azad.persons.models import Person

_TEXT_FIELDS = ("first_name", "last_name", "middle_name", "document_number", "phone", "email")


def _normalised(changes: dict[str, Any]) -> dict[str, Any]:
    """Values as stored: trimmed text, ISO dates, upper-case countries, lower-case languages."""
    unknown = set(changes) - set(Person.EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable person fields: {sorted(unknown)}")
    values = dict(changes)
    for name in _TEXT_FIELDS:
        if name in values:
            values[name] = " ".join(str(values[name] or "").split())
    if "birth_date" in values:
        day = values["birth_date"]
        values["birth_date"] = day.isoformat() if isinstance(day, datetime.date) else str(day or "").strip()
    if "birth_year" in values and values["birth_year"] in ("", None):
        values["birth_year"] = None
    if values.get("birth_date") and "birth_year" not in values:
        values["birth_year"] = None  # derived from the new date
    if "citizenship" in values:
        values["citizenship"] = str(values["citizenship"] or "").strip().upper()
    if "languages" in values:
        languages = values["languages"] or []
        if isinstance(languages, list):
            seen: list[Any] = []
            for code in languages:
                code = code.strip().lower() if isinstance(code, str) else code
                if code not in seen:
                    seen.append(code)
            values["languages"] = seen
    for name in ("gender", "document_type"):
        if name in values and values[name] is None:
            values[name] = ""
    return values


def _validate(person: Person) -> None:
    person.refresh_derived()
    person.full_clean(
        exclude=["organisation", "created_by"], validate_unique=False, validate_constraints=False
    )


def create_person(*, actor: Any, **data: Any) -> Person:
    """Record a new person for the actor's organisation.

    Needs write access to victim identity and an account that belongs to an
    organisation. Raises ``PermissionDenied`` or ``ValidationError`` (nothing
    is written then); records ``person.create`` with the names of the fields given.
    """
    if not can(actor, Data.VICTIM_IDENTITY, Level.WRITE):
        raise PermissionDenied
    if getattr(actor, "organisation_id", None) is None:
        raise ValidationError(_("Your account belongs to no organisation, so it cannot record persons."))
    values = _normalised(data)
    person = Person(organisation_id=actor.organisation_id, created_by=actor, **values)
    _validate(person)
    with transaction.atomic():
        person.save(force_insert=True)
        record_event(
            "person.create",
            actor=actor,
            target=person,
            payload={"fields": sorted(name for name, value in values.items() if value not in ("", None, []))},
        )
    return person


def update_person(person: Person, *, actor: Any, expected_version: int, **changes: Any) -> Person:
    """Change a person's data if nobody saved it since ``expected_version`` was read.

    The actor must see the person and have write access (404 / 403 otherwise).
    Raises ``ConflictError`` on a concurrent edit and ``ValidationError`` on bad
    input (nothing is written then). Records ``person.update`` with the changed
    field names, their values redacted. Changing nothing writes nothing.
    """
    get_person_for_user(actor, person.pk, write=True)
    if int(expected_version) != person.version:
        raise ConflictError
    values = _normalised(changes)
    before = {name: getattr(person, name) for name in Person.EDITABLE_FIELDS}
    for name, value in values.items():
        setattr(person, name, value)
    try:
        _validate(person)
    except ValidationError:
        person.refresh_from_db()
        raise
    after = {name: getattr(person, name) for name in Person.EDITABLE_FIELDS}
    changed = redacted_changes(before, after, personal=Person.EDITABLE_FIELDS)
    if not changed:
        return person
    fields = sorted({*changed, *Person.DERIVED_FIELDS, "updated_at"})
    with transaction.atomic():
        save_versioned(person, expected_version=expected_version, fields=fields)
        record_event("person.update", actor=actor, target=person, payload={"changes": changed})
    return person
