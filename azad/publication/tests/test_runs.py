"""Builds of the public dataset: queuing (rules, repeats, stale builds), the build itself, failure, audit."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from azad.accounts.tests.factories import make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import PERMISSIONS, Data, Level, Role
from azad.publication import dataset, generation, services
from azad.publication.choices import RunStatus, RunStep
from azad.publication.models import DatasetRun
from azad.publication.tests.helpers import case_with

pytestmark = pytest.mark.django_db

PUBLISHERS = {role for role in Role if PERMISSIONS[role][Data.STATISTICS] >= Level.AGGREGATE}
PARAMETERS = {
    "year_from": 2024,
    "year_to": 2024,
    "k": 3,
    "quasi_identifiers": ["gender", "ageBroad"],
    "max_suppression": 0.1,
}


@pytest.mark.parametrize("role", list(Role))
def test_it_lets_only_publishers_queue_a_build(world, role):
    user = make_user(role)
    if role in PUBLISHERS:
        run, created = services.start_public_dataset(actor=user, **PARAMETERS)
        assert created and run.requested_by == user and run.status == RunStatus.QUEUED
    else:
        with pytest.raises(PermissionDenied):
            services.start_public_dataset(actor=user, **PARAMETERS)
        assert not DatasetRun.objects.exists()


def test_it_lets_a_command_queue_a_build_but_not_an_unknown_actor(world):
    run, _created = services.start_public_dataset(actor="azad export_ctdc", **PARAMETERS)
    assert run.requested_by is None
    assert AuditEvent.objects.get(action="publication.dataset_run.start").actor_label == "azad export_ctdc"
    with pytest.raises(PermissionDenied):
        services.start_public_dataset(actor=None, **PARAMETERS)


def test_it_returns_the_build_under_way_for_the_same_parameters_only(world):
    run, created = services.start_public_dataset(actor=world.analyst, **PARAMETERS)
    again, created_again = services.start_public_dataset(actor=world.coordinator, **PARAMETERS)
    assert created and not created_again and again.pk == run.pk
    for change in (
        {"k": 4},
        {"quasi_identifiers": ["ageBroad", "gender"]},  # the order chooses between ties
        {"max_suppression": 0.2},
        {"identified_only": True},
        {"year_from": 2023},
    ):
        _other, created_other = services.start_public_dataset(actor=world.analyst, **{**PARAMETERS, **change})
        assert created_other, change
    assert AuditEvent.objects.filter(action="publication.dataset_run.start").count() == 6


def test_it_builds_again_once_the_build_under_way_is_done_or_stale(world):
    run, _created = services.start_public_dataset(actor=world.analyst, **PARAMETERS)
    generation.generate(run.pk)
    after_done, created = services.start_public_dataset(actor=world.analyst, **PARAMETERS)
    assert created and after_done.pk != run.pk
    DatasetRun.objects.filter(pk=after_done.pk).update(
        updated_at=after_done.updated_at - services.STALE_AFTER * 2
    )
    after_done.refresh_from_db()
    assert services.is_stale(after_done)
    fresh, created = services.start_public_dataset(actor=world.analyst, **PARAMETERS)
    assert created and fresh.pk not in (run.pk, after_done.pk)
    assert not services.is_stale(fresh)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"k": 1}, "k_too_small"),
        ({"k": services.MAX_K + 1}, "k_too_large"),
        ({"quasi_identifiers": ["shoeSize"]}, "unknown_quasi_identifier"),
        ({"quasi_identifiers": []}, "no_quasi_identifiers"),
        ({"max_suppression": 1.0}, "bad_suppression"),
        ({"year_from": 2025}, "years_reversed"),
        ({"year_from": 1970}, "too_many_years"),
    ],
)
def test_it_refuses_bad_parameters_and_writes_nothing(world, change, code):
    with pytest.raises(ValidationError) as caught:
        services.start_public_dataset(actor=world.analyst, **{**PARAMETERS, **change})
    assert caught.value.code == code
    assert not DatasetRun.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_builds_the_dataset_and_stores_the_files_and_the_report(world):
    for birth in ("1990-01-01",) * 4 + ("2010-01-01",) * 2:
        case_with(world, birth_date=birth, citizenship="AZ")
    run, _created = services.start_public_dataset(actor=world.analyst, **PARAMETERS)
    seen: list[tuple[int, str]] = []
    generation.generate(run.pk, listener=lambda percent, step: seen.append((percent, step)))
    run.refresh_from_db()
    assert (run.status, run.step, run.progress, run.error) == (RunStatus.DONE, RunStep.DONE, 100, "")
    assert run.started_at and run.finished_at
    assert run.report["rows_in"] == 6 and run.report["k"] == 3
    rows = list(csv.reader(io.StringIO(bytes(run.csv).decode())))
    assert rows[0] == list(dataset.COLUMNS) and len(rows) == 1 + run.report["rows_out"]
    assert bytes(run.xlsx).startswith(b"PK")
    assert seen[0] == (1, RunStep.READING) and seen[-1] == (100, RunStep.DONE)
    finish = AuditEvent.objects.get(action="publication.dataset_run.finish")
    assert finish.actor_label == services.GENERATOR_ACTOR
    assert finish.payload == {
        "status": "done",
        "rows_in": 6,
        "rows_out": run.report["rows_out"],
        "rows_suppressed": run.report["rows_suppressed"],
        "bytes": len(bytes(run.csv)),
    }


def test_it_builds_a_run_once(world):
    run, _created = services.start_public_dataset(actor=world.analyst, **PARAMETERS)
    generation.generate(run.pk)
    generation.generate(run.pk)
    assert AuditEvent.objects.filter(action="publication.dataset_run.finish").count() == 1


def test_it_marks_a_build_failed_with_the_class_name_of_the_error_only(world, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("Aysel Məmmədova was born in 1990")

    monkeypatch.setattr(services.dataset, "build_columns", broken)
    run, _created = services.start_public_dataset(actor=world.analyst, **PARAMETERS)
    generation.generate(run.pk)
    run.refresh_from_db()
    assert (run.status, run.step, run.error) == (RunStatus.FAILED, RunStep.FAILED, "ValueError")
    assert run.csv is None and run.report is None and run.finished_at
    finish = AuditEvent.objects.get(action="publication.dataset_run.finish")
    assert finish.payload == {"status": "failed", "error": "ValueError"}
    assert "Aysel" not in str(list(AuditEvent.objects.values_list("payload", flat=True)))
