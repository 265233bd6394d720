"""``azad export_ctdc``: the file, the report, progress, bad parameters."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from azad.audit.models import AuditEvent
from azad.publication import dataset
from azad.publication.tests.helpers import case_with

pytestmark = pytest.mark.django_db


def test_it_writes_a_k_anonymous_csv_with_a_report(world, tmp_path):
    for birth in ("1990-01-01",) * 5 + ("1970-01-01",) * 2:
        case_with(world, birth_date=birth)
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "ctdc.csv"
    call_command(
        "export_ctdc",
        "--k",
        "5",
        "--from-year",
        "2024",
        "--to-year",
        "2024",
        "--qi",
        "ageBroad",
        "--qi",
        "gender",
        "--max-suppression",
        "0.5",
        "--output",
        str(target),
        "--report",
        str(tmp_path / "report.json"),
        stdout=out,
        stderr=err,
    )
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert list(rows[0]) == list(dataset.COLUMNS)
    assert all(n >= 5 for n in Counter((r["ageBroad"], r["gender"]) for r in rows).values())
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["rows_in"] == 7
    assert report["rows_out"] + report["rows_suppressed"] == 7
    assert "7/7" in err.getvalue()
    assert "rows written" in out.getvalue()
    assert AuditEvent.objects.get(action="export").actor_label == "azad export_ctdc"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--k", "1"], "at least 2"), (["--qi", "shoeSize"], "Unknown quasi-identifier: shoeSize")],
)
def test_it_stops_on_bad_parameters_and_writes_nothing(world, tmp_path, args, message):
    target = tmp_path / "ctdc.csv"
    with pytest.raises(CommandError, match=message):
        call_command("export_ctdc", *args, "--output", str(target))
    assert not target.exists()
