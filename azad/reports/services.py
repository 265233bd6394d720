"""The only code that writes the annual report's rows. Every function is atomic and audited.

Audit payloads hold the year, the language and ids: never the narrative's text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.audit.services import record_event
from azad.core.locking import ConflictError, save_versioned
from azad.reports import access
from azad.reports.choices import ReportLanguage, RunStatus, Step
from azad.reports.models import Narrative, ReportRun

FIRST_YEAR = 2000
MAX_NARRATIVE = 50_000
GENERATOR_ACTOR = "azad annual report"


def current_year() -> int:
    """This year in Baku."""
    return timezone.localdate().year


def clean_year(value: Any) -> int:
    """``value`` as a report year, or a ValidationError (not a number, before 2000, in the future)."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Enter the year as a number, e.g. 2025.")}, code="invalid") from None
    last = current_year()
    if not FIRST_YEAR <= year <= last:
        raise ValidationError(
            {"year": _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": last}},
            code="out_of_range",
        )
    return year


def clean_language(value: Any) -> str:
    """``value`` as a report language code, or a ValidationError."""
    if value not in ReportLanguage.values:
        raise ValidationError({"language": _("Choose Azerbaijani, English or Russian.")}, code="invalid")
    return str(value)


def narrative_for(year: int, language: str) -> Narrative:
    """The saved narrative, or an unsaved empty one at version 0 (nothing written yet)."""
    found = Narrative.objects.filter(year=year, language=language).first()
    return found or Narrative(year=year, language=language, text="", version=0)


def save_narrative(year: Any, language: Any, text: str, *, actor: Any, expected_version: int) -> Narrative:
    """Write the narrative of ``year`` in ``language``; the National Coordinator only.

    ``expected_version`` is the version the editor read: 0 for a narrative not
    written yet. A stale version raises :class:`ConflictError` (nothing saved).
    """
    if not access.may_edit_narrative(actor):
        raise PermissionDenied
    year, language = clean_year(year), clean_language(language)
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_NARRATIVE:
        raise ValidationError(
            {"text": _("The narrative may be at most %(max)s characters long.") % {"max": MAX_NARRATIVE}}
        )
    with transaction.atomic():
        narrative = Narrative.objects.select_for_update().filter(year=year, language=language).first()
        if narrative is None:
            if int(expected_version) != 0:
                raise ConflictError
            try:
                with transaction.atomic():
                    narrative = Narrative.objects.create(
                        year=year, language=language, text=text, updated_by=actor
                    )
            except IntegrityError:
                raise ConflictError from None
        else:
            narrative.text = text
            narrative.updated_by = actor
            save_versioned(
                narrative, expected_version=expected_version, fields=["text", "updated_by", "updated_at"]
            )
        record_event(
            "reports.narrative.save",
            actor=actor,
            target=narrative,
            payload={"year": year, "language": language, "fields": ["text"], "version": narrative.version},
        )
    return narrative


def start_report(year: Any, language: Any, *, actor: Any) -> tuple[ReportRun, bool]:
    """Queue a generation of the report for ``year`` in ``language``; returns (run, created).

    ``actor`` is a user (who must be allowed to generate) or a command's name.
    A generation of the same year and language still under way is returned
    instead of queuing another (created = False), so repeated clicks cost nothing.
    """
    is_user = getattr(actor, "is_authenticated", False)
    if is_user and not access.may_generate_report(actor):
        raise PermissionDenied
    if not is_user and not isinstance(actor, str):
        raise PermissionDenied
    year, language = clean_year(year), clean_language(language)
    with transaction.atomic():
        active = (
            ReportRun.objects.defer("pdf", "content")
            .filter(year=year, language=language, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
            .filter(updated_at__gte=timezone.now() - STALE_AFTER)
            .first()
        )
        if active is not None:
            return active, False
        run = ReportRun.objects.create(year=year, language=language, requested_by=actor if is_user else None)
        record_event(
            "reports.run.start",
            actor=actor,
            target=run,
            payload={"year": year, "language": language},
        )
    return run, True


# A run that has not moved for this long was interrupted (its worker stopped).
STALE_AFTER = dt.timedelta(minutes=10)


def record_progress(run: ReportRun, progress: int, step: Step) -> None:
    """Move a running generation's progress bar (not audited: it is the generator's own bookkeeping)."""
    now = timezone.now()
    values: dict[str, Any] = {"progress": max(0, min(100, int(progress))), "step": step, "updated_at": now}
    if run.status == RunStatus.QUEUED:
        values.update(status=RunStatus.RUNNING, started_at=now)
    ReportRun.objects.filter(pk=run.pk).update(**values)
    for name, value in values.items():
        setattr(run, name, value)


def finish_run(run: ReportRun, *, content: dict[str, Any], pdf: bytes) -> None:
    """Store the finished report and mark the run done (audited)."""
    now = timezone.now()
    with transaction.atomic():
        ReportRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, step=Step.DONE, progress=100, content=content, pdf=pdf,
            finished_at=now, updated_at=now, error="",
        )  # fmt: skip
        record_event(
            "reports.run.finish",
            actor=GENERATOR_ACTOR,
            target=run,
            payload={"year": run.year, "language": run.language, "status": RunStatus.DONE, "bytes": len(pdf)},
        )
    run.status, run.step, run.progress, run.content, run.pdf = RunStatus.DONE, Step.DONE, 100, content, pdf
    run.finished_at = now


def fail_run(run: ReportRun, error: str) -> None:
    """Mark the run failed with the error's kind (a class name, never data), audited."""
    now = timezone.now()
    with transaction.atomic():
        ReportRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, step=Step.FAILED, error=error[:300], finished_at=now, updated_at=now
        )
        record_event(
            "reports.run.finish",
            actor=GENERATOR_ACTOR,
            target=run,
            payload={"year": run.year, "language": run.language, "status": RunStatus.FAILED},
        )
    run.status, run.step, run.error, run.finished_at = RunStatus.FAILED, Step.FAILED, error[:300], now


def is_stale(run: ReportRun) -> bool:
    """Whether an unfinished run stopped moving (its worker was stopped): shown as interrupted."""
    return not run.finished and run.updated_at < timezone.now() - STALE_AFTER
