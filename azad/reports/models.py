"""The annual report: the Coordinator's narrative and each generation of the report.

Nothing here is personal data: the narrative is the Coordinator's text for
Parliament, and a run keeps the report's aggregates (already suppressed) and
the PDF made from them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from azad.core.locking import Versioned
from azad.reports.choices import ReportLanguage, RunStatus, Step


class Narrative(Versioned):
    """The text the National Coordinator writes for one year's report in one language.

    Edited through :func:`azad.reports.services.save_narrative` with the version
    read (optimistic locking); a report copies the text at generation time.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices)
    text = models.TextField(_("narrative"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("annual report narrative")
        verbose_name_plural = _("annual report narratives")
        constraints = [models.UniqueConstraint(fields=["year", "language"], name="reports_narrative_unique")]

    def __str__(self) -> str:
        return f"{self.year} ({self.language})"


class ReportRun(models.Model):
    """One generation of the annual report for a year and a language, with its progress.

    ``content`` holds the report's figures as shown (suppressed, with the
    previous year beside them) so the web page and the PDF say the same
    thing; ``pdf`` holds the rendered document. Generation runs outside the
    request (:mod:`azad.reports.generation`) and moves ``progress`` and ``step``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices)
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
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, default=Step.QUEUED)
    content = models.JSONField(_("content"), null=True, blank=True, editable=False)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last progress at"), auto_now=True)

    class Meta:
        verbose_name = _("annual report run")
        verbose_name_plural = _("annual report runs")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["year", "language", "status"], name="reports_run_year_lang")]

    def __str__(self) -> str:
        return f"{self.year} ({self.language}) {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
