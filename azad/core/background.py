"""Long work outside the request: a run row moved by a daemon thread once the request's transaction commits.

Used by the annual report (:mod:`azad.reports.generation`) and the public
dataset (:mod:`azad.publication.generation`): the view queues a run, the
thread does the work and records progress on the run, the page polls it. An
``inline`` flag (a setting, true in tests and commands) does the work in the
caller instead, which keeps tests deterministic.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connections, transaction

# What the work changes on a run, re-read after inline work.
RUN_PROGRESS_FIELDS = ("status", "progress", "step", "error", "started_at", "finished_at", "updated_at")


def _in_thread(work: Callable[[Any], Any], run_id: Any) -> None:
    close_old_connections()
    try:
        work(run_id)
    finally:
        connections.close_all()


def launch(run: Any, work: Callable[[Any], Any], *, inline: bool, name: str) -> None:
    """Do ``work(run.pk)`` now (``inline``) or in a daemon thread named ``name`` after the commit."""
    if inline:
        work(run.pk)
        run.refresh_from_db(fields=list(RUN_PROGRESS_FIELDS))
        return
    transaction.on_commit(
        lambda: threading.Thread(
            target=_in_thread, args=(work, run.pk), name=f"{name}-{run.pk}", daemon=True
        ).start()
    )
