from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from azad.audit.models import AuditEvent
from azad.audit.services import record_event


@pytest.mark.django_db
def test_it_refuses_an_update_of_an_event_in_the_database():
    event = record_event("test.one", actor="pytest", payload={"n": 1})

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET payload = %s WHERE seq = %s", ['{"n": 2}', event.seq])

    assert AuditEvent.objects.get(seq=event.seq).payload == {"n": 1}


@pytest.mark.django_db
def test_it_refuses_a_delete_of_an_event_in_the_database():
    event = record_event("test.one", actor="pytest")

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [event.seq])

    assert AuditEvent.objects.filter(seq=event.seq).exists()


@pytest.mark.django_db
def test_it_refuses_a_save_of_an_existing_event_through_the_orm():
    event = record_event("test.one", actor="pytest")
    event.action = "test.rewritten"

    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()

    assert AuditEvent.objects.get(seq=event.seq).action == "test.one"


@pytest.mark.django_db
def test_it_refuses_to_truncate_the_table_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement; SQLite's DELETE is covered above")
    record_event("test.one", actor="pytest")

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent")

    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_lets_flush_empty_the_trail_outside_production_and_restores_the_triggers():
    record_event("test.one", actor="pytest")

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEvent.objects.count() == 0
    event = record_event("test.after", actor="pytest")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [event.seq])


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_triggers_when_flushing_in_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    record_event("test.one", actor="pytest")

    with pytest.raises(CommandError):
        call_command("flush", interactive=False, verbosity=0)

    assert AuditEvent.objects.count() == 1
    settings.PRODUCTION = False  # let the test's own teardown flush
