"""docs/permissions.md shows exactly the table the code enforces."""

import re
from pathlib import Path

from azad.core.permissions import (
    LEVEL_SYMBOLS,
    PERMISSIONS,
    Data,
    Level,
    Role,
    can,
    permissions_table_markdown,
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def _doc_table() -> dict[str, dict[str, str]]:
    text = DOC.read_text()
    block = text.split("<!-- table:start -->")[1].split("<!-- table:end -->")[0]
    rows = [line for line in block.strip().splitlines() if line.startswith("|")]
    header = [cell.strip().strip("`") for cell in rows[0].strip("|").split("|")]
    table = {}
    for line in rows[2:]:
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        table[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    return table


def test_it_documents_every_role_and_every_kind_of_data():
    table = _doc_table()
    assert set(table) == {r.value for r in Role}
    for row in table.values():
        assert set(row) == {d.value for d in Data}


def test_it_documents_exactly_the_levels_the_code_enforces():
    table = _doc_table()
    for role in Role:
        for data in Data:
            assert table[role.value][data.value] == LEVEL_SYMBOLS[PERMISSIONS[role][data]], (role, data)


def test_it_keeps_the_doc_table_identical_to_the_generated_one():
    text = DOC.read_text()
    assert permissions_table_markdown() in text


class _Person:
    is_authenticated = True
    is_active = True

    def __init__(self, role: str) -> None:
        self.role = role


def test_it_denies_anonymous_inactive_and_unknown_roles():
    anonymous = _Person("system_admin")
    anonymous.is_authenticated = False
    inactive = _Person("system_admin")
    inactive.is_active = False
    for person in (anonymous, inactive, _Person("no_such_role"), _Person("")):
        assert not any(can(person, d, Level.AGGREGATE) for d in Data)


def test_it_keeps_case_content_away_from_analysts_auditors_and_the_coordinator():
    for role in (Role.ANALYST, Role.AUDITOR, Role.NATIONAL_COORDINATOR, Role.SYSTEM_ADMIN):
        person = _Person(role.value)
        assert not can(person, Data.VICTIM_IDENTITY, Level.READ)
        assert not can(person, Data.CASE_CONTENT, Level.READ)


def test_it_gives_the_audit_trail_only_to_auditors_and_administrators():
    readers = {r for r in Role if can(_Person(r.value), Data.AUDIT_TRAIL, Level.READ)}
    assert readers == {Role.AUDITOR, Role.SYSTEM_ADMIN}
    assert re.search(r"audit_trail", DOC.read_text())
