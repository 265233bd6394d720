"""Model fields for personal data: encrypted text and keyed-hash search columns.

``EncryptedTextField`` keeps plaintext on the Python object and ciphertext in
the database. The ciphertext is bound to ``<table>.<column>.<primary key>``, so
a model with encrypted fields must have its primary key before it is saved (use
:class:`EncryptedModel`, whose key is a random UUID). Values are decrypted on
first access; a wrong key or a value moved from another row raises
:class:`~azad.core.crypto.DecryptionError`.

Plaintext can never reach the database through this field: the database value
is produced only in ``pre_save``; filtering or ``QuerySet.update`` with
plaintext raises ``TypeError``. Exact-match search goes through keyed-hash
columns (see :mod:`azad.core.crypto`).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from azad.core import crypto


class Sealed(str):
    """A ciphertext as read from the database, not yet opened."""


class Ciphertext(str):
    """A ciphertext made for one row, ready to be written."""


class _EncryptedAttribute:
    """Descriptor opening the stored ciphertext on first access."""

    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, Sealed):
            value = crypto.decrypt(value, context=self.field.context_for(instance))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted at rest with AES-GCM, bound to table, column and row."""

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _EncryptedAttribute(self))

    def context_for(self, instance: models.Model) -> str:
        """The authenticated context: table, column and the row's primary key."""
        if instance.pk is None:
            raise ValueError("An encrypted field needs the row's primary key before saving.")
        return f"{instance._meta.db_table}.{self.column}.{instance.pk}"

    def seal(self, instance: models.Model, plaintext: str) -> Ciphertext:
        """Encrypt ``plaintext`` for this field of ``instance`` under the current key."""
        return Ciphertext(crypto.encrypt(plaintext, context=self.context_for(instance)))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Ciphertext | None:
        value = getattr(model_instance, self.attname)  # opens a Sealed value, proving its binding
        if value is None:
            return None
        return self.seal(model_instance, str(value))

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Ciphertext):
            return value
        raise TypeError(
            "Encrypted fields are written only through Model.save(); "
            "search them through their keyed-hash column."
        )

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return self.get_prep_value(value)

    def deconstruct(self) -> Any:
        return super().deconstruct()


class EncryptedModel(models.Model):
    """Abstract base for models holding encrypted fields: a random UUID primary key.

    The key exists before the first save (so ciphertext can be bound to it) and
    says nothing about the person, so it may appear in URLs.
    """

    id = models.UUIDField(_("identifier"), primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    """The encrypted fields of ``model``."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
