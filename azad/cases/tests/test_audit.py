"""Every service writes its audit event, and no audit payload or timeline entry carries personal data."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from azad.audit.models import AuditEvent
from azad.cases import services
from azad.cases.choices import Stage
from azad.cases.models import CaseEvent
from azad.cases.tests.factories import (
    accept,
    audit_actions,
    case_at,
    fresh,
    give_consent,
    last_seq,
    make_case,
    move,
)

pytestmark = pytest.mark.django_db

SECRETS = ("Aynur", "Əliyeva", "Rəna", "Gizli əsas", "Gizli zəmin", "Gizli qeyd", "Gizli səbəb", "+994")


def _clean():
    for payload in AuditEvent.objects.values_list("payload", flat=True):
        text = json.dumps(payload, ensure_ascii=False)
        assert not any(secret in text for secret in SECRETS), text
    for details in CaseEvent.objects.values_list("details", flat=True):
        text = json.dumps(details, ensure_ascii=False)
        assert not any(secret in text for secret in SECRETS), text


def test_it_audits_every_service_without_personal_data(world):
    steps = []

    def run(expected, call):
        seq = last_seq()
        call()
        actions = audit_actions(seq)
        assert expected in actions, (expected, actions)
        steps.append(expected)

    case = make_case(world, birth_date="2011-01-01")
    c = lambda: fresh(case)  # noqa: E731
    run(
        "cases.case.first_contact",
        lambda: services.record_first_contact(
            c(),
            actor=world.ngo_worker,
            expected_version=c().version,
            first_contact_at=timezone.now(),
            channel="Police",
        ),
    )
    run(
        "cases.case.context",
        lambda: services.update_case_context(
            c(),
            actor=world.ngo_worker,
            expected_version=c().version,
            exploitation_types=["ChildLabour"],
            control_methods=[],
        ),
    )
    run(
        "cases.case.child_details",
        lambda: services.update_child_details(
            c(),
            actor=world.ngo_worker,
            expected_version=c().version,
            legal_representative_name="Rəna Qasımova",
            legal_representative_contact="+994 50 111 22 33",
            best_interests_note="Gizli qeyd",
        ),
    )
    for body in ("guardianship_body", "family_committee", "minors_commission"):
        run(
            "cases.child_notification.create",
            lambda b=body: services.record_child_notification(
                c(), actor=world.ngo_worker, expected_version=c().version, body=b, channel="phone"
            ),
        )
    run("cases.consent.record", lambda: give_consent(case, world.ngo_worker, to=world.atd))
    run(
        "cases.referral.create",
        lambda: services.refer_to_atd(
            c(), actor=world.ngo_worker, expected_version=c().version, note="Gizli qeyd"
        ),
    )
    run("cases.referral.accept", lambda: accept(c().referrals.get(), world.investigator))
    run("cases.case.transition", lambda: move(case, Stage.REFLECTION, world.investigator))
    run("cases.case.transition", lambda: move(case, Stage.IDENTIFIED, world.investigator, basis="Gizli əsas"))
    run(
        "cases.payment.record",
        lambda: services.record_payment(
            c(),
            actor=world.investigator,
            expected_version=c().version,
            kind="allowance",
            approved_by=world.supervisor,
        ),
    )
    referral = services.create_referral(
        c(),
        actor=world.investigator,
        expected_version=c().version,
        to_organisation=world.assistance,
        purpose="assistance",
        shares=["identity"],
        legal_ground="Gizli zəmin",
    )
    run(
        "cases.referral.decline",
        lambda: services.decline_referral(
            referral, actor=world.assistance_worker, expected_version=referral.version, reason="Gizli səbəb"
        ),
    )
    assert len(steps) == 13
    _clean()


def test_it_audits_the_residence_permit_and_referral_lifecycle_without_personal_data(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="UZ")
    seq = last_seq()
    services.record_residence_permit(
        fresh(case),
        actor=world.investigator,
        expected_version=fresh(case).version,
        issued_on=timezone.localdate(),
    )
    give_consent(case, world.investigator, to=world.assistance)
    referral = services.create_referral(
        fresh(case),
        actor=world.investigator,
        expected_version=fresh(case).version,
        to_organisation=world.assistance,
        purpose="assistance",
        shares=["identity", "case_content"],
    )
    referral = accept(referral, world.assistance_worker)
    referral = services.complete_referral(
        referral, actor=world.assistance_worker, expected_version=referral.version
    )
    give_consent(case, world.investigator, to=world.shelter)
    shelter = services.create_referral(
        fresh(case),
        actor=world.investigator,
        expected_version=fresh(case).version,
        to_organisation=world.shelter,
        purpose="shelter",
        shares=["identity"],
    )
    services.revoke_referral(shelter, actor=world.investigator, expected_version=shelter.version)
    assert audit_actions(seq) == [
        "cases.case.residence_permit",
        "cases.consent.record",
        "cases.referral.create",
        "cases.referral.accept",
        "cases.referral.complete",
        "cases.consent.record",
        "cases.referral.create",
        "cases.referral.revoke",
    ]
    _clean()


def test_it_audits_opening_a_case_with_ids_and_codes_only(world):
    case = make_case(world)
    event = AuditEvent.objects.get(action="cases.case.create", target_id=str(case.pk))
    assert event.payload == {
        "stage": "presumed",
        "is_child": False,
        "channel": "NgoOutreach",
        "from_screening": False,
        "person": str(case.person_id),
    }
    _clean()


def test_it_writes_nothing_when_the_audit_cannot_be_written(world, monkeypatch):
    case = make_case(world)
    give_consent(case, world.ngo_worker, to=world.atd)

    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(RuntimeError):
        services.refer_to_atd(fresh(case), actor=world.ngo_worker, expected_version=fresh(case).version)
    assert fresh(case).stage == Stage.PRESUMED
    assert not fresh(case).referrals.exists()
