"""The only code that writes cases, consents, referrals and child notifications.

Each service checks who may act (:mod:`azad.cases.access`) and the rule,
locks the case row, checks the version the person read (``ConflictError``
-> 409), writes, puts the step on the case timeline (:class:`CaseEvent`) and
records the audit event in the same transaction. Audit payloads and timeline
details hold codes, ids and organisation names only: never a name, a decision
basis, a legal ground or a note.

The screening app calls :func:`create_case_from_screening` and
:func:`refer_to_atd`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation
from azad.audit.services import record_event, redacted_changes
from azad.cases import access
from azad.cases.access import CaseRights, case_rights, get_case_for_user, may_record_legal_ground
from azad.cases.choices import (
    END_STAGES,
    PURPOSES_WITH_ORGANISATION,
    RETURN_STATUS_NEXT,
    ChildNotificationBody,
    ConsentGiver,
    ConsentPurpose,
    ConsentStatus,
    ContactChannel,
    ControlMethod,
    EventKind,
    ExploitationType,
    HistoricEventType,
    NotificationChannel,
    PaymentKind,
    ReferralChannel,
    ReferralPurpose,
    ReferralStatus,
    ReturnDirection,
    ReturnStatus,
    RevocationReason,
    RiskLevel,
    ServiceOutcome,
    Share,
    Stage,
    SupportType,
    TraffickingStatus,
    TravelDocumentStatus,
)
from azad.cases.clocks import (
    BAKU,
    HOME_COUNTRY,
    citizenship_of,
    default_permit_expiry,
    is_foreign,
    reflection_protects,
)
from azad.cases.models import (
    AllowanceRate,
    AssistancePlan,
    Case,
    CaseComment,
    CaseEvent,
    ChildNotification,
    Consent,
    HistoricEvent,
    Payment,
    Placement,
    PlanItem,
    Referral,
    Return,
    RiskAssessment,
    Sealing,
    ServiceDelivery,
    ShelterProfile,
    as_payload,
    roles_text,
)
from azad.cases.workflow import Relation, Transition, transition_for, unmet
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError, save_versioned
from azad.core.permissions import Data, Level, Role, can
from azad.core.places import REGION_CHOICES
from azad.persons.access import get_person_for_user
from azad.persons.choices import COUNTRY_CODES
from azad.persons.models import Person

REGIONS = [code for code, _label in REGION_CHOICES]
# A clock a little ahead of the server's is not "the future".
CLOCK_SKEW = dt.timedelta(minutes=5)
TEXT_LIMIT = 4000


# --- Helpers ----------------------------------------------------------------------------------


def _when(value: dt.datetime | None, *, field: str, not_before: dt.datetime | None = None) -> dt.datetime:
    """The time an act took place: now by default, never in the future, never before ``not_before``."""
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value, BAKU)
    if value > now + CLOCK_SKEW:
        raise ValidationError({field: _("This time is in the future.")})
    if not_before is not None and value < not_before:
        raise ValidationError({field: _("This is earlier than the step before it on the case.")})
    return value


def _given(value: Any) -> bool:
    return value is not None and value != ""


def _text(value: Any, *, field: str, required: bool = False, message: Any = None) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: message or _("This field is required.")})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field: _("Keep this under 4000 characters.")})
    return text


def _choices(values: Iterable[Any] | None, allowed: Iterable[str], *, field: str) -> list[str]:
    allowed = list(allowed)
    chosen: list[str] = []
    for value in values or ():
        if value not in allowed:
            raise ValidationError({field: _("Choose from the list.")})
        if value not in chosen:
            chosen.append(value)
    return [value for value in allowed if value in chosen]


def _choice(value: Any, allowed: Iterable[str], *, field: str, required: bool = True) -> str:
    value = str(value or "")
    if (required or value) and value not in list(allowed):
        raise ValidationError({field: _("Choose from the list.")})
    return value


def _checked(actor: Any, case: Case, rule: Any) -> CaseRights:
    """The case is visible to ``actor`` (404 otherwise) and ``rule(rights)`` holds (403 otherwise)."""
    rights = case_rights(actor, get_case_for_user(actor, case.pk))
    if not rule(rights):
        raise PermissionDenied
    return rights


def _lock(case: Case | Any, expected_version: int | None) -> Case:
    """The case row, locked until the transaction ends; ``ConflictError`` if changed since it was read."""
    pk = case.pk if isinstance(case, Case) else case
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("person", "owner_organisation").get(pk=pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError
    return locked


def _child_now(case: Case) -> bool:
    """Under 18 at first contact (Baku date), or age unknown."""
    return case.person.is_presumed_child(timezone.localtime(case.first_contact_at, BAKU).date())


def _save(case: Case, fields: Iterable[str]) -> None:
    """Save the changed ``fields`` (plus the derived child flag), bumping the version."""
    names = {*fields, "updated_at"}
    child = _child_now(case)
    if child != case.is_child:
        case.is_child = child
        names.add("is_child")
    save_versioned(case, expected_version=case.version, fields=sorted(names))


def _event(
    case: Case,
    kind: str,
    *,
    actor: Any,
    occurred_at: dt.datetime | None = None,
    from_stage: str = "",
    to_stage: str = "",
    **details: Any,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation_id=getattr(actor, "organisation_id", None),
        occurred_at=occurred_at or timezone.now(),
        details=as_payload(**details),
    )


def _require_open(case: Case) -> None:
    if case.stage in END_STAGES:
        raise ValidationError(_("The case has ended; nothing more can be recorded on it."))


def _active_organisation(
    value: Any, *, field: str, org_types: Iterable[str] | None = None, require_active: bool = True
) -> Organisation:
    """An (active) organisation by instance or id, or a clear error."""
    pk = value.pk if isinstance(value, Organisation) else value
    try:
        organisation = Organisation.objects.get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise ValidationError({field: _("There is no such organisation.")}) from None
    if require_active and not organisation.is_active:
        raise ValidationError({field: _("This organisation is deactivated and cannot receive cases.")})
    if org_types is not None and organisation.org_type not in set(org_types):
        raise ValidationError({field: _("This organisation is not of the right kind for this.")})
    return organisation


def atd_organisation() -> Organisation:
    """The police anti-trafficking department that receives referrals (the first active one)."""
    organisation = (
        Organisation.objects.filter(org_type=OrgType.POLICE_ATD, is_active=True).order_by("pk").first()
    )
    if organisation is None:
        raise ValidationError(_("No active anti-trafficking department (ATD) is registered in Azad."))
    return organisation


# --- Opening a case -----------------------------------------------------------------------------


def create_case(
    *,
    actor: Any,
    person: Person,
    first_contact_at: dt.datetime | None = None,
    channel: str = "",
    exploitation_types: Iterable[str] = (),
    control_methods: Iterable[str] = (),
    screening_id: str = "",
    region: str = "",
) -> Case:
    """Open a case for a presumed victim the actor can see, owned by the actor and their organisation.

    Needs write access to case content (403 otherwise) and the person visible
    (404 otherwise). Without ``first_contact_at`` the opening time stands in
    for first contact until it is recorded. A case opened by ATD itself starts
    at "referred to ATD" (the 24-hour clock is met at first contact). Records
    ``cases.case.create``.
    """
    if not can(actor, Data.CASE_CONTENT, Level.WRITE):
        raise PermissionDenied
    if getattr(actor, "organisation_id", None) is None:
        raise ValidationError(_("Your account belongs to no organisation, so it cannot open cases."))
    person = get_person_for_user(actor, person.pk)
    contact = _when(first_contact_at, field="first_contact_at")
    channel = _choice(channel, ContactChannel.values, field="channel", required=False)
    types = _choices(exploitation_types, ExploitationType.values, field="exploitation_types")
    methods = _choices(control_methods, ControlMethod.values, field="control_methods")
    region = _choice(region, REGIONS, field="region", required=False)
    by_atd = access.is_atd_member(actor)
    case = Case(
        person=person,
        owner_organisation_id=actor.organisation_id,
        owner=actor,
        created_by=actor,
        stage=Stage.REFERRED_TO_ATD if by_atd else Stage.PRESUMED,
        stage_changed_at=contact,
        first_contact_at=contact,
        first_contact_channel=channel,
        referred_to_atd_at=contact if by_atd else None,
        exploitation_types=types,
        control_methods=methods,
        screening_id=str(screening_id or "")[:64],
        region=region,
    )
    case.is_child = _child_now(case)
    with transaction.atomic():
        case.save(force_insert=True)
        _event(case, EventKind.OPENED, actor=actor, occurred_at=contact, to_stage=case.stage)
        if channel:
            _event(case, EventKind.FIRST_CONTACT, actor=actor, occurred_at=contact, channel=channel)
        record_event(
            "cases.case.create",
            actor=actor,
            target=case,
            payload=as_payload(
                stage=case.stage,
                is_child=case.is_child,
                channel=channel,
                from_screening=bool(screening_id),
                person=str(person.pk),
                region=region,
            ),
        )
    return case


def create_case_from_screening(
    *, actor: Any, person: Person, screening_id: Any, first_contact_at: dt.datetime, channel: str
) -> Case:
    """Open a case from a screening that was indicative of trafficking (called by the screening app)."""
    return create_case(
        actor=actor,
        person=person,
        first_contact_at=first_contact_at,
        channel=channel,
        screening_id=str(screening_id),
    )


def record_first_contact(
    case: Case, *, actor: Any, expected_version: int, first_contact_at: dt.datetime, channel: str
) -> Case:
    """Record (or correct) when and how the presumed victim was first met; the 24-hour clock starts there."""
    _checked(actor, case, lambda r: Relation.OWNER in r.relations or Relation.ATD in r.relations)
    contact = _when(first_contact_at, field="first_contact_at")
    channel = _choice(channel, ContactChannel.values, field="channel")
    with transaction.atomic():
        case = _lock(case, expected_version)
        _require_open(case)
        if case.referred_to_atd_at is not None and contact > case.referred_to_atd_at:
            raise ValidationError(
                {"first_contact_at": _("First contact cannot be after the referral to ATD.")}
            )
        before = {"first_contact_at": case.first_contact_at, "channel": case.first_contact_channel}
        case.first_contact_at, case.first_contact_channel = contact, channel
        if access.is_atd_member(actor) and case.owner_organisation_id == actor.organisation_id:
            case.referred_to_atd_at = contact
        _save(case, ["first_contact_at", "first_contact_channel", "referred_to_atd_at"])
        _event(case, EventKind.FIRST_CONTACT, actor=actor, occurred_at=contact, channel=channel)
        after = {"first_contact_at": case.first_contact_at, "channel": case.first_contact_channel}
        record_event(
            "cases.case.first_contact",
            actor=actor,
            target=case,
            payload={"changes": redacted_changes(before, after)},
        )
    return case


def update_case_context(
    case: Case,
    *,
    actor: Any,
    expected_version: int,
    exploitation_types: Iterable[str],
    control_methods: Iterable[str],
    region: str | None = None,
) -> Case:
    """Set the HTCDS victim context: types of exploitation, methods of control and (if given) the region."""
    _checked(actor, case, lambda r: r.write)
    types = _choices(exploitation_types, ExploitationType.values, field="exploitation_types")
    methods = _choices(control_methods, ControlMethod.values, field="control_methods")
    new_region = None if region is None else _choice(region, REGIONS, field="region", required=False)
    with transaction.atomic():
        case = _lock(case, expected_version)
        if new_region is None:
            new_region = case.region
        before = {
            "exploitation_types": case.exploitation_types,
            "control_methods": case.control_methods,
            "region": case.region,
        }
        after = {"exploitation_types": types, "control_methods": methods, "region": new_region}
        changes = redacted_changes(before, after)
        if not changes:
            return case
        case.exploitation_types, case.control_methods, case.region = types, methods, new_region
        _save(case, ["exploitation_types", "control_methods", "region"])
        _event(case, EventKind.CONTEXT, actor=actor)
        record_event("cases.case.context", actor=actor, target=case, payload={"changes": changes})
    return case


# --- Stages ---------------------------------------------------------------------------------------


def _apply_transition(
    case: Case, transition: Transition, *, actor: Any, occurred_at: dt.datetime, details: dict[str, Any]
) -> dict[str, Any]:
    """Set the stage and what comes with it; returns the non-personal details for timeline and audit."""
    to = transition.to
    recorded: dict[str, Any] = {}
    fields = ["stage", "stage_changed_at"]
    if case.stage == Stage.REFLECTION:
        case.reflection_closed_at = occurred_at
        fields.append("reflection_closed_at")
    if to == Stage.REFLECTION:
        case.reflection_started_at, case.reflection_closed_at = occurred_at, None
        fields += ["reflection_started_at", "reflection_closed_at"]
    elif to in (Stage.IDENTIFIED, Stage.NOT_IDENTIFIED):
        organisation = actor.organisation
        if organisation is None or organisation.org_type != OrgType.POLICE_ATD:
            raise PermissionDenied
        case.trafficking_status = (
            TraffickingStatus.ACTUAL if to == Stage.IDENTIFIED else TraffickingStatus.NOT_A_VICTIM
        )
        case.status_decided_at, case.status_decided_by = occurred_at, actor
        case.status_decision_organisation = organisation
        case.status_decision_basis = _text(details.get("basis"), field="basis", required=True)
        fields += [
            "trafficking_status",
            "status_decided_at",
            "status_decided_by",
            "status_decision_organisation",
            "status_decision_basis",
        ]
        recorded["trafficking_status"] = case.trafficking_status
    elif to == Stage.CLOSED:
        case.closure_reason = str(details["closure_reason"])
        recorded["closure_reason"] = case.closure_reason
    elif to == Stage.WITHDRAWN:
        case.withdrawal_reason = str(details["withdrawal_reason"])
        recorded["withdrawal_reason"] = case.withdrawal_reason
    elif to == Stage.TRANSFERRED:
        if details.get("to_organisation") not in (None, ""):
            organisation = _active_organisation(details["to_organisation"], field="to_organisation")
            case.transferred_to_organisation = organisation
            recorded["transferred_to"] = organisation.display_name("az")
        else:
            country = _text(details.get("country"), field="country").upper()
            if country not in COUNTRY_CODES:
                raise ValidationError({"country": _("Choose a country by its two-letter ISO code.")})
            case.transferred_to_country = country
            case.transferred_to_name = _text(details.get("organisation_name"), field="organisation_name")[
                :200
            ]
            recorded["transferred_to"] = f"{case.transferred_to_name} ({country})"
        fields += ["transferred_to_organisation", "transferred_to_country", "transferred_to_name"]
    if to in END_STAGES:
        case.ended_at = occurred_at
        case.end_note = _text(details.get("note"), field="note")
        fields += ["ended_at", "closure_reason", "withdrawal_reason", "end_note"]
    case.stage, case.stage_changed_at = to, occurred_at
    _save(case, fields)
    return recorded


def transition_case(
    case: Case,
    to_stage: str,
    *,
    actor: Any,
    expected_version: int,
    occurred_at: dt.datetime | None = None,
    **details: Any,
) -> Case:
    """Move ``case`` to ``to_stage`` along :data:`azad.cases.workflow.TRANSITIONS`.

    The one place transitions are applied. Refuses with ``ValidationError`` a
    move the table does not have (out of order) or whose requirements are not
    recorded (child notifications, ATD's acceptance, the decision basis,
    consent to assistance, a reason); with ``PermissionDenied`` a person whose
    relation to the case the transition does not allow (the status decision is
    ATD's alone). ``occurred_at`` is when it happened (now by default; never in
    the future or before the current stage began). ``details``: ``basis``,
    ``closure_reason``, ``withdrawal_reason``, ``note``, ``to_organisation`` or
    ``country`` + ``organisation_name``, ``legal_ground`` (referral to ATD).
    Records ``cases.case.transition`` and a timeline entry.
    """
    rights = _checked(actor, case, lambda r: r.write)
    current = Case.objects.only("stage").get(pk=case.pk).stage
    first = transition_for(current, to_stage)
    if first is not None and first.via == "refer_to_atd" and first.who & rights.relations:
        refer_to_atd(
            case,
            actor=actor,
            expected_version=expected_version,
            legal_ground=str(details.get("legal_ground", "")),
            occurred_at=occurred_at,
        )
        return Case.objects.get(pk=case.pk)
    with transaction.atomic():
        case = _lock(case, expected_version)
        transition = transition_for(case.stage, to_stage)
        if transition is None:
            raise ValidationError(
                _("A case at stage “%(from)s” cannot move to “%(to)s”.")
                % {"from": Stage(case.stage).label, "to": _stage_label(to_stage)}
            )
        if not transition.who & rights.relations or transition.via:
            raise PermissionDenied
        problems = unmet(case, transition, details)
        if problems:
            raise ValidationError(problems)
        when = _when(occurred_at, field="occurred_at", not_before=case.stage_changed_at)
        from_stage = case.stage
        recorded = _apply_transition(case, transition, actor=actor, occurred_at=when, details=details)
        _event(
            case,
            EventKind.TRANSITION,
            actor=actor,
            occurred_at=when,
            from_stage=from_stage,
            to_stage=case.stage,
            **recorded,
        )
        record_event(
            "cases.case.transition",
            actor=actor,
            target=case,
            payload=as_payload(
                **{"from": from_stage, "to": case.stage},
                trafficking_status=recorded.get("trafficking_status"),
                closure_reason=case.closure_reason,
                withdrawal_reason=case.withdrawal_reason,
                transferred_to_organisation=case.transferred_to_organisation_id,
                transferred_to_country=case.transferred_to_country,
            ),
        )
    return case


def _stage_label(value: str) -> str:
    try:
        return str(Stage(value).label)
    except ValueError:
        return value


# --- Consent ------------------------------------------------------------------------------------


def consent_in_force(case: Case, purpose: str, to_organisation_id: int | None = None) -> Consent | None:
    """The consent entry a purpose (and receiving organisation) may rely on today, if any.

    For referral and data sharing, the latest answer naming the organisation
    decides; without one, the latest answer naming no organisation (consent
    to be referred within the mechanism). Refused, withdrawn or expired: none.
    """
    entries = case.consents.filter(purpose=purpose).order_by("-recorded_at", "-id")
    latest: Consent | None = None
    if to_organisation_id is not None and purpose in PURPOSES_WITH_ORGANISATION:
        latest = entries.filter(to_organisation_id=to_organisation_id).first()
    if latest is None:
        latest = entries.filter(to_organisation__isnull=True).first()
    if latest is None or latest.status != ConsentStatus.GIVEN:
        return None
    if latest.valid_until is not None and latest.valid_until < timezone.localdate():
        return None
    return latest


def record_consent(
    case: Case,
    *,
    actor: Any,
    expected_version: int,
    purpose: str,
    status: str,
    given_by: str,
    representative_name: str = "",
    to_organisation: Organisation | int | None = None,
    answered_at: dt.datetime | None = None,
    valid_until: dt.date | None = None,
) -> Consent:
    """Add an answer to the case's consent ledger; withdrawing or refusing revokes the referrals it covered.

    For a child only the legal representative answers (a child's own consent
    is irrelevant in law). Withdrawing needs a consent in force for the same
    purpose and organisation. Records ``cases.consent.record`` (and
    ``cases.referral.revoke`` for each referral it ends).
    """
    _checked(actor, case, lambda r: r.may_record_consent)
    purpose = _choice(purpose, ConsentPurpose.values, field="purpose")
    status = _choice(status, ConsentStatus.values, field="status")
    given_by = _choice(given_by, ConsentGiver.values, field="given_by")
    representative = _text(representative_name, field="representative_name")
    organisation: Organisation | None = None
    if _given(to_organisation):
        if purpose not in PURPOSES_WITH_ORGANISATION:
            raise ValidationError(
                {"to_organisation": _("Only referral and data-sharing consents name an organisation.")}
            )
        organisation = _active_organisation(
            to_organisation, field="to_organisation", require_active=status == ConsentStatus.GIVEN
        )
    when = _when(answered_at, field="answered_at")
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("This date has passed.")})
    with transaction.atomic():
        case = _lock(case, expected_version)
        if _child_now(case) and given_by != ConsentGiver.LEGAL_REPRESENTATIVE:
            raise ValidationError(
                {"given_by": _("For a child, the legal representative answers, not the child.")}
            )
        if given_by == ConsentGiver.LEGAL_REPRESENTATIVE and not representative:
            representative = case.legal_representative_name
            if not representative:
                raise ValidationError(
                    {"representative_name": _("Name the legal representative who answered.")}
                )
        organisation_id = organisation.pk if organisation is not None else None
        in_force = consent_in_force(case, purpose, organisation_id)
        if status == ConsentStatus.WITHDRAWN and (
            in_force is None or in_force.to_organisation_id != organisation_id
        ):
            raise ValidationError(
                _("There is no consent in force for this purpose and organisation to withdraw.")
            )
        consent = Consent(
            case=case,
            purpose=purpose,
            to_organisation=organisation,
            status=status,
            given_by=given_by,
            representative_name=representative if given_by == ConsentGiver.LEGAL_REPRESENTATIVE else "",
            answered_at=when,
            valid_until=valid_until if status == ConsentStatus.GIVEN else None,
            recorded_by=actor,
        )
        consent.save(force_insert=True)
        revoked = 0
        if status != ConsentStatus.GIVEN:
            covered = case.referrals.filter(
                status__in=(ReferralStatus.PENDING, ReferralStatus.ACCEPTED),
                consent__purpose=purpose,
            )
            covered = (
                covered.filter(consent__to_organisation_id=organisation_id)
                if organisation_id is not None
                else covered.filter(consent__to_organisation__isnull=True)
            )
            for referral in covered.select_related("to_organisation", "from_organisation"):
                _revoke(case, referral, actor=actor, reason=RevocationReason.CONSENT_WITHDRAWN)
                revoked += 1
        _save(case, [])
        _event(
            case,
            EventKind.CONSENT,
            actor=actor,
            occurred_at=when,
            purpose=purpose,
            status=status,
            to=organisation.display_name("az") if organisation else "",
            revoked=revoked,
        )
        record_event(
            "cases.consent.record",
            actor=actor,
            target=consent,
            payload=as_payload(
                case=str(case.pk),
                purpose=purpose,
                status=status,
                given_by=given_by,
                to_organisation=organisation_id,
                referrals_revoked=revoked,
            ),
        )
    return consent


# --- Referrals ------------------------------------------------------------------------------------


def _consent_or_ground(
    case: Case, actor: Any, to_organisation_id: int | None, legal_ground: str
) -> tuple[Consent | None, str]:
    """The consent a referral relies on, or the legal ground recorded instead; refuses if neither."""
    consent = consent_in_force(case, ConsentPurpose.REFERRAL, to_organisation_id)
    if consent is not None:
        return consent, ""
    ground = _text(legal_ground, field="legal_ground")
    if not ground:
        raise ValidationError(
            {
                "legal_ground": _(
                    "There is no consent in force for this referral. Record the consent first, or "
                    "(police and child-protection officers only) the legal ground for referring without it."
                )
            }
        )
    if not may_record_legal_ground(actor):
        raise ValidationError(
            {
                "legal_ground": _(
                    "Only police and child-protection officers may refer without consent on a legal ground."
                )
            }
        )
    return None, ground


def _open_referral_exists(case: Case, *, to_organisation_id: int | None = None, atd: bool = False) -> bool:
    referrals = case.referrals.filter(status__in=(ReferralStatus.PENDING, ReferralStatus.ACCEPTED))
    if atd:
        return referrals.filter(to_organisation__org_type=OrgType.POLICE_ATD).exists()
    return referrals.filter(to_organisation_id=to_organisation_id).exists()


def _sync_atd(case: Case) -> bool:
    """Set ``case.atd_organisation`` to the ATD that sees the case through a referral; whether it changed.

    The access rule reads this column (see :mod:`azad.cases.access`); every service that
    creates, declines or revokes a referral to ATD calls this inside its transaction.
    """
    seeing = (
        case.referrals.filter(to_organisation__org_type=OrgType.POLICE_ATD, status__in=access.ATD_SEES)
        .order_by("-sent_at")
        .values_list("to_organisation_id", flat=True)
        .first()
    )
    if seeing == case.atd_organisation_id:
        return False
    case.atd_organisation_id = seeing
    return True


def _referral_audit(action: str, referral: Referral, *, actor: Any, **extra: Any) -> None:
    record_event(
        action,
        actor=actor,
        target=referral,
        payload=as_payload(
            case=str(referral.case_id),
            to_organisation=referral.to_organisation_id,
            abroad_country=referral.abroad_country,
            abroad_channel=referral.abroad_channel,
            purpose=referral.purpose,
            status=referral.status,
            **extra,
        ),
    )


def refer_to_atd(
    case: Case,
    *,
    actor: Any,
    expected_version: int,
    legal_ground: str = "",
    to_organisation: Organisation | int | None = None,
    note: str = "",
    occurred_at: dt.datetime | None = None,
) -> Referral:
    """Refer a presumed victim's case to ATD (the 24-hour clock is met when it is sent).

    Only from "presumed", by the owner organisation, with consent to the
    referral or (police and child-protection officers) a legal ground. The
    referral shares identity and case content; the case moves to "referred to
    ATD". Records ``cases.referral.create`` and ``cases.case.transition``.
    """
    _checked(actor, case, lambda r: Relation.OWNER in r.relations and r.refers)
    atd = (
        _active_organisation(to_organisation, field="to_organisation", org_types=[OrgType.POLICE_ATD])
        if _given(to_organisation)
        else atd_organisation()
    )
    note = _text(note, field="note")
    with transaction.atomic():
        case = _lock(case, expected_version)
        if case.stage != Stage.PRESUMED:
            raise ValidationError(
                _("Only a presumed victim's case can be referred to ATD; this one is at stage “%(stage)s”.")
                % {"stage": Stage(case.stage).label}
            )
        if case.atd_organisation_id is not None and case.atd_organisation_id != atd.pk:
            raise ValidationError(
                {
                    "to_organisation": _(
                        "Another anti-trafficking department still sees this case through its earlier "
                        "referral; refer the case to that department."
                    )
                }
            )
        when = _when(occurred_at, field="occurred_at", not_before=case.first_contact_at)
        consent, ground = _consent_or_ground(case, actor, atd.pk, legal_ground)
        referral = Referral(
            case=case,
            from_organisation_id=actor.organisation_id,
            to_organisation=atd,
            purpose=ReferralPurpose.IDENTIFICATION,
            shares=[Share.IDENTITY, Share.CASE_CONTENT],
            consent=consent,
            legal_ground=ground,
            note=note,
            sent_at=when,
            created_by=actor,
        )
        referral.save(force_insert=True)
        from_stage = case.stage
        case.stage, case.stage_changed_at, case.referred_to_atd_at = Stage.REFERRED_TO_ATD, when, when
        case.atd_organisation = atd
        _save(case, ["stage", "stage_changed_at", "referred_to_atd_at", "atd_organisation"])
        basis = "consent" if consent is not None else "legal_ground"
        _event(
            case,
            EventKind.REFERRAL_SENT,
            actor=actor,
            occurred_at=when,
            to=atd.display_name("az"),
            purpose=referral.purpose,
            basis=basis,
        )
        _event(
            case,
            EventKind.TRANSITION,
            actor=actor,
            occurred_at=when,
            from_stage=from_stage,
            to_stage=case.stage,
        )
        _referral_audit("cases.referral.create", referral, actor=actor, basis=basis, shares=referral.shares)
        record_event(
            "cases.case.transition", actor=actor, target=case, payload={"from": from_stage, "to": case.stage}
        )
    return referral


def create_referral(
    case: Case,
    *,
    actor: Any,
    expected_version: int,
    purpose: str,
    shares: Iterable[str],
    to_organisation: Organisation | int | None = None,
    abroad_country: str = "",
    abroad_organisation_name: str = "",
    abroad_contact: str = "",
    abroad_channel: str = "",
    legal_ground: str = "",
    note: str = "",
    occurred_at: dt.datetime | None = None,
) -> Referral:
    """Refer a case onward: to an organisation in Azad, or abroad (a country and an organisation there).

    ATD comes first: a presumed victim's case goes to ATD (this delegates to
    :func:`refer_to_atd`); onward referrals are made by ATD (or, for a child,
    a notified child-protection officer) once the case is with ATD. The
    receiver must exist and be active; consent to the referral or a legal
    ground is needed. Abroad: the contact there is kept encrypted, the channel (consulate,
    Interpol, IOM, ...) in clear; the referring organisation records the answer from abroad.
    Records ``cases.referral.create``.
    """
    shares_list = _choices(shares, Share.values, field="shares")
    purpose = _choice(purpose, ReferralPurpose.values, field="purpose")
    organisation: Organisation | None = None
    country = _text(abroad_country, field="abroad_country").upper()
    abroad_name = _text(abroad_organisation_name, field="abroad_organisation_name")
    if len(abroad_name) > 200:
        raise ValidationError({"abroad_organisation_name": _("Keep this under 200 characters.")})
    contact = _text(abroad_contact, field="abroad_contact")
    channel = _choice(abroad_channel, ReferralChannel.values, field="abroad_channel", required=False)
    if _given(to_organisation):
        organisation = _active_organisation(to_organisation, field="to_organisation")
        if organisation.org_type == OrgType.POLICE_ATD:
            return refer_to_atd(
                case,
                actor=actor,
                expected_version=expected_version,
                legal_ground=legal_ground,
                to_organisation=organisation,
                note=note,
                occurred_at=occurred_at,
            )
    elif country or abroad_name:
        if country not in COUNTRY_CODES:
            raise ValidationError({"abroad_country": _("Choose a country by its two-letter ISO code.")})
        if not abroad_name:
            raise ValidationError({"abroad_organisation_name": _("Name the organisation abroad.")})
    else:
        raise ValidationError({"to_organisation": _("Choose the organisation to refer to, or one abroad.")})
    if not shares_list:
        raise ValidationError({"shares": _("Choose what the referral shares.")})
    _checked(actor, case, lambda r: r.may_refer_onward)
    note = _text(note, field="note")
    with transaction.atomic():
        case = _lock(case, expected_version)
        _require_open(case)
        if case.stage == Stage.PRESUMED:
            raise ValidationError(_("Refer the case to ATD first."))
        if organisation is not None and organisation.pk == actor.organisation_id:
            raise ValidationError(
                {"to_organisation": _("A case cannot be referred to your own organisation.")}
            )
        if organisation is not None and _open_referral_exists(case, to_organisation_id=organisation.pk):
            raise ValidationError(
                {"to_organisation": _("This organisation already has an open referral of this case.")}
            )
        when = _when(occurred_at, field="occurred_at")
        consent, ground = _consent_or_ground(
            case, actor, organisation.pk if organisation else None, legal_ground
        )
        referral = Referral(
            case=case,
            from_organisation_id=actor.organisation_id,
            to_organisation=organisation,
            abroad_country=country if organisation is None else "",
            abroad_organisation_name=abroad_name if organisation is None else "",
            abroad_contact=contact if organisation is None else "",
            abroad_channel=channel if organisation is None else "",
            purpose=purpose,
            shares=shares_list,
            consent=consent,
            legal_ground=ground,
            note=note,
            sent_at=when,
            created_by=actor,
        )
        referral.save(force_insert=True)
        _save(case, [])
        basis = "consent" if consent is not None else "legal_ground"
        _event(
            case,
            EventKind.REFERRAL_SENT,
            actor=actor,
            occurred_at=when,
            to=referral.receiver_label() if organisation is None else organisation.display_name("az"),
            purpose=purpose,
            basis=basis,
        )
        _referral_audit("cases.referral.create", referral, actor=actor, basis=basis, shares=shares_list)
    return referral


def _lock_referral(referral: Referral, expected_version: int | None) -> Referral:
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("to_organisation", "from_organisation")
        .get(pk=referral.pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError
    return locked


def _set_referral(referral: Referral, fields: Iterable[str]) -> None:
    save_versioned(referral, expected_version=referral.version, fields=sorted(set(fields)))


def _receiver_name(referral: Referral) -> str:
    if referral.to_organisation is not None:
        return referral.to_organisation.display_name("az")
    return referral.receiver_label()


def _back_to_presumed(case: Case, referral: Referral, *, actor: Any, cause: str) -> bool:
    """After a referral is declined or revoked: ATD's view follows, and a case still "referred to ATD" goes back.

    ATD's column is re-read (:func:`_sync_atd`); an identification referral declined or
    revoked returns the case to "presumed" (the 24-hour clock runs again). Returns
    whether the case was saved.
    """
    atd_changed = _sync_atd(case)
    if (
        referral.purpose != ReferralPurpose.IDENTIFICATION
        or case.stage != Stage.REFERRED_TO_ATD
        or case.owner_organisation.org_type == OrgType.POLICE_ATD
    ):
        if atd_changed:
            _save(case, ["atd_organisation"])
        return atd_changed
    now = timezone.now()
    case.stage, case.stage_changed_at, case.referred_to_atd_at = Stage.PRESUMED, now, None
    _save(case, ["stage", "stage_changed_at", "referred_to_atd_at", "atd_organisation"])
    _event(
        case,
        EventKind.TRANSITION,
        actor=actor,
        occurred_at=now,
        from_stage=Stage.REFERRED_TO_ATD,
        to_stage=Stage.PRESUMED,
        cause=cause,
    )
    record_event(
        "cases.case.transition",
        actor=actor,
        target=case,
        payload={"from": Stage.REFERRED_TO_ATD, "to": Stage.PRESUMED, "cause": cause},
    )
    return True


def _answerable(actor: Any, referral: Referral) -> None:
    access.get_referral_for_user(actor, referral.pk)
    if not access.may_answer_referral(actor, referral):
        raise PermissionDenied


def accept_referral(
    referral: Referral, *, actor: Any, expected_version: int, occurred_at: dt.datetime | None = None
) -> Referral:
    """The receiving organisation accepts: it now sees what the referral shares.

    ``occurred_at``: when it was accepted (now by default; not before it was sent).
    Records ``cases.referral.accept``.
    """
    _answerable(actor, referral)
    with transaction.atomic():
        case = _lock(referral.case_id, None)
        referral = _lock_referral(referral, expected_version)
        if referral.status != ReferralStatus.PENDING:
            raise ValidationError(_("This referral has already been answered."))
        when = _when(occurred_at, field="occurred_at", not_before=referral.sent_at)
        referral.status, referral.responded_at, referral.responded_by = ReferralStatus.ACCEPTED, when, actor
        _set_referral(referral, ["status", "responded_at", "responded_by"])
        _save(case, [])
        _event(case, EventKind.REFERRAL_ACCEPTED, actor=actor, occurred_at=when, to=_receiver_name(referral))
        _referral_audit("cases.referral.accept", referral, actor=actor)
    return referral


def decline_referral(referral: Referral, *, actor: Any, expected_version: int, reason: str) -> Referral:
    """The receiving organisation declines, with a reason (encrypted); an ATD referral sends the case back.

    Records ``cases.referral.decline``.
    """
    _answerable(actor, referral)
    reason = _text(reason, field="reason", required=True, message=_("Say why the referral is declined."))
    with transaction.atomic():
        case = _lock(referral.case_id, None)
        referral = _lock_referral(referral, expected_version)
        if referral.status != ReferralStatus.PENDING:
            raise ValidationError(_("This referral has already been answered."))
        referral.status, referral.responded_at, referral.responded_by = (
            ReferralStatus.DECLINED,
            timezone.now(),
            actor,
        )
        referral.decline_reason = reason
        _set_referral(referral, ["status", "responded_at", "responded_by", "decline_reason"])
        _event(case, EventKind.REFERRAL_DECLINED, actor=actor, to=_receiver_name(referral))
        if not _back_to_presumed(case, referral, actor=actor, cause="referral_declined"):
            _save(case, [])
        _referral_audit("cases.referral.decline", referral, actor=actor)
    return referral


def complete_referral(
    referral: Referral, *, actor: Any, expected_version: int, occurred_at: dt.datetime | None = None
) -> Referral:
    """The receiving organisation has done what it was asked; its access through this referral ends.

    Records ``cases.referral.complete``.
    """
    _answerable(actor, referral)
    with transaction.atomic():
        case = _lock(referral.case_id, None)
        referral = _lock_referral(referral, expected_version)
        if referral.status != ReferralStatus.ACCEPTED:
            raise ValidationError(_("Only an accepted referral can be completed."))
        when = _when(occurred_at, field="occurred_at", not_before=referral.responded_at)
        referral.status, referral.completed_at = ReferralStatus.COMPLETED, when
        _set_referral(referral, ["status", "completed_at"])
        _save(case, [])
        _event(case, EventKind.REFERRAL_COMPLETED, actor=actor, occurred_at=when, to=_receiver_name(referral))
        _referral_audit("cases.referral.complete", referral, actor=actor)
    return referral


def _revoke(case: Case, referral: Referral, *, actor: Any, reason: str) -> bool:
    referral.status, referral.revoked_at, referral.revoked_by = ReferralStatus.REVOKED, timezone.now(), actor
    referral.revocation_reason = reason
    _set_referral(referral, ["status", "revoked_at", "revoked_by", "revocation_reason"])
    _event(case, EventKind.REFERRAL_REVOKED, actor=actor, to=_receiver_name(referral), reason=reason)
    moved = _back_to_presumed(case, referral, actor=actor, cause="referral_revoked")
    _referral_audit("cases.referral.revoke", referral, actor=actor, reason=reason)
    return moved


def revoke_referral(referral: Referral, *, actor: Any, expected_version: int) -> Referral:
    """The referring organisation withdraws a pending or accepted referral; the receiver loses access.

    Records ``cases.referral.revoke``.
    """
    access.get_referral_for_user(actor, referral.pk)
    if not access.may_revoke_referral(actor, referral):
        raise PermissionDenied
    with transaction.atomic():
        case = _lock(referral.case_id, None)
        referral = _lock_referral(referral, expected_version)
        if referral.status not in (ReferralStatus.PENDING, ReferralStatus.ACCEPTED):
            raise ValidationError(_("Only a pending or accepted referral can be revoked."))
        if not _revoke(case, referral, actor=actor, reason=RevocationReason.BY_SENDER):
            _save(case, [])
    return referral


# --- Children -------------------------------------------------------------------------------------


def record_child_notification(
    case: Case,
    *,
    actor: Any,
    expected_version: int,
    body: str,
    channel: str,
    notified_at: dt.datetime | None = None,
    organisation: Organisation | int | None = None,
    reference: str = "",
) -> ChildNotification:
    """Record that a child-protection body was told of this child's case (who, when, how).

    When all three bodies are notified, the child clock is met and the case
    may move past referral. Records ``cases.child_notification.create``.
    """
    _checked(actor, case, lambda r: r.may_record_child_procedure)
    body = _choice(body, ChildNotificationBody.values, field="body")
    channel = _choice(channel, NotificationChannel.values, field="channel")
    notified_org = (
        _active_organisation(organisation, field="organisation", org_types=[OrgType.CHILD_PROTECTION])
        if _given(organisation)
        else None
    )
    reference = _text(reference, field="reference")[:60]
    with transaction.atomic():
        case = _lock(case, expected_version)
        if not _child_now(case):
            raise ValidationError(_("This is not a child's case; no child notification is needed."))
        when = _when(notified_at, field="notified_at")
        notification = ChildNotification.objects.create(
            case=case,
            body=body,
            organisation=notified_org,
            channel=channel,
            notified_at=when,
            reference=reference,
            recorded_by=actor,
        )
        fields = []
        if case.child_notifications_completed_at is None:
            first_per_body = dict(
                case.child_notifications.values("body")
                .annotate(first=Min("notified_at"))
                .values_list("body", "first")
            )
            if all(b in first_per_body for b in ChildNotificationBody.values):
                case.child_notifications_completed_at = max(first_per_body.values())
                fields.append("child_notifications_completed_at")
        _save(case, fields)
        _event(case, EventKind.CHILD_NOTIFICATION, actor=actor, occurred_at=when, body=body, channel=channel)
        record_event(
            "cases.child_notification.create",
            actor=actor,
            target=notification,
            payload=as_payload(
                case=str(case.pk),
                body=body,
                channel=channel,
                organisation=notified_org.pk if notified_org else None,
                completed=case.child_notifications_completed_at is not None,
            ),
        )
    return notification


CHILD_DETAIL_FIELDS = ("legal_representative_name", "legal_representative_contact", "best_interests_note")


def update_child_details(case: Case, *, actor: Any, expected_version: int, **changes: Any) -> Case:
    """Set the legal representative (name, contact) and the best-interests note, all encrypted.

    Records ``cases.case.child_details`` with the changed field names only.
    """
    _checked(actor, case, lambda r: r.may_record_child_procedure)
    unknown = set(changes) - set(CHILD_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Not child-detail fields: {sorted(unknown)}")
    values = {name: _text(value, field=name) for name, value in changes.items()}
    with transaction.atomic():
        case = _lock(case, expected_version)
        if not _child_now(case):
            raise ValidationError(_("This is not a child's case."))
        before = {name: getattr(case, name) for name in values}
        changed = redacted_changes(before, values, personal=CHILD_DETAIL_FIELDS)
        if not changed:
            return case
        for name, value in values.items():
            setattr(case, name, value)
        _save(case, list(values))
        _event(case, EventKind.CHILD_DETAILS, actor=actor, fields=sorted(changed))
        record_event("cases.case.child_details", actor=actor, target=case, payload={"changes": changed})
    return case


# --- Residence and allowance -------------------------------------------------------------------


def record_residence_permit(
    case: Case,
    *,
    actor: Any,
    expected_version: int,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    number: str = "",
    issuing_body: str = "",
) -> Case:
    """Record a foreign victim's temporary residence permit (one year by default).

    The permit's number is kept encrypted; the issuing body (e.g. the State Migration Service)
    in clear. Records ``cases.case.residence_permit`` with the dates only.
    """
    _checked(actor, case, lambda r: Relation.OWNER in r.relations or Relation.ATD in r.relations)
    issued_on = _day(issued_on, field="issued_on")
    expires = _date(expires_on, field="expires_on", required=False, future=True) or default_permit_expiry(
        issued_on
    )
    if expires <= issued_on:
        raise ValidationError({"expires_on": _("The permit cannot expire before it is issued.")})
    number = _text(number, field="number")
    if len(number) > 60:
        raise ValidationError({"number": _("Keep this under 60 characters.")})
    issuing_body = _text(issuing_body, field="issuing_body")
    if len(issuing_body) > 200:
        raise ValidationError({"issuing_body": _("Keep this under 200 characters.")})
    with transaction.atomic():
        case = _lock(case, expected_version)
        _require_open(case)
        if not is_foreign(case):
            raise ValidationError(_("Residence permits are recorded for foreign and stateless victims only."))
        if case.trafficking_status != TraffickingStatus.ACTUAL and case.stage != Stage.REFLECTION:
            raise ValidationError(
                _("A residence permit is recorded after identification or during the reflection period.")
            )
        case.residence_permit_issued_on, case.residence_permit_expires_on = issued_on, expires
        case.residence_permit_number, case.residence_permit_issuing_body = number, issuing_body
        _save(
            case,
            [
                "residence_permit_issued_on",
                "residence_permit_expires_on",
                "residence_permit_number",
                "residence_permit_issuing_body",
            ],
        )
        _event(case, EventKind.RESIDENCE_PERMIT, actor=actor, expires_on=expires.isoformat())
        record_event(
            "cases.case.residence_permit",
            actor=actor,
            target=case,
            payload={"issued_on": issued_on.isoformat(), "expires_on": expires.isoformat()},
        )
    return case


# --- Shelters and placements ---------------------------------------------------------------------
#
# A placement occupies a bed on each day start_on <= day < end_on (end_on: the day the person left).


def _date(value: Any, *, field: str, required: bool = True, future: bool = False) -> dt.date | None:
    """A date from a form or the API, never in the future unless ``future``."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({field: _("Enter a valid date.")}) from None
    if not future and value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    return value


def _day(value: Any, *, field: str, future: bool = False) -> dt.date:
    """A required date (see :func:`_date`)."""
    day = _date(value, field=field, future=future)
    if day is None:  # pragma: no cover - _date raises for a missing required date
        raise ValidationError({field: _("This field is required.")})
    return day


def occupancy_on(shelter: ShelterProfile | Any, day: dt.date) -> int:
    """How many beds of ``shelter`` are taken on ``day``."""
    return (
        Placement.objects.filter(shelter=shelter, start_on__lte=day)
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=day))
        .count()
    )


def save_shelter_profile(
    organisation: Organisation | Any,
    *,
    actor: Any,
    beds: int,
    children_only: bool = False,
    women_only: bool = False,
    address: str = "",
    expected_version: int | None = None,
) -> ShelterProfile:
    """Create (system administrators) or change (them, or the shelter's own staff) a shelter's profile.

    The address is encrypted and never audited; beds below today's occupancy are refused.
    Records ``cases.shelter.save``.
    """
    organisation = _active_organisation(
        organisation, field="organisation", org_types=[OrgType.SHELTER], require_active=False
    )
    existing = ShelterProfile.objects.filter(organisation=organisation).first()
    if existing is None and not access.may_create_shelter_profiles(actor):
        raise PermissionDenied
    if existing is not None and not access.may_edit_shelter_profile(actor, existing):
        raise PermissionDenied
    try:
        beds = int(beds)
    except (TypeError, ValueError):
        raise ValidationError({"beds": _("Enter a whole number.")}) from None
    if beds < 1 or beds > 10000:
        raise ValidationError({"beds": _("A shelter has between 1 and 10000 beds.")})
    if children_only and women_only:
        raise ValidationError({"women_only": _("A shelter takes in children only or women only, not both.")})
    address = _text(address, field="address")
    with transaction.atomic():
        profile = ShelterProfile.objects.select_for_update().filter(organisation=organisation).first()
        created = profile is None
        if profile is None:
            profile = ShelterProfile(organisation=organisation)
        elif expected_version is not None and int(expected_version) != profile.version:
            raise ConflictError
        if not created and beds < occupancy_on(profile, timezone.localdate()):
            raise ValidationError({"beds": _("More people are placed there today than this number of beds.")})
        before = {
            "beds": profile.beds,
            "children_only": profile.children_only,
            "women_only": profile.women_only,
            "address": profile.address,
        }
        after = {"beds": beds, "children_only": children_only, "women_only": women_only, "address": address}
        profile.beds, profile.children_only, profile.women_only, profile.address = (
            beds,
            bool(children_only),
            bool(women_only),
            address,
        )
        if created:
            profile.save()
        else:
            save_versioned(profile, expected_version=profile.version)
        record_event(
            "cases.shelter.save",
            actor=actor,
            target=profile,
            payload={
                "organisation": organisation.pk,
                "created": created,
                "changes": redacted_changes(before, after, personal=("address",)),
            },
        )
    return profile


def _shelter(value: Any) -> ShelterProfile:
    pk = value.pk if isinstance(value, ShelterProfile) else value
    try:
        return ShelterProfile.objects.select_related("organisation").get(pk=pk)
    except (ShelterProfile.DoesNotExist, ValueError, TypeError, ValidationError):
        raise ValidationError({"shelter": _("There is no such shelter.")}) from None


def place_in_shelter(
    case: Case,
    *,
    actor: Any,
    shelter: ShelterProfile | Any,
    start_on: dt.date | Any,
    reason: str = "",
) -> Placement:
    """Place the person in ``shelter`` from ``start_on`` (the shelter's own staff, on a case they see).

    Refuses a full shelter (beds counted on the start date), a shelter that
    does not take this person in (children only, women only) and a stay that
    overlaps another of the same case. Records ``cases.placement.create``
    (ids only); the timeline says a placement began, never where.
    """
    shelter = _shelter(shelter)
    if not access.may_place_in(actor, shelter):
        raise PermissionDenied
    get_case_for_user(actor, case.pk)
    start = _day(start_on, field="start_on")
    reason = _text(reason, field="reason")
    with transaction.atomic():
        ShelterProfile.objects.select_for_update().get(pk=shelter.pk)
        case = _lock(case, None)
        _require_open(case)
        if shelter.children_only and not case.is_child:
            raise ValidationError({"shelter": _("This shelter takes in children only.")})
        if shelter.women_only and case.person.gender not in ("Feminine", "TransgenderFeminine"):
            raise ValidationError({"shelter": _("This shelter takes in women only.")})
        overlapping = case.placements.filter(Q(end_on__isnull=True) | Q(end_on__gt=start))
        if overlapping.exists():
            raise ValidationError({"start_on": _("The person has another shelter placement at that time.")})
        if occupancy_on(shelter, start) >= shelter.beds:
            raise ValidationError({"shelter": _("The shelter is full on that date.")})
        placement = Placement.objects.create(
            case=case, shelter=shelter, start_on=start, reason=reason, created_by=actor
        )
        _event(case, EventKind.PLACEMENT_STARTED, actor=actor)
        record_event(
            "cases.placement.create",
            actor=actor,
            target=placement,
            payload={"case": str(case.pk), "shelter": str(shelter.pk), "start_on": start.isoformat()},
        )
    return placement


def end_placement(
    placement: Placement, *, actor: Any, expected_version: int, end_on: dt.date | Any
) -> Placement:
    """Record the day the person left the shelter (not before they arrived). Records ``cases.placement.end``."""
    placement = access.get_placement_for_user(actor, placement.pk, write=True)
    end = _day(end_on, field="end_on")
    with transaction.atomic():
        locked = Placement.objects.select_for_update().get(pk=placement.pk)
        if int(expected_version) != locked.version:
            raise ConflictError
        if locked.end_on is not None:
            raise ValidationError(_("This placement has already ended."))
        if end < locked.start_on:
            raise ValidationError({"end_on": _("The stay cannot end before it started.")})
        locked.end_on = end
        save_versioned(locked, expected_version=locked.version, fields=["end_on"])
        _event(locked.case, EventKind.PLACEMENT_ENDED, actor=actor)
        record_event(
            "cases.placement.end",
            actor=actor,
            target=locked,
            payload={"case": str(locked.case_id), "end_on": end.isoformat()},
        )
    return locked


# --- Assistance -----------------------------------------------------------------------------------


def _writer(actor: Any, case: Case) -> Case:
    """The case, visible to ``actor`` who may change it (owner, ATD, assisting organisation)."""
    _checked(actor, case, lambda r: r.write)
    return case


def _organisation_or_own(value: Any, actor: Any, *, field: str) -> Organisation:
    if value in (None, ""):
        if getattr(actor, "organisation_id", None) is None:
            raise ValidationError({field: _("This field is required.")})
        return _active_organisation(actor.organisation_id, field=field)
    return _active_organisation(value, field=field)


def open_plan(
    case: Case,
    *,
    actor: Any,
    objectives: str,
    responsible_organisation: Organisation | Any = None,
    opened_on: dt.date | Any = None,
    planned_end_on: dt.date | Any = None,
) -> AssistancePlan:
    """Open the person's individual assistance plan (one open plan at a time).

    Moves nothing in the stage machine (the workflow's "assistance" stage is a
    transition of its own). Records ``cases.plan.open`` without the objectives.
    """
    _writer(actor, case)
    objectives = _text(objectives, field="objectives", required=True)
    organisation = _organisation_or_own(responsible_organisation, actor, field="responsible_organisation")
    opened = _date(opened_on, field="opened_on", required=False) or timezone.localdate()
    planned = _date(planned_end_on, field="planned_end_on", required=False, future=True)
    if planned is not None and planned < opened:
        raise ValidationError({"planned_end_on": _("The plan cannot end before it opens.")})
    with transaction.atomic():
        case = _lock(case, None)
        _require_open(case)
        if case.assistance_plans.filter(ended_on__isnull=True).exists():
            raise ValidationError(_("The case already has an open assistance plan."))
        plan = AssistancePlan.objects.create(
            case=case,
            objectives=objectives,
            responsible_organisation=organisation,
            opened_on=opened,
            planned_end_on=planned,
            created_by=actor,
        )
        _event(case, EventKind.PLAN_OPENED, actor=actor, organisation_name=organisation.display_name())
        record_event(
            "cases.plan.open",
            actor=actor,
            target=plan,
            payload=as_payload(case=str(case.pk), organisation=organisation.pk, opened_on=opened.isoformat()),
        )
    return plan


def _plan_for(actor: Any, plan: AssistancePlan | Any) -> AssistancePlan:
    pk = plan.pk if isinstance(plan, AssistancePlan) else plan
    try:
        found = AssistancePlan.objects.select_related("case").get(pk=pk)
    except (AssistancePlan.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    _writer(actor, found.case)
    return found


def add_plan_item(
    plan: AssistancePlan | Any,
    *,
    actor: Any,
    support_type: str,
    objective: str,
    responsible_organisation: Organisation | Any = None,
    start_on: dt.date | Any = None,
    due_on: dt.date | Any = None,
) -> PlanItem:
    """Add a kind of support (HTCDS ``spl_Type``) to an open plan. Records ``cases.plan.item``."""
    plan = _plan_for(actor, plan)
    support_type = _choice(support_type, SupportType.values, field="support_type")
    objective = _text(objective, field="objective", required=True)
    organisation = _organisation_or_own(responsible_organisation, actor, field="responsible_organisation")
    start = _date(start_on, field="start_on", required=False, future=True) or timezone.localdate()
    due = _date(due_on, field="due_on", required=False, future=True)
    if due is not None and due < start:
        raise ValidationError({"due_on": _("This is earlier than the start.")})
    with transaction.atomic():
        case = _lock(plan.case, None)
        _require_open(case)
        if AssistancePlan.objects.filter(pk=plan.pk, ended_on__isnull=False).exists():
            raise ValidationError(_("The plan has ended."))
        item = PlanItem.objects.create(
            plan=plan,
            support_type=support_type,
            objective=objective,
            responsible_organisation=organisation,
            start_on=start,
            due_on=due,
            created_by=actor,
        )
        _event(case, EventKind.PLAN_ITEM, actor=actor, support_type=support_type)
        record_event(
            "cases.plan.item",
            actor=actor,
            target=item,
            payload={"case": str(case.pk), "support_type": support_type, "organisation": organisation.pk},
        )
    return item


def record_service(
    case: Case,
    *,
    actor: Any,
    support_type: str,
    delivered_on: dt.date | Any = None,
    outcome: str = ServiceOutcome.PENDING,
    outcome_note: str = "",
    provider: Organisation | Any = None,
    plan_item: PlanItem | Any = None,
) -> ServiceDelivery:
    """Record a service delivered (kind, date, provider, outcome). Records ``cases.service.record``."""
    _writer(actor, case)
    support_type = _choice(support_type, SupportType.values, field="support_type")
    outcome = _choice(outcome or ServiceOutcome.PENDING, ServiceOutcome.values, field="outcome")
    note = _text(outcome_note, field="outcome_note")
    delivered = _date(delivered_on, field="delivered_on", required=False) or timezone.localdate()
    organisation = _organisation_or_own(provider, actor, field="provider")
    item = None
    if plan_item not in (None, ""):
        item_pk = plan_item.pk if isinstance(plan_item, PlanItem) else plan_item
        item = PlanItem.objects.filter(pk=item_pk, plan__case=case).first()
        if item is None:
            raise ValidationError({"plan_item": _("This is not an item of this case's plan.")})
    with transaction.atomic():
        case = _lock(case, None)
        _require_open(case)
        service = ServiceDelivery.objects.create(
            case=case,
            plan_item=item,
            support_type=support_type,
            delivered_on=delivered,
            provider=organisation,
            outcome=outcome,
            outcome_note=note,
            recorded_by=actor,
        )
        _event(case, EventKind.SERVICE, actor=actor, support_type=support_type, outcome=outcome)
        record_event(
            "cases.service.record",
            actor=actor,
            target=service,
            payload={"case": str(case.pk), "support_type": support_type, "outcome": outcome},
        )
    return service


def update_service_outcome(
    service: ServiceDelivery, *, actor: Any, expected_version: int, outcome: str, outcome_note: str = ""
) -> ServiceDelivery:
    """Change how a service turned out (send the version read: 409 if changed). Records ``cases.service.outcome``."""
    case = Case.objects.get(pk=service.case_id)
    _writer(actor, case)
    outcome = _choice(outcome, ServiceOutcome.values, field="outcome")
    note = _text(outcome_note, field="outcome_note")
    with transaction.atomic():
        locked = ServiceDelivery.objects.select_for_update().get(pk=service.pk)
        if int(expected_version) != locked.version:
            raise ConflictError
        before = {"outcome": locked.outcome, "outcome_note": locked.outcome_note}
        changes = redacted_changes(
            before, {"outcome": outcome, "outcome_note": note}, personal=("outcome_note",)
        )
        if not changes:
            return locked
        locked.outcome, locked.outcome_note = outcome, note
        save_versioned(locked, expected_version=locked.version, fields=["outcome", "outcome_note"])
        _event(
            case, EventKind.SERVICE_OUTCOME, actor=actor, support_type=locked.support_type, outcome=outcome
        )
        record_event("cases.service.outcome", actor=actor, target=locked, payload={"changes": changes})
    return locked


def record_risk_assessment(
    case: Case, *, actor: Any, level: str, assessed_on: dt.date | Any = None, note: str = ""
) -> RiskAssessment:
    """Record a risk assessment (repeated over time). Records ``cases.risk.record`` with the level, not the note."""
    _writer(actor, case)
    level = _choice(level, RiskLevel.values, field="level")
    note = _text(note, field="note")
    assessed = _date(assessed_on, field="assessed_on", required=False) or timezone.localdate()
    with transaction.atomic():
        case = _lock(case, None)
        _require_open(case)
        assessment = RiskAssessment.objects.create(
            case=case, assessed_on=assessed, level=level, note=note, assessed_by=actor
        )
        _event(case, EventKind.RISK, actor=actor, level=level)
        record_event(
            "cases.risk.record",
            actor=actor,
            target=assessment,
            payload={"case": str(case.pk), "level": level, "assessed_on": assessed.isoformat()},
        )
    return assessment


# --- Money ----------------------------------------------------------------------------------------


def allowance_rate_on(day: dt.date) -> AllowanceRate | None:
    """The reintegration allowance rate in force on ``day``."""
    return AllowanceRate.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def _amount(value: Any, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount.")}) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("100000000"):
        raise ValidationError({field: _("Enter an amount above zero.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Use at most two decimals.")})
    return amount.quantize(Decimal("0.01"))


def set_allowance_rate(*, actor: Any, valid_from: dt.date | Any, amount: Any) -> AllowanceRate:
    """Set the reintegration allowance from a date on (National Coordinator, system administrators).

    A rate already in force (from today or earlier) is never changed: payments were made at it;
    set a new rate from a later date instead. A rate from a future date may be corrected.
    Records ``cases.allowance_rate.set``.
    """
    if not access.may_set_allowance_rate(actor):
        raise PermissionDenied
    valid = _day(valid_from, field="valid_from", future=True)
    value = _amount(amount, field="amount")
    with transaction.atomic():
        existing = AllowanceRate.objects.select_for_update().filter(valid_from=valid).first()
        if existing is not None and valid <= timezone.localdate():
            raise ValidationError(
                {
                    "valid_from": _(
                        "A rate from this date is already in force; set a new rate from a later date."
                    )
                }
            )
        rate, created = AllowanceRate.objects.update_or_create(
            valid_from=valid, defaults={"amount": value, "currency": "AZN"}
        )
        record_event(
            "cases.allowance_rate.set",
            actor=actor,
            target=rate,
            payload={"valid_from": str(valid), "amount": str(value), "currency": "AZN", "created": created},
        )
    return rate


def record_payment(
    case: Case,
    *,
    actor: Any,
    expected_version: int,
    kind: str,
    approved_by: Any,
    paid_at: dt.datetime | None = None,
    amount: Any = None,
) -> Payment:
    """Record a payment to the person, approved by a second person.

    The approver is not the recorder, is an assistance-centre case worker or a
    police supervisor (:data:`~azad.cases.access.PAYMENT_APPROVER_ROLES`) and
    sees the case. The reintegration allowance goes to identified victims, at
    most once per case, at the rate in force on the payment date, whether or
    not they cooperate with the investigation (nothing here asks); it meets
    the allowance clock. Relief-fund payments carry their own amount.
    Records ``cases.payment.record`` with kind and amount (not personal data).
    """
    _checked(actor, case, lambda r: r.write)
    kind = _choice(kind, PaymentKind.values, field="kind")
    from azad.accounts.models import User

    approver_pk = getattr(approved_by, "pk", approved_by)
    approver = User.objects.filter(pk=approver_pk).first() if approver_pk not in (None, "") else None
    if approver is None:
        raise ValidationError({"approved_by": _("Name the person who approved the payment.")})
    if approver.pk == actor.pk:
        raise ValidationError({"approved_by": _("The payment must be approved by someone other than you.")})
    if not access.may_approve_payment(approver):
        raise ValidationError(
            {
                "approved_by": _(
                    "Payments are approved by an assistance-centre case worker or a police supervisor."
                )
            }
        )
    if not access.visible_cases(approver).filter(pk=case.pk).exists():
        raise ValidationError({"approved_by": _("The approver does not have access to this case.")})
    with transaction.atomic():
        case = _lock(case, expected_version)
        when = _when(paid_at, field="paid_at")
        if kind == PaymentKind.ALLOWANCE:
            if case.trafficking_status != TraffickingStatus.ACTUAL:
                raise ValidationError(_("The allowance is paid to identified victims only."))
            if case.payments.filter(kind=PaymentKind.ALLOWANCE).exists():
                raise ValidationError(_("The allowance has already been paid on this case."))
            if case.status_decided_at is not None and when < case.status_decided_at:
                raise ValidationError({"paid_at": _("This is earlier than the step before it on the case.")})
            rate = allowance_rate_on(timezone.localtime(when, BAKU).date())
            if rate is None:
                raise ValidationError(_("No allowance rate is set for that date."))
            value, currency = rate.amount, rate.currency
        else:
            _require_open(case)
            value, currency = _amount(amount, field="amount"), "AZN"
        payment = Payment.objects.create(
            case=case,
            kind=kind,
            amount=value,
            currency=currency,
            paid_at=when,
            approved_by=approver,
            recorded_by=actor,
        )
        fields: list[str] = []
        if kind == PaymentKind.ALLOWANCE:
            case.allowance_paid_at = when
            fields.append("allowance_paid_at")
        _save(case, fields)
        _event(
            case,
            EventKind.PAYMENT,
            actor=actor,
            occurred_at=when,
            payment=kind,
            amount=str(value),
            currency=currency,
        )
        record_event(
            "cases.payment.record",
            actor=actor,
            target=payment,
            payload={
                "case": str(case.pk),
                "kind": kind,
                "amount": str(value),
                "currency": currency,
                "approved_by": approver.pk,
            },
        )
    return payment


# --- Sealing --------------------------------------------------------------------------------------


def seal_case(
    case: Case,
    *,
    actor: Any,
    decided_by_organisation: Organisation | Any,
    decision_reference: str,
    decided_on: dt.date | Any,
    roles: Iterable[str],
) -> Sealing:
    """Record a prosecutor's or court decision that closes the case to all but ``roles`` (prosecutors only).

    Prosecutors always keep access (to lift the sealing). Records
    ``cases.case.seal`` with the roles and the deciding organisation.
    """
    if not access.may_seal(actor):
        raise PermissionDenied
    get_case_for_user(actor, case.pk)
    organisation = _active_organisation(
        decided_by_organisation,
        field="decided_by_organisation",
        org_types=[OrgType.PROSECUTOR, OrgType.COURT],
        require_active=False,
    )
    reference = _text(decision_reference, field="decision_reference", required=True)
    if len(reference) > 80:
        raise ValidationError({"decision_reference": _("Keep this under 80 characters.")})
    decided = _day(decided_on, field="decided_on")
    allowed = _choices([*(roles or ()), Role.PROSECUTOR], Role.values, field="roles")
    with transaction.atomic():
        case = _lock(case, None)
        if case.sealings.filter(lifted_at__isnull=True).exists():
            raise ValidationError(_("The case is already sealed."))
        sealing = Sealing.objects.create(
            case=case,
            decided_by_organisation=organisation,
            decision_reference=reference,
            decided_on=decided,
            roles=roles_text(allowed),
            sealed_by=actor,
        )
        _event(case, EventKind.SEALED, actor=actor, organisation_name=organisation.display_name())
        record_event(
            "cases.case.seal",
            actor=actor,
            target=sealing,
            payload={"case": str(case.pk), "decided_by": organisation.pk, "roles": allowed},
        )
    return sealing


def unseal_case(sealing: Sealing, *, actor: Any) -> Sealing:
    """Lift a sealing in force (prosecutors who see the case). Records ``cases.case.unseal``."""
    if not access.may_seal(actor):
        raise PermissionDenied
    get_case_for_user(actor, sealing.case_id)
    with transaction.atomic():
        locked = Sealing.objects.select_for_update().get(pk=sealing.pk)
        if locked.lifted_at is not None:
            raise ValidationError(_("This sealing has already been lifted."))
        locked.lifted_at, locked.lifted_by = timezone.now(), actor
        locked.save(update_fields=["lifted_at", "lifted_by"])
        _event(locked.case, EventKind.UNSEALED, actor=actor)
        record_event("cases.case.unseal", actor=actor, target=locked, payload={"case": str(locked.case_id)})
    return locked


# --- History and comments ---------------------------------------------------------------------------


def record_historic_event(
    case: Case,
    *,
    actor: Any,
    event_type: str,
    country: str,
    place: str = "",
    date_from: dt.date | Any = None,
    date_to: dt.date | Any = None,
    description: str = "",
) -> HistoricEvent:
    """Record a recruitment, transit or exploitation step (HTCDS ``hte_``). Records ``cases.history.record``."""
    _writer(actor, case)
    event_type = _choice(event_type, HistoricEventType.values, field="event_type")
    country = _choice(str(country or "").upper(), COUNTRY_CODES, field="country")
    place = _text(place, field="place")
    if len(place) > 120:
        raise ValidationError({"place": _("Keep this under 120 characters.")})
    start = _date(date_from, field="date_from", required=False)
    end = _date(date_to, field="date_to", required=False)
    if start is not None and end is not None and end < start:
        raise ValidationError({"date_to": _("This is earlier than the start.")})
    if end is not None and start is None:
        raise ValidationError({"date_from": _("Give the start of the period.")})
    description = _text(description, field="description")
    with transaction.atomic():
        case = _lock(case, None)
        event = HistoricEvent.objects.create(
            case=case,
            event_type=event_type,
            country=country,
            place=place,
            date_from=start,
            date_to=end,
            description=description,
            recorded_by=actor,
        )
        _event(case, EventKind.HISTORIC_EVENT, actor=actor, event_type=event_type, country=country)
        record_event(
            "cases.history.record",
            actor=actor,
            target=event,
            payload={"case": str(case.pk), "event_type": event_type, "country": country},
        )
    return event


def add_comment(case: Case, *, actor: Any, text: str) -> CaseComment:
    """Add a comment (encrypted) to the case. Records ``cases.comment.add`` without the text."""
    _writer(actor, case)
    text = _text(text, field="text", required=True)
    with transaction.atomic():
        case = _lock(case, None)
        comment = CaseComment.objects.create(
            case=case, text=text, author=actor, organisation_id=getattr(actor, "organisation_id", None)
        )
        _event(case, EventKind.COMMENT, actor=actor)
        record_event("cases.comment.add", actor=actor, target=comment, payload={"case": str(case.pk)})
    return comment


# --- Return home -------------------------------------------------------------------------------------
#
# A foreign victim's repatriation or a citizen's return from abroad. Written by the case's owner
# and ATD (the relations that decide where the person goes), read by whoever sees the case's
# content. During the 30-day reflection period no expulsion may be enforced (Law Art. 14-1; CoE
# Convention Art. 13): a repatriation cannot start or be completed then unless the person asked
# to go home of their own will and the day they asked is recorded.

RETURN_PERSONAL = ("receiver_name", "receiver_contact", "risk_note", "note")
RETURN_FIELDS = (
    "direction",
    "country",
    "receiver_name",
    "receiver_contact",
    "documents",
    "documents_requested_on",
    "documents_issued_on",
    "cost_amount",
    "cost_currency",
    "costs_paid_by",
    "risk_assessment",
    "risk_level",
    "risk_note",
    "voluntary_request_on",
    "planned_on",
    "note",
)


def _returner(actor: Any, case: Case) -> Case:
    """The case, visible to ``actor`` (404), who is its owner or ATD (403 otherwise)."""
    _checked(actor, case, access.may_write_returns)
    return case


def _cost(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"cost_amount": _("Enter an amount.")}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("100000000"):
        raise ValidationError({"cost_amount": _("Enter an amount of zero or more.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"cost_amount": _("Use at most two decimals.")})
    return amount.quantize(Decimal("0.01"))


def _return_values(case: Case, values: dict[str, Any]) -> dict[str, Any]:
    """Clean and check a return's fields (all of them, as they will be saved) or raise ``ValidationError``."""
    clean: dict[str, Any] = {}
    clean["direction"] = _choice(values.get("direction"), ReturnDirection.values, field="direction")
    country = str(values.get("country") or "").strip().upper()
    if country not in COUNTRY_CODES or country == HOME_COUNTRY:
        raise ValidationError({"country": _("Choose the country abroad from the list.")})
    clean["country"] = country
    if clean["direction"] == ReturnDirection.REPATRIATION and not is_foreign(case):
        raise ValidationError(
            {
                "direction": _(
                    "Repatriation is for foreign and stateless victims; a citizen returns from abroad."
                )
            }
        )
    if clean["direction"] == ReturnDirection.CITIZEN_RETURN and citizenship_of(case) != HOME_COUNTRY:
        raise ValidationError(
            {"direction": _("Only a citizen of Azerbaijan returns from abroad through a consulate.")}
        )
    clean["receiver_name"] = _text(values.get("receiver_name"), field="receiver_name")
    clean["receiver_contact"] = _text(values.get("receiver_contact"), field="receiver_contact")
    clean["documents"] = _choice(
        values.get("documents") or TravelDocumentStatus.NEEDED, TravelDocumentStatus.values, field="documents"
    )
    requested = _date(values.get("documents_requested_on"), field="documents_requested_on", required=False)
    issued = _date(values.get("documents_issued_on"), field="documents_issued_on", required=False)
    if requested and issued and issued < requested:
        raise ValidationError(
            {"documents_issued_on": _("The documents cannot be issued before they were requested.")}
        )
    if issued and clean["documents"] != TravelDocumentStatus.ISSUED:
        raise ValidationError({"documents": _("Documents with an issue date are issued.")})
    clean["documents_requested_on"], clean["documents_issued_on"] = requested, issued
    clean["cost_amount"] = _cost(values.get("cost_amount"))
    currency = str(values.get("cost_currency") or "AZN").strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise ValidationError({"cost_currency": _("Enter a three-letter currency code, e.g. AZN.")})
    clean["cost_currency"] = currency
    paid_by = _text(values.get("costs_paid_by"), field="costs_paid_by")
    if len(paid_by) > 200:
        raise ValidationError({"costs_paid_by": _("Keep this under 200 characters.")})
    clean["costs_paid_by"] = paid_by
    assessment = values.get("risk_assessment")
    if assessment in (None, ""):
        clean["risk_assessment"] = None
    else:
        pk = assessment.pk if isinstance(assessment, RiskAssessment) else assessment
        try:
            clean["risk_assessment"] = RiskAssessment.objects.get(pk=pk, case=case)
        except (RiskAssessment.DoesNotExist, ValueError, TypeError, ValidationError):
            raise ValidationError(
                {"risk_assessment": _("There is no such risk assessment on this case.")}
            ) from None
    clean["risk_level"] = _choice(
        values.get("risk_level"), RiskLevel.values, field="risk_level", required=False
    )
    clean["risk_note"] = _text(values.get("risk_note"), field="risk_note")
    clean["voluntary_request_on"] = _date(
        values.get("voluntary_request_on"), field="voluntary_request_on", required=False
    )
    clean["planned_on"] = _date(values.get("planned_on"), field="planned_on", required=False, future=True)
    clean["note"] = _text(values.get("note"), field="note")
    return clean


def _return_audit_values(values: dict[str, Any]) -> dict[str, Any]:
    """What the audit and the comparison of changes see: ids and ISO dates, strings for amounts."""
    shown: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, RiskAssessment):
            value = str(value.pk)
        elif isinstance(value, (dt.date, Decimal)):
            value = str(value)
        shown[name] = value
    return shown


def record_return(case: Case, *, actor: Any, **values: Any) -> Return:
    """Plan a person's return home (repatriation or a citizen's return), status ``planned``.

    Only one return at a time may be open on a case. Records ``cases.return.record`` with the
    direction, country and document status (never the receiver or the notes).
    """
    unknown = set(values) - set(RETURN_FIELDS)
    if unknown:
        raise TypeError(f"Not return fields: {sorted(unknown)}")
    _returner(actor, case)
    with transaction.atomic():
        case = _lock(case, None)
        _require_open(case)
        clean = _return_values(case, values)
        if case.returns.filter(status__in=(ReturnStatus.PLANNED, ReturnStatus.IN_PROGRESS)).exists():
            raise ValidationError(
                _("A return is already planned or under way for this case; change or cancel that one.")
            )
        record = Return.objects.create(case=case, recorded_by=actor, **clean)
        _event(
            case, EventKind.RETURN_RECORDED, actor=actor, direction=record.direction, country=record.country
        )
        record_event(
            "cases.return.record",
            actor=actor,
            target=record,
            payload={
                "case": str(case.pk),
                "direction": record.direction,
                "country": record.country,
                "documents": record.documents,
            },
        )
    return record


def _lock_return(record: Return, expected_version: int | None) -> Return:
    locked = Return.objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError
    return locked


def update_return(record: Return, *, actor: Any, expected_version: int, **changes: Any) -> Return:
    """Change a planned or ongoing return's details (409 if changed since read). Records ``cases.return.update``."""
    unknown = set(changes) - set(RETURN_FIELDS)
    if unknown:
        raise TypeError(f"Not return fields: {sorted(unknown)}")
    case = _returner(actor, Case.objects.select_related("person").get(pk=record.case_id))
    with transaction.atomic():
        locked = _lock_return(record, expected_version)
        if not locked.is_open:
            raise ValidationError(_("This return is finished; its details can no longer change."))
        current = {name: getattr(locked, name) for name in RETURN_FIELDS}
        clean = _return_values(case, {**current, **changes})
        if clean["direction"] != locked.direction and locked.status != ReturnStatus.PLANNED:
            raise ValidationError(
                {"direction": _("The direction cannot change once the return has started.")}
            )
        changed = redacted_changes(
            _return_audit_values(current), _return_audit_values(clean), personal=RETURN_PERSONAL
        )
        if not changed:
            return locked
        for name, value in clean.items():
            setattr(locked, name, value)
        save_versioned(locked, expected_version=locked.version, fields=[*RETURN_FIELDS, "updated_at"])
        _event(case, EventKind.RETURN_CHANGED, actor=actor, fields=sorted(changed))
        record_event("cases.return.update", actor=actor, target=locked, payload={"changes": changed})
    return locked


def set_return_status(
    record: Return, *, actor: Any, expected_version: int, status: str, on: dt.date | Any = None
) -> Return:
    """Move a return along planned → in progress → completed, or cancel it. Records ``cases.return.status``.

    Rules: a return starts only with a risk level known (a linked assessment or a recorded level)
    and completes only with travel documents issued or not needed; a repatriation neither starts
    nor completes while the reflection period runs, unless the person asked to go home (the day
    they asked is recorded). Dates never go backwards or into the future.
    """
    case = _returner(actor, Case.objects.select_related("person").get(pk=record.case_id))
    status = _choice(status, ReturnStatus.values, field="status")
    day = _date(on, field="on", required=False) or timezone.localdate()
    with transaction.atomic():
        case = _lock(case, None)
        locked = _lock_return(record, expected_version)
        if status not in RETURN_STATUS_NEXT[locked.status]:
            raise ValidationError(
                {"status": _("A return cannot move from “%(from)s” to “%(to)s”.")
                 % {"from": ReturnStatus(locked.status).label, "to": ReturnStatus(status).label}}
            )  # fmt: skip
        if status in (ReturnStatus.IN_PROGRESS, ReturnStatus.COMPLETED):
            _require_open(case)
            if (
                locked.direction == ReturnDirection.REPATRIATION
                and reflection_protects(case)
                and locked.voluntary_request_on is None
            ):
                raise ValidationError(
                    _(
                        "The reflection period is running: no expulsion may be enforced. A repatriation "
                        "goes ahead now only if the person asked to go home; record the day they asked."
                    )
                )
        if status == ReturnStatus.IN_PROGRESS and not locked.risk_label():
            raise ValidationError(
                _("Assess the risk before the return starts (link an assessment or set a level).")
            )
        if status == ReturnStatus.COMPLETED and locked.documents not in (
            TravelDocumentStatus.ISSUED,
            TravelDocumentStatus.NOT_NEEDED,
        ):
            raise ValidationError(
                _("The travel documents must be issued (or not needed) before the return ends.")
            )
        if status == ReturnStatus.COMPLETED and locked.started_on and day < locked.started_on:
            raise ValidationError({"on": _("The return cannot end before it started.")})
        field = {
            ReturnStatus.IN_PROGRESS: "started_on",
            ReturnStatus.COMPLETED: "completed_on",
            ReturnStatus.CANCELLED: "cancelled_on",
        }[ReturnStatus(status)]
        before = locked.status
        locked.status = status
        setattr(locked, field, day)
        save_versioned(locked, expected_version=locked.version, fields=["status", field, "updated_at"])
        _event(case, EventKind.RETURN_STATUS, actor=actor, status=status, direction=locked.direction)
        record_event(
            "cases.return.status",
            actor=actor,
            target=locked,
            payload={"case": str(case.pk), "from": before, "to": status, "on": day.isoformat()},
        )
    return locked
