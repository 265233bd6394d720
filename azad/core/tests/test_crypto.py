"""Field encryption and keyed hashes."""

import base64
import json

import pytest

from azad.core import crypto


@pytest.fixture
def ring():
    original = crypto.get_keyring()
    fresh = crypto.generate_keyring("t1")
    crypto.set_keyring(fresh)
    yield fresh
    crypto.set_keyring(original)


def test_it_round_trips_text_with_the_same_context(ring):
    token = crypto.encrypt("Leyla Həsənova", context="persons.first_name.1")
    assert "Leyla" not in token
    assert crypto.decrypt(token, context="persons.first_name.1") == "Leyla Həsənova"


def test_it_puts_the_key_id_in_every_ciphertext(ring):
    token = crypto.encrypt("x", context="c")
    assert crypto.key_id_of(token) == "t1"
    assert token.startswith("az1$t1$")


def test_it_refuses_a_wrong_key(ring):
    token = crypto.encrypt("secret", context="c")
    other = crypto.generate_keyring("t1")
    crypto.set_keyring(other)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="c")


def test_it_refuses_a_ciphertext_moved_to_another_context(ring):
    token = crypto.encrypt("secret", context="persons.last_name.1")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="persons.last_name.2")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="persons.first_name.1")


def test_it_refuses_an_unknown_key_id_or_tampered_token(ring):
    token = crypto.encrypt("secret", context="c")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token.replace("$t1$", "$zz$"), context="c")
    head, body = token.rsplit("$", 1)
    raw = bytearray(base64.b64decode(body))
    for position in (0, 12, len(raw) - 1):  # nonce, ciphertext, tag
        tampered = bytearray(raw)
        tampered[position] ^= 0x01
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(head + "$" + base64.b64encode(bytes(tampered)).decode(), context="c")
    for garbage in ["", "plain text", "az1$t1$", "az1$t1$!!!"]:
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(garbage, context="c")


def test_it_reads_old_keys_after_a_new_current_key(ring):
    token = crypto.encrypt("old", context="c")
    newer = crypto.KeyRing(
        field_keys={**ring.field_keys, "t2": b"\x01" * 32},
        current="t2",
        hash_key=ring.hash_key,
        audit_key=ring.audit_key,
    )
    crypto.set_keyring(newer)
    assert crypto.decrypt(token, context="c") == "old"
    assert crypto.key_id_of(crypto.encrypt("new", context="c")) == "t2"


def test_it_keeps_hash_audit_and_field_keys_apart():
    key = b"\x02" * 32
    with pytest.raises(Exception, match="differ"):
        crypto.KeyRing(field_keys={"k": key}, current="k", hash_key=key, audit_key=b"\x03" * 32)


def test_it_hashes_names_spelling_insensitively_under_the_hash_key(ring):
    assert crypto.name_hash("Əliyev") == crypto.name_hash("АЛИЕВ") == crypto.name_hash("aliyev")
    assert crypto.name_hash("Əliyev", purpose="last") != crypto.name_hash("Əliyev", purpose="first")
    before = crypto.name_hash("Əliyev")
    crypto.set_keyring(crypto.generate_keyring())
    assert crypto.name_hash("Əliyev") != before


def test_it_hashes_document_numbers_without_spacing_or_case(ring):
    assert crypto.document_hash("AZE 1234-567") == crypto.document_hash("aze1234567")


def test_it_loads_keys_from_a_key_file_and_never_from_secret_key(tmp_path, settings):
    path = tmp_path / "keys.json"
    crypto.write_key_file(crypto.generate_keyring("f1"), path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    settings.AZAD_KEY_FILE = str(path)
    original = crypto.get_keyring()
    crypto.set_keyring(None)
    try:
        ring = crypto.get_keyring()
        assert ring.current == "f1"
        assert settings.SECRET_KEY.encode() not in {*ring.field_keys.values(), ring.hash_key, ring.audit_key}
        assert json.loads(path.read_text())["current"] == "f1"
    finally:
        crypto.set_keyring(original)


def test_it_loads_keys_from_the_environment(monkeypatch):
    ring = crypto.generate_keyring("e1")
    data = json.loads(ring.to_json())
    monkeypatch.setenv("AZAD_FIELD_KEYS", f"e1:{data['field_keys']['e1']}")
    monkeypatch.setenv("AZAD_HASH_KEY", data["hash_key"])
    monkeypatch.setenv("AZAD_AUDIT_KEY", data["audit_key"])
    original = crypto.get_keyring()
    crypto.set_keyring(None)
    try:
        loaded = crypto.get_keyring()
        assert loaded.source == "environment"
        assert loaded.field_keys == ring.field_keys
    finally:
        crypto.set_keyring(original)


def test_it_refuses_to_invent_keys_in_production(tmp_path, settings):
    settings.PRODUCTION = True
    settings.AZAD_KEY_FILE = str(tmp_path / "missing.json")
    original = crypto.get_keyring()
    crypto.set_keyring(None)
    try:
        with pytest.raises(Exception, match="does not exist"):
            crypto.get_keyring()
        assert not (tmp_path / "missing.json").exists()
    finally:
        crypto.set_keyring(original)
