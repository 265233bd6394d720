"""The hooks the screening app calls: open a case from a screening, refer it to ATD."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from azad.cases import services
from azad.cases.choices import ReferralStatus, Stage
from azad.cases.tests.factories import make_person_for

pytestmark = pytest.mark.django_db


def test_it_opens_a_case_from_a_screening(world):
    person = make_person_for(world.ngo_worker)
    contact = timezone.now() - dt.timedelta(hours=3)
    case = services.create_case_from_screening(
        actor=world.ngo_worker,
        person=person,
        screening_id=42,
        first_contact_at=contact,
        channel="NgoOutreach",
    )
    assert (case.stage, case.screening_id, case.first_contact_at) == (Stage.PRESUMED, "42", contact)
    assert case.owner_organisation == world.ngo


def test_it_refuses_a_screening_case_with_an_unknown_channel(world):
    person = make_person_for(world.ngo_worker)
    with pytest.raises(ValidationError):
        services.create_case_from_screening(
            actor=world.ngo_worker,
            person=person,
            screening_id="s1",
            first_contact_at=timezone.now(),
            channel="Radio",
        )


def test_it_refers_a_screening_case_to_atd_on_a_legal_ground_for_police(world):
    person = make_person_for(world.supervisor)
    case = services.create_case_from_screening(
        actor=world.ngo_worker,
        person=make_person_for(world.ngo_worker),
        screening_id="s2",
        first_contact_at=timezone.now(),
        channel="Hotline",
    )
    referral = services.refer_to_atd(
        case, actor=world.supervisor, expected_version=case.version, legal_ground="Təxirəsalınmaz hal"
    )
    assert referral.status == ReferralStatus.PENDING
    assert referral.to_organisation == world.atd
    assert person.pk


def test_it_refuses_to_refer_when_no_atd_is_registered(world):
    world.atd.is_active = False
    world.atd.save()
    case = services.create_case_from_screening(
        actor=world.ngo_worker,
        person=make_person_for(world.ngo_worker),
        screening_id="s3",
        first_contact_at=timezone.now(),
        channel="Hotline",
    )
    with pytest.raises(ValidationError) as error:
        services.refer_to_atd(case, actor=world.ngo_worker, expected_version=case.version)
    assert "No active anti-trafficking department" in str(error.value)
