"""Encrypted, verified backup and restore: the round trip and its refusals."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from azad.accounts.models import User
from azad.audit.models import AuditEvent
from azad.core import crypto
from azad.maintenance.backup import BackupError, database_manifest, restore_backup, verify_backup
from azad.persons.models import Person
from azad.persons.tests.factories import make_person

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def _key_env() -> dict[str, str]:
    ring = json.loads(crypto.get_keyring().to_json())
    return {
        "AZAD_FIELD_KEYS": ",".join(f"{kid}:{key}" for kid, key in ring["field_keys"].items()),
        "AZAD_FIELD_KEY_CURRENT": ring["current"],
        "AZAD_HASH_KEY": ring["hash_key"],
        "AZAD_AUDIT_KEY": ring["audit_key"],
    }


def _azad(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(_key_env())
    env.update(
        {
            "AZAD_SQLITE_PATH": str(db),
            "AZAD_VAR_DIR": str(db.parent),
            "DJANGO_SETTINGS_MODULE": "azad.settings",
        }
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _raw_last_name(person: Person) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_name FROM persons_person WHERE id = %s",
            [person.pk.hex if connection.vendor == "sqlite" else person.pk],
        )
        return str(cursor.fetchone()[0])


def test_it_round_trips_the_database_through_a_backup(tmp_path):
    person = make_person(
        first_name="Leyla", last_name="Həsənova", document_number="AZE 1234567", document_type="Passport"
    )
    make_person(first_name="Aynur", last_name="Quliyeva")
    backup = tmp_path / "azad.azadbak"
    call_command("backup", str(backup))
    assert AuditEvent.objects.filter(action="backup.create").exists()

    data = backup.read_bytes()
    assert b"Leyla" not in data and "Həsənova".encode() not in data
    manifest = verify_backup(backup)
    assert manifest.tables["persons_person"]["rows"] == 2
    assert manifest.tables == database_manifest().tables

    target = tmp_path / "restored.sqlite3"
    migrated = _azad("migrate", "--no-input", db=target)
    assert migrated.returncode == 0, migrated.stderr
    restored = _azad("restore", str(backup), db=target)
    assert restored.returncode == 0, restored.stderr
    verified = _azad("verify-audit", "--quiet", db=target)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    with sqlite3.connect(target) as db:
        rows = dict(db.execute("SELECT id, last_name FROM persons_person").fetchall())
        users = db.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0]
        events = db.execute("SELECT COUNT(*) FROM audit_auditevent").fetchone()[0]
    assert rows[person.pk.hex] == _raw_last_name(person)  # ciphertext byte for byte
    assert users == User.objects.count()
    assert events == AuditEvent.objects.count() + 1  # plus the restore's own event


def test_it_refuses_a_tampered_backup(tmp_path):
    make_person()
    backup = tmp_path / "azad.azadbak"
    call_command("backup", str(backup))
    data = bytearray(backup.read_bytes())
    data[-20] ^= 0x01
    backup.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        verify_backup(backup)


def test_it_refuses_a_backup_under_another_key(tmp_path):
    make_person()
    backup = tmp_path / "azad.azadbak"
    call_command("backup", str(backup))
    original = crypto.get_keyring()
    crypto.set_keyring(crypto.generate_keyring(original.current))
    try:
        with pytest.raises(BackupError):
            verify_backup(backup)
    finally:
        crypto.set_keyring(original)


def test_it_refuses_to_restore_into_a_database_holding_data(tmp_path):
    make_person()
    backup = tmp_path / "azad.azadbak"
    call_command("backup", str(backup))
    before = Person.objects.count()
    with pytest.raises(BackupError, match="accounts_user"):
        restore_backup(backup)
    assert Person.objects.count() == before


def test_it_refuses_to_overwrite_an_existing_file(tmp_path):
    backup = tmp_path / "azad.azadbak"
    backup.write_bytes(b"keep me")
    with pytest.raises(Exception, match="already exists"):
        call_command("backup", str(backup))
    assert backup.read_bytes() == b"keep me"


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.azadbak"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(BackupError):
        verify_backup(junk)
