"""Who may read, generate and write the annual report. Deny by default.

The report holds aggregates only, always suppressed (it goes to Parliament
and the Ombudsman), but it is the National Coordinator's document, so the
roles x data table (``Data.STATISTICS`` at least ``AGGREGATE``) is narrowed
to the people who work on it:

* **read** runs, the web page and the PDF — the National Coordinator, analysts
  (who prepare the figures) and the Ombudsman's monitors (auditors, who receive it);
* **generate** a run — the National Coordinator and analysts;
* **write** the narrative — the National Coordinator only.

A run nobody may read -> :class:`~azad.core.exceptions.NotVisible` (404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from azad.core.exceptions import NotVisible
from azad.core.permissions import Data, Level, Role, can
from azad.reports.models import ReportRun

READERS = frozenset({Role.NATIONAL_COORDINATOR, Role.ANALYST, Role.AUDITOR})
GENERATORS = frozenset({Role.NATIONAL_COORDINATOR, Role.ANALYST})
EDITORS = frozenset({Role.NATIONAL_COORDINATOR})


def _has(user: Any, roles: frozenset[Role]) -> bool:
    return can(user, Data.STATISTICS, Level.AGGREGATE) and getattr(user, "role", "") in roles


def may_read_reports(user: Any) -> bool:
    """Whether ``user`` may see annual report runs, their web page and PDF."""
    return _has(user, READERS)


def may_generate_report(user: Any) -> bool:
    """Whether ``user`` may start a generation of the annual report."""
    return _has(user, GENERATORS)


def may_edit_narrative(user: Any) -> bool:
    """Whether ``user`` may write the report's narrative (the National Coordinator)."""
    return _has(user, EDITORS)


def visible_runs(user: Any) -> QuerySet[ReportRun]:
    """Runs ``user`` may see (all of them for readers: the report is national), without their PDFs."""
    if not may_read_reports(user):
        return ReportRun.objects.none()
    return ReportRun.objects.defer("pdf", "content").select_related("requested_by")


def get_run_for_user(user: Any, pk: Any, *, with_document: bool = False) -> ReportRun:
    """One run, or ``NotVisible`` (404); ``with_document`` loads its content and PDF too."""
    runs = visible_runs(user)
    if with_document:
        runs = runs.defer(None).select_related("requested_by")
    try:
        return runs.get(pk=pk)
    except (ReportRun.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
