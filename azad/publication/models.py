"""Builds of the public k-anonymous dataset, and requests to export case-level data (HTCDS).

A build of the public dataset (:class:`DatasetRun`) keeps its parameters, its
progress and, once done, the published files and the anonymiser's report.

A case-level export request names who asks, why (encrypted: a reason may
mention a person), and which cases (period of first contact, optionally a
stage and a trafficking status). Another person with the approver's right
approves or refuses it; the requester then downloads it once, before it
expires, as a password-protected ZIP. The rows are read at download time,
through the requester's own access.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.cases.choices import Stage, TraffickingStatus
from azad.core.fields import EncryptedModel, EncryptedTextField
from azad.publication.choices import RequestStatus, RunStatus, RunStep


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


class DatasetRun(models.Model):
    """One build of the public k-anonymous dataset (CTDC layout): its parameters, progress and result.

    The build runs outside the request (:mod:`azad.publication.generation`) and
    moves ``progress`` and ``step``. ``csv`` and ``xlsx`` hold the published
    rows, in which every combination of the quasi-identifiers occurs at least
    ``k`` times, and ``report`` what was generalised and suppressed: nothing
    here is a record of a person.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    k = models.PositiveIntegerField(_("k"))
    quasi_identifiers = models.CharField(
        _("quasi-identifiers"), max_length=500, help_text=_("Comma-separated, in the order given.")
    )
    max_suppression = models.FloatField(_("share of rows that may be suppressed"))
    identified_only = models.BooleanField(_("identified victims only"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=12, choices=RunStep.choices, default=RunStep.QUEUED)
    report = models.JSONField(_("anonymisation report"), null=True, blank=True, editable=False)
    csv = models.BinaryField(_("CSV file"), null=True, blank=True, editable=False)
    xlsx = models.BinaryField(_("XLSX file"), null=True, blank=True, editable=False)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last progress at"), auto_now=True)

    class Meta:
        verbose_name = _("public dataset build")
        verbose_name_plural = _("public dataset builds")
        ordering: ClassVar[list[str]] = ["-created_at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "year_from", "year_to"], name="publication_run_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year_from}-{self.year_to} k={self.k} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def quasi_identifier_list(self) -> list[str]:
        return [name for name in self.quasi_identifiers.split(",") if name]

    def parameters(self) -> dict[str, object]:
        """The build's parameters (what the audit trail records, what a retry is compared on)."""
        return {
            "year_from": self.year_from,
            "year_to": self.year_to,
            "k": self.k,
            "quasi_identifiers": self.quasi_identifiers,
            "max_suppression": self.max_suppression,
            "identified_only": self.identified_only,
        }
