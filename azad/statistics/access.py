"""Who sees the statistics, and who sees them suppressed.

Statistics are aggregates: anyone with at least aggregate access to
``Data.STATISTICS`` sees the dashboards. Whoever may not read case content
(analysts, the National Coordinator, auditors, administrators...) gets every
cell under :func:`threshold` suppressed, and the cells that would reveal them
(:mod:`azad.statistics.suppression`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from azad.core.permissions import Data, Level, can

DEFAULT_THRESHOLD = 11
MINIMUM_THRESHOLD = 2


def may_see_statistics(user: Any) -> bool:
    """The dashboards, downloads and API are for whoever has aggregate access to statistics."""
    return can(user, Data.STATISTICS, Level.AGGREGATE)


def must_suppress(user: Any) -> bool:
    """Small cells are suppressed for everyone who may not read case content."""
    return not can(user, Data.CASE_CONTENT, Level.READ)


def threshold() -> int:
    """The smallest count shown to those who get suppressed figures (``AZAD_SUPPRESSION_THRESHOLD``, default 11)."""
    value = getattr(settings, "AZAD_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int) or value < MINIMUM_THRESHOLD:
        raise ImproperlyConfigured("AZAD_SUPPRESSION_THRESHOLD must be a whole number of at least 2.")
    return value
