"""Builders for person tests: organisations, accounts by role and scope, persons."""

from __future__ import annotations

import itertools
from typing import Any

from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation, User
from azad.core.permissions import Role, Scope
from azad.persons.models import Person
from azad.persons.services import create_person

_counter = itertools.count(1)


def make_organisation(name: str | None = None, org_type: str = OrgType.POLICE_ATD) -> Organisation:
    return Organisation.objects.create(name=name or f"Test təşkilatı {next(_counter)}", org_type=org_type)


def make_user(
    role: str = Role.POLICE_INVESTIGATOR,
    *,
    scope: str = Scope.ORGANISATION,
    organisation: Organisation | None = None,
    username: str | None = None,
) -> User:
    return User.objects.create_user(
        username=username or f"user{next(_counter)}",
        password=None,
        role=role,
        scope=scope,
        organisation=organisation if organisation is not None else make_organisation(),
    )


def make_person(actor: User | None = None, **data: Any) -> Person:
    """A person recorded through the service by ``actor`` (a new ATD investigator by default)."""
    actor = actor or make_user()
    values: dict[str, Any] = {
        "first_name": "Aynur",
        "last_name": "Əliyeva",
        "middle_name": "Rauf qızı",
        "gender": "Feminine",
        "citizenship": "AZ",
        "birth_date": "1998-04-12",
    }
    values.update(data)
    return create_person(actor=actor, **values)
