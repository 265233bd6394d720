"""ATD's view of a case is one column the referral services keep; it always matches the referrals."""

from __future__ import annotations

import importlib
import random

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q

from azad.accounts.choices import OrgType, Role, Scope
from azad.accounts.tests.factories import make_org, make_user
from azad.cases import services
from azad.cases.access import ATD_SEES, get_case_for_user, visible_cases
from azad.cases.choices import ReferralStatus, Stage
from azad.cases.models import Case, Referral
from azad.cases.tests.factories import accept, fresh, give_consent, make_case, move, refer
from azad.core.exceptions import NotVisible

pytestmark = pytest.mark.django_db


def _seen_through_referrals(organisation_id: int) -> set:
    """The rule the column stands for: the organisation's cases, and those referred to it that ATD sees."""
    referred = Referral.objects.filter(
        case=OuterRef("pk"), to_organisation_id=organisation_id, status__in=ATD_SEES
    )
    condition = Q(owner_organisation_id=organisation_id) | Q(Exists(referred))
    return set(Case.objects.filter(condition).values_list("pk", flat=True))


def _expected_atd(case: Case) -> int | None:
    ids = set(
        case.referrals.filter(to_organisation__org_type=OrgType.POLICE_ATD, status__in=ATD_SEES).values_list(
            "to_organisation_id", flat=True
        )
    )
    assert len(ids) <= 1, "a case is with one ATD at a time"
    return next(iter(ids), None)


def _ref(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def test_it_records_the_atd_when_the_case_is_referred_and_keeps_it_while_accepted_and_completed(world):
    case = make_case(world)
    assert fresh(case).atd_organisation_id is None
    referral = refer(case, world)
    assert fresh(case).atd_organisation_id == world.atd.pk
    assert get_case_for_user(world.investigator, case.pk)
    accept(referral, world.investigator)
    assert fresh(case).atd_organisation_id == world.atd.pk
    services.complete_referral(
        _ref(referral), actor=world.investigator, expected_version=_ref(referral).version
    )
    assert fresh(case).atd_organisation_id == world.atd.pk
    assert get_case_for_user(world.investigator, case.pk)


def test_it_clears_the_atd_when_atd_declines_and_the_case_can_go_to_another_atd(world):
    case = make_case(world)
    referral = refer(case, world)
    services.decline_referral(
        _ref(referral), actor=world.investigator, expected_version=_ref(referral).version, reason="Natamam"
    )
    assert fresh(case).atd_organisation_id is None
    with pytest.raises(NotVisible):
        get_case_for_user(world.investigator, case.pk)
    regional = make_org("Regional İAMBİ", OrgType.POLICE_ATD)
    regional_officer = make_user(Role.POLICE_INVESTIGATOR, regional, scope=Scope.ORGANISATION)
    give_consent(case, world.ngo_worker, to=regional)
    services.refer_to_atd(
        fresh(case), actor=world.ngo_worker, expected_version=fresh(case).version, to_organisation=regional
    )
    assert fresh(case).atd_organisation_id == regional.pk
    assert get_case_for_user(regional_officer, case.pk)
    with pytest.raises(NotVisible):
        get_case_for_user(world.investigator, case.pk)


def test_it_clears_the_atd_when_the_sender_revokes(world):
    case = make_case(world)
    referral = refer(case, world)
    services.revoke_referral(_ref(referral), actor=world.ngo_worker, expected_version=_ref(referral).version)
    case = fresh(case)
    assert (case.atd_organisation_id, case.stage) == (None, Stage.PRESUMED)
    with pytest.raises(NotVisible):
        get_case_for_user(world.investigator, case.pk)


def test_it_clears_the_atd_when_consent_is_withdrawn_after_the_case_moved_on(world):
    case = make_case(world)
    accept(refer(case, world), world.investigator)
    move(case, Stage.REFLECTION, world.investigator)
    version = fresh(case).version
    give_consent(case, world.ngo_worker, to=world.atd, status="withdrawn")
    case = fresh(case)
    assert case.atd_organisation_id is None
    assert case.stage == Stage.REFLECTION  # the case stays where it is; ATD no longer sees it
    assert case.version > version
    with pytest.raises(NotVisible):
        get_case_for_user(world.investigator, case.pk)


def test_it_refuses_a_second_atd_while_the_first_still_sees_the_case(world):
    case = make_case(world)
    Case.objects.filter(pk=case.pk).update(atd_organisation=world.atd)  # e.g. through a completed referral
    other = make_org("Başqa İAMBİ", OrgType.POLICE_ATD)
    give_consent(case, world.ngo_worker, to=other)
    before = fresh(case)
    with pytest.raises(ValidationError) as refused:
        services.refer_to_atd(
            before, actor=world.ngo_worker, expected_version=before.version, to_organisation=other
        )
    assert "to_organisation" in refused.value.message_dict
    after = fresh(case)
    assert (after.stage, after.version, after.atd_organisation_id) == (
        Stage.PRESUMED,
        before.version,
        world.atd.pk,
    )
    assert not Referral.objects.filter(case=case).exists()


def test_the_column_matches_the_referrals_after_any_sequence_of_answers(world):
    rng = random.Random(2026)
    cases = [make_case(world, first_name=f"Ad{i}") for i in range(12)]
    for case in cases:
        referral = refer(case, world)
        for _ in range(3):
            current = _ref(referral)
            if current.status == ReferralStatus.PENDING:
                action = rng.choice(["accept", "decline", "revoke", "keep"])
            elif current.status == ReferralStatus.ACCEPTED:
                action = rng.choice(["complete", "revoke", "withdraw", "keep"])
            else:
                break
            if action == "accept":
                accept(current, world.investigator)
            elif action == "decline":
                services.decline_referral(
                    current, actor=world.investigator, expected_version=current.version, reason="Yox"
                )
            elif action == "revoke":
                services.revoke_referral(current, actor=world.ngo_worker, expected_version=current.version)
            elif action == "complete":
                services.complete_referral(
                    current, actor=world.investigator, expected_version=current.version
                )
            elif action == "withdraw":
                give_consent(case, world.ngo_worker, to=world.atd, status="withdrawn")
    statuses = {_ref(r).status for r in Referral.objects.filter(case__in=cases)}
    assert len(statuses) >= 3, statuses  # the sequence covered several endings
    for case in cases:
        assert fresh(case).atd_organisation_id == _expected_atd(case)
    seen = set(visible_cases(world.investigator).values_list("pk", flat=True))
    assert seen == _seen_through_referrals(world.atd.pk)


def test_the_migration_fills_the_column_from_the_referrals(world):
    kept = make_case(world, first_name="Kamilə")
    accept(refer(kept, world), world.investigator)
    declined = make_case(world, first_name="Lalə")
    referral = refer(declined, world)
    services.decline_referral(
        _ref(referral), actor=world.investigator, expected_version=_ref(referral).version, reason="Yox"
    )
    never = make_case(world, first_name="Nərmin")
    Case.objects.update(atd_organisation=None)
    migration = importlib.import_module("azad.cases.migrations.0006_case_atd_organisation")
    migration.fill_atd_organisation(apps, None)
    assert fresh(kept).atd_organisation_id == world.atd.pk
    assert fresh(declined).atd_organisation_id is None
    assert fresh(never).atd_organisation_id is None
