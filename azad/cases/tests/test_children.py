"""The child procedure: who is a child, the three notifications, and the block until they are recorded."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from azad.cases import services
from azad.cases.access import case_rights, get_case_for_user
from azad.cases.choices import ChildNotificationBody, Stage
from azad.cases.clocks import BAKU
from azad.cases.models import Case, ChildNotification
from azad.cases.tests.factories import accept, audit_actions, fresh, last_seq, make_case, move, refer
from azad.core.exceptions import NotVisible

pytestmark = pytest.mark.django_db

BODIES = list(ChildNotificationBody.values)


def _notify(case, actor, body, **kwargs):
    case = fresh(case)
    return services.record_child_notification(
        case, actor=actor, expected_version=case.version, body=body, channel="phone", **kwargs
    )


def _referred_child(world, **person):
    case = make_case(world, birth_date="2011-09-01", **person)
    accept(refer(case, world), world.investigator)
    return fresh(case)


@pytest.mark.parametrize(
    ("birth", "child"),
    [("2011-09-01", True), ("1990-01-01", False), ("", True)],
    ids=["under-18", "adult", "age-unknown"],
)
def test_it_treats_under_18_or_unknown_age_as_a_child(world, birth, child):
    case = make_case(world, birth_date=birth)
    assert fresh(case).is_child is child


def test_it_counts_age_on_the_baku_date_of_first_contact(world):
    # 18th birthday on 1 March 2024; first contact 29 Feb 2024 23:30 in Baku (19:30 UTC): still a child.
    contact = dt.datetime(2024, 2, 29, 23, 30, tzinfo=BAKU)
    assert fresh(make_case(world, birth_date="2006-03-01", first_contact_at=contact)).is_child
    assert not fresh(
        make_case(world, birth_date="2006-03-01", first_contact_at=contact + dt.timedelta(hours=1))
    ).is_child


def test_it_counts_a_leap_day_birthday_as_reached_on_1_march(world):
    born = "2004-02-29"  # turns 18 in 2022, a common year
    contact = dt.datetime(2022, 2, 28, 12, 0, tzinfo=BAKU)
    assert fresh(make_case(world, birth_date=born, first_contact_at=contact)).is_child
    later = dt.datetime(2022, 3, 1, 12, 0, tzinfo=BAKU)
    assert not fresh(make_case(world, birth_date=born, first_contact_at=later)).is_child


@pytest.mark.parametrize(
    "done", [c for n in range(3) for c in combinations(BODIES, n)], ids=lambda c: "+".join(c) or "none"
)
@pytest.mark.parametrize("to", [Stage.REFLECTION, Stage.IDENTIFIED, Stage.NOT_IDENTIFIED, Stage.TRANSFERRED])
def test_it_blocks_a_child_case_past_referral_until_all_three_bodies_are_notified(world, done, to):
    case = _referred_child(world)
    for body in done:
        _notify(case, world.ngo_worker, body)
    case = fresh(case)
    seq = last_seq()
    with pytest.raises(ValidationError) as error:
        services.transition_case(
            case,
            to,
            actor=world.investigator,
            expected_version=case.version,
            basis="x",
            country="UZ",
            organisation_name="IOM",
        )
    message = str(error.value)
    assert "cannot go further" in message
    for body in ChildNotificationBody:
        assert (str(body.label) in message) is (body.value not in done)
    assert fresh(case).stage == Stage.REFERRED_TO_ATD
    assert audit_actions(seq) == []


def test_it_lets_a_child_case_go_on_once_the_three_are_notified(world):
    case = _referred_child(world)
    for body in BODIES:
        _notify(case, world.investigator, body)
    assert move(case, Stage.REFLECTION, world.investigator).stage == Stage.REFLECTION


def test_it_lets_a_child_case_be_withdrawn_without_notifications(world):
    case = make_case(world, birth_date="2011-09-01")
    assert (
        move(case, Stage.WITHDRAWN, world.ngo_worker, withdrawal_reason="OpenedInError").stage
        == Stage.WITHDRAWN
    )


def test_it_refuses_a_child_notification_on_an_adults_case(world):
    case = make_case(world)
    with pytest.raises(ValidationError):
        _notify(case, world.ngo_worker, BODIES[0])
    assert not ChildNotification.objects.exists()


def test_it_refuses_a_notification_dated_in_the_future(world):
    case = make_case(world, birth_date="2011-09-01")
    with pytest.raises(ValidationError):
        _notify(case, world.ngo_worker, BODIES[0], notified_at=timezone.now() + dt.timedelta(hours=1))
    assert not ChildNotification.objects.exists()


def test_it_refuses_a_body_that_is_not_a_child_protection_organisation(world):
    case = make_case(world, birth_date="2011-09-01")
    with pytest.raises(ValidationError):
        _notify(case, world.ngo_worker, BODIES[0], organisation=world.assistance)


def test_it_records_who_when_and_how_and_audits_it(world):
    case = make_case(world, birth_date="2011-09-01")
    seq = last_seq()
    notification = _notify(case, world.ngo_worker, "family_committee", organisation=world.family_committee)
    assert (notification.recorded_by, notification.channel, notification.organisation) == (
        world.ngo_worker,
        "phone",
        world.family_committee,
    )
    assert audit_actions(seq) == ["cases.child_notification.create"]


def test_it_shows_the_case_to_the_child_protection_officers_of_a_notified_body(world):
    case = make_case(world, birth_date="2011-09-01")
    with pytest.raises(NotVisible):
        get_case_for_user(world.child_officer, case.pk)
    _notify(case, world.ngo_worker, "family_committee", organisation=world.family_committee)
    visible = get_case_for_user(world.child_officer, case.pk)
    rights = case_rights(world.child_officer, visible)
    assert rights.content and rights.identity and rights.child_protection and not rights.write


def test_it_lets_a_child_protection_officer_record_notifications_and_the_representative(world):
    case = make_case(world, birth_date="2011-09-01")
    _notify(case, world.ngo_worker, "family_committee", organisation=world.family_committee)
    _notify(case, world.child_officer, "guardianship_body")
    case = fresh(case)
    services.update_child_details(
        case,
        actor=world.child_officer,
        expected_version=case.version,
        legal_representative_name="Rəna Qasımova",
        best_interests_note="Ailəyə qaytarılmamalıdır",
    )
    case = fresh(case)
    assert case.legal_representative_name == "Rəna Qasımova"
    raw = (
        Case.objects.filter(pk=case.pk).values_list("legal_representative_name", "best_interests_note").get()
    )
    assert "Rəna" not in raw[0] and "Ailəyə" not in raw[1]


def test_it_does_not_show_a_child_case_to_officers_of_a_body_not_notified(world):
    case = make_case(world, birth_date="2011-09-01")
    _notify(case, world.ngo_worker, "guardianship_body", organisation=world.guardianship)
    with pytest.raises(NotVisible):
        get_case_for_user(world.child_officer, case.pk)


def test_it_refuses_child_details_on_an_adults_case(world):
    case = fresh(make_case(world))
    with pytest.raises(ValidationError):
        services.update_child_details(
            case, actor=world.ngo_worker, expected_version=case.version, legal_representative_name="X"
        )
