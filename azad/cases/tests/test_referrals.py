"""Referrals: ATD first, receivers see exactly what is shared while accepted, and lose it after."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from azad.accounts.tests.factories import make_org
from azad.cases import services
from azad.cases.access import case_rights, get_case_for_user
from azad.cases.choices import ReferralStatus, Stage
from azad.cases.models import Referral
from azad.cases.tests.factories import (
    accept,
    assisted,
    audit_actions,
    case_at,
    fresh,
    give_consent,
    last_seq,
    make_case,
    refer,
)
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError

pytestmark = pytest.mark.django_db


def _onward(case, world, actor=None, **kwargs):
    case = fresh(case)
    values = {
        "to_organisation": world.assistance,
        "purpose": "assistance",
        "shares": ["identity", "case_content"],
    }
    values.update(kwargs)
    return services.create_referral(
        case, actor=actor or world.investigator, expected_version=case.version, **values
    )


def _page(user, case):
    client = Client()
    client.force_login(user)
    client.cookies["azad_language"] = "en"
    return client.get(f"/cases/{case.pk}/")


def test_it_shows_the_case_to_the_receiver_only_after_it_accepts(world):
    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.investigator, to=world.assistance)
    referral = _onward(case, world)
    assert _page(world.assistance_worker, case).status_code == 404
    accept(referral, world.assistance_worker)
    response = _page(world.assistance_worker, case)
    assert response.status_code == 200
    assert "Əliyeva" in response.content.decode()


def test_it_takes_access_away_when_the_referral_is_revoked(world):
    case = case_at(world, Stage.IDENTIFIED)
    referral = assisted(case, world)
    seq = last_seq()
    services.revoke_referral(referral, actor=world.investigator, expected_version=fresh_ref(referral).version)
    assert fresh_ref(referral).status == ReferralStatus.REVOKED
    assert audit_actions(seq) == ["cases.referral.revoke"]
    assert _page(world.assistance_worker, case).status_code == 404


def test_it_takes_access_away_when_the_referral_is_completed(world):
    case = case_at(world, Stage.IDENTIFIED)
    referral = assisted(case, world)
    services.complete_referral(
        referral, actor=world.assistance_worker, expected_version=fresh_ref(referral).version
    )
    with pytest.raises(NotVisible):
        get_case_for_user(world.assistance_worker, case.pk)


def test_it_gives_no_access_when_the_referral_is_declined(world):
    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.investigator, to=world.assistance)
    referral = _onward(case, world)
    services.decline_referral(
        referral, actor=world.assistance_worker, expected_version=referral.version, reason="Yer yoxdur"
    )
    assert fresh_ref(referral).status == ReferralStatus.DECLINED
    assert (
        "Yer yoxdur"
        not in Referral.objects.filter(pk=referral.pk).values_list("decline_reason", flat=True).get()
    )
    assert _page(world.assistance_worker, case).status_code == 404


def test_it_shares_only_the_case_content_when_identity_is_not_shared(world):
    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.investigator, to=world.assistance)
    accept(_onward(case, world, shares=["case_content"]), world.assistance_worker)
    rights = case_rights(world.assistance_worker, fresh(case))
    assert rights.content and not rights.identity
    page = _page(world.assistance_worker, case).content.decode()
    assert "Əliyeva" not in page
    assert "not shared with you" in page


def test_it_shares_only_the_identity_when_the_content_is_not_shared(world):
    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.investigator, to=world.assistance)
    accept(_onward(case, world, shares=["identity"]), world.assistance_worker)
    rights = case_rights(world.assistance_worker, fresh(case))
    assert rights.identity and not rights.content and not rights.write
    page = _page(world.assistance_worker, case).content.decode()
    assert "Əliyeva" in page
    assert "content is not shared with you" in page


def test_it_lets_the_receiver_see_the_shared_persons_record(world):
    from azad.persons.access import get_person_for_user

    case = case_at(world, Stage.IDENTIFIED)
    with pytest.raises(NotVisible):
        get_person_for_user(world.assistance_worker, case.person_id)
    assisted(case, world)
    assert get_person_for_user(world.assistance_worker, case.person_id) == case.person


def test_it_refuses_an_onward_referral_before_the_case_is_with_atd(world):
    case = make_case(world, actor=world.ngo_worker)
    give_consent(case, world.ngo_worker, to=world.assistance)
    with pytest.raises(PermissionDenied):
        _onward(case, world, actor=world.ngo_worker)


def test_it_refuses_onward_referrals_from_the_owner_ngo(world):
    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.ngo_worker, to=world.assistance)
    with pytest.raises(PermissionDenied):
        _onward(case, world, actor=world.ngo_worker)


@pytest.mark.parametrize("target", ["missing", "deactivated", "text"])
def test_it_refuses_a_referral_to_an_organisation_that_does_not_exist_or_is_inactive(world, target):
    case = case_at(world, Stage.IDENTIFIED)
    organisation = {
        "missing": 999999,
        "deactivated": make_org("Bağlı QHT", is_active=False).pk,
        "text": "abc",
    }[target]
    seq = last_seq()
    with pytest.raises(ValidationError) as error:
        _onward(case, world, to_organisation=organisation)
    assert "to_organisation" in error.value.message_dict
    assert not Referral.objects.filter(purpose="assistance").exists()
    assert audit_actions(seq) == []


def test_it_refuses_atd_a_referral_to_itself(world):
    case = make_case(world, actor=world.investigator)
    give_consent(case, world.investigator, to=None)
    with pytest.raises(ValidationError) as error:
        _onward(case, world, to_organisation=world.atd.pk, purpose="other")
    assert "Only a presumed victim's case" in str(error.value)


def test_it_refuses_a_referral_to_the_own_organisation(world):
    case = case_at(world, Stage.IDENTIFIED, birth_date="2011-01-01")
    give_consent(case, world.investigator, to=None)
    with pytest.raises(ValidationError) as error:
        _onward(
            case,
            world,
            actor=world.child_officer,
            to_organisation=world.family_committee.pk,
            purpose="child_protection",
        )
    assert "your own organisation" in str(error.value)


def test_it_refuses_a_second_open_referral_to_the_same_organisation(world):
    case = case_at(world, Stage.IDENTIFIED)
    assisted(case, world)
    with pytest.raises(ValidationError):
        _onward(case, world)


def test_it_refers_abroad_to_a_country_and_an_organisation(world):
    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.investigator, to=None)
    referral = _onward(
        case,
        world,
        to_organisation=None,
        abroad_country="uz",
        abroad_organisation_name="IOM Tashkent",
        purpose="return",
    )
    assert (referral.abroad_country, referral.to_organisation) == ("UZ", None)
    assert referral.is_transnational


def test_it_refuses_a_referral_abroad_to_an_unknown_country(world):
    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.investigator, to=None)
    with pytest.raises(ValidationError):
        _onward(
            case,
            world,
            to_organisation=None,
            abroad_country="QQ",
            abroad_organisation_name="X",
            purpose="return",
        )


def test_it_sends_the_case_back_to_presumed_when_atd_declines(world):
    case = make_case(world)
    referral = refer(case, world)
    services.decline_referral(
        referral, actor=world.investigator, expected_version=fresh_ref(referral).version, reason="Natamam"
    )
    case = fresh(case)
    assert case.stage == Stage.PRESUMED
    assert case.referred_to_atd_at is None
    give_consent(case, world.ngo_worker, to=world.atd)
    assert services.refer_to_atd(fresh(case), actor=world.ngo_worker, expected_version=fresh(case).version)


def test_it_refuses_to_answer_a_referral_twice(world):
    case = make_case(world)
    referral = accept(refer(case, world), world.investigator)
    with pytest.raises(ValidationError):
        services.decline_referral(
            referral, actor=world.investigator, expected_version=referral.version, reason="x"
        )


def test_it_refuses_an_answer_from_another_organisation(world):
    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.investigator, to=world.assistance)
    referral = _onward(case, world)
    with pytest.raises(PermissionDenied):
        services.accept_referral(referral, actor=world.investigator, expected_version=referral.version)
    with pytest.raises(NotVisible):
        services.accept_referral(referral, actor=world.other_ngo_worker, expected_version=referral.version)


def test_it_refuses_a_stale_answer(world):
    case = case_at(world, Stage.IDENTIFIED)
    give_consent(case, world.investigator, to=world.assistance)
    referral = _onward(case, world)
    with pytest.raises(ConflictError):
        services.accept_referral(
            referral, actor=world.assistance_worker, expected_version=referral.version + 1
        )
    assert fresh_ref(referral).status == ReferralStatus.PENDING


def test_it_refuses_a_referral_to_atd_twice(world):
    case = make_case(world)
    refer(case, world)
    with pytest.raises(ValidationError):
        give_consent(case, world.ngo_worker, to=world.atd)
        services.refer_to_atd(fresh(case), actor=world.ngo_worker, expected_version=fresh(case).version)


def test_it_shows_atd_the_referred_case_while_pending(world):
    case = make_case(world)
    with pytest.raises(NotVisible):
        get_case_for_user(world.investigator, case.pk)
    refer(case, world)
    assert get_case_for_user(world.investigator, case.pk)


def fresh_ref(referral):
    return Referral.objects.get(pk=referral.pk)
