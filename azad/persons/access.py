"""The only way to read persons. Deny by default.

Roles with read access to victim identity see persons by their scope:
national -> every person; organisation -> persons their organisation
recorded; own -> persons they recorded themselves. Apps built on persons
may share more (:func:`register_sharing_rule`): the cases app shares the
person of a case whose identity a referral shares with the reader. Not visible -> 404
(:class:`~azad.core.exceptions.NotVisible`); visible but read-only -> 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from azad.core.crypto import document_hash
from azad.core.exceptions import NotVisible
from azad.core.permissions import Data, Level, Scope, can
from azad.persons.models import DOCUMENT_HASH_PURPOSE, Person, person_name_hash

SharingRule = Callable[[Any], Q]
_SHARING_RULES: list[SharingRule] = []


def register_sharing_rule(rule: SharingRule) -> SharingRule:
    """Let an app built on persons share persons beyond scope (the cases app: accepted referrals).

    ``rule(user)`` returns a condition on persons; it is OR-ed with the scope's,
    and only for roles that read victim identity at all.
    """
    if rule not in _SHARING_RULES:
        _SHARING_RULES.append(rule)
    return rule


def visible_persons(user: Any) -> QuerySet[Person]:
    """Persons ``user`` may see, by role (victim identity, read) and scope, plus what other apps share."""
    if not can(user, Data.VICTIM_IDENTITY, Level.READ):
        return Person.objects.none()
    persons = Person.objects.select_related("organisation")
    scope = getattr(user, "scope", "")
    if scope == Scope.NATIONAL:
        return persons
    organisation_id = getattr(user, "organisation_id", None)
    if scope == Scope.ORGANISATION and organisation_id:
        condition = Q(organisation_id=organisation_id)
    elif scope == Scope.OWN:
        condition = Q(created_by_id=user.pk)
    else:
        return Person.objects.none()
    for rule in _SHARING_RULES:
        condition |= rule(user)
    return persons.filter(condition)


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

    whole = person_name_hash(name)
    query = Q(last_name_hash=whole) | Q(first_name_hash=whole)
    for cut in range(1, len(words)):
        head, tail = person_name_hash(" ".join(words[:cut])), person_name_hash(" ".join(words[cut:]))
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


# --- Same-person decisions -------------------------------------------------------------------

# ATD (the police anti-trafficking department) identifies victims nationally; its
# investigators and supervisors decide that two records are one person. They
# must also see both records (a decision never reaches beyond what they see).
SAME_PERSON_ROLES = frozenset({"police_investigator", "police_supervisor"})
CANDIDATE_LIMIT = 500


def may_decide_same_person(user: Any) -> bool:
    """Police (ATD) roles with write access to victim identity decide which records are one person."""
    return getattr(user, "role", "") in SAME_PERSON_ROLES and can(user, Data.VICTIM_IDENTITY, Level.WRITE)


def same_person_candidates(user: Any) -> list[tuple[Person, Person, str]]:
    """Pairs of visible records that may be one person and are not linked yet, with the basis they share.

    Found through the keyed hashes only: the same identity document, or the
    same last and first name and year of birth. Three queries whatever the
    number of persons; at most :data:`CANDIDATE_LIMIT` pairs.
    """
    from django.db.models import Count

    from azad.persons.choices import SamePersonBasis

    if not may_decide_same_person(user):
        return []
    visible = visible_persons(user).order_by()
    documents = (
        visible.exclude(document_hash="")
        .values("document_hash")
        .annotate(ids=Count("statistical_id", distinct=True))
        .filter(ids__gt=1)
        .values_list("document_hash", flat=True)
    )
    names = (
        visible.exclude(last_name_hash="")
        .exclude(first_name_hash="")
        .filter(birth_year__isnull=False)
        .values("last_name_hash", "first_name_hash", "birth_year")
        .annotate(ids=Count("statistical_id", distinct=True))
        .filter(ids__gt=1)
    )
    name_keys = {
        (r["last_name_hash"], r["first_name_hash"], r["birth_year"]) for r in names[:CANDIDATE_LIMIT]
    }
    groups: dict[tuple[str, ...], list[Person]] = {}
    key: tuple[str, ...]
    for person in visible.filter(document_hash__in=list(documents[:CANDIDATE_LIMIT])).order_by(
        "created_at", "pk"
    ):
        groups.setdefault((SamePersonBasis.SAME_DOCUMENT, person.document_hash), []).append(person)
    if name_keys:
        condition = Q()
        for last, first, year in name_keys:
            condition |= Q(last_name_hash=last, first_name_hash=first, birth_year=year)
        for person in visible.filter(condition).order_by("created_at", "pk"):
            key = (
                SamePersonBasis.SAME_NAME_BIRTH_YEAR,
                person.last_name_hash,
                person.first_name_hash,
                str(person.birth_year),
            )
            groups.setdefault(key, []).append(person)
    pairs: list[tuple[Person, Person, str]] = []
    seen: set[tuple[Any, Any]] = set()
    for key, members in groups.items():
        for i, first_record in enumerate(members):
            for second_record in members[i + 1 :]:
                ids = (first_record.pk, second_record.pk)
                if first_record.statistical_id == second_record.statistical_id or ids in seen:
                    continue
                seen.add(ids)
                pairs.append((first_record, second_record, key[0]))
                if len(pairs) >= CANDIDATE_LIMIT:
                    return pairs
    return pairs


def visible_same_person_decisions(user: Any) -> QuerySet[Any]:
    """The decisions about records ``user`` sees (for deciders only)."""
    from azad.persons.models import SamePersonDecision

    if not may_decide_same_person(user):
        return SamePersonDecision.objects.none()
    visible = visible_persons(user).values("pk")
    return SamePersonDecision.objects.filter(record_a__in=visible, record_b__in=visible).select_related(
        "organisation", "decided_by"
    )
