"""Legal clocks: every clock at its boundaries, in Baku time, across a leap day; filters agree with the clocks."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from azad.cases import services
from azad.cases.choices import Stage, TraffickingStatus
from azad.cases.clocks import (
    BAKU,
    CLOCK_FIELDS,
    ClockKind,
    ClockState,
    allowance_clock,
    atd_referral_clock,
    case_clocks,
    child_notifications_clock,
    clock_q,
    default_permit_expiry,
    overdue_counts_for_year,
    reflection_clock,
    reflection_end,
    reflection_protects,
    residence_permit_clock,
)
from azad.cases.models import Case
from azad.cases.tests.factories import case_at, fresh, make_case, pay_allowance, refer

UTC = dt.UTC


def baku(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BAKU)


def a_case(**values) -> Case:
    """An unsaved case holding only what the clocks read."""
    base = {
        "first_contact_at": baku(2024, 2, 28, 10, 0),
        "stage": Stage.PRESUMED,
        "is_child": False,
        "trafficking_status": TraffickingStatus.POSSIBLE,
    }
    citizenship = values.pop("citizenship", "AZ")
    base.update(values)
    case = Case(**base)
    case.person_citizenship = citizenship  # type: ignore[attr-defined]
    return case


# --- Referral to ATD within 24 hours ------------------------------------------------------------


def test_it_makes_the_atd_clock_due_24_hours_after_first_contact():
    clock = atd_referral_clock(a_case(), now=baku(2024, 2, 28, 11, 0))
    assert clock.due_at == baku(2024, 2, 29, 10, 0)
    assert clock.state == ClockState.DUE


def test_it_makes_the_atd_clock_due_soon_in_its_last_six_hours():
    assert atd_referral_clock(a_case(), now=baku(2024, 2, 29, 3, 59)).state == ClockState.DUE
    assert atd_referral_clock(a_case(), now=baku(2024, 2, 29, 4, 0)).state == ClockState.DUE_SOON


def test_it_is_not_overdue_at_exactly_24_hours():
    assert atd_referral_clock(a_case(), now=baku(2024, 2, 29, 10, 0)).state == ClockState.DUE_SOON


def test_it_is_overdue_a_moment_after_24_hours():
    now = baku(2024, 2, 29, 10, 0) + dt.timedelta(microseconds=1)
    assert atd_referral_clock(a_case(), now=now).state == ClockState.OVERDUE


def test_it_counts_a_referral_sent_at_exactly_24_hours_as_in_time():
    clock = atd_referral_clock(a_case(referred_to_atd_at=baku(2024, 2, 29, 10, 0)), now=baku(2024, 3, 5))
    assert clock.state == ClockState.MET
    assert not clock.met_late


def test_it_counts_a_referral_a_second_after_24_hours_as_late():
    clock = atd_referral_clock(a_case(referred_to_atd_at=baku(2024, 2, 29, 10, 0, 1)), now=baku(2024, 3, 5))
    assert clock.state == ClockState.MET
    assert clock.met_late
    assert clock.went_overdue


def test_it_computes_the_same_deadline_from_utc_and_baku_times():
    in_utc = a_case(first_contact_at=dt.datetime(2024, 2, 28, 6, 0, tzinfo=UTC))
    assert atd_referral_clock(in_utc, now=baku(2024, 2, 28, 11)).due_at == baku(2024, 2, 29, 10, 0)


def test_it_stops_the_atd_clock_of_a_case_withdrawn_before_it_was_due():
    case = a_case(stage=Stage.WITHDRAWN, ended_at=baku(2024, 2, 28, 12, 0))
    assert atd_referral_clock(case, now=baku(2024, 3, 10)) is None


def test_it_keeps_overdue_the_atd_clock_of_a_case_withdrawn_after_it_was_due():
    case = a_case(stage=Stage.WITHDRAWN, ended_at=baku(2024, 3, 1))
    assert atd_referral_clock(case, now=baku(2024, 3, 10)).state == ClockState.OVERDUE


# --- Child notifications: immediately (one hour) -----------------------------------------------------


def test_it_runs_no_child_clock_for_an_adult():
    assert child_notifications_clock(a_case(is_child=False)) is None


def test_it_makes_the_child_clock_due_soon_for_its_whole_hour():
    case = a_case(is_child=True)
    assert child_notifications_clock(case, now=baku(2024, 2, 28, 10, 0)).state == ClockState.DUE_SOON
    assert child_notifications_clock(case, now=baku(2024, 2, 28, 11, 0)).state == ClockState.DUE_SOON


def test_it_makes_the_child_clock_overdue_after_one_hour():
    now = baku(2024, 2, 28, 11, 0) + dt.timedelta(microseconds=1)
    assert child_notifications_clock(a_case(is_child=True), now=now).state == ClockState.OVERDUE


def test_it_meets_the_child_clock_when_the_last_of_the_three_bodies_is_notified(world):
    contact = timezone.now() - dt.timedelta(hours=3)
    case = make_case(world, birth_date="2012-05-05", first_contact_at=contact)
    for minutes, body in ((30, "family_committee"), (50, "minors_commission"), (40, "guardianship_body")):
        case = fresh(case)
        services.record_child_notification(
            case,
            actor=world.ngo_worker,
            expected_version=case.version,
            body=body,
            channel="phone",
            notified_at=contact + dt.timedelta(minutes=minutes),
        )
        if body != "guardianship_body":
            assert child_notifications_clock(fresh(case)).state != ClockState.MET
    clock = child_notifications_clock(fresh(case))
    assert clock.state == ClockState.MET
    assert clock.met_at == contact + dt.timedelta(minutes=50)  # the latest of the three
    assert not clock.met_late


# --- Reflection period: 30 days ------------------------------------------------------------------------


def test_it_ends_the_reflection_period_30_days_later_across_a_leap_day():
    case = a_case(stage=Stage.REFLECTION, reflection_started_at=baku(2024, 2, 10, 9, 30))
    assert reflection_end(case) == baku(2024, 3, 11, 9, 30)


def test_it_ends_the_reflection_period_30_days_later_in_a_common_year():
    case = a_case(stage=Stage.REFLECTION, reflection_started_at=baku(2023, 2, 10, 9, 30))
    assert reflection_end(case) == baku(2023, 3, 12, 9, 30)


def test_it_protects_from_expulsion_until_the_reflection_period_ends_and_not_after():
    case = a_case(stage=Stage.REFLECTION, reflection_started_at=baku(2024, 2, 10, 9, 30))
    assert reflection_protects(case, now=baku(2024, 3, 11, 9, 30))
    assert not reflection_protects(case, now=baku(2024, 3, 11, 9, 30) + dt.timedelta(microseconds=1))
    assert not reflection_protects(a_case(), now=baku(2024, 3, 1))


def test_it_makes_the_reflection_clock_due_soon_in_its_last_three_days_and_overdue_after():
    case = a_case(stage=Stage.REFLECTION, reflection_started_at=baku(2024, 2, 10, 9, 30))
    assert reflection_clock(case, now=baku(2024, 3, 8, 9, 29)).state == ClockState.DUE
    assert reflection_clock(case, now=baku(2024, 3, 8, 9, 30)).state == ClockState.DUE_SOON
    assert reflection_clock(case, now=baku(2024, 3, 11, 9, 31)).state == ClockState.OVERDUE


def test_it_meets_the_reflection_clock_with_the_decision():
    case = a_case(
        stage=Stage.IDENTIFIED,
        reflection_started_at=baku(2024, 2, 10, 9, 30),
        reflection_closed_at=baku(2024, 3, 1, 12, 0),
    )
    assert reflection_clock(case, now=baku(2024, 5, 1)).state == ClockState.MET


# --- Residence permit -------------------------------------------------------------------------------


def test_it_gives_a_permit_issued_on_a_leap_day_a_year_through_27_february():
    assert default_permit_expiry(dt.date(2024, 2, 29)) == dt.date(2025, 2, 27)
    assert default_permit_expiry(dt.date(2024, 3, 1)) == dt.date(2025, 2, 28)


def test_it_runs_no_permit_clock_for_a_citizen():
    case = a_case(residence_permit_expires_on=dt.date(2025, 2, 27), citizenship="AZ")
    assert residence_permit_clock(case, now=baku(2025, 1, 1)) is None


def test_it_keeps_the_permit_valid_through_its_expiry_day_in_baku():
    case = a_case(
        residence_permit_issued_on=dt.date(2024, 2, 29),
        residence_permit_expires_on=dt.date(2025, 2, 27),
        citizenship="UZ",
    )
    assert residence_permit_clock(case, now=baku(2025, 2, 27, 23, 59)).state == ClockState.DUE_SOON
    # 20:00 UTC on the 27th is already the 28th in Baku.
    assert (
        residence_permit_clock(case, now=dt.datetime(2025, 2, 27, 20, 0, tzinfo=UTC)).state
        == ClockState.OVERDUE
    )
    assert (
        residence_permit_clock(case, now=dt.datetime(2025, 2, 27, 19, 59, tzinfo=UTC)).state
        == ClockState.DUE_SOON
    )


def test_it_makes_the_permit_due_soon_30_days_before_expiry():
    case = a_case(residence_permit_expires_on=dt.date(2025, 2, 27), citizenship="XX")
    assert residence_permit_clock(case, now=baku(2025, 1, 27, 23, 59)).state == ClockState.DUE
    assert residence_permit_clock(case, now=baku(2025, 1, 28, 0, 0)).state == ClockState.DUE_SOON


# --- Allowance ---------------------------------------------------------------------------------------


def test_it_makes_the_allowance_due_30_days_after_identification():
    case = a_case(trafficking_status=TraffickingStatus.ACTUAL, status_decided_at=baku(2024, 2, 1, 12, 0))
    assert allowance_clock(case, now=baku(2024, 2, 24, 11, 59)).state == ClockState.DUE
    assert allowance_clock(case, now=baku(2024, 2, 24, 12, 0)).state == ClockState.DUE_SOON
    assert allowance_clock(case, now=baku(2024, 3, 2, 12, 0)).state == ClockState.DUE_SOON
    assert allowance_clock(case, now=baku(2024, 3, 2, 12, 1)).state == ClockState.OVERDUE


def test_it_runs_no_allowance_clock_for_someone_not_identified():
    case = a_case(trafficking_status=TraffickingStatus.NOT_A_VICTIM, status_decided_at=baku(2024, 2, 1))
    assert allowance_clock(case) is None


def test_it_meets_the_allowance_clock_when_paid(world):
    case = case_at(world, Stage.IDENTIFIED)
    pay_allowance(case, world)
    assert allowance_clock(fresh(case)).state == ClockState.MET


# --- Storage and display ----------------------------------------------------------------------------


def test_it_stores_clock_times_in_utc_and_shows_them_in_baku(world):
    contact = dt.datetime(2024, 2, 29, 6, 30, tzinfo=UTC)  # 10:30 in Baku
    case = make_case(world, first_contact_at=contact)
    stored = Case.objects.get(pk=case.pk).first_contact_at
    assert stored == contact
    assert stored.utcoffset() == dt.timedelta(0)
    client = Client()
    client.force_login(world.ngo_worker)
    client.cookies["azad_language"] = "en"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "2024-02-29 10:30" in page  # first contact, Baku time
    assert "2024-03-01 10:30" in page  # the 24-hour deadline


# --- Filters agree with the clocks ------------------------------------------------------------------------


def _python(cases, kind, state, now):
    found = set()
    for case in cases:
        if case.is_ended:
            continue
        for clock in case_clocks(case, now):
            if clock.kind == kind and clock.state == state:
                found.add(case.pk)
    return found


def _cases_with_every_clock(world, t0):
    """Adults and a child around ``t0``, one referred, one in reflection, one identified with a permit."""
    make_case(world, first_contact_at=t0)
    make_case(world, first_contact_at=t0 + dt.timedelta(hours=30))
    make_case(world, first_contact_at=t0 + dt.timedelta(hours=40), birth_date="2011-01-01")
    referred = make_case(world, first_contact_at=t0)
    refer(referred, world)
    reflection = case_at(world, Stage.REFLECTION, citizenship="UZ")
    identified = case_at(world, Stage.IDENTIFIED, citizenship="TM")
    services.record_residence_permit(
        identified,
        actor=world.investigator,
        expected_version=identified.version,
        issued_on=timezone.localdate(),
    )
    pay_allowance(case_at(world, Stage.IDENTIFIED), world)
    return fresh(reflection), fresh(identified)


def test_it_computes_every_clock_from_the_clock_fields_alone(world):
    """A list loads only ``CLOCK_FIELDS``: the clocks are the same, and read nothing more.

    Both as model instances with the other fields deferred and as the case list's own rows
    (:class:`~azad.cases.views.ListedCase`, plain tuples of its columns).
    """
    from azad.cases.views import listed_cases

    t0 = timezone.now() - dt.timedelta(days=2)
    reflection, identified = _cases_with_every_clock(world, t0)
    whole = {case.pk: case for case in Case.objects.select_related("person")}
    slim = list(Case.objects.only(*CLOCK_FIELDS).annotate(person_citizenship=F("person__citizenship")))
    slim += listed_cases(Case.objects.order_by("pk"), 0, len(whole))
    assert len(slim) == 2 * len(whole)
    moments = [t0 + dt.timedelta(hours=h) for h in (0, 1, 23, 25, 47)]
    moments += [reflection.reflection_started_at + dt.timedelta(days=d) for d in (27.5, 30.1)]
    moments += [identified.status_decided_at + dt.timedelta(days=d) for d in (23.5, 31)]
    moments += [timezone.now() + dt.timedelta(days=d) for d in (336, 366)]
    kinds = set()
    with CaptureQueriesContext(connection) as queries:
        for now in moments:
            for case in slim:
                clocks = case_clocks(case, now)
                assert clocks == case_clocks(whole[case.pk], now), (case.pk, now)
                kinds |= {clock.kind for clock in clocks}
    assert len(queries) == 0, [query["sql"] for query in queries]
    assert kinds == set(ClockKind)  # every clock was computed


def test_it_filters_in_the_database_exactly_as_the_clocks_say(world):
    t0 = timezone.now() - dt.timedelta(days=2)
    reflection, identified = _cases_with_every_clock(world, t0)
    cases = list(Case.objects.select_related("person"))
    moments = [t0 + dt.timedelta(hours=h) for h in (0, 1, 18, 23, 24, 25, 41, 47, 60)]
    moments += [reflection.reflection_started_at + dt.timedelta(days=d) for d in (26, 27.5, 29.9, 30.1, 40)]
    moments += [identified.status_decided_at + dt.timedelta(days=d) for d in (22, 23.5, 29, 31)]
    moments += [timezone.now() + dt.timedelta(days=d) for d in (330, 336, 364, 366)]
    for now in moments:
        for kind in ClockKind:
            for state in (ClockState.OVERDUE, ClockState.DUE_SOON):
                in_db = set(Case.objects.filter(clock_q(kind, state, now)).values_list("pk", flat=True))
                assert in_db == _python(cases, kind, state, now), (kind, state, now)


# --- The annual count ---------------------------------------------------------------------------------------


def test_it_counts_overdue_clocks_by_the_baku_year_their_due_time_falls_in(world):
    # Due 31 Dec 23:30 Baku (19:30 UTC): counted in 2023. Due 1 Jan 00:30 Baku (31 Dec 20:30 UTC): 2024.
    late_2023 = make_case(world, first_contact_at=baku(2023, 12, 30, 23, 30))
    early_2024 = make_case(world, first_contact_at=baku(2023, 12, 31, 0, 30))
    in_time = make_case(world, first_contact_at=baku(2023, 12, 30, 23, 0))
    refer(in_time, world)  # referred now: late, so it counts too
    now = timezone.now()
    counts_2023 = overdue_counts_for_year(2023, now=now)
    counts_2024 = overdue_counts_for_year(2024, now=now)
    assert counts_2023[ClockKind.ATD_REFERRAL] == 2
    assert counts_2024[ClockKind.ATD_REFERRAL] == 1
    assert {late_2023.pk, early_2024.pk}


def test_it_does_not_count_a_clock_met_in_time(world):
    case = make_case(world, first_contact_at=timezone.now() - dt.timedelta(hours=1))
    refer(case, world)
    year = timezone.localtime(timezone.now(), BAKU).year
    assert overdue_counts_for_year(year)[ClockKind.ATD_REFERRAL] == 0
