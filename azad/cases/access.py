"""The only way to read cases and referrals. Deny by default.

Who sees a case (``visible_cases``), beyond the roles x data table:

* **scope** — ``national``: every case; ``organisation``: cases the person's
  organisation owns; ``own``: cases the person owns, or whose referral they accepted;
* **ATD** — a police anti-trafficking department (``org_type`` ``PoliceATD``)
  sees every case referred to it (pending, accepted or completed): the referral
  services keep that ATD on the case (``Case.atd_organisation``), so the rule is
  one indexed column; a case is with one ATD at a time;
* **receivers** — an organisation sees a case while a referral to it is
  accepted (not declined, completed or revoked), and only what the referral
  shares (identity, case content);
* **child protection** — child-protection officers see child cases whose
  notification names their organisation;
* analysts, the National Coordinator and auditors see no case (aggregates only);
* **sealing** — while a prosecutor's or court decision seals a case
  (:class:`~azad.cases.models.Sealing`), only the roles it names still open
  the case (and its person through it); every refused attempt is audited as
  ``cases.sealed_access_denied``.

Shelter placements (who is placed where) are visible only to the shelter
itself, ATD and the case's owner (organisation, or person for own scope),
never through a sealed case. Shelter occupancy (counts, no names) is open to
the shelter, ATD and the roles that monitor shelters.

Returns home (repatriation, a citizen's return) are read with the case's
content and written by its owner and ATD.

Not visible -> :class:`~azad.core.exceptions.NotVisible` (404); visible but
read-only -> ``PermissionDenied`` (403). :func:`case_rights` says what a
person may do with a case they see.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from azad.accounts.choices import OrgType
from azad.cases.choices import ReferralStatus, Share
from azad.cases.models import (
    Case,
    ChildNotification,
    Placement,
    Referral,
    Return,
    Sealing,
    ShelterProfile,
)
from azad.cases.workflow import Relation
from azad.core.exceptions import NotVisible
from azad.core.permissions import Data, Level, Role, Scope, can

# Referral statuses through which ATD sees a case referred to it.
ATD_SEES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
# Who may refer without consent on a recorded legal ground.
LEGAL_GROUND_ROLES: frozenset[str] = frozenset(
    {Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR, Role.CHILD_PROTECTION_OFFICER}
)


def _organisation_id(user: Any) -> int | None:
    return getattr(user, "organisation_id", None)


def is_atd_member(user: Any) -> bool:
    """Whether ``user`` belongs to a police anti-trafficking department."""
    organisation = getattr(user, "organisation", None) if _organisation_id(user) else None
    return organisation is not None and organisation.org_type == OrgType.POLICE_ATD


def may_record_legal_ground(user: Any) -> bool:
    """Police and child-protection officers may refer on a legal ground instead of consent."""
    return getattr(user, "role", "") in LEGAL_GROUND_ROLES and can(user, Data.REFERRALS, Level.WRITE)


def _referrals(*conditions: Q, **lookups: Any) -> Q:
    return Q(Exists(Referral.objects.filter(*conditions, case=OuterRef("pk"), **lookups)))


def shares_including(share: str) -> Q:
    """Referrals whose ``shares`` include ``share`` (services store shares in canonical order)."""
    values = list(Share.values)
    query = Q(pk__in=[])
    for size in range(1, len(values) + 1):
        for combination in combinations(values, size):
            if share in combination:
                query |= Q(shares=list(combination))
    return query


def _case_condition(user: Any, *, identity: bool = False) -> Q | None:
    """Which cases ``user`` reaches (``None``: all); ``identity``: only those whose identity they may read."""
    scope = getattr(user, "scope", "")
    if scope == Scope.NATIONAL:
        return None
    organisation_id = _organisation_id(user)
    shared = (shares_including(Share.IDENTITY),) if identity else ()
    if scope == Scope.OWN:
        condition = Q(owner_id=user.pk) | _referrals(
            *shared, responded_by_id=user.pk, status=ReferralStatus.ACCEPTED
        )
    elif scope == Scope.ORGANISATION and organisation_id is not None and is_atd_member(user):
        # Every referral to ATD shares identity and content, and ATD sees it pending, accepted or
        # completed: one indexed column the referral services keep (``Case.atd_organisation``).
        condition = Q(owner_organisation_id=organisation_id) | Q(atd_organisation_id=organisation_id)
    elif scope == Scope.ORGANISATION and organisation_id is not None:
        condition = Q(owner_organisation_id=organisation_id) | _referrals(
            *shared, to_organisation_id=organisation_id, status=ReferralStatus.ACCEPTED
        )
    else:
        return Q(pk__in=[])
    if getattr(user, "role", "") == Role.CHILD_PROTECTION_OFFICER and organisation_id is not None:
        notified = ChildNotification.objects.filter(case=OuterRef("pk"), organisation_id=organisation_id)
        condition |= Q(is_child=True) & Q(Exists(notified))
    return condition


def unsealed(user: Any, prefix: str = "") -> Q:
    """Cases (at ``prefix``, e.g. ``"case__"``) no sealing in force closes to ``user``'s role."""
    in_force = Sealing.objects.filter(case=OuterRef(f"{prefix}pk"), lifted_at__isnull=True)
    condition = ~Q(Exists(in_force))
    role = getattr(user, "role", "")
    if role:
        condition |= Q(Exists(in_force.filter(roles__contains=f",{role},")))
    return condition


def visible_cases(user: Any) -> QuerySet[Case]:
    """Cases ``user`` may open, by role, scope, referrals and child notifications, unless sealed to them."""
    if not can(user, Data.CASE_CONTENT, Level.READ):
        return Case.objects.none()
    cases = Case.objects.select_related("owner_organisation", "owner", "person").filter(unsealed(user))
    condition = _case_condition(user)
    return cases if condition is None else cases.filter(condition)


def _record_sealed_denial(user: Any, pk: Any) -> None:
    """Audit a refused opening of a sealed case the person would otherwise reach."""
    if not can(user, Data.CASE_CONTENT, Level.READ):
        return
    reachable = Case.objects.filter(pk=pk, sealings__lifted_at__isnull=True)
    condition = _case_condition(user)
    if condition is not None:
        reachable = reachable.filter(condition)
    if not reachable.exists():
        return
    from azad.audit.services import record_event

    with transaction.atomic():
        record_event(
            "cases.sealed_access_denied", actor=user, target_type="cases.case", target_id=str(pk), payload={}
        )


def shared_persons(user: Any) -> Q:
    """Persons of the cases whose identity ``user`` may read (registered with the persons app)."""
    if not can(user, Data.CASE_CONTENT, Level.READ):
        return Q(pk__in=[])
    condition = _case_condition(user, identity=True)
    cases = Case.objects.filter(unsealed(user), person=OuterRef("pk"))
    return Q(Exists(cases if condition is None else cases.filter(condition)))


def get_case_for_user(user: Any, pk: Any, *, write: bool = False) -> Case:
    """One case, or ``NotVisible`` (404), or ``PermissionDenied`` if ``write`` and the person may not change it."""
    try:
        case = visible_cases(user).get(pk=pk)
    except (Case.DoesNotExist, ValueError, ValidationError):
        with contextlib.suppress(ValueError, ValidationError):
            _record_sealed_denial(user, pk)
        raise NotVisible from None
    if write and not case_rights(user, case).write:
        raise PermissionDenied
    return case


@dataclass(frozen=True)
class CaseRights:
    """What one person may do with one case they see."""

    relations: frozenset[Relation]
    shares: frozenset[str]
    content: bool
    identity: bool
    write: bool
    child_protection: bool
    refers: bool
    may_refer_onward: bool

    @property
    def may_record_consent(self) -> bool:
        """Consents are recorded by those who refer (the referral right) or change the case."""
        return self.refers and (self.write or self.child_protection)

    @property
    def may_record_child_procedure(self) -> bool:
        """Notifications, legal representative and best-interests note."""
        return self.write or self.child_protection


NO_RIGHTS = CaseRights(frozenset(), frozenset(), False, False, False, False, False, False)


def case_rights(user: Any, case: Case) -> CaseRights:
    """The relations ``user`` has to ``case`` and what follows from them (see the module docstring)."""
    if not can(user, Data.CASE_CONTENT, Level.READ):
        return NO_RIGHTS
    scope = getattr(user, "scope", "")
    organisation_id = _organisation_id(user)
    national = scope == Scope.NATIONAL
    owner = national or (
        (scope == Scope.ORGANISATION and case.owner_organisation_id == organisation_id)
        or (scope == Scope.OWN and case.owner_id == user.pk)
    )
    referrals = case.referrals.all()
    if scope == Scope.OWN:
        mine = referrals.filter(responded_by_id=user.pk)
    elif organisation_id is not None:
        mine = referrals.filter(to_organisation_id=organisation_id)
    else:
        mine = referrals.none()
    accepted = list(mine.filter(status=ReferralStatus.ACCEPTED).values_list("shares", flat=True))
    shares = frozenset(share for listed in accepted for share in listed)
    atd = is_atd_member(user) and (
        case.owner_organisation_id == organisation_id
        or mine.filter(status__in=(ReferralStatus.PENDING, ReferralStatus.ACCEPTED)).exists()
    )
    assisting = Share.CASE_CONTENT in shares
    child_protection = (
        getattr(user, "role", "") == Role.CHILD_PROTECTION_OFFICER
        and case.is_child
        and organisation_id is not None
        and case.child_notifications.filter(organisation_id=organisation_id).exists()
    )
    writes = can(user, Data.CASE_CONTENT, Level.WRITE)
    relations = frozenset(
        relation
        for relation, holds in ((Relation.OWNER, owner), (Relation.ATD, atd), (Relation.ASSISTING, assisting))
        if holds and writes
    )
    refers = can(user, Data.REFERRALS, Level.WRITE)
    return CaseRights(
        relations=relations,
        shares=shares,
        content=owner or atd or assisting or child_protection,
        identity=can(user, Data.VICTIM_IDENTITY, Level.READ)
        and (owner or atd or child_protection or Share.IDENTITY in shares),
        write=writes and (owner or atd or assisting),
        child_protection=child_protection,
        refers=refers,
        may_refer_onward=refers and ((atd and writes) or child_protection or (national and writes)),
    )


# --- Referrals ---------------------------------------------------------------------------


def visible_referrals(user: Any) -> QuerySet[Referral]:
    """Referrals ``user`` may see: to or from their organisation, and those of cases whose content they see.

    Never those of a case sealed to ``user``'s role.
    """
    if not can(user, Data.REFERRALS, Level.READ):
        return Referral.objects.none()
    referrals = Referral.objects.select_related("case", "from_organisation", "to_organisation")
    organisation_id = _organisation_id(user)
    condition = Q(case__in=visible_cases(user).values("pk"))
    if organisation_id is not None:
        condition |= Q(to_organisation_id=organisation_id) | Q(from_organisation_id=organisation_id)
    return referrals.filter(condition).filter(unsealed(user, "case__"))


def incoming_referrals(user: Any) -> QuerySet[Referral]:
    """Referrals sent to ``user``'s organisation (its inbox), for roles that read referrals.

    A sealed case's referrals leave the inbox of every role the sealing does not name.
    """
    organisation_id = _organisation_id(user)
    if organisation_id is None or not can(user, Data.REFERRALS, Level.READ):
        return Referral.objects.none()
    return (
        Referral.objects.select_related("case", "from_organisation", "to_organisation")
        .filter(to_organisation_id=organisation_id)
        .filter(unsealed(user, "case__"))
    )


def get_referral_for_user(user: Any, pk: Any, *, write: bool = False) -> Referral:
    """One referral, or ``NotVisible`` (404), or ``PermissionDenied`` if ``write`` and read-only."""
    try:
        referral = visible_referrals(user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    if write and not can(user, Data.REFERRALS, Level.WRITE):
        raise PermissionDenied
    return referral


def may_answer_referral(user: Any, referral: Referral) -> bool:
    """Accept, decline or complete: the receiving organisation's people with the referral right.

    A referral abroad has no receiver in Azad: the referring organisation records the answer it
    gets from the organisation abroad.
    """
    receiver = referral.to_organisation_id
    if receiver is None:
        receiver = referral.from_organisation_id
    return (
        receiver is not None and receiver == _organisation_id(user) and can(user, Data.REFERRALS, Level.WRITE)
    )


def may_revoke_referral(user: Any, referral: Referral) -> bool:
    """Revoke: the referring organisation's people with the referral right."""
    return referral.from_organisation_id == _organisation_id(user) and can(user, Data.REFERRALS, Level.WRITE)


# --- Shelters and placements -----------------------------------------------------------------


def visible_placements(user: Any) -> QuerySet[Placement]:
    """Placements ``user`` may see: their own shelter's, ATD's, and those of the cases they own."""
    if not can(user, Data.SHELTER_PLACEMENTS, Level.READ):
        return Placement.objects.none()
    organisation_id = _organisation_id(user)
    if is_atd_member(user):
        condition = Q()
    elif organisation_id is None:
        return Placement.objects.none()
    else:
        condition = Q(shelter__organisation_id=organisation_id)
        if getattr(user, "scope", "") == Scope.OWN:
            condition |= Q(case__owner_id=user.pk)
        else:
            condition |= Q(case__owner_organisation_id=organisation_id)
    return (
        Placement.objects.select_related("shelter__organisation", "case", "created_by")
        .filter(condition)
        .filter(unsealed(user, "case__"))
    )


def sees_placements_of(user: Any, case: Case) -> bool:
    """Whether ``user`` may know where ``case``'s person is placed: ATD, or the case's owner.

    (A shelter also knows whom it hosts; :func:`organisation_label` shows a shelter its own name.)
    """
    if not can(user, Data.SHELTER_PLACEMENTS, Level.READ):
        return False
    if is_atd_member(user):
        return True
    if getattr(user, "scope", "") == Scope.OWN:
        return case.owner_id == user.pk
    organisation_id = _organisation_id(user)
    return organisation_id is not None and case.owner_organisation_id == organisation_id


def organisation_label(user: Any, organisation: Any, *, sees_placements: bool) -> str:
    """An organisation's name on a case page, or "a shelter" for a shelter the reader may not know of.

    Who is placed where is visible only to that shelter, ATD and the case's owner; a shelter named
    in a referral or a consent would tell everyone else where the person is.
    """
    from django.utils.translation import gettext

    if organisation is None:
        return ""
    if hides_organisation(user, organisation, sees_placements=sees_placements):
        return gettext("a shelter")
    return str(organisation.display_name())


def hides_organisation(user: Any, organisation: Any, *, sees_placements: bool) -> bool:
    """Whether naming ``organisation`` (a shelter) to ``user`` would tell them where a person is placed."""
    return (
        organisation is not None
        and organisation.org_type == OrgType.SHELTER
        and not sees_placements
        and organisation.pk != _organisation_id(user)
    )


def get_placement_for_user(user: Any, pk: Any, *, write: bool = False) -> Placement:
    """One placement, or ``NotVisible`` (404); ``PermissionDenied`` if ``write`` and not that shelter's staff."""
    try:
        placement = visible_placements(user).get(pk=pk)
    except (Placement.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    if write and not may_place_in(user, placement.shelter):
        raise PermissionDenied
    return placement


def may_place_in(user: Any, shelter: ShelterProfile) -> bool:
    """Placements are recorded by the shelter's own staff (the shelter placements write right)."""
    return can(user, Data.SHELTER_PLACEMENTS, Level.WRITE) and shelter.organisation_id == _organisation_id(
        user
    )


def shelters_placing(user: Any) -> QuerySet[ShelterProfile]:
    """The shelters ``user`` records placements in (their own organisation's, with the write right)."""
    organisation_id = _organisation_id(user)
    if organisation_id is None or not can(user, Data.SHELTER_PLACEMENTS, Level.WRITE):
        return ShelterProfile.objects.none()
    return ShelterProfile.objects.select_related("organisation").filter(organisation_id=organisation_id)


def may_place_somewhere(user: Any) -> bool:
    """Whether ``user`` works for a shelter and may record placements there."""
    return shelters_placing(user).exists()


def visible_shelters(user: Any) -> QuerySet[ShelterProfile]:
    """Shelters whose occupancy (counts, no names) ``user`` may see."""
    shelters = ShelterProfile.objects.select_related("organisation")
    if can(user, Data.SHELTER_MONITORING, Level.READ) or (
        can(user, Data.SHELTER_PLACEMENTS, Level.READ) and is_atd_member(user)
    ):
        return shelters
    organisation_id = _organisation_id(user)
    if organisation_id is not None and can(user, Data.SHELTER_PLACEMENTS, Level.READ):
        return shelters.filter(organisation_id=organisation_id)
    return shelters.none()


def may_see_shelters(user: Any) -> bool:
    """Whether the shelters page is for ``user`` at all (shelter placements or monitoring, read)."""
    return can(user, Data.SHELTER_PLACEMENTS, Level.READ) or can(user, Data.SHELTER_MONITORING, Level.READ)


def get_shelter_for_user(user: Any, pk: Any) -> ShelterProfile:
    """One shelter, or ``NotVisible`` (404)."""
    try:
        return visible_shelters(user).get(pk=pk)
    except (ShelterProfile.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None


# --- Shelter profiles and allowance rates ----------------------------------------------------------


def may_create_shelter_profiles(user: Any) -> bool:
    """Shelter profiles are created by system administrators (``organisations`` write)."""
    return can(user, Data.ORGANISATIONS, Level.WRITE)


def may_edit_shelter_profile(user: Any, profile: ShelterProfile) -> bool:
    """A profile is changed by system administrators and by the shelter's own staff (placements write)."""
    if may_create_shelter_profiles(user):
        return True
    return can(user, Data.SHELTER_PLACEMENTS, Level.WRITE) and profile.organisation_id == _organisation_id(
        user
    )


def editable_shelter_profiles(user: Any) -> QuerySet[ShelterProfile]:
    """The profiles ``user`` may change: all for administrators, their own shelter's for its staff."""
    profiles = ShelterProfile.objects.select_related("organisation")
    if may_create_shelter_profiles(user):
        return profiles
    organisation_id = _organisation_id(user)
    if organisation_id is None or not can(user, Data.SHELTER_PLACEMENTS, Level.WRITE):
        return profiles.none()
    return profiles.filter(organisation_id=organisation_id)


def may_open_shelter_profiles(user: Any) -> bool:
    """The shelter profiles page: administrators, and shelter staff (for their own shelter)."""
    return may_create_shelter_profiles(user) or can(user, Data.SHELTER_PLACEMENTS, Level.WRITE)


def get_editable_shelter_profile(user: Any, pk: Any) -> ShelterProfile:
    """A profile ``user`` may change; another shelter's answers 404."""
    try:
        return editable_shelter_profiles(user).get(pk=pk)
    except (ShelterProfile.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None


def may_set_allowance_rate(user: Any) -> bool:
    """The allowance rate is set by the National Coordinator and by system administrators."""
    if not getattr(user, "is_active", False):
        return False
    return may_create_shelter_profiles(user) or (
        getattr(user, "role", "") == Role.NATIONAL_COORDINATOR and can(user, Data.ORGANISATIONS, Level.READ)
    )


# --- Sealing and payments --------------------------------------------------------------------

# Who may approve a payment someone else records.
PAYMENT_APPROVER_ROLES: frozenset[str] = frozenset({Role.ASSISTANCE_CASEWORKER, Role.POLICE_SUPERVISOR})


def may_seal(user: Any) -> bool:
    """Only prosecutors record (and lift) the sealing decision of a prosecutor or court."""
    return getattr(user, "role", "") == Role.PROSECUTOR and can(user, Data.CASE_CONTENT, Level.READ)


def may_approve_payment(user: Any) -> bool:
    """Assistance-centre case workers and police supervisors approve payments."""
    return (
        getattr(user, "is_active", False)
        and getattr(user, "role", "") in PAYMENT_APPROVER_ROLES
        and can(user, Data.CASE_CONTENT, Level.WRITE)
    )


# --- Return home -------------------------------------------------------------------------------


def may_write_returns(rights: CaseRights) -> bool:
    """Returns are recorded and changed by the case's owner and ATD (they decide where the person goes)."""
    return bool({Relation.OWNER, Relation.ATD} & rights.relations)


def visible_returns(user: Any, case: Case) -> QuerySet[Return]:
    """``case``'s returns, for those who see its content (the case itself read through access)."""
    if not case_rights(user, case).content:
        return Return.objects.none()
    return case.returns.select_related("risk_assessment", "recorded_by")


def get_return_for_user(user: Any, case_pk: Any, pk: Any, *, write: bool = False) -> Return:
    """One return of a case ``user`` sees the content of: ``NotVisible`` (404) otherwise;
    ``PermissionDenied`` (403) if ``write`` and ``user`` is neither the owner nor ATD."""
    case = get_case_for_user(user, case_pk)
    rights = case_rights(user, case)
    try:
        record = visible_returns(user, case).get(pk=pk)
    except (Return.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    if write and not may_write_returns(rights):
        raise PermissionDenied
    return record
