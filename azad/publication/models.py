"""Requests to export case-level data in the HTCDS layout, each approved by a second person.

A request names who asks, why (encrypted: a reason may mention a person), and
which cases (period of first contact, optionally a stage and a trafficking
status). Another person with the approver's right approves or refuses it; the
requester then downloads it once, before it expires, as a password-protected
ZIP. The rows are read at download time, through the requester's own access.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.cases.choices import Stage, TraffickingStatus
from azad.core.fields import EncryptedModel, EncryptedTextField
from azad.publication.choices import RequestStatus


class ExportRequest(EncryptedModel):
    """One request to export case-level data (HTCDS columns): who, why, which cases, who approved."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    reason = EncryptedTextField(_("why the data is needed"))
    date_from = models.DateField(_("first contact from"))
    date_to = models.DateField(_("first contact until"))
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, blank=True)
    trafficking_status = models.CharField(
        _("trafficking status"), max_length=40, choices=TraffickingStatus.choices, blank=True
    )
    case_count = models.PositiveIntegerField(_("cases when requested"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    refusal_reason = EncryptedTextField(_("reason for refusing"), blank=True, default="")
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)

    class Meta:
        verbose_name = _("case-level export request")
        verbose_name_plural = _("case-level export requests")
        ordering: ClassVar[list[str]] = ["-requested_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "-requested_at"], name="publication_req_status_idx"),
        ]

    def __str__(self) -> str:
        return str(_("Export request %(ref)s") % {"ref": self.reference})

    @property
    def reference(self) -> str:
        return str(self.pk)[:8].upper()

    @property
    def expires_at(self) -> dt.datetime | None:
        """An approved request may be downloaded until this time."""
        if self.decided_at is None or self.status != RequestStatus.APPROVED:
            return None
        return self.decided_at + dt.timedelta(hours=settings.AZAD_EXPORT_VALID_HOURS)

    @property
    def is_expired(self) -> bool:
        expires = self.expires_at
        return expires is not None and timezone.now() >= expires

    @property
    def may_be_downloaded(self) -> bool:
        return self.status == RequestStatus.APPROVED and not self.is_expired
