"""Key rotation keeps every value readable and moves it to the current key."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection

from azad.accounts.adapters import MFA_CONTEXT, MFAAdapter
from azad.audit.models import AuditEvent
from azad.core import crypto
from azad.maintenance import keys
from azad.persons.models import Person
from azad.persons.tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db


def _raw_tokens() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name, last_name FROM persons_person")
        return [value for row in cursor.fetchall() for value in row if value]


@pytest.fixture
def restore_ring():
    original = crypto.get_keyring()
    yield original
    crypto.set_keyring(original)


def _with_new_current_key(ring: crypto.KeyRing) -> crypto.KeyRing:
    return crypto.KeyRing(
        field_keys={**ring.field_keys, "next": b"\x07" * 32},
        current="next",
        hash_key=ring.hash_key,
        audit_key=ring.audit_key,
    )


def test_it_re_encrypts_every_value_under_the_current_key(restore_ring):
    people = [make_person(first_name=f"Aynur{i}", last_name="Əliyeva") for i in range(7)]
    user = make_user()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": MFAAdapter().encrypt("JBSWY3DPEHPK3PXP")}
    )
    crypto.set_keyring(_with_new_current_key(restore_ring))

    report = keys.rotate(batch_size=3)

    assert report.rewritten["persons_person"] == 7
    assert report.rewritten["mfa_authenticator"] == 1
    assert all(crypto.key_id_of(token) == "next" for token in _raw_tokens())
    # The old key can now leave the ring and everything still opens.
    ring = crypto.get_keyring()
    crypto.set_keyring(
        crypto.KeyRing(
            field_keys={"next": ring.field_keys["next"]},
            current="next",
            hash_key=ring.hash_key,
            audit_key=ring.audit_key,
        )
    )
    for person in people:
        assert Person.objects.get(pk=person.pk).first_name == person.first_name
    secret = Authenticator.objects.get(user=user).data["secret"]
    assert crypto.decrypt(secret, context=MFA_CONTEXT) == "JBSWY3DPEHPK3PXP"


def test_it_is_idempotent_and_resumable(restore_ring):
    make_person()
    crypto.set_keyring(_with_new_current_key(restore_ring))
    assert keys.rotate().rewritten["persons_person"] == 1
    assert keys.rotate().rewritten["persons_person"] == 0


def test_it_adds_a_new_key_to_the_key_file_and_records_the_rotation(tmp_path, settings, restore_ring, capsys):
    path = tmp_path / "keys.json"
    crypto.write_key_file(restore_ring, path)
    settings.AZAD_KEY_FILE = str(path)
    crypto.set_keyring(None)
    person = make_person(last_name="Həsənova")

    call_command("rotate_keys", "--new-key", "--batch-size", "2")

    saved = json.loads(path.read_text())
    assert saved["current"] != restore_ring.current
    assert set(saved["field_keys"]) == {*restore_ring.field_keys, saved["current"]}
    assert all(crypto.key_id_of(token) == saved["current"] for token in _raw_tokens())
    assert Person.objects.get(pk=person.pk).last_name == "Həsənova"
    event = AuditEvent.objects.get(action="keys.rotate")
    assert event.payload["rewritten"]["persons_person"] == 1
    assert "Həsənova" not in json.dumps(event.payload, ensure_ascii=False)
    assert "persons_person" in capsys.readouterr().err


def test_it_refuses_to_invent_keys_that_come_from_the_environment(restore_ring):
    crypto.set_keyring(
        crypto.KeyRing(**{**restore_ring.__dict__, "source": "environment", "_ciphers": {}, "_prefix": ""})
    )
    with pytest.raises(keys.RotationError):
        keys.add_new_key()
