"""The demo cases: about thirty, every stage, children, overdue clocks; built once, through the services."""

from __future__ import annotations

from collections import Counter

import pytest

from azad.audit.models import AuditEvent
from azad.cases.choices import Stage
from azad.cases.clocks import ClockState, case_clocks
from azad.cases.models import Case
from azad.demo.loader import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings):
    settings.AZAD_DEMO_ALLOWED = True
    return load_demo(persons=60)


def test_it_loads_about_thirty_cases_at_every_stage(loaded):
    assert 25 <= loaded.cases_created <= 35
    stages = Counter(Case.objects.values_list("stage", flat=True))
    assert set(stages) >= {
        Stage.PRESUMED,
        Stage.REFERRED_TO_ATD,
        Stage.REFLECTION,
        Stage.IDENTIFIED,
        Stage.ASSISTANCE,
        Stage.REINTEGRATION,
        Stage.CLOSED,
        Stage.WITHDRAWN,
        Stage.TRANSFERRED,
    }


def test_it_loads_three_child_cases_and_some_overdue_clocks(loaded):
    assert Case.objects.filter(is_child=True).count() == 3
    states = Counter(c.state for case in Case.objects.select_related("person") for c in case_clocks(case))
    assert states[ClockState.OVERDUE] >= 3
    assert states[ClockState.DUE_SOON] >= 2


def test_it_builds_the_demo_cases_through_the_services(loaded):
    assert AuditEvent.objects.filter(action="cases.case.create").count() == loaded.cases_created
    assert AuditEvent.objects.filter(action="cases.referral.create").exists()
    assert not Case.objects.filter(created_by__is_demo=False).exists()


def test_it_adds_no_case_when_loaded_again(loaded, settings):
    again = load_demo(persons=60)
    assert again.cases_created == 0
    assert Case.objects.count() == loaded.cases_created


def test_it_places_demo_cases_in_atd_and_ngo_shelters_and_records_assistance(loaded):
    from azad.cases.models import AssistancePlan, CaseComment, HistoricEvent, Payment, Placement, Sealing

    shelters = set(Placement.objects.values_list("shelter__organisation__org_type", "shelter__beds"))
    assert ("Shelter", 50) in shelters and len(shelters) == 2
    assert Placement.objects.filter(end_on__isnull=False).exists()
    assert AssistancePlan.objects.filter(items__isnull=False).exists()
    assert Payment.objects.filter(kind="allowance", amount=700).count() >= 3
    assert Sealing.objects.filter(lifted_at__isnull=True).count() == 1
    assert HistoricEvent.objects.exists() and CaseComment.objects.exists()
