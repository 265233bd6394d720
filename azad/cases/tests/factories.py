"""Builders for referral-mechanism tests: a small national structure with one account per role, and cases.

    world = make_world()
    case = make_case(world)                      # an NGO's presumed victim, adult
    case = referred_case(world)                  # ... referred to ATD, accepted
    case = make_case(world, birth_date="2012-03-01")   # a child

Every case, consent and referral is made through the services, as the app makes them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation, User
from azad.accounts.tests.factories import make_org, make_user
from azad.cases import services
from azad.cases.choices import ChildNotificationBody, ConsentGiver, ConsentPurpose, ConsentStatus, Stage
from azad.cases.models import Case, Referral
from azad.core.permissions import Role, Scope
from azad.persons.models import Person
from azad.persons.services import create_person

_counter = itertools.count(1)


def client_for(user: User) -> Client:
    """A signed-in browser client whose pages come in English (the tests assert English messages)."""
    client = Client()
    client.force_login(user)
    client.cookies["azad_language"] = "en"
    return client


def api(user: User) -> APIClient:
    """An authenticated API client, answers in English."""
    client = APIClient()
    client.force_authenticate(user)
    client.cookies["azad_language"] = "en"
    return client


@dataclass
class World:
    """Organisations and one account per role (organisation scope unless said otherwise)."""

    atd: Organisation
    ngo: Organisation
    other_ngo: Organisation
    assistance: Organisation
    shelter: Organisation
    family_committee: Organisation
    guardianship: Organisation
    coordinator_office: Organisation
    prosecutor_office: Organisation
    court: Organisation
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_world() -> World:
    """ATD, two NGOs, the assistance centre, a shelter, two child-protection bodies and their people."""
    n = next(_counter)
    world = World(
        atd=make_org(f"İAMBİ {n}", OrgType.POLICE_ATD),
        ngo=make_org(f"QHT {n}", OrgType.NGO),
        other_ngo=make_org(f"Başqa QHT {n}", OrgType.NGO),
        assistance=make_org(f"Yardım Mərkəzi {n}", OrgType.ASSISTANCE_CENTRE),
        shelter=make_org(f"Sığınacaq {n}", OrgType.SHELTER),
        family_committee=make_org(f"AQUPDK {n}", OrgType.CHILD_PROTECTION),
        guardianship=make_org(f"Qəyyumluq {n}", OrgType.CHILD_PROTECTION),
        coordinator_office=make_org(f"Milli Koordinator {n}", OrgType.COORDINATOR),
        prosecutor_office=make_org(f"Prokurorluq {n}", OrgType.PROSECUTOR),
        court=make_org(f"Məhkəmə {n}", OrgType.COURT),
    )
    people = {
        "ngo_worker": (Role.NGO_CASEWORKER, world.ngo, Scope.ORGANISATION),
        "ngo_colleague": (Role.NGO_CASEWORKER, world.ngo, Scope.ORGANISATION),
        "other_ngo_worker": (Role.NGO_CASEWORKER, world.other_ngo, Scope.ORGANISATION),
        "investigator": (Role.POLICE_INVESTIGATOR, world.atd, Scope.ORGANISATION),
        "supervisor": (Role.POLICE_SUPERVISOR, world.atd, Scope.NATIONAL),
        "assistance_worker": (Role.ASSISTANCE_CASEWORKER, world.assistance, Scope.ORGANISATION),
        "shelter_worker": (Role.SHELTER_STAFF, world.shelter, Scope.ORGANISATION),
        "child_officer": (Role.CHILD_PROTECTION_OFFICER, world.family_committee, Scope.ORGANISATION),
        "coordinator": (Role.NATIONAL_COORDINATOR, world.coordinator_office, Scope.NATIONAL),
        "analyst": (Role.ANALYST, world.coordinator_office, Scope.NATIONAL),
        "auditor": (Role.AUDITOR, world.coordinator_office, Scope.NATIONAL),
        "admin": (Role.SYSTEM_ADMIN, world.coordinator_office, Scope.NATIONAL),
        "prosecutor": (Role.PROSECUTOR, world.prosecutor_office, Scope.NATIONAL),
    }
    for name, (role, org, scope) in people.items():
        world.users[name] = make_user(role, org, scope=scope, username=f"w{n}-{name}")
    return world


def make_person_for(actor: User, **data: Any) -> Person:
    values: dict[str, Any] = {
        "first_name": "Aynur",
        "last_name": "Əliyeva",
        "gender": "Feminine",
        "citizenship": "AZ",
        "birth_date": "1998-04-12",
    }
    values.update(data)
    return create_person(actor=actor, **values)


def make_case(
    world: World,
    actor: User | None = None,
    *,
    first_contact_at: dt.datetime | None = None,
    channel: str = "NgoOutreach",
    **person_data: Any,
) -> Case:
    """A presumed victim's case opened by ``actor`` (the NGO worker by default) for a new person."""
    actor = actor or world.ngo_worker
    person = make_person_for(actor, **person_data)
    return services.create_case(
        actor=actor,
        person=person,
        first_contact_at=first_contact_at or timezone.now() - dt.timedelta(hours=2),
        channel=channel,
    )


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def give_consent(
    case: Case,
    actor: User,
    purpose: str = ConsentPurpose.REFERRAL,
    *,
    to: Organisation | None = None,
    status: str = ConsentStatus.GIVEN,
    **extra: Any,
) -> Any:
    case = fresh(case)
    given_by = ConsentGiver.LEGAL_REPRESENTATIVE if case.is_child else ConsentGiver.PERSON
    extra.setdefault("representative_name", "Rəna Qasımova" if case.is_child else "")
    return services.record_consent(
        case,
        actor=actor,
        expected_version=case.version,
        purpose=purpose,
        status=status,
        given_by=given_by,
        to_organisation=to,
        **extra,
    )


def notify_all(
    case: Case, actor: User, *, at: dt.datetime | None = None, organisation: Organisation | None = None
) -> None:
    """Record the three child notifications."""
    for body in ChildNotificationBody:
        case = fresh(case)
        services.record_child_notification(
            case,
            actor=actor,
            expected_version=case.version,
            body=body,
            channel="phone",
            notified_at=at,
            organisation=organisation if body == ChildNotificationBody.FAMILY_COMMITTEE else None,
        )


def refer(case: Case, world: World, *, actor: User | None = None) -> Referral:
    """Consent to the referral, then refer to ATD."""
    actor = actor or world.ngo_worker
    give_consent(case, actor, to=world.atd)
    case = fresh(case)
    return services.refer_to_atd(case, actor=actor, expected_version=case.version)


def accept(referral: Referral, actor: User) -> Referral:
    referral = Referral.objects.get(pk=referral.pk)
    return services.accept_referral(referral, actor=actor, expected_version=referral.version)


def referred_case(world: World, **person_data: Any) -> Case:
    """An NGO's case referred to ATD and accepted there (children: notified too)."""
    case = make_case(world, **person_data)
    if fresh(case).is_child:
        notify_all(case, world.ngo_worker, organisation=world.family_committee)
    accept(refer(case, world), world.investigator)
    return fresh(case)


def move(case: Case, to: str, actor: User, **details: Any) -> Case:
    case = fresh(case)
    return services.transition_case(case, to, actor=actor, expected_version=case.version, **details)


def identified_case(world: World, **person_data: Any) -> Case:
    """Referred, reflection, identified by ATD."""
    case = referred_case(world, **person_data)
    move(case, Stage.REFLECTION, world.investigator)
    return move(case, Stage.IDENTIFIED, world.investigator, basis="Göstəricilər təsdiqləndi")


def assisted(case: Case, world: World) -> Referral:
    """ATD refers the case to the assistance centre (with consent), and the centre accepts."""
    give_consent(case, world.investigator, to=world.assistance)
    case = fresh(case)
    referral = services.create_referral(
        case,
        actor=world.investigator,
        expected_version=case.version,
        to_organisation=world.assistance,
        purpose="assistance",
        shares=["identity", "case_content"],
    )
    return accept(referral, world.assistance_worker)


def case_at(world: World, stage: str, **person_data: Any) -> Case:
    """A case brought to ``stage`` through the services, the way the mechanism gets there."""
    if stage == Stage.PRESUMED:
        return fresh(make_case(world, **person_data))
    if stage == Stage.WITHDRAWN:
        return move(
            make_case(world, **person_data), Stage.WITHDRAWN, world.ngo_worker, withdrawal_reason="Duplicate"
        )
    case = referred_case(world, **person_data)
    if stage == Stage.REFERRED_TO_ATD:
        return case
    if stage == Stage.TRANSFERRED:
        return move(
            case, Stage.TRANSFERRED, world.investigator, country="UZ", organisation_name="IOM Tashkent"
        )
    move(case, Stage.REFLECTION, world.investigator)
    if stage == Stage.REFLECTION:
        return fresh(case)
    if stage == Stage.NOT_IDENTIFIED:
        return move(case, Stage.NOT_IDENTIFIED, world.investigator, basis="Əlamətlər təsdiqlənmədi")
    move(case, Stage.IDENTIFIED, world.investigator, basis="Göstəricilər təsdiqləndi")
    if stage == Stage.IDENTIFIED:
        return fresh(case)
    if stage == Stage.CLOSED:
        return move(case, Stage.CLOSED, world.investigator, closure_reason="ServicesCompleted")
    give_consent(case, world.investigator, ConsentPurpose.ASSISTANCE)
    move(case, Stage.ASSISTANCE, world.investigator)
    if stage == Stage.ASSISTANCE:
        return fresh(case)
    return move(case, Stage.REINTEGRATION, world.investigator)


def audit_actions(since: int = 0) -> list[str]:
    from azad.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(seq__gt=since).order_by("seq").values_list("action", flat=True))


def last_seq() -> int:
    from azad.audit.models import AuditEvent

    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


# --- Increment 2 -----------------------------------------------------------------------------------


def make_shelter(world: World, *, beds: int = 2, **flags: Any) -> Any:
    """The world's shelter with a profile of ``beds`` beds (made by the administrator, through the service)."""
    return services.save_shelter_profile(
        world.shelter, actor=world.admin, beds=beds, address="Bakı, gizli ünvan", **flags
    )


def shelter_referral(case: Case, world: World) -> Referral:
    """ATD refers the case to the world's shelter (identity shared) and the shelter accepts."""
    give_consent(case, world.investigator, to=world.shelter)
    case = fresh(case)
    referral = services.create_referral(
        case,
        actor=world.investigator,
        expected_version=case.version,
        to_organisation=world.shelter,
        purpose="shelter",
        shares=["identity"],
    )
    return accept(referral, world.shelter_worker)


def placed_case(world: World, *, start_on: dt.date | None = None, **person_data: Any) -> tuple[Case, Any]:
    """A case referred to ATD, then to the shelter, and placed there."""
    case = referred_case(world, **person_data)
    shelter_referral(case, world)
    shelter = world.shelter.shelter_profile
    placement = services.place_in_shelter(
        fresh(case),
        actor=world.shelter_worker,
        shelter=shelter,
        start_on=start_on or timezone.localdate(),
        reason="Təhlükəsizlik",
    )
    return fresh(case), placement


def pay_allowance(case: Case, world: World, **extra: Any) -> Any:
    case = fresh(case)
    return services.record_payment(
        case,
        actor=world.investigator,
        expected_version=case.version,
        kind="allowance",
        approved_by=world.supervisor,
        **extra,
    )
