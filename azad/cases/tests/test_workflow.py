"""The state machine: every allowed transition goes, every other one is refused and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.cases import services
from azad.cases.choices import END_STAGES, CaseStatus, Stage, TraffickingStatus, case_status_for
from azad.cases.models import Case, CaseEvent
from azad.cases.tests.factories import (
    assisted,
    audit_actions,
    case_at,
    fresh,
    give_consent,
    last_seq,
    make_case,
    move,
)
from azad.cases.workflow import TRANSITIONS, Relation, Requirement, transition_for
from azad.core.permissions import Role, Scope

pytestmark = pytest.mark.django_db

ALLOWED = [(frm, to) for frm, moves in TRANSITIONS.items() for to in moves]
REFUSED = [(frm, to) for frm in Stage for to in Stage if to not in TRANSITIONS[frm]]

DETAILS = {
    Requirement.DECISION_BASIS: {"basis": "Müsahibə və sənədlər"},
    Requirement.CLOSURE_REASON: {"closure_reason": "ServicesCompleted"},
    Requirement.WITHDRAWAL_REASON: {"withdrawal_reason": "PersonWithdrew"},
    Requirement.TRANSFER_DESTINATION: {"country": "UZ", "organisation_name": "IOM Tashkent"},
}


def _details(frm, to):
    details = {}
    for requirement in transition_for(frm, to).requires:
        details.update(DETAILS.get(requirement, {}))
    return details


def _actor(world, frm, to):
    who = transition_for(frm, to).who
    if Relation.ATD in who and frm != Stage.PRESUMED:
        return world.investigator
    return world.ngo_worker


@pytest.mark.parametrize(("frm", "to"), ALLOWED, ids=[f"{f}->{t}" for f, t in ALLOWED])
def test_it_applies_every_allowed_transition(world, frm, to):
    case = case_at(world, frm)
    if Requirement.ASSISTANCE_CONSENT in transition_for(frm, to).requires:
        give_consent(case, world.investigator, "assistance")
    if to == Stage.REFERRED_TO_ATD:
        give_consent(case, world.ngo_worker, to=world.atd)
    case = fresh(case)
    seq = last_seq()

    result = services.transition_case(
        case, to, actor=_actor(world, frm, to), expected_version=case.version, **_details(frm, to)
    )

    assert fresh(result).stage == to
    assert fresh(result).version > case.version
    assert "cases.case.transition" in audit_actions(seq)
    event = CaseEvent.objects.filter(case=case, kind="transition").order_by("-recorded_at").first()
    assert (event.from_stage, event.to_stage) == (frm, to)
    if to in END_STAGES:
        assert fresh(result).ended_at is not None


@pytest.mark.parametrize(("frm", "to"), REFUSED, ids=[f"{f}->{t}" for f, t in REFUSED])
def test_it_refuses_every_transition_the_table_does_not_have(world, frm, to):
    case = case_at(world, frm)
    seq = last_seq()
    actor = world.ngo_worker if frm in (Stage.PRESUMED, Stage.WITHDRAWN) else world.investigator

    with pytest.raises(ValidationError) as error:
        services.transition_case(
            case,
            to,
            actor=actor,
            expected_version=case.version,
            basis="x",
            closure_reason="Other",
            withdrawal_reason="Other",
            country="UZ",
            organisation_name="IOM",
        )

    assert "cannot move" in " ".join(error.value.messages)
    assert fresh(case).stage == frm
    assert fresh(case).version == case.version
    assert audit_actions(seq) == []


@pytest.mark.parametrize(
    ("frm", "to"), [(f, t) for f, t in ALLOWED if transition_for(f, t).who == {Relation.ATD}]
)
def test_it_refuses_atd_only_transitions_to_the_owner_ngo(world, frm, to):
    case = case_at(world, frm)
    with pytest.raises(PermissionDenied):
        services.transition_case(
            case, to, actor=world.ngo_worker, expected_version=case.version, **_details(frm, to)
        )
    assert fresh(case).stage == frm


@pytest.mark.parametrize(
    ("frm", "to"),
    [
        (f, t)
        for f, t in ALLOWED
        if Relation.ASSISTING not in transition_for(f, t).who and f != Stage.PRESUMED
    ],
)
def test_it_refuses_an_assisting_organisation_the_transitions_not_given_to_it(world, frm, to):
    case = case_at(world, frm)
    if case.stage in END_STAGES:
        pytest.skip("no referral onto an ended case")
    assisted(case, world)
    case = fresh(case)
    with pytest.raises(PermissionDenied):
        services.transition_case(
            case, to, actor=world.assistance_worker, expected_version=case.version, **_details(frm, to)
        )
    assert fresh(case).stage == frm


def test_it_lets_the_assisting_organisation_start_assistance_and_close(world):
    case = case_at(world, Stage.IDENTIFIED)
    assisted(case, world)
    give_consent(case, world.assistance_worker, "assistance")
    move(case, Stage.ASSISTANCE, world.assistance_worker)
    move(case, Stage.REINTEGRATION, world.assistance_worker)
    case = move(case, Stage.CLOSED, world.assistance_worker, closure_reason="ServicesCompleted")
    assert case.stage == Stage.CLOSED
    assert case.closure_reason == "ServicesCompleted"


@pytest.mark.parametrize(
    ("requirement", "frm", "to"),
    [
        (Requirement.DECISION_BASIS, Stage.REFLECTION, Stage.IDENTIFIED),
        (Requirement.DECISION_BASIS, Stage.REFLECTION, Stage.NOT_IDENTIFIED),
        (Requirement.CLOSURE_REASON, Stage.IDENTIFIED, Stage.CLOSED),
        (Requirement.WITHDRAWAL_REASON, Stage.REFLECTION, Stage.WITHDRAWN),
        (Requirement.TRANSFER_DESTINATION, Stage.REFLECTION, Stage.TRANSFERRED),
        (Requirement.ASSISTANCE_CONSENT, Stage.IDENTIFIED, Stage.ASSISTANCE),
    ],
)
def test_it_refuses_a_transition_whose_requirement_is_missing(world, requirement, frm, to):
    case = case_at(world, frm)
    seq = last_seq()
    with pytest.raises(ValidationError):
        services.transition_case(case, to, actor=world.investigator, expected_version=case.version)
    assert fresh(case).stage == frm
    assert audit_actions(seq) == []


def test_it_refuses_atd_to_go_on_before_it_accepted_the_referral(world):
    case = make_case(world)
    give_consent(case, world.ngo_worker, to=world.atd)
    case = fresh(case)
    services.refer_to_atd(case, actor=world.ngo_worker, expected_version=case.version)
    case = fresh(case)
    with pytest.raises(ValidationError) as error:
        services.transition_case(
            case, Stage.REFLECTION, actor=world.investigator, expected_version=case.version
        )
    assert "not accepted" in " ".join(error.value.messages)
    assert fresh(case).stage == Stage.REFERRED_TO_ATD


def test_it_records_the_status_decision_who_which_organisation_when_and_the_basis_encrypted(world):
    case = case_at(world, Stage.REFLECTION)
    when = case.stage_changed_at + dt.timedelta(seconds=1)
    move(case, Stage.IDENTIFIED, world.investigator, basis="Güclü göstəricilər", occurred_at=when)
    case = fresh(case)
    assert case.trafficking_status == TraffickingStatus.ACTUAL
    assert case.status_decided_by == world.investigator
    assert case.status_decision_organisation == world.atd
    assert case.status_decided_at == when
    assert case.status_decision_basis == "Güclü göstəricilər"
    raw = Case.objects.filter(pk=case.pk).values_list("status_decision_basis", flat=True).get()
    assert "Güclü" not in raw
    event = AuditEvent.objects.filter(action="cases.case.transition", target_id=str(case.pk)).latest("seq")
    assert event.payload["trafficking_status"] == TraffickingStatus.ACTUAL
    assert "Güclü" not in str(event.payload)


def test_it_refuses_the_status_decision_to_police_outside_an_atd(world):
    police = make_org("Rayon polis şöbəsi", OrgType.LAW_ENFORCEMENT)
    officer = make_user(Role.POLICE_SUPERVISOR, police, scope=Scope.NATIONAL)
    case = case_at(world, Stage.REFLECTION)
    with pytest.raises(PermissionDenied):
        services.transition_case(
            case, Stage.IDENTIFIED, actor=officer, expected_version=case.version, basis="x"
        )
    assert fresh(case).trafficking_status == TraffickingStatus.POSSIBLE


def test_it_refuses_a_transition_dated_in_the_future(world):
    case = case_at(world, Stage.REFERRED_TO_ATD)
    with pytest.raises(ValidationError):
        services.transition_case(
            case,
            Stage.REFLECTION,
            actor=world.investigator,
            expected_version=case.version,
            occurred_at=timezone.now() + dt.timedelta(hours=2),
        )
    assert fresh(case).stage == Stage.REFERRED_TO_ATD


def test_it_refuses_a_transition_dated_before_the_current_stage_began(world):
    case = case_at(world, Stage.REFERRED_TO_ATD)
    with pytest.raises(ValidationError) as error:
        services.transition_case(
            case,
            Stage.REFLECTION,
            actor=world.investigator,
            expected_version=case.version,
            occurred_at=case.stage_changed_at - dt.timedelta(minutes=1),
        )
    assert "earlier" in str(error.value)
    assert fresh(case).stage == Stage.REFERRED_TO_ATD


def test_it_refuses_a_stale_transition_and_changes_nothing(world):
    case = case_at(world, Stage.REFERRED_TO_ATD)
    stale = case.version
    give_consent(case, world.investigator, "assistance")
    with pytest.raises(services.ConflictError):
        services.transition_case(case, Stage.REFLECTION, actor=world.investigator, expected_version=stale)
    assert fresh(case).stage == Stage.REFERRED_TO_ATD


def test_it_refers_to_atd_through_the_transition_service_too(world):
    case = make_case(world)
    give_consent(case, world.ngo_worker, to=world.atd)
    case = fresh(case)
    result = services.transition_case(
        case, Stage.REFERRED_TO_ATD, actor=world.ngo_worker, expected_version=case.version
    )
    assert result.stage == Stage.REFERRED_TO_ATD
    assert result.referrals.get().to_organisation == world.atd


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        (Stage.PRESUMED, CaseStatus.ACTIVE),
        (Stage.ASSISTANCE, CaseStatus.ACTIVE),
        (Stage.REINTEGRATION, CaseStatus.FOLLOW_UP),
        (Stage.CLOSED, CaseStatus.CLOSED),
        (Stage.WITHDRAWN, CaseStatus.CLOSED),
        (Stage.TRANSFERRED, CaseStatus.CLOSED_REFERRED),
    ],
)
def test_it_derives_the_htcds_case_status_from_the_stage(stage, status):
    assert case_status_for(stage) == status
