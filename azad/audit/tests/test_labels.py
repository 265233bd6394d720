"""Every action the code records has a translatable label on the auditor's pages."""

import re
from pathlib import Path

from azad.audit.choices import ACTION_LABELS

ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r'record_event\(\s*"([a-z_]+(?:\.[a-z_]+)+)"')


def test_it_labels_every_action_the_code_records():
    recorded = {
        match.group(1)
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for match in RECORDED.finditer(path.read_text())
    }
    assert len(recorded) > 20
    assert sorted(recorded - set(ACTION_LABELS)) == []
