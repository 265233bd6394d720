"""Writing the narrative and queuing a generation: rules, versions, bad input, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.locking import ConflictError
from azad.core.permissions import Role
from azad.reports import services
from azad.reports.choices import RunStatus
from azad.reports.models import Narrative, ReportRun
from azad.reports.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_it_saves_a_new_narrative_then_a_new_version_and_audits_without_the_text(coordinator):
    first = services.save_narrative(YEAR, "az", "Birinci mətn", actor=coordinator, expected_version=0)
    assert first.version == 1 and first.updated_by == coordinator
    second = services.save_narrative(YEAR, "az", "İkinci mətn", actor=coordinator, expected_version=1)
    assert second.version == 2
    assert Narrative.objects.get(year=YEAR, language="az").text == "İkinci mətn"
    events = AuditEvent.objects.filter(action="reports.narrative.save").order_by("seq")
    assert [e.payload["version"] for e in events] == [1, 2]
    assert all("mətn" not in str(e.payload) for e in events)


def test_it_refuses_a_stale_narrative_edit_and_keeps_the_saved_text(coordinator):
    services.save_narrative(YEAR, "en", "Kept", actor=coordinator, expected_version=0)
    services.save_narrative(YEAR, "en", "Kept too", actor=coordinator, expected_version=1)
    with pytest.raises(ConflictError):
        services.save_narrative(YEAR, "en", "Lost", actor=coordinator, expected_version=1)
    with pytest.raises(ConflictError):
        services.save_narrative(YEAR, "en", "Lost", actor=coordinator, expected_version=0)
    assert Narrative.objects.get(year=YEAR, language="en").text == "Kept too"


def test_it_keeps_one_narrative_per_year_and_language(coordinator):
    services.save_narrative(YEAR, "az", "az", actor=coordinator, expected_version=0)
    services.save_narrative(YEAR, "ru", "ru", actor=coordinator, expected_version=0)
    services.save_narrative(YEAR - 1, "az", "old", actor=coordinator, expected_version=0)
    assert services.narrative_for(YEAR, "ru").text == "ru"
    assert services.narrative_for(YEAR, "en").version == 0 and services.narrative_for(YEAR, "en").pk is None


@pytest.mark.parametrize("role", [r for r in Role if r != Role.NATIONAL_COORDINATOR])
def test_it_lets_only_the_national_coordinator_write_the_narrative(role):
    with pytest.raises(PermissionDenied):
        services.save_narrative(YEAR, "az", "x", actor=make_user(role), expected_version=0)
    assert not Narrative.objects.exists()


@pytest.mark.parametrize(
    ("year", "language", "field"),
    [
        ("20x5", "az", "year"),
        ("", "az", "year"),
        (1999, "az", "year"),
        (9999, "az", "year"),
        (YEAR, "de", "language"),
    ],
)
def test_it_refuses_bad_years_and_languages_with_a_clear_message(coordinator, year, language, field):
    with pytest.raises(ValidationError) as caught:
        services.start_report(year, language, actor=coordinator)
    assert field in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.save_narrative(year, language, "x", actor=coordinator, expected_version=0)
    assert not ReportRun.objects.exists() and not Narrative.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="reports.").exists()


def test_it_refuses_a_narrative_that_is_too_long(coordinator):
    with pytest.raises(ValidationError) as caught:
        services.save_narrative(
            YEAR, "az", "a" * (services.MAX_NARRATIVE + 1), actor=coordinator, expected_version=0
        )
    assert "text" in caught.value.message_dict
    assert not Narrative.objects.exists()


def test_it_queues_a_run_and_returns_the_one_under_way_instead_of_a_second(analyst):
    run, created = services.start_report(YEAR, "az", actor=analyst)
    assert created and run.status == RunStatus.QUEUED and run.requested_by == analyst
    again, created_again = services.start_report(str(YEAR), "az", actor=analyst)
    assert again.pk == run.pk and not created_again
    other, created_other = services.start_report(YEAR, "en", actor=analyst)
    assert created_other and other.pk != run.pk
    assert AuditEvent.objects.filter(action="reports.run.start").count() == 2


def test_it_starts_afresh_when_the_run_under_way_stopped_moving(analyst):
    run, _created = services.start_report(YEAR, "az", actor=analyst)
    ReportRun.objects.filter(pk=run.pk).update(updated_at=run.updated_at - services.STALE_AFTER * 2)
    run.refresh_from_db()
    assert services.is_stale(run)
    fresh, created = services.start_report(YEAR, "az", actor=analyst)
    assert created and fresh.pk != run.pk


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.NATIONAL_COORDINATOR, Role.ANALYST)])
def test_it_lets_only_the_coordinator_and_analysts_generate(role):
    with pytest.raises(PermissionDenied):
        services.start_report(YEAR, "az", actor=make_user(role))
    assert not ReportRun.objects.exists()
