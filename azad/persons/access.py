"""The only way to read persons. Deny by default.

Roles with read access to victim identity see persons by their scope:
national -> every person; organisation -> persons their organisation
recorded; own -> persons they recorded themselves. Not visible -> 404
(:class:`~azad.core.exceptions.NotVisible`); visible but read-only -> 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from azad.core.crypto import document_hash, name_hash
from azad.core.exceptions import NotVisible
from azad.core.permissions import Data, Level, Scope, can
from azad.persons.models import DOCUMENT_HASH_PURPOSE, NAME_HASH_PURPOSE, Person


def visible_persons(user: Any) -> QuerySet[Person]:
    """Persons ``user`` may see, by role (victim identity, read) and scope."""
    if not can(user, Data.VICTIM_IDENTITY, Level.READ):
        return Person.objects.none()
    persons = Person.objects.select_related("organisation")
    scope = getattr(user, "scope", "")
    if scope == Scope.NATIONAL:
        return persons
    if scope == Scope.ORGANISATION:
        organisation_id = getattr(user, "organisation_id", None)
        return persons.filter(organisation_id=organisation_id) if organisation_id else Person.objects.none()
    if scope == Scope.OWN:
        return persons.filter(created_by_id=user.pk)
    return Person.objects.none()


def get_person_for_user(user: Any, pk: Any, *, write: bool = False) -> Person:
    """One person, or ``NotVisible`` (404) if not visible, or ``PermissionDenied`` if ``write`` and read-only."""
    try:
        person = visible_persons(user).get(pk=pk)
    except (Person.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    if write and not can(user, Data.VICTIM_IDENTITY, Level.WRITE):
        raise PermissionDenied
    return person


def _name_query(name: str) -> Q | None:
    """Persons whose first or last name, or first and last name in either order, match ``name``."""
    words = name.split()
    if not words:
        return None

    def hashed(text: str) -> str:
        return name_hash(text, purpose=NAME_HASH_PURPOSE)

    whole = hashed(name)
    query = Q(last_name_hash=whole) | Q(first_name_hash=whole)
    for cut in range(1, len(words)):
        head, tail = hashed(" ".join(words[:cut])), hashed(" ".join(words[cut:]))
        query |= Q(first_name_hash=head, last_name_hash=tail) | Q(last_name_hash=head, first_name_hash=tail)
    return query


def find_persons(user: Any, *, name: str | None = None, document: str | None = None) -> QuerySet[Person]:
    """Exact-match search among the persons ``user`` may see, through the keyed hashes.

    ``name`` matches a first or last name, or a first and a last name in
    either order, spelling-insensitively (Latin or Cyrillic, any case);
    ``document`` matches a document number ignoring spaces, dashes and case.
    Both given: both must match. Neither given (or blank): nothing.
    """
    query = Q()
    searched = False
    if name and name.strip():
        name_query = _name_query(name)
        if name_query is not None:
            query &= name_query
            searched = True
    if document and document.strip():
        key = document_hash(document, purpose=DOCUMENT_HASH_PURPOSE)
        query &= Q(document_hash=key)
        searched = True
    if not searched:
        return Person.objects.none()
    return visible_persons(user).filter(query)
