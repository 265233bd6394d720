"""``azad annual_report``: the PDF written, the progress printed, bad input refused."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from azad.audit.models import AuditEvent
from azad.reports.models import ReportRun

pytestmark = pytest.mark.django_db


def test_it_writes_the_pdf_and_prints_the_progress(tmp_path):
    target = tmp_path / "report.pdf"
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "annual_report", "--year", "2001", "--language", "en", "--output", str(target), stdout=out, stderr=err
    )
    assert target.read_bytes().startswith(b"%PDF")
    assert "100%" in err.getvalue() and "Writing the PDF" in err.getvalue()
    run = ReportRun.objects.get()
    assert run.requested_by is None and run.status == "done"
    assert AuditEvent.objects.get(action="reports.run.start").actor_label == "azad annual_report"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "twenty", "--language", "az"], "Enter the year as a number"),
        (["--year", "1800", "--language", "az"], "Choose a year from 2000"),
        (["--year", "2001", "--language", "fr"], "Choose Azerbaijani, English or Russian"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(tmp_path, args, message):
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", *args, "--output", str(target))
    assert not target.exists() and not ReportRun.objects.exists()


def test_it_refuses_an_output_in_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="existing folder"):
        call_command("annual_report", "--year", "2001", "--output", str(tmp_path / "nope" / "r.pdf"))
    assert not ReportRun.objects.exists()
