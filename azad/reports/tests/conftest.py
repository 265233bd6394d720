"""Personas and builders for the annual report's tests; generation runs inline (deterministic)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from azad.accounts.models import User
from azad.accounts.tests.factories import make_user
from azad.core.permissions import Role
from azad.reports.choices import RunStatus, Step
from azad.reports.models import ReportRun

YEAR = timezone.localdate().year - 1


@pytest.fixture(autouse=True)
def _inline_generation(settings: Any) -> None:
    """Generate in the test's thread: no background thread, no waiting."""
    settings.AZAD_REPORTS_INLINE = True


@pytest.fixture
def coordinator(db: None) -> User:
    return make_user(Role.NATIONAL_COORDINATOR)


@pytest.fixture
def analyst(db: None) -> User:
    return make_user(Role.ANALYST)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sample_content(year: int = YEAR, language: str = "en", narrative: str = "") -> dict[str, Any]:
    """A small finished report's content, as :func:`azad.reports.content.build` makes it."""
    return {
        "year": year,
        "previous_year": year - 1,
        "language": language,
        "country": "Azerbaijan",
        "generated_at": timezone.now().isoformat(),
        "period_start": dt.date(year, 1, 1).isoformat(),
        "period_end": dt.date(year, 12, 31).isoformat(),
        "threshold": 11,
        "narrative": narrative,
        "has_data": True,
        "tables": [
            {
                "key": "victims_by_sex",
                "title": "Victims by sex",
                "row_label": "Sex",
                "header": [str(year), str(year - 1)],
                "rows": [{"label": "Female", "cells": [40, None]}, {"label": "Male", "cells": [None, 12]}],
                "has_data": True,
                "suppressed": True,
                "chart": "",
            }
        ],
        "overdue": {
            "key": "overdue_clocks",
            "title": "Legal clocks that went overdue",
            "row_label": "Clock",
            "header": [str(year), str(year - 1)],
            "rows": [{"label": "Referral to ATD", "cells": [0, 0]}],
            "has_data": False,
            "suppressed": False,
            "chart": "",
        },
        "merged_records": 0,
    }


def make_done_run(requested_by: User | None = None, **extra: Any) -> ReportRun:
    """A finished run with a stand-in PDF (no rendering: for access and page tests)."""
    values: dict[str, Any] = {
        "year": YEAR,
        "language": "en",
        "requested_by": requested_by,
        "status": RunStatus.DONE,
        "step": Step.DONE,
        "progress": 100,
        "content": sample_content(),
        "pdf": b"%PDF-1.7 stand-in",
        "finished_at": timezone.now(),
    }
    values.update(extra)
    return ReportRun.objects.create(**values)
