"""Keep the allowance rate in force since 2024 in the database.

Migration 0003 records the reintegration allowance of 700 AZN from
2024-01-01. ``flush`` (used by tests and by operators resetting a development
database) empties every table and then sends ``post_migrate``; this receiver
records that rate again, so a flushed database can still pay the allowance.
Idempotent: a rate already recorded for that date is left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

SHIPPED_RATE_FROM = dt.date(2024, 1, 1)
SHIPPED_RATE = Decimal("700.00")


def ensure_shipped_allowance_rate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Record the shipped allowance rate when no rate from its date exists."""
    from azad.cases.models import AllowanceRate

    if using != "default":
        return
    AllowanceRate.objects.get_or_create(
        valid_from=SHIPPED_RATE_FROM, defaults={"amount": SHIPPED_RATE, "currency": "AZN"}
    )
