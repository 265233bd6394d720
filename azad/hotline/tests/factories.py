"""Builders for hotline tests: a line with an operator and a supervisor, ATD, and calls."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation, User
from azad.accounts.tests.factories import make_org, make_user
from azad.core.permissions import Role, Scope
from azad.hotline import services
from azad.hotline.models import Call


def make_hotline() -> Organisation:
    """A hotline organisation."""
    return make_org(org_type=OrgType.HOTLINE)


def make_operator(line: Organisation | None = None, **extra: Any) -> User:
    """A hotline operator (own scope) on ``line``."""
    return make_user(Role.HOTLINE_OPERATOR, line or make_hotline(), scope=Scope.OWN, **extra)


def make_supervisor(line: Organisation | None = None, **extra: Any) -> User:
    """The hotline supervisor of ``line``."""
    return make_user(Role.HOTLINE_SUPERVISOR, line or make_hotline(), **extra)


def make_atd_officer(atd: Organisation | None = None, **extra: Any) -> User:
    """An ATD duty officer (police investigator in a PoliceATD organisation)."""
    return make_user(Role.POLICE_INVESTIGATOR, atd or make_org(org_type=OrgType.POLICE_ATD), **extra)


def call_values(**overrides: Any) -> dict[str, Any]:
    """Valid intake values: a routine information request that lasted five minutes."""
    started = overrides.pop("started_at", timezone.now() - dt.timedelta(minutes=10))
    values: dict[str, Any] = {
        "idempotency_key": uuid.uuid4(),
        "started_at": started,
        "ended_at": started + dt.timedelta(minutes=5),
        "caller_type": "public",
        "language": "az",
        "reason": "information_request",
        "urgency": "routine",
        "region": "Bakı",
        "summary": "Zəng edən xaricdə iş təklifi barədə soruşdu.",
        "actions": ["information_given"],
    }
    values.update(overrides)
    return values


def make_call(operator: User, **overrides: Any) -> Call:
    """A call recorded through the service by ``operator``."""
    call, _created = services.record_call(actor=operator, **call_values(**overrides))
    return call
