"""Every figure against the hand-counted world in conftest.py (``stats``), and the filters."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from azad.cases.clocks import ClockKind, overdue_counts_for_year
from azad.persons.models import SamePersonDecision
from azad.persons.services import undo_same_person
from azad.statistics import figures
from azad.statistics.figures import (
    Filters,
    UnknownFigure,
    compute,
    compute_all,
    merged_records_count,
    year_filters,
)
from azad.statistics.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def rows(key, filters=YEAR):
    return {row.label: row.values for row in compute(key, filters).rows}


def test_it_counts_presumed_and_identified_victims_by_month(stats):
    by_month = rows("victims_over_time")
    assert len(by_month) == 12
    # March: c1, c2, c4 — but c1 and c4 are one person.
    assert by_month["2025-03"] == (2, 0)
    assert by_month["2025-04"] == (0, 1)
    assert by_month["2025-07"] == (1, 0)
    assert by_month["2025-08"] == (0, 1)
    # 23:30 on 31 December in Baku is still December; 23:00 on 31 December 2024 is not counted.
    assert by_month["2025-12"] == (1, 0)
    assert by_month["2025-01"] == (0, 0)


def test_it_counts_a_person_recorded_twice_and_linked_once(stats):
    assert rows("victims_by_sex")["Female"] == (2, 2)
    assert rows("persons_counted_once") == {
        "Person records": (5,),
        "Distinct persons": (4,),
        "Records merged as the same person": (1,),
    }
    assert merged_records_count(YEAR) == 1


def test_it_counts_the_records_apart_again_once_the_decision_is_undone(stats):
    decision = SamePersonDecision.objects.get()
    undo_same_person(decision, actor=stats.world.supervisor)
    assert rows("victims_by_sex")["Female"] == (3, 2)
    assert merged_records_count(YEAR) == 0


def test_it_counts_victims_by_sex(stats):
    by_sex = rows("victims_by_sex")
    assert by_sex["Male"] == (2, 0)
    assert by_sex["Not specified / unknown"] == (0, 0)


def test_it_counts_victims_by_ctdc_age_band_with_unknown_ages_apart(stats):
    by_age = rows("victims_by_age")
    assert list(by_age)[:9] == ["0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"]
    assert by_age["9-17"] == (1, 0)
    assert by_age["24-26"] == (1, 1)
    assert by_age["48+"] == (1, 0)
    assert by_age["Not known"] == (1, 1)
    assert sum(v[0] for v in by_age.values()) == 4


def test_it_counts_victims_by_citizenship(stats):
    assert rows("victims_by_citizenship") == {"Azerbaijan": (3, 2), "Uzbekistan": (1, 0)}


def test_it_counts_each_type_of_exploitation_a_case_names(stats):
    by_type = rows("victims_by_exploitation")
    assert by_type["Forced labour"] == (2, 1)
    assert by_type["Sexual exploitation"] == (1, 0)
    assert by_type["Not recorded"] == (2, 1)
    assert by_type["Organ removal"] == (0, 0)


def test_it_tells_internal_from_transnational_trafficking(stats):
    # c1: exploited in TR; c2: Uzbek citizen; c3: all events in AZ; c4 and c6: no events.
    assert rows("victims_by_route") == {
        "Internal": (1, 1),
        "Transnational": (2, 1),
        "Not known": (2, 0),
    }


def test_it_counts_victims_by_country_of_exploitation(stats):
    assert rows("victims_by_exploitation_country") == {"Azerbaijan": (1, 1), "Türkiye": (1, 1)}


def test_it_counts_victims_by_kind_of_referring_organisation(stats):
    assert rows("victims_by_referring_organisation") == {
        "Non-governmental organisation": (3, 2),
        "Police anti-trafficking department": (1, 0),
    }


def test_it_counts_referrals_made_in_the_period_by_answer(stats):
    assert rows("referrals") == {
        "Police anti-trafficking department": (1, 0, 0, 0),
        "Victim assistance centre": (1, 1, 0, 0),
        "Organisation abroad": (0, 0, 1, 0),
    }


def test_it_counts_cases_by_time_to_referral_and_to_identification(stats):
    assert rows("time_to_referral_and_identification") == {
        "First contact to referral to ATD": (2, 1, 0, 0, 0),
        "First contact to identification": (0, 0, 1, 1, 0),
    }


def test_it_counts_clocks_met_in_time_late_and_missed(stats):
    assert rows("clocks_met_and_missed") == {
        "Referral to ATD within 24 hours": (2, 1, 1),
        "Child-protection bodies notified immediately": (1, 0, 1),
        "Reflection period (30 days)": (1, 0, 0),
        "Reintegration allowance": (0, 1, 1),
    }


def test_it_agrees_with_the_clocks_module_on_what_went_overdue(stats):
    overdue = overdue_counts_for_year(2025)
    figure = rows("clocks_met_and_missed")
    for kind in (
        ClockKind.ATD_REFERRAL,
        ClockKind.CHILD_NOTIFICATIONS,
        ClockKind.REFLECTION,
        ClockKind.ALLOWANCE,
    ):
        _in_time, late, missed = figure[str(kind.label)]
        assert late + missed == overdue[kind], kind


def test_it_counts_shelter_occupancy_by_month(stats):
    occupancy = rows("shelter_occupancy")
    # c1 10 nights (12-22 March), c4 from 25 March: 7 nights in March; one person.
    assert occupancy["2025-03"] == (2, 1, 17)
    assert occupancy["2025-04"] == (0, 1, 30)
    assert occupancy["2025-02"] == (0, 0, 0)


def test_it_counts_assistance_delivered_and_persons_assisted(stats):
    assistance = rows("assistance_delivered")
    assert assistance["Health"] == (2, 1)
    assert assistance["Legal"] == (1, 1)
    assert assistance["Education"] == (0, 0)


def test_it_counts_allowances_paid(stats):
    assert rows("allowances_paid") == {
        "Reintegration allowance (one-time)": (1, 1),
        "Relief fund assistance": (0, 0),
    }


def test_it_counts_hotline_calls_by_month_and_reason(stats):
    by_month = rows("hotline_calls_by_month")
    assert by_month["2025-03"] == (2,)
    assert by_month["2025-06"] == (1,)
    assert sum(v[0] for v in by_month.values()) == 3
    by_reason = rows("hotline_calls_by_reason")
    assert by_reason["Information request"] == (2,)
    assert by_reason["Complaint"] == (1,)


def test_it_filters_by_region_falling_back_to_the_owner_organisations(stats):
    baku = dataclasses.replace(YEAR, region="Bakı")
    # c1 and c4 (one person) in Bakı, c3 without a region but its NGO is in Bakı; c2 in Gəncə; c6 nowhere.
    assert rows("victims_by_sex", baku)["Female"] == (2, 2)
    assert rows("victims_by_sex", baku)["Male"] == (0, 0)
    assert sum(v[0] for v in rows("hotline_calls_by_month", baku).values()) == 1


def test_it_filters_by_period(stats):
    march = Filters(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert rows("victims_by_sex", march)["Female"] == (1, 0)
    assert list(rows("victims_over_time", march)) == ["2025-03"]


def test_it_gives_an_honest_empty_year(db):
    for figure in compute_all(year_filters(2019)):
        assert all(v == 0 for row in figure.rows for v in row.values), figure.key


def test_it_computes_each_figure_in_a_few_queries_whatever_the_data(stats):
    for key in figures.FIGURE_KEYS:
        with CaptureQueriesContext(connection) as queries:
            compute(key, YEAR)
        assert len(queries) <= 4, (key, len(queries))


def test_it_refuses_a_period_that_ends_before_it_starts(db):
    with pytest.raises(ValidationError) as error:
        compute("victims_by_sex", Filters(dt.date(2025, 2, 1), dt.date(2025, 1, 1)))
    assert "ends before it starts" in str(error.value)


def test_it_refuses_an_unknown_region(db):
    with pytest.raises(ValidationError) as error:
        compute("victims_by_sex", dataclasses.replace(YEAR, region="Atlantis"))
    assert "region" in error.value.message_dict


def test_it_refuses_an_unknown_figure(db):
    with pytest.raises(UnknownFigure):
        compute("victims_by_shoe_size", YEAR)


def test_it_offers_the_figures_the_contract_names():
    assert year_filters(2024) == Filters(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "")
    assert len(set(figures.FIGURE_KEYS)) == len(figures.FIGURE_KEYS) >= 15


def test_it_reads_months_and_years_on_the_baku_calendar(world):
    from azad.cases.tests.factories import make_case
    from azad.statistics.tests.conftest import baku

    # 01:00 on 1 January 2026 in Baku is still 31 December 2025 in UTC.
    make_case(world, first_contact_at=baku(2026, 1, 1, 1), birth_date="2008-06-01")
    winter = Filters(dt.date(2025, 12, 1), dt.date(2026, 1, 31))
    assert rows("victims_over_time", winter) == {"2025-12": (0, 0), "2026-01": (1, 0)}
    # Born 2008, first contact in 2026: 2026 - 2008 - 1 = 17, still a child's band.
    assert rows("victims_by_age", winter)["9-17"] == (1, 0)
