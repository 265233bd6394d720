"""Field encryption (AES-256-GCM) and keyed hashes, with keys that are never SECRET_KEY.

A ciphertext token looks like ``az1$<key id>$<base64url(nonce + ciphertext)>``.
The key id and a *context* (table, column and row for a database field) are
bound into the authenticated data, so a token copied to another row, column or
table fails to decrypt. Decryption failure always raises :class:`DecryptionError`;
it never returns the ciphertext or an empty value.

Keys come from a JSON key file (``AZAD_KEY_FILE``) or from the environment
(``AZAD_FIELD_KEYS``, ``AZAD_FIELD_KEY_CURRENT``, ``AZAD_HASH_KEY``,
``AZAD_AUDIT_KEY``); docs/operations.md describes both. Three separate keys are
used: field keys (several, one current), the hash key for search columns, and
the audit key for the audit chain's HMAC.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
from binascii import a2b_base64, b2a_base64
from dataclasses import dataclass, field
from os import urandom
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from azad.core.text import document_key, fold, name_key

TOKEN_PREFIX = "az1"  # noqa: S105  (a format marker, not a secret)
_NONCE_BYTES = 12


class DecryptionError(Exception):
    """A token could not be decrypted: wrong key, unknown key id, tampered or moved."""


@dataclass
class KeyRing:
    """The keys in force: field keys by id (one current), the hash key and the audit key."""

    field_keys: dict[str, bytes]
    current: str
    hash_key: bytes
    audit_key: bytes
    source: str = ""
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False)
    _prefix: str = field(default="", repr=False)
    _prefix_len: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if self.current not in self.field_keys:
            raise ImproperlyConfigured(f"Current field key id {self.current!r} is not among the keys.")
        for kid, key in self.field_keys.items():
            if "$" in kid or not kid:
                raise ImproperlyConfigured(f"Field key id {kid!r} is not usable.")
            if len(key) != 32:
                raise ImproperlyConfigured(f"Field key {kid!r} must be 32 bytes.")
        if len(self.hash_key) < 32 or len(self.audit_key) < 32:
            raise ImproperlyConfigured("Hash and audit keys must be at least 32 bytes.")
        if len({self.hash_key, self.audit_key, *self.field_keys.values()}) != 2 + len(self.field_keys):
            raise ImproperlyConfigured("Field, hash and audit keys must all differ.")
        self._ciphers = {kid: AESGCM(key) for kid, key in self.field_keys.items()}
        self._prefix = f"{TOKEN_PREFIX}${self.current}$"
        self._prefix_len = len(self._prefix)

    def cipher(self, kid: str) -> AESGCM:
        try:
            return self._ciphers[kid]
        except KeyError:
            raise DecryptionError(f"Unknown key id {kid!r}.") from None

    def to_json(self) -> str:
        """The key file's content (what ``new_key_file`` and rotation write)."""
        return json.dumps(
            {
                "current": self.current,
                "field_keys": {kid: _b64(key) for kid, key in self.field_keys.items()},
                "hash_key": _b64(self.hash_key),
                "audit_key": _b64(self.audit_key),
            },
            indent=2,
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


def generate_keyring(kid: str = "k1") -> KeyRing:
    """A fresh key ring with random keys."""
    return KeyRing(
        field_keys={kid: secrets.token_bytes(32)},
        current=kid,
        hash_key=secrets.token_bytes(32),
        audit_key=secrets.token_bytes(32),
    )


def write_key_file(ring: KeyRing, path: Path) -> None:
    """Write ``ring`` to ``path`` readable by the owner only, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(ring.to_json())
    os.replace(tmp, path)


def _ring_from_file(path: Path) -> KeyRing:
    data = json.loads(path.read_text())
    return KeyRing(
        field_keys={kid: _unb64(key) for kid, key in data["field_keys"].items()},
        current=data["current"],
        hash_key=_unb64(data["hash_key"]),
        audit_key=_unb64(data["audit_key"]),
        source=str(path),
    )


def _ring_from_env() -> KeyRing | None:
    raw = os.environ.get("AZAD_FIELD_KEYS", "")
    if not raw:
        return None
    keys = {}
    for item in raw.split(","):
        kid, _, key = item.strip().partition(":")
        keys[kid] = _unb64(key)
    try:
        return KeyRing(
            field_keys=keys,
            current=os.environ.get("AZAD_FIELD_KEY_CURRENT", next(iter(keys))),
            hash_key=_unb64(os.environ["AZAD_HASH_KEY"]),
            audit_key=_unb64(os.environ["AZAD_AUDIT_KEY"]),
            source="environment",
        )
    except KeyError as missing:
        raise ImproperlyConfigured(f"{missing.args[0]} must be set with AZAD_FIELD_KEYS.") from None


_lock = threading.Lock()
_ring: KeyRing | None = None


def get_keyring() -> KeyRing:
    """The key ring in force, loaded once per process.

    Outside production a missing key file is created with fresh keys, so a new
    checkout runs at once; in production missing keys stop the process.
    """
    global _ring
    if _ring is not None:
        return _ring
    with _lock:
        if _ring is None:
            ring = _ring_from_env()
            if ring is None:
                path_setting = getattr(settings, "AZAD_KEY_FILE", "")
                if not path_setting:
                    raise ImproperlyConfigured("Set AZAD_KEY_FILE or AZAD_FIELD_KEYS (docs/operations.md).")
                path = Path(path_setting)
                if not path.exists():
                    if getattr(settings, "PRODUCTION", False):
                        raise ImproperlyConfigured(f"Key file {path} does not exist.")
                    write_key_file(generate_keyring(), path)
                ring = _ring_from_file(path)
            _ring = ring
    return _ring


def set_keyring(ring: KeyRing | None) -> None:
    """Replace the key ring in force (rotation, tests); ``None`` reloads it on next use."""
    global _ring
    with _lock:
        _ring = ring


def encrypt(plaintext: str, *, context: str) -> str:
    """Encrypt ``plaintext`` under the current key, bound to ``context``."""
    ring = _ring or get_keyring()
    kid = ring.current
    nonce = urandom(_NONCE_BYTES)
    sealed = ring._ciphers[kid].encrypt(nonce, plaintext.encode(), f"{kid}|{context}".encode())
    return ring._prefix + b2a_base64(nonce + sealed, newline=False).decode("ascii")


def decrypt(token: str, *, context: str) -> str:
    """Decrypt a token made by :func:`encrypt` for the same ``context``, or raise."""
    ring = _ring or get_keyring()
    try:
        if token.startswith(ring._prefix):  # the common case: made with the current key
            kid, body = ring.current, token[ring._prefix_len :]
        else:
            prefix, kid, body = token.split("$", 2)
            if prefix != TOKEN_PREFIX:
                raise ValueError
        raw = a2b_base64(body, strict_mode=True)
    except (AttributeError, ValueError):
        raise DecryptionError("Not an Azad ciphertext.") from None
    cipher = ring._ciphers.get(kid)
    if cipher is None:
        raise DecryptionError(f"Unknown key id {kid!r}.")
    if len(raw) <= _NONCE_BYTES:
        raise DecryptionError("Not an Azad ciphertext.")
    try:
        data = cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], f"{kid}|{context}".encode())
    except InvalidTag:
        raise DecryptionError("Ciphertext does not open with this key and context.") from None
    return data.decode()


def key_id_of(token: str) -> str:
    """The key id a token was made with (for rotation)."""
    parts = token.split("$", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise DecryptionError("Not an Azad ciphertext.")
    return parts[1]


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of ``value`` for ``purpose`` under the hash key (hex).

    ``value`` should already be normalised (see :func:`name_hash`,
    :func:`document_hash`); the purpose keeps hashes of different columns apart.
    """
    key = get_keyring().hash_key
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def name_hash(name: str, *, purpose: str = "name") -> str:
    """Keyed hash of a name's spelling-insensitive key: Latin and Cyrillic spellings meet."""
    return keyed_hash(name_key(name), purpose=purpose)


def folded_hash(text: str, *, purpose: str) -> str:
    """Keyed hash of Azerbaijani-folded text (exact match, case-insensitive)."""
    return keyed_hash(fold(text), purpose=purpose)


def document_hash(number: str, *, purpose: str = "document") -> str:
    """Keyed hash of a document number without spaces, dashes or case."""
    return keyed_hash(document_key(number), purpose=purpose)


def audit_mac(data: bytes) -> str:
    """HMAC-SHA256 under the audit key (hex): the audit chain's link."""
    return hmac.new(get_keyring().audit_key, data, hashlib.sha256).hexdigest()
