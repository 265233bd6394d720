"""Enumerations of publication: where a case-level export request and a build of the public dataset stand."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    """pending -> approved (by another person) / refused; approved -> downloaded (once)."""

    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    DOWNLOADED = "downloaded", _("Downloaded")


class RunStatus(models.TextChoices):
    """Where a build of the public dataset stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunStep(models.TextChoices):
    """The step a running build of the public dataset is at (shown beside the progress bar)."""

    QUEUED = "queued", _("Waiting to start")
    READING = "reading", _("Reading the cases")
    ANONYMISING = "anonymising", _("Generalising and suppressing")
    WRITING = "writing", _("Writing the CSV and XLSX files")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Stopped by an error")
