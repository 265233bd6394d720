"""The audit trail: an append-only, hash-chained table of events.

Each event carries the HMAC of its own content and of the previous event's
hash (the audit key, never SECRET_KEY), so removing, reordering or changing a
row breaks the chain at that row; ``azad verify-audit`` finds it. Database
triggers refuse UPDATE and DELETE on the table (see the migrations).
Payloads hold field names and redacted values, never personal data in clear.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from azad.audit.choices import action_label


class AuditEvent(models.Model):
    """One thing somebody did or tried: a write, a view of a victim record, an export, a sign-in."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(_("organisation"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("record type"), max_length=80, blank=True, db_index=True)
    target_id = models.CharField(_("record"), max_length=64, blank=True, db_index=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.CharField(_("address"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering: ClassVar[list[str]] = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def action_label(self) -> str:
        """The action in words, in the active language (its code if it has no label)."""
        return action_label(self.action)


class ChainHead(models.Model):
    """The last link of the chain: one row, locked while an event is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq}"
