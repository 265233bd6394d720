"""Residence permits (number encrypted, issuing body, validation) and referrals abroad end to end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from azad.audit.models import AuditEvent
from azad.cases import services
from azad.cases.choices import ReferralStatus, Stage
from azad.cases.clocks import ClockKind, case_clocks
from azad.cases.models import Referral
from azad.cases.tests.factories import api, assisted, case_at, client_for, fresh, give_consent, last_seq

pytestmark = pytest.mark.django_db


def permit(world, case, **values):
    case = fresh(case)
    values.setdefault("issued_on", timezone.localdate())
    return services.record_residence_permit(
        case, actor=world.investigator, expected_version=case.version, **values
    )


# --- Residence permits -------------------------------------------------------------------------------


def test_it_records_a_permit_for_a_year_with_its_number_encrypted(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="UZ")
    since = last_seq()
    case = permit(
        world,
        case,
        issued_on=dt.date(2024, 2, 29),
        number="YİV-123456",
        issuing_body="Dövlət Miqrasiya Xidməti",
    )
    case = fresh(case)
    assert case.residence_permit_expires_on == dt.date(2025, 2, 27)  # a leap day: one year, through the 27th
    assert (case.residence_permit_number, case.residence_permit_issuing_body) == (
        "YİV-123456",
        "Dövlət Miqrasiya Xidməti",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT residence_permit_number FROM cases_case WHERE id = %s", [case.pk.hex])
        stored = cursor.fetchone()[0]
    assert "123456" not in stored
    event = AuditEvent.objects.get(seq__gt=since, action="cases.case.residence_permit")
    assert "123456" not in str(event.payload)


def test_it_shows_the_permit_expiry_clock(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="UZ")
    case = permit(world, case, issued_on=timezone.localdate() - dt.timedelta(days=350))
    clocks = {c.kind: c for c in case_clocks(fresh(case))}
    assert clocks[ClockKind.RESIDENCE_PERMIT].state == "due_soon"


def test_it_refuses_a_permit_for_a_citizen_of_azerbaijan_and_changes_nothing(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="AZ")
    version = fresh(case).version
    with pytest.raises(ValidationError, match="foreign and stateless"):
        permit(world, case, number="X1")
    case = fresh(case)
    assert (case.residence_permit_issued_on, case.residence_permit_number, case.version) == (
        None,
        None,
        version,
    )


def test_it_refuses_a_permit_expiring_before_it_is_issued(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="UZ")
    with pytest.raises(ValidationError) as error:
        permit(
            world,
            case,
            issued_on=timezone.localdate(),
            expires_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "expires_on" in error.value.message_dict
    assert fresh(case).residence_permit_issued_on is None


def test_it_refuses_a_permit_from_a_reader_who_is_not_owner_or_atd(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="UZ")
    assisted(case, world)  # the assistance centre sees and writes the case, but not its permit
    with pytest.raises(PermissionDenied):
        services.record_residence_permit(
            fresh(case), actor=world.assistance_worker, expected_version=fresh(case).version,
            issued_on=timezone.localdate(),
        )  # fmt: skip


def test_it_records_the_permit_on_the_page_and_in_the_api(world):
    case = fresh(case_at(world, Stage.IDENTIFIED, citizenship="UZ"))
    response = client_for(world.investigator).post(
        f"/cases/{case.pk}/residence-permit/",
        {"version": case.version, "issued_on": timezone.localdate().isoformat(), "number": "AB-1",
         "issuing_body": "DMX"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client_for(world.investigator).get(f"/cases/{case.pk}/").content.decode()
    assert "AB-1" in page and "DMX" in page
    case = fresh(case)
    stale = api(world.investigator).post(
        f"/api/v1/cases/{case.pk}/residence-permit/",
        {"version": case.version - 1, "issued_on": timezone.localdate().isoformat(), "number": "AB-2"},
        format="json",
    )
    assert stale.status_code == 409
    done = api(world.investigator).post(
        f"/api/v1/cases/{case.pk}/residence-permit/",
        {"version": case.version, "issued_on": timezone.localdate().isoformat(), "number": "AB-2"},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["residence_permit_number"] == "AB-2"


# --- Referrals abroad -------------------------------------------------------------------------------


def _abroad(world, case, **extra):
    give_consent(case, world.investigator, to=None)
    case = fresh(case)
    return services.create_referral(
        case, actor=world.investigator, expected_version=case.version, purpose="return", shares=["identity"],
        abroad_country="uz", abroad_organisation_name="IOM Tashkent", **extra,
    )  # fmt: skip


def test_it_refers_abroad_with_an_encrypted_contact_and_a_channel(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="UZ")
    since = last_seq()
    referral = _abroad(world, case, abroad_contact="+998 90 111 22 33", abroad_channel="iom")
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.abroad_channel, referral.abroad_contact) == ("iom", "+998 90 111 22 33")
    with connection.cursor() as cursor:
        cursor.execute("SELECT abroad_contact FROM cases_referral WHERE id = %s", [referral.pk.hex])
        assert "111" not in cursor.fetchone()[0]
    event = AuditEvent.objects.get(seq__gt=since, action="cases.referral.create")
    assert event.payload["abroad_channel"] == "iom"
    assert "111" not in str(event.payload)


def test_it_refuses_an_unknown_channel_abroad(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="UZ")
    with pytest.raises(ValidationError) as error:
        _abroad(world, case, abroad_channel="pigeon")
    assert "abroad_channel" in error.value.message_dict
    assert not Referral.objects.filter(case=case, abroad_country="UZ").exists()


def test_it_lets_the_referring_organisation_record_the_answer_from_abroad(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="UZ")
    referral = _abroad(world, case)
    with pytest.raises(PermissionDenied):
        services.accept_referral(referral, actor=world.ngo_worker, expected_version=referral.version)
    referral = services.accept_referral(referral, actor=world.investigator, expected_version=referral.version)
    referral = services.complete_referral(
        referral, actor=world.investigator, expected_version=referral.version
    )
    assert referral.status == ReferralStatus.COMPLETED


def test_it_refers_abroad_and_records_the_answer_through_the_pages(world):
    case = fresh(case_at(world, Stage.IDENTIFIED, citizenship="UZ"))
    give_consent(case, world.investigator, to=None)
    case = fresh(case)
    client = client_for(world.investigator)
    response = client.post(
        f"/cases/{case.pk}/referrals/new/",
        {"version": case.version, "abroad_country": "UZ", "abroad_organisation_name": "IOM Tashkent",
         "abroad_contact": "ops@iom.example", "abroad_channel": "consulate", "purpose": "return",
         "shares": ["identity"]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    referral = Referral.objects.get(case=case, abroad_country="UZ")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Through a consulate or embassy" in page and "ops@iom.example" in page
    assert "Accepted abroad" in page
    response = client.post(
        f"/cases/referrals/{referral.pk}/accept/", {"version": referral.version, "next": f"/cases/{case.pk}/"}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED


def test_it_refers_abroad_in_the_api_and_shows_the_contact_only_to_the_referrer(world):
    case = fresh(case_at(world, Stage.IDENTIFIED, citizenship="UZ"))
    give_consent(case, world.investigator, to=None)
    case = fresh(case)
    response = api(world.investigator).post(
        f"/api/v1/cases/{case.pk}/referrals/",
        {"version": case.version, "abroad_country": "UZ", "abroad_organisation_name": "IOM Tashkent",
         "abroad_contact": "ops@iom.example", "abroad_channel": "interpol", "purpose": "return",
         "shares": ["identity"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["abroad_contact"] == "ops@iom.example"
    assert response.json()["abroad_channel"] == "interpol"
    rows = api(world.ngo_worker).get(f"/api/v1/cases/{case.pk}/referrals/").json()
    abroad = next(row for row in rows if row["abroad_country"] == "UZ")
    assert abroad["abroad_contact"] is None


def test_it_shows_the_expiring_permit_on_the_home_page(world):
    case = case_at(world, Stage.IDENTIFIED, citizenship="UZ")
    permit(world, case, issued_on=timezone.localdate() - dt.timedelta(days=350))
    page = client_for(world.investigator).get("/").content.decode()
    assert "Temporary residence permit" in page
