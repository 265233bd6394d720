"""Database triggers that make the audit table append-only, per database vendor.

The migration installs them; :func:`lifted` removes them for the length of a
``with`` block (the ``flush`` command outside production, and tests that
tamper with the table on purpose). Anyone who may run DDL can drop them: they
guard against mistakes and casual tampering, and the hash chain finds the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END",
]
_SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]

# SQLSTATE 23000 (integrity_constraint_violation): drivers raise IntegrityError,
# as SQLite's RAISE(ABORT) does, so callers see the same error on both vendors.
_POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END;
    $body$
    """,
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse()",
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
]


def install_sql(vendor: str) -> list[str]:
    """Statements creating the triggers on ``vendor`` ("sqlite" or "postgresql")."""
    return {"sqlite": _SQLITE_INSTALL, "postgresql": _POSTGRES_INSTALL}.get(vendor, [])


def remove_sql(vendor: str) -> list[str]:
    """Statements dropping the triggers on ``vendor``."""
    return {"sqlite": _SQLITE_REMOVE, "postgresql": _POSTGRES_REMOVE}.get(vendor, [])


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers on ``connection`` (idempotent)."""
    with connection.cursor() as cursor:
        for sql in install_sql(connection.vendor):
            cursor.execute(sql)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers on ``connection`` (idempotent)."""
    with connection.cursor() as cursor:
        for sql in remove_sql(connection.vendor):
            cursor.execute(sql)


@contextmanager
def lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Drop the triggers for the ``with`` block and put them back afterwards, whatever happens."""
    remove(connection)
    try:
        yield
    finally:
        install(connection)
