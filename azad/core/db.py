"""Database helpers that differ between SQLite and PostgreSQL.

``order_by(az_collate("name"))`` sorts in Azerbaijani alphabet order on both:
PostgreSQL has the ICU collation ``az-x-icu``; on SQLite a collation of the
same name is registered on every new connection.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate
from django.dispatch import receiver

from azad.core.text import az_sort_key

AZ_COLLATION = "az-x-icu"


def _sqlite_az_compare(left: str, right: str) -> int:
    a, b = az_sort_key(left), az_sort_key(right)
    return (a > b) - (a < b)


@receiver(connection_created)
def register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give every SQLite connection the Azerbaijani collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(AZ_COLLATION, _sqlite_az_compare)


def az_collate(field: str) -> Collate:
    """An ORDER BY expression sorting ``field`` in Azerbaijani order."""
    return Collate(F(field), AZ_COLLATION)
