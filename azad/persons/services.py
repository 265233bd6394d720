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


# --- Same-person decisions -------------------------------------------------------------------


def link_same_person(a: Person, b: Person, *, actor: Any, basis: str, note: str = "") -> Any:
    """Decide that records ``a`` and ``b`` are one person: statistics then count them once.

    The actor must be allowed to decide (:func:`~azad.persons.access.may_decide_same_person`,
    403 otherwise) and see both records (404 otherwise). Every record of the
    younger record's group takes the older record's ``statistical_id``. Raises
    ``ValidationError`` for the same record twice, records already linked, or
    an unknown basis (nothing written). Records ``person.same_person.link``
    (ids, basis code and the number of records moved; never the note).
    """
    from azad.persons.access import may_decide_same_person
    from azad.persons.choices import SamePersonBasis
    from azad.persons.models import SamePersonDecision

    if not may_decide_same_person(actor):
        raise PermissionDenied
    a = get_person_for_user(actor, a.pk, write=True)
    b = get_person_for_user(actor, b.pk, write=True)
    if a.pk == b.pk:
        raise ValidationError(_("Choose two different records."))
    if basis not in SamePersonBasis.values:
        raise ValidationError({"basis": _("Choose the basis of the decision.")})
    note = " ".join(str(note or "").split())
    if basis == SamePersonBasis.OTHER_EVIDENCE and not note:
        raise ValidationError({"note": _("Describe the evidence.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    kept, linked = sorted((a, b), key=lambda p: (p.created_at, str(p.pk)))
    with transaction.atomic():
        locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[kept.pk, linked.pk])}
        kept, linked = locked[kept.pk], locked[linked.pk]
        if kept.statistical_id == linked.statistical_id:
            raise ValidationError(_("These records are already counted as one person."))
        group = Person.objects.filter(statistical_id=linked.statistical_id)
        moved = [str(pk) for pk in group.values_list("pk", flat=True)]
        decision = SamePersonDecision(
            record_a=kept,
            record_b=linked,
            statistical_id=kept.statistical_id,
            previous_statistical_id=linked.statistical_id,
            moved=moved,
            basis=basis,
            note=note,
            decided_by=actor,
            organisation_id=actor.organisation_id,
        )
        decision.save(force_insert=True)
        group.update(statistical_id=kept.statistical_id)
        record_event(
            "person.same_person.link",
            actor=actor,
            target=decision,
            payload={
                "record_a": str(kept.pk),
                "record_b": str(linked.pk),
                "basis": basis,
                "records_moved": len(moved),
            },
        )
    return decision


def undo_same_person(decision: Any, *, actor: Any) -> Any:
    """Undo a same-person decision: the records it moved (and still carry its identity) get their old one back.

    Same rights as deciding; both records must be visible. Raises
    ``ValidationError`` if it was already undone. Records ``person.same_person.undo``.
    """
    from django.utils import timezone

    from azad.persons.access import may_decide_same_person
    from azad.persons.models import SamePersonDecision

    if not may_decide_same_person(actor):
        raise PermissionDenied
    get_person_for_user(actor, decision.record_a_id, write=True)
    get_person_for_user(actor, decision.record_b_id, write=True)
    with transaction.atomic():
        decision = SamePersonDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.undone_at is not None:
            raise ValidationError(_("This decision has already been undone."))
        restored = Person.objects.filter(
            pk__in=decision.moved, statistical_id=decision.statistical_id
        ).update(statistical_id=decision.previous_statistical_id)
        decision.undone_at = timezone.now()
        decision.undone_by = actor
        decision.save(update_fields=["undone_at", "undone_by"])
        record_event(
            "person.same_person.undo",
            actor=actor,
            target=decision,
            payload={"records_restored": restored},
        )
    return decision
