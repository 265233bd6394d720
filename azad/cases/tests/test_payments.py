"""Payments: the allowance once per case at the rate in force, a second approver, the allowance clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.cases import services
from azad.cases.choices import Stage
from azad.cases.clocks import ClockState, allowance_clock
from azad.cases.models import AllowanceRate, Payment
from azad.cases.tests.factories import api, case_at, client_for, fresh, pay_allowance
from azad.core.locking import ConflictError
from azad.core.permissions import Role, Scope

pytestmark = pytest.mark.django_db


def test_it_seeds_700_azn_from_2024(db):
    rate = services.allowance_rate_on(dt.date(2024, 1, 1))
    assert rate is not None and rate.amount == Decimal("700.00") and rate.currency == "AZN"
    assert services.allowance_rate_on(dt.date(2023, 12, 31)) is None


def test_it_pays_the_allowance_at_the_rate_in_force_and_meets_the_clock(world):
    case = case_at(world, Stage.IDENTIFIED)
    payment = pay_allowance(case, world)
    assert payment.amount == Decimal("700.00") and payment.approved_by == world.supervisor
    assert payment.recorded_by == world.investigator
    assert allowance_clock(fresh(case)).state == ClockState.MET
    event = AuditEvent.objects.get(action="cases.payment.record")
    assert event.payload == {
        "case": str(case.pk),
        "kind": "allowance",
        "amount": "700.00",
        "currency": "AZN",
        "approved_by": world.supervisor.pk,
    }


def test_it_uses_a_newer_rate_from_its_date(world):
    services.set_allowance_rate(
        actor=world.admin, valid_from=timezone.localdate() - dt.timedelta(days=1), amount="850"
    )
    case = case_at(world, Stage.IDENTIFIED)
    assert pay_allowance(case, world).amount == Decimal("850.00")
    assert AuditEvent.objects.get(action="cases.allowance_rate.set").payload["amount"] == "850.00"


def test_it_lets_only_the_administrator_set_the_rate(world):
    with pytest.raises(PermissionDenied):
        services.set_allowance_rate(actor=world.investigator, valid_from="2025-01-01", amount="900")
    with pytest.raises(ValidationError):
        services.set_allowance_rate(actor=world.admin, valid_from="2025-01-01", amount="-5")
    assert AllowanceRate.objects.count() == 1


def test_it_refuses_the_allowance_twice(world):
    case = case_at(world, Stage.IDENTIFIED)
    pay_allowance(case, world)
    with pytest.raises(ValidationError, match="already been paid"):
        pay_allowance(case, world)
    assert Payment.objects.filter(case=case).count() == 1


def test_it_refuses_the_recorder_as_approver(world):
    case = case_at(world, Stage.IDENTIFIED)
    with pytest.raises(ValidationError, match="someone other than you"):
        services.record_payment(
            case,
            actor=world.supervisor,
            expected_version=case.version,
            kind="allowance",
            approved_by=world.supervisor,
        )
    assert not Payment.objects.exists()


def test_it_refuses_an_approver_without_the_right(world):
    case = case_at(world, Stage.IDENTIFIED)
    with pytest.raises(ValidationError, match="assistance-centre case worker or a police supervisor"):
        services.record_payment(
            case,
            actor=world.investigator,
            expected_version=case.version,
            kind="allowance",
            approved_by=world.ngo_worker,
        )
    assert not Payment.objects.exists()


def test_it_refuses_an_approver_who_cannot_see_the_case(world):
    case = case_at(world, Stage.IDENTIFIED)
    with pytest.raises(ValidationError, match="does not have access"):
        services.record_payment(
            case,
            actor=world.investigator,
            expected_version=case.version,
            kind="allowance",
            approved_by=world.assistance_worker,
        )


def test_it_pays_no_allowance_before_identification(world):
    case = case_at(world, Stage.REFLECTION)
    with pytest.raises(ValidationError, match="identified victims only"):
        pay_allowance(case, world)


def test_it_pays_whatever_the_cooperation_with_the_investigation(world):
    case = case_at(world, Stage.IDENTIFIED)
    assert not hasattr(case, "cooperates")
    assert pay_allowance(case, world).pk


def test_it_pays_relief_fund_help_with_an_amount(world):
    case = case_at(world, Stage.ASSISTANCE)
    with pytest.raises(ValidationError):
        services.record_payment(
            case,
            actor=world.investigator,
            expected_version=case.version,
            kind="relief_fund",
            approved_by=world.supervisor,
        )
    payment = services.record_payment(
        fresh(case),
        actor=world.investigator,
        expected_version=fresh(case).version,
        kind="relief_fund",
        approved_by=world.supervisor,
        amount="150.50",
    )
    assert payment.amount == Decimal("150.50")
    assert fresh(case).allowance_paid_at is None


def test_it_answers_a_stale_version_with_a_conflict(world):
    case = case_at(world, Stage.IDENTIFIED)
    with pytest.raises(ConflictError):
        services.record_payment(
            case,
            actor=world.investigator,
            expected_version=case.version - 1,
            kind="allowance",
            approved_by=world.supervisor,
        )


def test_it_records_a_payment_on_the_page_and_409s_when_stale(world):
    case = case_at(world, Stage.IDENTIFIED)
    client = client_for(world.investigator)
    url = f"/cases/{case.pk}/payments/new/"
    form = {"kind": "allowance", "approved_by": world.supervisor.pk, "paid_at": ""}
    assert client.post(url, {**form, "version": case.version + 5}).status_code == 409
    assert client.post(url, {**form, "version": case.version}).status_code == 302
    assert client.post(url, {**form, "version": fresh(case).version}).status_code == 400
    assert Payment.objects.filter(case=case).count() == 1


def test_it_records_a_payment_through_the_api(world):
    case = case_at(world, Stage.IDENTIFIED)
    url = f"/api/v1/cases/{case.pk}/payments/"
    client = api(world.investigator)
    same = client.post(
        url,
        {"version": case.version, "kind": "allowance", "approved_by": world.investigator.pk},
        format="json",
    )
    assert same.status_code == 400 and not Payment.objects.exists()
    done = client.post(
        url, {"version": case.version, "kind": "allowance", "approved_by": world.supervisor.pk}, format="json"
    )
    assert done.status_code == 201 and done.json()["amount"] == "700.00"
    assert client.get(url).json()[0]["kind"] == "allowance"


def test_it_lets_an_assistance_centre_case_worker_approve(world):
    case = case_at(world, Stage.ASSISTANCE)  # referred to the assistance centre on the way
    approver = make_user(Role.ASSISTANCE_CASEWORKER, world.assistance, scope=Scope.ORGANISATION)
    from azad.cases.tests.factories import assisted

    assisted(case, world)
    payment = services.record_payment(
        fresh(case),
        actor=world.investigator,
        expected_version=fresh(case).version,
        kind="allowance",
        approved_by=approver,
    )
    assert payment.approved_by == approver
