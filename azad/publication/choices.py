"""Enumerations of publication: where a case-level export request stands."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    """pending -> approved (by another person) / refused; approved -> downloaded (once)."""

    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    DOWNLOADED = "downloaded", _("Downloaded")
