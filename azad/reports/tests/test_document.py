"""The produced report: a real generation, its PDF's text, an empty year, a failure."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from azad.audit.models import AuditEvent
from azad.core import background
from azad.reports import generation, services
from azad.reports.choices import RunStatus, Step
from azad.reports.models import ReportRun
from azad.reports.tests.conftest import YEAR

pytestmark = pytest.mark.django_db

AZERBAIJANI = "Əliyeva İsmayıl şəhər ğ ç ö ü ı"
RUSSIAN = "Национальный координатор"


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_it_renders_azerbaijani_letters_and_cyrillic_in_the_pdf(coordinator):
    services.save_narrative(YEAR, "az", f"{AZERBAIJANI}\n\n{RUSSIAN}", actor=coordinator, expected_version=0)
    run, _created = services.start_report(YEAR, "az", actor=coordinator)
    generation.launch(run)
    run = ReportRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.DONE, run.error
    text = _pdf_text(bytes(run.pdf))
    assert AZERBAIJANI in text
    assert RUSSIAN in text
    for letter in "əıİşğçöü":
        assert letter in text
    assert "Национальный" in text and "координатор" in text


def test_it_produces_an_honest_empty_report_for_a_year_without_data(coordinator):
    run, _created = services.start_report(2001, "en", actor=coordinator)
    generation.launch(run)
    run = ReportRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.DONE and run.progress == 100 and run.step == Step.DONE
    content = run.content
    assert content["has_data"] is False
    assert content["tables"], "every standard table is there, with zeros"
    for table in content["tables"]:
        assert all(cell == 0 for row in table["rows"] for cell in row["cells"]), table["key"]
    assert content["merged_records"] == 0
    assert [row["cells"] for row in content["overdue"]["rows"]] == [[0, 0]] * 5
    text = _pdf_text(bytes(run.pdf))
    assert "No data was recorded for 2001" in text
    assert "Annual report 2001" in text


def test_it_records_the_start_and_the_end_of_a_generation_in_the_audit_trail(coordinator):
    run, _created = services.start_report(2001, "ru", actor=coordinator)
    generation.launch(run)
    events = list(AuditEvent.objects.filter(target_id=str(run.pk)).order_by("seq"))
    assert [e.action for e in events] == ["reports.run.start", "reports.run.finish"]
    assert events[0].actor == coordinator and events[0].payload == {"year": 2001, "language": "ru"}
    assert events[1].payload["status"] == "done"


def test_it_marks_the_run_failed_when_generation_breaks_and_keeps_no_document(coordinator, monkeypatch):
    from azad.reports import content

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(content, "build", broken)
    run, _created = services.start_report(2001, "en", actor=coordinator)
    generation.launch(run)
    run = ReportRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.FAILED and run.step == Step.FAILED
    assert run.error == "ZeroDivisionError" and run.pdf is None and run.content is None
    assert AuditEvent.objects.filter(action="reports.run.finish", payload__status="failed").count() == 1


def test_it_reports_progress_in_order_up_to_one_hundred(coordinator):
    seen = []
    run, _created = services.start_report(2001, "en", actor=coordinator)
    generation.generate(run.pk, listener=lambda percent, step: seen.append((percent, step)))
    percents = [percent for percent, _step in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    steps = [step for _percent, step in seen]
    for step in (Step.FIGURES, Step.PREVIOUS, Step.CLOCKS, Step.CHARTS, Step.PDF, Step.DONE):
        assert step in steps


def test_it_starts_a_daemon_thread_after_the_commit_outside_tests(coordinator, settings, monkeypatch):
    settings.AZAD_REPORTS_INLINE = False
    started = []

    class FakeThread:
        def __init__(self, target, args, name, daemon):
            started.append((target, args, daemon))

        def start(self):
            started.append("started")

    monkeypatch.setattr(background.threading, "Thread", FakeThread)
    run, _created = services.start_report(2001, "en", actor=coordinator)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        generation.launch(run)
    assert started == [] and len(callbacks) == 1
    callbacks[0]()
    assert started == [(background._in_thread, (generation.generate, run.pk), True), "started"]
    assert ReportRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
