"""Building the public dataset outside the request: a background thread moves the run's progress.

:func:`launch` hands a queued run to a daemon thread once the transaction that
queued it commits, so the web server answers at once and the page polls the
run's progress. With ``AZAD_PUBLICATION_INLINE = True`` (tests) the run is
built in the caller, which makes tests deterministic. A thread stopped with
its worker leaves the run unfinished; after
:data:`azad.publication.services.STALE_AFTER` without progress it shows as
interrupted and a new build with the same parameters may start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings

from azad.core import background
from azad.publication import services
from azad.publication.choices import RunStatus, RunStep
from azad.publication.models import DatasetRun

logger = logging.getLogger("azad.publication")

Listener = Callable[[int, RunStep], None]

# Where each step starts on the progress bar (reading the cases is most of the work).
READING, ANONYMISING, WRITING_CSV, WRITING_XLSX = 1, 60, 70, 75
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header


def generate(run_id: Any, *, listener: Listener | None = None) -> DatasetRun:
    """Read, anonymise and write the run's dataset; the run ends done or failed (never raises)."""
    run = DatasetRun.objects.defer("csv", "xlsx", "report").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run

    def progress(percent: int, step: RunStep) -> None:
        if run.status == RunStatus.RUNNING and (percent, step) == (run.progress, run.step):
            return
        services.record_run_progress(run, percent, step)
        if listener is not None:
            listener(run.progress, step)

    def reading(done: int, total: int) -> None:
        if done >= total:
            progress(ANONYMISING, RunStep.ANONYMISING)
        else:
            progress(READING + (ANONYMISING - READING) * done // total, RunStep.READING)

    def writing_xlsx(done: int, total: int) -> None:
        progress(WRITING_XLSX + (99 - WRITING_XLSX) * done // max(total, 1), RunStep.WRITING)

    try:
        progress(READING, RunStep.READING)
        data = services.build_public_dataset(
            actor=services.GENERATOR_ACTOR,
            year_from=run.year_from,
            year_to=run.year_to,
            k=run.k,
            quasi_identifiers=run.quasi_identifier_list,
            max_suppression=run.max_suppression,
            identified_only=run.identified_only,
            progress=reading,
        )
        progress(WRITING_CSV, RunStep.WRITING)
        csv = services.public_dataset_csv(data)
        progress(WRITING_XLSX, RunStep.WRITING)
        xlsx = (
            services.public_dataset_xlsx(data, progress=writing_xlsx)
            if data.report.rows_out <= XLSX_MAX_ROWS
            else None
        )
        services.finish_dataset_run(run, report=data.report.as_dict(), csv=csv, xlsx=xlsx)
    except Exception as error:  # the run must end; the reason is logged
        logger.exception("public dataset run %s failed", run.pk)
        services.fail_dataset_run(run, type(error).__name__)
    if listener is not None:
        listener(run.progress, RunStep(run.step))
    return run


def launch(run: DatasetRun) -> None:
    """Start building ``run``: now (inline setting) or in a thread after the commit."""
    background.launch(run, generate, inline=settings.AZAD_PUBLICATION_INLINE, name="public-dataset")
