"""Key rotation: re-encrypt every encrypted value under the current field key.

Rotation is resumable: values already under the current key are skipped, so
an interrupted run is simply started again. Old keys stay in the key ring
until an operator removes them after a successful run (docs/operations.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _

from azad.core import crypto
from azad.core.fields import EncryptedTextField, encrypted_fields

Progress = Callable[[str], None]


class RotationError(Exception):
    """Rotation cannot proceed; the message says why."""


@dataclass
class RotationReport:
    """What a rotation run changed, per table."""

    current: str
    rewritten: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rewritten.values())


def add_new_key() -> str:
    """Add a fresh field key to the key file, make it current, and return its id.

    Keys given through the environment are rotated by the operator (add the new
    key to AZAD_FIELD_KEYS, set AZAD_FIELD_KEY_CURRENT), not here.
    """
    ring = crypto.get_keyring()
    if ring.source == "environment" or not ring.source:
        raise RotationError(
            _("Keys come from the environment: add the new key there and set AZAD_FIELD_KEY_CURRENT.")
        )
    number = 1
    while f"k{number}" in ring.field_keys:
        number += 1
    kid = f"k{number}"
    new_ring = crypto.KeyRing(
        field_keys={**ring.field_keys, kid: secrets.token_bytes(32)},
        current=kid,
        hash_key=ring.hash_key,
        audit_key=ring.audit_key,
        source=ring.source,
    )
    crypto.write_key_file(new_ring, Path(ring.source))
    crypto.set_keyring(new_ring)
    return kid


def _stale(token: str | None, current: str) -> bool:
    return bool(token) and crypto.key_id_of(str(token)) != current


def _rotate_model(
    model: type[models.Model],
    fields: list[EncryptedTextField],
    current: str,
    batch_size: int,
    progress: Progress,
) -> int:
    table = model._meta.db_table
    total = model._base_manager.count()
    rewritten = 0
    seen = 0
    last_pk: Any = None
    while True:
        queryset = model._base_manager.order_by("pk")
        if last_pk is not None:
            queryset = queryset.filter(pk__gt=last_pk)
        rows = list(queryset[:batch_size])
        if not rows:
            break
        with transaction.atomic():
            for row in rows:
                stored = {f.attname: row.__dict__.get(f.attname) for f in fields}
                if not any(_stale(value, current) for value in stored.values()):
                    continue
                changes = {}
                for f in fields:
                    if _stale(stored[f.attname], current):
                        plaintext = getattr(row, f.attname)  # opens under the old key
                        changes[f.attname] = f.seal(row, plaintext)
                model._base_manager.filter(pk=row.pk).update(**changes)
                rewritten += 1
        seen += len(rows)
        last_pk = rows[-1].pk
        progress(f"{table}: {seen}/{total}")
    return rewritten


def _rotate_mfa_secrets(current: str, progress: Progress) -> int:
    """allauth's authenticator secrets, which our MFA adapter encrypts."""
    from allauth.mfa.models import Authenticator

    from azad.accounts.adapters import MFA_CONTEXT

    rewritten = 0
    for authenticator in Authenticator.objects.order_by("pk").iterator(chunk_size=500):
        data = dict(authenticator.data or {})
        changed = False
        for key, value in data.items():
            if (
                isinstance(value, str)
                and value.startswith(crypto.TOKEN_PREFIX + "$")
                and _stale(value, current)
            ):
                data[key] = crypto.encrypt(crypto.decrypt(value, context=MFA_CONTEXT), context=MFA_CONTEXT)
                changed = True
        if changed:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
            rewritten += 1
    progress(f"mfa_authenticator: {rewritten}")
    return rewritten


def rotate(*, batch_size: int = 500, progress: Progress | None = None) -> RotationReport:
    """Re-encrypt every value not under the current key; resumable and idempotent."""
    say = progress or (lambda _message: None)
    current = crypto.get_keyring().current
    report = RotationReport(current=current)
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if fields:
            report.rewritten[model._meta.db_table] = _rotate_model(model, fields, current, batch_size, say)
    report.rewritten["mfa_authenticator"] = _rotate_mfa_secrets(current, say)
    return report


def key_file_path() -> str:
    return str(getattr(settings, "AZAD_KEY_FILE", ""))
