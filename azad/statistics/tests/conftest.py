"""A hand-counted referral-mechanism world for the statistics (see ``stats``'s docstring)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from azad.accounts.models import Organisation
from azad.cases.models import (
    Case,
    HistoricEvent,
    Payment,
    Placement,
    Referral,
    ServiceDelivery,
    ShelterProfile,
)
from azad.cases.tests.factories import World, make_case, make_world
from azad.hotline.tests.factories import make_call, make_hotline, make_operator
from azad.persons.services import link_same_person
from azad.statistics.figures import BAKU, Filters

YEAR = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def baku(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BAKU)  # type: ignore[misc]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def _set(case: Case, **values: Any) -> None:
    Case.objects.filter(pk=case.pk).update(**values)


@pytest.fixture
def stats(world: World) -> SimpleNamespace:
    """Hand-counted, for 2025 (Baku):

    c1  P1 female AZ born 1998, contact 2025-03-10 (age band 24-26), Bakı, ForcedLabour,
        exploited in TR; referred to ATD +2 h; reflection 03-11..04-05; identified 2025-04-05;
        allowance paid 05-20 (late); shelter 03-12..03-22; Health service 04-01.
    c2  P2 male UZ born 2010 (child, 9-17), contact 2025-03-20, Gəncə, SexualExploitation +
        ForcedLabour; referred +30 h (late); child notifications +30 min; Legal service 05-01.
    c3  P3 female AZ, age unknown (child), contact 2025-07-01, no region (NGO in Bakı), nothing
        recorded as exploitation, exploited in AZ; never referred (missed); child notifications
        missed; identified 2025-08-01 (allowance missed).
    c4  P4 = P1 recorded again by the other NGO (linked: same person), contact 2025-03-15, Bakı,
        ForcedLabour; referred +1 h; shelter from 03-25 on; Health service 04-02.
    c5  female, contact 2024-12-31 23:00 (outside), ended 2025-01-01 10:00 before its clock was due.
    c6  P6 male AZ born 1970 (48+), opened by ATD, contact 2025-12-31 23:30 (inside), no region.
    Referrals sent in 2025: c1 -> ATD accepted, c2 -> assistance declined, c3 -> abroad pending,
    c1 -> assistance completed; one sent in 2024 (outside).
    Hotline: 2 calls in March (information requests; one from Bakı), 1 in June (complaint), 1 in 2024.
    """
    Organisation.objects.filter(pk=world.ngo.pk).update(region="Bakı")
    c1 = make_case(world, first_contact_at=baku(2025, 3, 10, 10), birth_date="1998-05-01")
    c2 = make_case(
        world,
        first_contact_at=baku(2025, 3, 20, 9),
        first_name="Timur",
        last_name="Rəhimov",
        gender="Masculine",
        citizenship="UZ",
        birth_date="2010-02-02",
    )
    c3 = make_case(world, first_contact_at=baku(2025, 7, 1, 12), first_name="Leyla", birth_date="")
    c4 = make_case(
        world, world.other_ngo_worker, first_contact_at=baku(2025, 3, 15, 11), birth_date="1998-05-01"
    )
    c5 = make_case(world, first_contact_at=baku(2024, 12, 31, 23), first_name="Səbinə")
    c6 = make_case(
        world,
        world.investigator,
        first_contact_at=baku(2025, 12, 31, 23, 30),
        first_name="Rauf",
        gender="Masculine",
        birth_date="1970-01-01",
        channel="Police",
    )
    actual = "ActualVictimOfTrafficking"
    _set(
        c1,
        region="Bakı",
        exploitation_types=["ForcedLabour"],
        is_child=False,
        referred_to_atd_at=baku(2025, 3, 10, 12),
        reflection_started_at=baku(2025, 3, 11, 10),
        reflection_closed_at=baku(2025, 4, 5, 10),
        trafficking_status=actual,
        status_decided_at=baku(2025, 4, 5, 10),
        allowance_paid_at=baku(2025, 5, 20, 10),
    )
    _set(
        c2,
        region="Gəncə",
        exploitation_types=["SexualExploitation", "ForcedLabour"],
        is_child=True,
        referred_to_atd_at=baku(2025, 3, 21, 15),
        child_notifications_completed_at=baku(2025, 3, 20, 9, 30),
    )
    _set(
        c3,
        region="",
        exploitation_types=[],
        is_child=True,
        referred_to_atd_at=None,
        trafficking_status=actual,
        status_decided_at=baku(2025, 8, 1, 12),
    )
    _set(
        c4,
        region="Bakı",
        exploitation_types=["ForcedLabour"],
        is_child=False,
        referred_to_atd_at=baku(2025, 3, 15, 12),
    )
    _set(c5, is_child=False, referred_to_atd_at=None, stage="withdrawn", ended_at=baku(2025, 1, 1, 10))
    _set(c6, region="", is_child=False, referred_to_atd_at=None)
    link_same_person(c1.person, c4.person, actor=world.supervisor, basis="same_name_birth_date")

    worker = world.ngo_worker
    HistoricEvent.objects.create(case=c1, event_type="Exploitation", country="TR", recorded_by=worker)
    HistoricEvent.objects.create(case=c3, event_type="Exploitation", country="AZ", recorded_by=worker)
    HistoricEvent.objects.create(case=c3, event_type="Recruitment", country="AZ", recorded_by=worker)

    def referral(case: Case, to: Organisation | None, status: str, sent: dt.datetime) -> None:
        Referral.objects.create(
            case=case,
            from_organisation=world.ngo,
            to_organisation=to,
            abroad_country="" if to else "TR",
            purpose="assistance",
            status=status,
            sent_at=sent,
            created_by=worker,
        )

    referral(c1, world.atd, "accepted", baku(2025, 3, 10, 12))
    referral(c2, world.assistance, "declined", baku(2025, 3, 21, 15))
    referral(c3, None, "pending", baku(2025, 7, 2, 9))
    referral(c1, world.assistance, "completed", baku(2025, 4, 6, 9))
    referral(c5, world.atd, "accepted", baku(2024, 12, 31, 23, 30))

    shelter = ShelterProfile.objects.create(organisation=world.shelter, beds=10)
    Placement.objects.create(
        case=c1,
        shelter=shelter,
        start_on=dt.date(2025, 3, 12),
        end_on=dt.date(2025, 3, 22),
        created_by=worker,
    )
    Placement.objects.create(case=c4, shelter=shelter, start_on=dt.date(2025, 3, 25), created_by=worker)

    for case, kind, day in ((c1, "Health", 1), (c4, "Health", 2)):
        ServiceDelivery.objects.create(
            case=case,
            support_type=kind,
            delivered_on=dt.date(2025, 4, day),
            provider=world.assistance,
            recorded_by=worker,
        )
    ServiceDelivery.objects.create(
        case=c2,
        support_type="Legal",
        delivered_on=dt.date(2025, 5, 1),
        provider=world.assistance,
        recorded_by=worker,
    )
    Payment.objects.create(
        case=c1,
        kind="allowance",
        amount=Decimal("500.00"),
        paid_at=baku(2025, 5, 20, 10),
        approved_by=world.supervisor,
        recorded_by=worker,
    )

    operator = make_operator(make_hotline())
    make_call(operator, started_at=baku(2025, 3, 5, 10), reason="information_request", region="Gəncə")
    make_call(operator, started_at=baku(2025, 3, 6, 10), reason="information_request", region="Bakı")
    make_call(operator, started_at=baku(2025, 6, 6, 10), reason="complaint", region="Gəncə")
    make_call(operator, started_at=baku(2024, 6, 6, 10), reason="complaint")
    return SimpleNamespace(world=world, cases=(c1, c2, c3, c4, c5, c6))
