"""Generating a report outside the request: a background thread moves the run's progress.

:func:`launch` hands a queued run to a daemon thread once the transaction that
queued it commits, so the web server answers at once and the page polls the
run's progress. With ``AZAD_REPORTS_INLINE = True`` (tests, the command) the
run is generated in the caller, which makes tests deterministic. A thread
stopped with its worker leaves the run unfinished; after
:data:`azad.reports.services.STALE_AFTER` without progress it shows as
interrupted and a new generation may start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings

from azad.core import background
from azad.reports import content as report_content
from azad.reports import document, services
from azad.reports.choices import RunStatus, Step
from azad.reports.models import ReportRun

logger = logging.getLogger("azad.reports")

Listener = Callable[[int, Step], None]


def generate(run_id: Any, *, listener: Listener | None = None) -> ReportRun:
    """Count, draw and render the run's report; the run ends done or failed (never raises)."""
    run = ReportRun.objects.defer("pdf", "content").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run

    def progress(percent: int, step: Step) -> None:
        services.record_progress(run, percent, step)
        if listener is not None:
            listener(run.progress, step)

    try:
        progress(1, Step.FIGURES)
        narrative = services.narrative_for(run.year, run.language).text
        content = report_content.build(run.year, run.language, narrative, progress=progress)
        progress(86, Step.PDF)
        pdf = document.render_pdf(content)
        services.finish_run(run, content=content, pdf=pdf)
    except Exception as error:  # the run must end; the reason is logged
        logger.exception("annual report run %s failed", run.pk)
        services.fail_run(run, type(error).__name__)
    if listener is not None:
        listener(run.progress, Step(run.step))
    return run


def launch(run: ReportRun) -> None:
    """Start generating ``run``: now (inline setting) or in a thread after the commit."""
    background.launch(run, generate, inline=settings.AZAD_REPORTS_INLINE, name="annual-report")
