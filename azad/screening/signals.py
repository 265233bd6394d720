"""Keep the shipped indicator lists in the database.

The lists that come with Azad are reference data, loaded by migration 0002.
``flush`` (used by tests and by operators resetting a development database)
empties every table and then sends ``post_migrate``; this receiver loads the
shipped lists again, so a flushed database can still screen. Loading is
idempotent: lists already present are left as they are.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def load_shipped_lists(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Load every shipped list file that is not in the database yet."""
    from azad.screening import loader
    from azad.screening.models import Indicator, IndicatorList

    if using != "default":
        return
    with transaction.atomic(using=using):
        for path in loader.shipped_files():
            parsed = loader.parse_list_file(path.read_bytes())
            if not IndicatorList.objects.filter(code=parsed.code, version=parsed.version).exists():
                loader.save_list(
                    parsed, list_model=IndicatorList, indicator_model=Indicator, loaded_by="migration"
                )
