"""Enumerations of the annual report."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportLanguage(models.TextChoices):
    """The languages a report is written and produced in (Azerbaijani first)."""

    AZ = "az", _("Azerbaijani")
    EN = "en", _("English")
    RU = "ru", _("Russian")


class RunStatus(models.TextChoices):
    """Where a report's generation stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Step(models.TextChoices):
    """The step a running generation is at (shown beside the progress bar)."""

    QUEUED = "queued", _("Waiting to start")
    FIGURES = "figures", _("Counting this year's figures")
    PREVIOUS = "previous", _("Counting the previous year's figures")
    CLOCKS = "clocks", _("Counting overdue legal clocks")
    CHARTS = "charts", _("Drawing the charts")
    PDF = "pdf", _("Writing the PDF")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Stopped by an error")
