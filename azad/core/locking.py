"""Optimistic locking: a version column that detects concurrent edits.

A form or API body carries the version it was read at; the service saves with
:func:`save_versioned`, which updates the row only if the version in the
database is still the one the editor saw. Otherwise :class:`ConflictError`
is raised, and views answer with a conflict page or HTTP 409.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Somebody else saved the record after it was read."""

    message = _(
        "Somebody else changed this record while you were editing it. "
        "Reload it to see their changes, then make yours again."
    )


class Versioned(models.Model):
    """Abstract base adding the ``version`` column."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def save_versioned(instance: Versioned, *, expected_version: int, fields: list[str] | None = None) -> None:
    """Save ``instance`` if its row is still at ``expected_version``; bump the version.

    The check and the write are one UPDATE ... WHERE version = expected, so two
    concurrent editors can never both succeed.
    """
    model: Any = type(instance)
    if instance.pk is None:
        raise ValueError("save_versioned needs a saved instance")
    if int(expected_version) != instance.version:
        raise ConflictError
    names = fields or [
        f.attname for f in model._meta.concrete_fields if not f.primary_key and f.attname != "version"
    ]
    # Let fields compute their stored form (auto_now, encryption, folding).
    values: dict[str, Any] = {}
    for name in names:
        field = model._meta.get_field(name) if name != "pk" else model._meta.pk
        values[field.attname] = field.pre_save(instance, False)
    updated = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
        version=models.F("version") + 1, **values
    )
    if updated != 1:
        raise ConflictError
    instance.version = expected_version + 1
