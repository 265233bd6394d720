"""Seed the chain head and make the audit table append-only in the database itself.

The SQL is written out here (not imported from azad.audit.triggers) so this
migration keeps doing what it did when it was written; triggers.py holds the
same statements for run-time use.
"""

from django.db import migrations

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

INSTALL = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END",
    ],
    "postgresql": [
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
    ],
}

REMOVE = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
        f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
    ],
}


def seed_chain_head(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    ChainHead.objects.using(schema_editor.connection.alias).get_or_create(
        id=1, defaults={"seq": 0, "hash": "0" * 64}
    )


def install_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in INSTALL:
        raise RuntimeError(f"Azad has no append-only triggers for the {vendor} database.")
    for sql in INSTALL[vendor]:
        schema_editor.execute(sql, params=None)


def remove_triggers(apps, schema_editor):
    for sql in REMOVE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_chain_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
