"""Roles and the roles x data table: who may do what with which kind of data.

This module is the single source of the table that ``docs/permissions.md``
shows; ``azad/core/tests/test_permissions_doc.py`` proves the two agree. Access
functions in each app's ``access.py`` ask :func:`can` before anything else, and
then narrow rows by the person's organisation and scope.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person does in the response; one role per account."""

    SYSTEM_ADMIN = "system_admin", _("System administrator")
    NATIONAL_COORDINATOR = "national_coordinator", _("National Coordinator")
    POLICE_INVESTIGATOR = "police_investigator", _("Police investigator")
    POLICE_SUPERVISOR = "police_supervisor", _("Police supervisor")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")
    HOTLINE_SUPERVISOR = "hotline_supervisor", _("Hotline supervisor")
    ASSISTANCE_CASEWORKER = "assistance_caseworker", _("Assistance-centre case worker")
    SHELTER_STAFF = "shelter_staff", _("Shelter staff")
    NGO_CASEWORKER = "ngo_caseworker", _("NGO case worker")
    CHILD_PROTECTION_OFFICER = "child_protection_officer", _("Child-protection officer")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    PLAN_FOCAL_POINT = "plan_focal_point", _("Action plan focal point")
    ANALYST = "analyst", _("Analyst (aggregates only)")
    AUDITOR = "auditor", _("Auditor / Ombudsman monitor")


class Scope(models.TextChoices):
    """How far a person's case-level access reaches."""

    OWN = "own", _("Own cases")
    ORGANISATION = "organisation", _("Organisation")
    NATIONAL = "national", _("National")


class Data(models.TextChoices):
    """Kinds of data the table speaks of."""

    ORGANISATIONS = "organisations", _("Organisations")
    ACCOUNTS = "accounts", _("Accounts and roles")
    AUDIT_TRAIL = "audit_trail", _("Audit trail")
    VICTIM_IDENTITY = "victim_identity", _("Victim identity (personal data)")
    CASE_CONTENT = "case_content", _("Case content")
    SCREENINGS = "screenings", _("Screenings")
    REFERRALS = "referrals", _("Referrals")
    HOTLINE_CALLS = "hotline_calls", _("Hotline calls")
    SHELTER_PLACEMENTS = "shelter_placements", _("Shelter placements")
    SHELTER_MONITORING = "shelter_monitoring", _("Shelter monitoring")
    STATISTICS = "statistics", _("Statistics")
    PLAN_MONITORING = "plan_monitoring", _("Action plan monitoring")
    CRIMINAL_CASES = "criminal_cases", _("Criminal cases")


class Level(IntEnum):
    """How much of a kind of data a role gets. Each level includes the ones below."""

    NONE = 0
    AGGREGATE = 1
    READ = 2
    WRITE = 3


LEVEL_SYMBOLS = {Level.NONE: "-", Level.AGGREGATE: "agg", Level.READ: "read", Level.WRITE: "write"}

_N, _A, _R, _W = Level.NONE, Level.AGGREGATE, Level.READ, Level.WRITE

# Columns in the order of Data; one row per role.
_TABLE: dict[Role, tuple[Level, ...]] = {
    #                              org acc aud vic cas scr ref hot shp shm sta pla crm
    Role.SYSTEM_ADMIN:            (_W, _W, _R, _N, _N, _N, _N, _N, _N, _N, _A, _N, _N),
    Role.NATIONAL_COORDINATOR:    (_R, _N, _N, _N, _N, _A, _A, _A, _A, _R, _A, _W, _A),
    Role.POLICE_INVESTIGATOR:     (_R, _N, _N, _W, _W, _W, _W, _R, _R, _N, _A, _N, _W),
    Role.POLICE_SUPERVISOR:       (_R, _N, _N, _W, _W, _W, _W, _R, _R, _N, _A, _N, _W),
    Role.HOTLINE_OPERATOR:        (_R, _N, _N, _W, _W, _W, _W, _W, _N, _N, _N, _N, _N),
    Role.HOTLINE_SUPERVISOR:      (_R, _N, _N, _W, _W, _W, _W, _W, _N, _N, _A, _N, _N),
    Role.ASSISTANCE_CASEWORKER:   (_R, _N, _N, _W, _W, _W, _W, _N, _R, _N, _A, _N, _N),
    Role.SHELTER_STAFF:           (_R, _N, _N, _R, _R, _N, _W, _N, _W, _N, _N, _N, _N),
    Role.NGO_CASEWORKER:          (_R, _N, _N, _W, _W, _W, _W, _N, _R, _N, _N, _N, _N),
    Role.CHILD_PROTECTION_OFFICER:(_R, _N, _N, _R, _R, _R, _W, _N, _R, _N, _N, _N, _N),
    Role.PROSECUTOR:              (_R, _N, _N, _R, _R, _R, _R, _N, _N, _N, _A, _N, _W),
    Role.PLAN_FOCAL_POINT:        (_R, _N, _N, _N, _N, _N, _N, _N, _N, _N, _A, _W, _N),
    Role.ANALYST:                 (_N, _N, _N, _N, _N, _A, _A, _A, _A, _N, _A, _A, _A),
    Role.AUDITOR:                 (_R, _N, _R, _N, _N, _N, _N, _N, _N, _R, _A, _N, _N),
}  # fmt: skip

PERMISSIONS: dict[Role, dict[Data, Level]] = {
    role: dict(zip(list(Data), levels, strict=True)) for role, levels in _TABLE.items()
}


class HasRole(Protocol):
    """Anything with a role and an activity flag (the user model, a test double)."""

    is_active: bool
    is_authenticated: bool


def level_for(user: Any, data: Data) -> Level:
    """The level ``user`` has on ``data``; anonymous and inactive people have none."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Level.NONE
    role = getattr(user, "role", "")
    try:
        return PERMISSIONS[Role(role)][data]
    except ValueError:
        return Level.NONE


def can(user: Any, data: Data, level: Level = Level.READ) -> bool:
    """Whether ``user`` has at least ``level`` on ``data``. Deny by default."""
    return level_for(user, data) >= level


def permissions_table_markdown() -> str:
    """The roles x data table as Markdown, in English (what docs/permissions.md shows)."""
    from django.utils import translation

    with translation.override("en"):
        header = ["Role", *[f"`{d.value}`" for d in Data]]
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        for role in Role:
            cells = [f"`{role.value}`", *[LEVEL_SYMBOLS[PERMISSIONS[role][d]] for d in Data]]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
