"""Demo cases: about thirty referral-mechanism cases at every stage, made through the cases services.

Each scenario is a short story told in the past: first contact some days
ago, then referral, acceptance, reflection, decision, assistance, payment,
closure, at times that put the legal clocks in every state (some due soon,
some overdue, some met late). The demo accounts are the actors: ``qht`` (an
NGO), ``mufettis`` (ATD), ``sosial`` (the assistance centre). Three cases are
children's. Persons come from the demo persons each organisation recorded;
when an organisation has none that fits, its account records one (a
synthetic person of a separate seed) through the persons service.

Built once: if demo accounts already own cases, nothing is added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation, User
from azad.cases import services
from azad.cases.choices import (
    ChildNotificationBody,
    ClosureReason,
    ConsentGiver,
    ConsentPurpose,
    ConsentStatus,
    HistoricEventType,
    PaymentKind,
    ReferralPurpose,
    RiskLevel,
    ServiceOutcome,
    Share,
    Stage,
    SupportType,
    WithdrawalReason,
)
from azad.cases.models import Case, Referral, ShelterProfile
from azad.core.permissions import Role
from azad.demo import generator
from azad.persons.models import Person
from azad.persons.services import create_person

EXTRA_PERSONS_SEED = 2027
REPRESENTATIVE = "Səbinə Hüseynova"


@dataclass(frozen=True)
class Scenario:
    """One demo case: who owns it, when first contact was, the person it needs, and its steps.

    ``steps`` are (day offset from first contact, step name); see :class:`_Story`.
    """

    owner: str  # username of the owning account
    contact_days_ago: float
    steps: tuple[tuple[float, str], ...] = ()
    child: bool = False
    foreign: bool = False
    channel: str = "NgoOutreach"
    exploitation: tuple[str, ...] = ("SexualExploitation",)


H = 1 / 24  # an hour, in days

SCENARIOS: tuple[Scenario, ...] = (
    # The NGO's presumed victims: the 24-hour clock due, due soon, overdue.
    Scenario("qht", 2 * H),
    Scenario("qht", 20 * H),
    Scenario("qht", 3, ((0.2, "context"),)),
    # Referred to ATD: in time, late, accepted.
    Scenario("qht", 10 * H, ((6 * H, "refer"),)),
    Scenario("qht", 2, ((30 * H, "refer"),)),
    Scenario("qht", 1, ((3 * H, "refer"), (5 * H, "accept"))),
    # Reflection: running, ending soon, overdue for a decision.
    Scenario("qht", 6, ((4 * H, "refer"), (8 * H, "accept"), (1, "reflection"))),
    Scenario("qht", 29, ((5 * H, "refer"), (10 * H, "accept"), (1, "reflection"))),
    Scenario("qht", 45, ((5 * H, "refer"), (10 * H, "accept"), (1, "reflection"))),
    # Identified: allowance due, allowance overdue.
    Scenario("qht", 40, ((3 * H, "refer"), (6 * H, "accept"), (1, "reflection"), (35, "identify"))),
    Scenario("qht", 80, ((3 * H, "refer"), (6 * H, "accept"), (1, "reflection"), (32, "identify"))),
    # Assistance, reintegration, closed.
    Scenario(
        "qht",
        60,
        ((3 * H, "refer"), (6 * H, "accept"), (1, "reflection"), (31, "identify"), (32, "assist_referral"),
         (33, "assistance"), (35, "allowance")),
    ),
    Scenario(
        "qht",
        150,
        ((3 * H, "refer"), (6 * H, "accept"), (1, "reflection"), (31, "identify"), (32, "assist_referral"),
         (33, "assistance"), (36, "allowance"), (90, "reintegration")),
    ),
    Scenario(
        "qht",
        200,
        ((2 * H, "refer"), (4 * H, "accept"), (1, "reflection"), (30, "identify"), (31, "assist_referral"),
         (32, "assistance"), (40, "allowance"), (100, "reintegration"), (170, "close")),
    ),
    # Withdrawn; declined by ATD (back to "presumed", the clock overdue again).
    Scenario("qht", 5, ((1, "withdraw"),)),
    Scenario("qht", 4, ((3 * H, "refer"), (6 * H, "decline"))),
    # ATD's own cases (the 24-hour clock met at first contact).
    Scenario("mufettis", 1, (), channel="Police", exploitation=("ForcedLabour",)),
    Scenario("mufettis", 10, ((1, "reflection"), (2, "comment"), (3, "seal")), channel="Police"),
    Scenario(
        "mufettis",
        390,
        ((1, "reflection"), (31, "identify"), (33, "permit"), (34, "assist_referral"), (35, "assistance"),
         (36, "ngo_shelter"), (120, "leave_ngo_shelter")),
        foreign=True,
        channel="Migration",
        exploitation=("ForcedLabour",),
    ),
    Scenario(
        "mufettis",
        420,
        ((0.5, "history"), (1, "reflection"), (31, "identify"), (33, "permit"), (34, "assist_referral"),
         (35, "assistance"), (36, "plan"), (40, "allowance"), (41, "comment"), (120, "reintegration")),
        foreign=True,
        channel="Border",
        exploitation=("ForcedLabour", "Servitude"),
    ),
    Scenario("mufettis", 50, ((1, "reflection"), (20, "not_identified"), (21, "close_not_victim")), channel="Police"),
    Scenario(
        "mufettis",
        30,
        ((1, "reflection"), (25, "identify"), (28, "transfer_abroad")),
        foreign=True,
        channel="Border",
    ),
    Scenario(
        "mufettis",
        20,
        ((0.5, "history"), (1, "reflection"), (15, "identify"), (16, "assist_referral"), (17, "assistance"),
         (17.1, "shelter_referral"), (17.2, "shelter_place"), (18, "plan"), (18.5, "comment")),
        channel="Hotline",
    ),
    Scenario(
        "mufettis",
        300,
        ((1, "reflection"), (30, "identify"), (31, "assist_referral"), (32, "assistance"), (33, "allowance"),
         (200, "close")),
        channel="Consulate",
    ),
    # The assistance centre's cases.
    Scenario("sosial", 8 * H, ((2 * H, "refer"),), channel="Hotline"),
    Scenario(
        "sosial",
        70,
        ((4 * H, "refer"), (6 * H, "accept"), (1, "reflection"), (31, "identify"), (32, "assistance_owner"),
         (33, "allowance")),
        channel="Hotline",
    ),
    # Children: notifications missing (blocked), complete, and a child in assistance.
    Scenario(
        "qht",
        5 * H,
        ((10 * H / 60, "representative"), (20 * H / 60, "notify_two"), (1 * H, "refer"), (2 * H, "accept")),
        child=True,
        exploitation=("ChildLabour",),
    ),
    Scenario("mufettis", 12, ((30 * H / 60, "notify_all"), (1, "reflection")), child=True, channel="Police"),
    Scenario(
        "mufettis",
        50,
        ((40 * H / 60, "notify_all"), (1, "reflection"), (31, "identify"), (31.5, "representative"),
         (32, "assist_referral"), (33, "assistance")),
        child=True,
        channel="Police",
        exploitation=("SexualExploitation", "ForcedBegging"),
    ),
)  # fmt: skip


class _Story:
    """Plays one scenario's steps through the services."""

    def __init__(self, case: Case, accounts: dict[str, User], organisations: dict[str, Organisation]) -> None:
        self.case = case
        self.accounts = accounts
        self.organisations = organisations
        self.owner = accounts["owner"]

    def fresh(self) -> Case:
        self.case = Case.objects.get(pk=self.case.pk)
        return self.case

    def consent(self, actor: User, purpose: str, at: dt.datetime, to: Organisation | None = None) -> None:
        case = self.fresh()
        child = case.is_child
        services.record_consent(
            case,
            actor=actor,
            expected_version=case.version,
            purpose=purpose,
            status=ConsentStatus.GIVEN,
            given_by=ConsentGiver.LEGAL_REPRESENTATIVE if child else ConsentGiver.PERSON,
            representative_name=REPRESENTATIVE if child else "",
            to_organisation=to,
            answered_at=at,
        )

    def move(self, actor: User, stage: str, at: dt.datetime, **details: Any) -> None:
        case = self.fresh()
        services.transition_case(
            case, stage, actor=actor, expected_version=case.version, occurred_at=at, **details
        )

    def atd_referral(self) -> Referral:
        return Referral.objects.get(case=self.case, purpose=ReferralPurpose.IDENTIFICATION, status="pending")

    def answer(self, referral: Referral, actor: User, at: dt.datetime) -> None:
        services.accept_referral(referral, actor=actor, expected_version=referral.version, occurred_at=at)

    def notify(self, bodies: list[str], at: dt.datetime) -> None:
        actor = self.owner
        for offset, body in enumerate(bodies):
            case = self.fresh()
            services.record_child_notification(
                case,
                actor=actor,
                expected_version=case.version,
                body=body,
                channel="phone" if offset else "letter",
                notified_at=at + dt.timedelta(minutes=5 * offset),
                organisation=self.organisations["family_committee"]
                if body == ChildNotificationBody.FAMILY_COMMITTEE
                else None,
            )

    def step(self, name: str, at: dt.datetime) -> None:
        atd, social = self.accounts["mufettis"], self.accounts["sosial"]
        if name == "context":
            case = self.fresh()
            services.update_case_context(
                case,
                actor=self.owner,
                expected_version=case.version,
                exploitation_types=case.exploitation_types,
                control_methods=["FalsePromises", "WithholdsDocuments", "DebtBondage"],
            )
        elif name == "refer":
            self.consent(
                self.owner, ConsentPurpose.REFERRAL, at - dt.timedelta(minutes=10), self.organisations["atd"]
            )
            case = self.fresh()
            services.refer_to_atd(case, actor=self.owner, expected_version=case.version, occurred_at=at)
        elif name == "accept":
            self.answer(self.atd_referral(), atd, at)
        elif name == "decline":
            referral = self.atd_referral()
            services.decline_referral(
                referral,
                actor=atd,
                expected_version=referral.version,
                reason="Məlumat yetərsizdir; əlavə müsahibə lazımdır.",
            )
        elif name == "reflection":
            self.move(atd, Stage.REFLECTION, at)
        elif name == "identify":
            self.move(atd, Stage.IDENTIFIED, at, basis="Güclü göstəricilər təsdiqləndi (müsahibə, sənədlər).")
        elif name == "not_identified":
            self.move(atd, Stage.NOT_IDENTIFIED, at, basis="İstismar əlamətləri təsdiqlənmədi.")
        elif name == "close_not_victim":
            self.move(atd, Stage.CLOSED, at, closure_reason=ClosureReason.NOT_A_VICTIM)
        elif name == "assist_referral":
            centre = self.organisations["assistance_centre"]
            self.consent(atd, ConsentPurpose.REFERRAL, at - dt.timedelta(minutes=10), centre)
            case = self.fresh()
            referral = services.create_referral(
                case,
                actor=atd,
                expected_version=case.version,
                to_organisation=centre,
                purpose=ReferralPurpose.ASSISTANCE,
                shares=[Share.IDENTITY, Share.CASE_CONTENT],
                occurred_at=at,
            )
            self.answer(referral, social, at + dt.timedelta(hours=3))
        elif name == "shelter_referral":
            shelter = self.organisations["atd_shelter"]
            self.consent(atd, ConsentPurpose.REFERRAL, at - dt.timedelta(minutes=10), shelter)
            case = self.fresh()
            services.create_referral(
                case,
                actor=atd,
                expected_version=case.version,
                to_organisation=shelter,
                purpose=ReferralPurpose.SHELTER,
                shares=[Share.IDENTITY],
                occurred_at=at,
            )
        elif name in ("assistance", "assistance_owner"):
            actor = self.owner if name == "assistance_owner" else social
            self.consent(actor, ConsentPurpose.ASSISTANCE, at - dt.timedelta(hours=1))
            self.move(actor, Stage.ASSISTANCE, at)
        elif name == "allowance":
            case = self.fresh()
            payer = (
                social
                if case.referrals.filter(to_organisation=self.organisations["assistance_centre"]).exists()
                else self.owner
            )
            services.record_payment(
                case,
                actor=payer,
                expected_version=case.version,
                kind=PaymentKind.ALLOWANCE,
                approved_by=self.accounts["polis_reis"],
                paid_at=at,
            )
        elif name == "shelter_place":
            shelter_staff = self.accounts["siginacaq"]
            referral = Referral.objects.get(
                case=self.case, to_organisation=self.organisations["atd_shelter"], status="pending"
            )
            self.answer(referral, shelter_staff, at)
            self.place(shelter_staff, self.organisations["atd_shelter"], at)
        elif name == "ngo_shelter":
            self.ngo_shelter(atd, at)
        elif name == "leave_ngo_shelter":
            placement = self.case.placements.get(end_on__isnull=True)
            services.end_placement(
                placement,
                actor=self.accounts["siginacaq_qht"],
                expected_version=placement.version,
                end_on=timezone.localtime(at).date(),
            )
        elif name == "plan":
            self.plan(self._assisting(), at)
        elif name == "history":
            self.history(self.owner, at)
        elif name == "comment":
            services.add_comment(
                self.fresh(), actor=self.owner, text="Şəxslə əlaqə saxlanıldı; növbəti görüş razılaşdırıldı."
            )
        elif name == "seal":
            services.seal_case(
                self.fresh(),
                actor=self.accounts["prokuror"],
                decided_by_organisation=self.organisations["prosecutor"],
                decision_reference="PR-2026/0147",
                decided_on=timezone.localtime(at).date(),
                roles=[Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR],
            )
        elif name == "reintegration":
            self.move(self._assisting(), Stage.REINTEGRATION, at)
        elif name == "close":
            self.move(self._assisting(), Stage.CLOSED, at, closure_reason=ClosureReason.SERVICES_COMPLETED)
        elif name == "withdraw":
            self.move(self.owner, Stage.WITHDRAWN, at, withdrawal_reason=WithdrawalReason.PERSON_WITHDREW)
        elif name == "transfer_abroad":
            country = self.case.person.citizenship or "UZ"
            self.move(
                atd, Stage.TRANSFERRED, at, country=country, organisation_name="IOM mission (safe return)"
            )
        elif name == "permit":
            case = self.fresh()
            services.record_residence_permit(
                case, actor=atd, expected_version=case.version, issued_on=timezone.localtime(at).date()
            )
        elif name == "representative":
            case = self.fresh()
            services.update_child_details(
                case,
                actor=self.owner,
                expected_version=case.version,
                legal_representative_name=REPRESENTATIVE,
                legal_representative_contact="+994 50 555 12 34",
                best_interests_note="Ailəyə qayıtmazdan əvvəl risk qiymətləndirilməlidir.",
            )
        elif name == "notify_two":
            self.notify([ChildNotificationBody.GUARDIANSHIP, ChildNotificationBody.FAMILY_COMMITTEE], at)
        elif name == "notify_all":
            self.notify(list(ChildNotificationBody.values), at)
        else:  # pragma: no cover - a typo in SCENARIOS
            raise ValueError(f"Unknown demo step {name!r}")

    def place(self, actor: User, organisation: Organisation, at: dt.datetime) -> None:
        services.place_in_shelter(
            self.fresh(),
            actor=actor,
            shelter=ShelterProfile.objects.get(organisation=organisation),
            start_on=timezone.localtime(at).date(),
            reason="Təhlükəsiz yaşayış yeri yoxdur.",
        )

    def ngo_shelter(self, atd: User, at: dt.datetime) -> None:
        """ATD refers the case to the NGO shelter, whose staff accept and place the person."""
        shelter_org = self.organisations[NGO_SHELTER]
        self.consent(atd, ConsentPurpose.REFERRAL, at - dt.timedelta(minutes=10), shelter_org)
        case = self.fresh()
        referral = services.create_referral(
            case,
            actor=atd,
            expected_version=case.version,
            to_organisation=shelter_org,
            purpose=ReferralPurpose.SHELTER,
            shares=[Share.IDENTITY],
            occurred_at=at,
        )
        staff = self.accounts["siginacaq_qht"]
        self.answer(referral, staff, at + dt.timedelta(hours=2))
        self.place(staff, shelter_org, at + dt.timedelta(hours=3))

    def plan(self, actor: User, at: dt.datetime) -> None:
        """An assistance plan with two items, services delivered and two risk assessments."""
        day = timezone.localtime(at).date()
        plan = services.open_plan(
            self.fresh(),
            actor=actor,
            objectives="Sağlamlığın bərpası, sənədlərin alınması, məşğulluq.",
            opened_on=day,
            planned_end_on=day + dt.timedelta(days=180),
        )
        for support_type, objective in (
            (SupportType.HEALTH, "Tibbi müayinə və müalicə."),
            (SupportType.DOCUMENTATION, "Şəxsiyyət vəsiqəsinin bərpası."),
        ):
            services.add_plan_item(
                plan, actor=actor, support_type=support_type, objective=objective, start_on=day
            )
        services.record_service(
            self.fresh(),
            actor=actor,
            support_type=SupportType.HEALTH,
            delivered_on=min(day + dt.timedelta(days=2), timezone.localdate()),
            outcome=ServiceOutcome.COMPLETED,
            outcome_note="Müayinə aparıldı.",
        )
        services.record_service(
            self.fresh(),
            actor=actor,
            support_type=SupportType.PSYCHOLOGICAL,
            delivered_on=min(day + dt.timedelta(days=3), timezone.localdate()),
        )
        for offset, level in ((0, RiskLevel.HIGH), (30, RiskLevel.MEDIUM)):
            services.record_risk_assessment(
                self.fresh(),
                actor=actor,
                level=level,
                assessed_on=min(day + dt.timedelta(days=offset), timezone.localdate()),
                note="Təhdid edən şəxslər hələ axtarışdadır." if level == RiskLevel.HIGH else "",
            )

    def history(self, actor: User, at: dt.datetime) -> None:
        """Recruitment at home, exploitation abroad."""
        day = timezone.localtime(at).date()
        services.record_historic_event(
            self.fresh(),
            actor=actor,
            event_type=HistoricEventType.RECRUITMENT,
            country="AZ",
            place="Gəncə",
            date_from=day - dt.timedelta(days=200),
            description="Sosial şəbəkədə iş elanı ilə.",
        )
        services.record_historic_event(
            self.fresh(),
            actor=actor,
            event_type=HistoricEventType.EXPLOITATION,
            country="TR",
            place="İstanbul",
            date_from=day - dt.timedelta(days=180),
            date_to=day - dt.timedelta(days=20),
            description="Tikinti sahəsində maaşsız iş; sənədlər götürülüb.",
        )

    def _assisting(self) -> User:
        case = self.fresh()
        if case.referrals.filter(
            to_organisation=self.organisations["assistance_centre"], status="accepted"
        ).exists():
            return self.accounts["sosial"]
        return self.owner


class _PersonPicker:
    """Persons each account's organisation recorded and that have no case yet; records more if needed."""

    def __init__(self) -> None:
        self.used: set[Any] = set(Case.objects.values_list("person_id", flat=True))
        self.extra_index = 0

    def _fits(self, person: Person, scenario: Scenario) -> bool:
        foreign = bool(person.citizenship) and person.citizenship != "AZ"
        return person.is_presumed_child() == scenario.child and foreign == scenario.foreign

    def pick(self, actor: User, scenario: Scenario) -> Person:
        candidates = Person.objects.filter(organisation=actor.organisation).exclude(pk__in=self.used)
        for person in candidates.order_by("id").iterator():
            if self._fits(person, scenario):
                self.used.add(person.pk)
                return person
        return self._record(actor, scenario)

    def _record(self, actor: User, scenario: Scenario) -> Person:
        while True:
            record = generator.person_record(EXTRA_PERSONS_SEED, self.extra_index)
            self.extra_index += 1
            age = record.age()
            child = age is None or age < 18
            foreign = record.citizenship != "AZ"
            if child != scenario.child or foreign != scenario.foreign:
                continue
            person = create_person(
                actor=actor,
                first_name=record.first_name,
                last_name=record.last_name,
                middle_name=record.middle_name,
                gender=record.gender,
                birth_date=record.birth_date,
                birth_year=record.birth_year,
                citizenship=record.citizenship,
                languages=list(record.languages),
                document_type=record.document_type,
                document_number=record.document_number,
            )
            if self._fits(person, scenario):
                self.used.add(person.pk)
                return person


# Demo accounts the scenarios act as.
DEMO_ACTORS = ("qht", "mufettis", "sosial", "polis_reis", "siginacaq", "siginacaq_qht", "prokuror", "admin")
# The NGO shelter (generator.ngo_spec(1) is a shelter) that takes in some demo cases.
NGO_SHELTER = "ngo1"
NGO_SHELTER_BEDS = 12


def _ensure_shelters(organisations: dict[str, Organisation], admin: User) -> None:
    """Shelter profiles: ATD's shelter (50 beds) and the NGO shelter."""
    beds = {**generator.SHELTER_BEDS, NGO_SHELTER: NGO_SHELTER_BEDS}
    for key, count in beds.items():
        organisation = organisations.get(key)
        if organisation is None or organisation.org_type != OrgType.SHELTER:
            continue
        if not ShelterProfile.objects.filter(organisation=organisation).exists():
            services.save_shelter_profile(
                organisation, actor=admin, beds=count, address="Bakı şəhəri (ünvan məxfidir)"
            )


# Where the demo cases were found: mostly Baku, some from the regions.
DEMO_REGIONS = ("Bakı", "Sumqayıt", "Gəncə", "Bakı", "Lənkəran", "Şəki", "Bakı", "Quba")


def build_demo_cases(
    organisations: dict[str, Organisation],
    *,
    now: dt.datetime | None = None,
    on_case: Callable[[Case], None] | None = None,
) -> int:
    """Create the demo cases (once); returns how many were created."""
    accounts = {u.username: u for u in User.objects.filter(is_demo=True, username__in=DEMO_ACTORS)}
    if (
        any(name not in accounts for name in DEMO_ACTORS)
        or Case.objects.filter(created_by__is_demo=True).exists()
    ):
        return 0
    if not Organisation.objects.filter(org_type=OrgType.POLICE_ATD, is_active=True).exists():
        return 0
    now = now or timezone.now()
    _ensure_shelters(organisations, accounts["admin"])
    picker = _PersonPicker()
    created = 0
    for index, scenario in enumerate(SCENARIOS):
        owner = accounts[scenario.owner]
        person = picker.pick(owner, scenario)
        start = now - dt.timedelta(days=scenario.contact_days_ago)
        case = services.create_case(
            actor=owner,
            person=person,
            first_contact_at=start,
            channel=scenario.channel,
            exploitation_types=scenario.exploitation,
            region=DEMO_REGIONS[index % len(DEMO_REGIONS)],
        )
        story = _Story(case, {**accounts, "owner": owner}, organisations)
        for offset, step in scenario.steps:
            story.step(step, start + dt.timedelta(days=offset))
        created += 1
        if on_case is not None:
            on_case(story.fresh())
    return created
