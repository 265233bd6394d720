"""Consent gates: a referral needs consent or a legal ground; withdrawing consent ends the sharing it covered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from azad.audit.models import AuditEvent
from azad.cases import services
from azad.cases.access import get_case_for_user
from azad.cases.choices import ConsentGiver, ConsentStatus, ReferralStatus, Stage
from azad.cases.models import Consent, Referral
from azad.cases.tests.factories import (
    assisted,
    audit_actions,
    case_at,
    fresh,
    give_consent,
    last_seq,
    make_case,
    move,
    refer,
)
from azad.core.exceptions import NotVisible

pytestmark = pytest.mark.django_db


def _refer(case, actor, **kwargs):
    case = fresh(case)
    return services.refer_to_atd(case, actor=actor, expected_version=case.version, **kwargs)


def test_it_refuses_a_referral_without_consent_and_changes_nothing(world):
    case = make_case(world)
    seq = last_seq()
    with pytest.raises(ValidationError) as error:
        _refer(case, world.ngo_worker)
    assert "no consent" in str(error.value).lower()
    assert fresh(case).stage == Stage.PRESUMED
    assert not Referral.objects.exists()
    assert audit_actions(seq) == []


def test_it_refuses_a_legal_ground_from_someone_without_that_right(world):
    case = make_case(world)
    with pytest.raises(ValidationError) as error:
        _refer(case, world.ngo_worker, legal_ground="Həyatı təhlükədədir")
    assert "Only police and child-protection officers" in str(error.value)
    assert not Referral.objects.exists()


def test_it_lets_police_refer_on_a_legal_ground_kept_encrypted_and_audited(world):
    case = make_case(world)  # the national-scope ATD supervisor owns every case by scope
    referral = _refer(case, world.supervisor, legal_ground="Cinayət prosessual məcəlləsi, m. 123")
    assert referral.consent is None
    assert fresh(case).stage == Stage.REFERRED_TO_ATD
    raw = Referral.objects.filter(pk=referral.pk).values_list("legal_ground", flat=True).get()
    assert "məcəlləsi" not in raw
    event = AuditEvent.objects.get(action="cases.referral.create", target_id=str(referral.pk))
    assert event.payload["basis"] == "legal_ground"
    assert "məcəlləsi" not in str(event.payload)


def test_it_accepts_a_general_consent_to_referral(world):
    case = make_case(world)
    consent = give_consent(case, world.ngo_worker, to=None)
    assert _refer(case, world.ngo_worker).consent == consent


def test_it_does_not_accept_consent_to_another_organisation(world):
    case = make_case(world)
    give_consent(case, world.ngo_worker, to=world.assistance)
    with pytest.raises(ValidationError):
        _refer(case, world.ngo_worker)


def test_it_lets_a_refusal_naming_the_organisation_override_a_general_consent(world):
    case = make_case(world)
    give_consent(case, world.ngo_worker, to=None)
    give_consent(case, world.ngo_worker, to=world.atd, status=ConsentStatus.REFUSED)
    with pytest.raises(ValidationError):
        _refer(case, world.ngo_worker)


def test_it_does_not_accept_an_expired_consent(world):
    case = make_case(world)
    consent = give_consent(case, world.ngo_worker, to=world.atd, valid_until=timezone.localdate())
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        _refer(case, world.ngo_worker)


def test_it_refuses_a_consent_valid_until_a_past_date(world):
    case = make_case(world)
    with pytest.raises(ValidationError):
        give_consent(
            case, world.ngo_worker, to=world.atd, valid_until=timezone.localdate() - dt.timedelta(days=1)
        )
    assert not Consent.objects.exists()


def test_it_refuses_a_childs_own_consent(world):
    case = make_case(world, birth_date="2010-06-01")
    case = fresh(case)
    with pytest.raises(ValidationError) as error:
        services.record_consent(
            case,
            actor=world.ngo_worker,
            expected_version=case.version,
            purpose="referral",
            status="given",
            given_by=ConsentGiver.PERSON,
        )
    assert "legal representative" in str(error.value)
    assert not Consent.objects.exists()


def test_it_needs_the_representatives_name_for_a_child(world):
    case = fresh(make_case(world, birth_date="2010-06-01"))
    with pytest.raises(ValidationError):
        services.record_consent(
            case,
            actor=world.ngo_worker,
            expected_version=case.version,
            purpose="referral",
            status="given",
            given_by=ConsentGiver.LEGAL_REPRESENTATIVE,
        )


def test_it_keeps_the_representatives_name_encrypted(world):
    case = make_case(world, birth_date="2010-06-01")
    consent = give_consent(case, world.ngo_worker, to=world.atd, representative_name="Rəna Qasımova")
    assert Consent.objects.get(pk=consent.pk).representative_name == "Rəna Qasımova"
    assert (
        "Rəna"
        not in Consent.objects.filter(pk=consent.pk).values_list("representative_name", flat=True).get()
    )


def test_it_revokes_the_referrals_a_withdrawn_consent_covered(world):
    case = case_at(world, Stage.IDENTIFIED)
    referral = assisted(case, world)
    assert get_case_for_user(world.assistance_worker, case.pk)
    seq = last_seq()
    give_consent(case, world.investigator, to=world.assistance, status=ConsentStatus.WITHDRAWN)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED
    assert referral.revocation_reason == "consent_withdrawn"
    assert "cases.referral.revoke" in audit_actions(seq)
    with pytest.raises(NotVisible):
        get_case_for_user(world.assistance_worker, case.pk)


def test_it_leaves_referrals_to_other_organisations_alone_when_consent_is_withdrawn(world):
    case = case_at(world, Stage.IDENTIFIED)
    referral = assisted(case, world)
    give_consent(case, world.investigator, to=world.shelter)
    give_consent(case, world.investigator, to=world.shelter, status=ConsentStatus.WITHDRAWN)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_it_sends_an_atd_referral_back_when_the_consent_to_it_is_withdrawn(world):
    case = make_case(world)
    refer(case, world)
    give_consent(case, world.ngo_worker, to=world.atd, status=ConsentStatus.WITHDRAWN)
    case = fresh(case)
    assert case.stage == Stage.PRESUMED
    assert case.referred_to_atd_at is None
    assert case.referrals.get().status == ReferralStatus.REVOKED


def test_it_refuses_to_withdraw_a_consent_that_is_not_in_force(world):
    case = make_case(world)
    with pytest.raises(ValidationError):
        give_consent(case, world.ngo_worker, to=world.atd, status=ConsentStatus.WITHDRAWN)
    assert not Consent.objects.exists()


def test_it_keeps_every_answer_in_the_ledger(world):
    case = make_case(world)
    give_consent(case, world.ngo_worker, to=world.atd)
    give_consent(case, world.ngo_worker, to=world.atd, status=ConsentStatus.WITHDRAWN)
    give_consent(case, world.ngo_worker, to=world.atd)
    assert list(fresh(case).consents.order_by("recorded_at").values_list("status", flat=True)) == [
        "given",
        "withdrawn",
        "given",
    ]
    assert services.consent_in_force(fresh(case), "referral", world.atd.pk) is not None


def test_it_needs_consent_to_assistance_before_assistance(world):
    case = case_at(world, Stage.IDENTIFIED)
    with pytest.raises(ValidationError) as error:
        move(case, Stage.ASSISTANCE, world.investigator)
    assert "consent to assistance" in str(error.value)
    give_consent(case, world.investigator, "assistance")
    assert move(case, Stage.ASSISTANCE, world.investigator).stage == Stage.ASSISTANCE


def test_it_refuses_consent_naming_an_organisation_for_assistance(world):
    case = make_case(world)
    with pytest.raises(ValidationError):
        give_consent(case, world.ngo_worker, "assistance", to=world.assistance)


def test_it_refuses_consent_from_someone_who_only_reads_the_case(world):
    from django.core.exceptions import PermissionDenied

    from azad.accounts.tests.factories import make_user
    from azad.core.permissions import Role, Scope

    prosecutor = make_user(Role.PROSECUTOR, scope=Scope.NATIONAL)
    case = case_at(world, Stage.IDENTIFIED)
    with pytest.raises(PermissionDenied):
        give_consent(case, prosecutor, to=world.assistance)
    assert not Consent.objects.filter(to_organisation=world.assistance).exists()


def test_it_hides_the_case_from_someone_unrelated_who_tries_to_record_consent(world):
    case = case_at(world, Stage.IDENTIFIED)
    with pytest.raises(NotVisible):
        give_consent(case, world.other_ngo_worker, to=world.atd)
