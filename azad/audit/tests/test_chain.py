from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from azad.audit.models import AuditEvent, ChainHead
from azad.audit.services import GENESIS_HASH, compute_hash, record_event
from azad.audit.verify import verify_chain


@pytest.mark.django_db
def test_it_seeds_the_chain_head_in_the_migration():
    head = ChainHead.objects.get(id=1)
    assert (head.seq, head.hash) == (0, GENESIS_HASH)


@pytest.mark.django_db
def test_it_links_each_event_to_the_one_before():
    first = record_event("test.one", actor="pytest")
    second = record_event("test.two", actor="pytest", payload={"n": 2})

    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert compute_hash(AuditEvent.objects.get(seq=2)) == second.hash
    head = ChainHead.objects.get(id=1)
    assert (head.seq, head.hash) == (2, second.hash)


@pytest.mark.django_db
def test_it_appends_inside_the_callers_transaction_and_rolls_back_with_it():
    record_event("test.kept", actor="pytest")
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event("test.lost", actor="pytest")
        raise RuntimeError

    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.kept"]
    assert ChainHead.objects.get(id=1).seq == 1
    assert verify_chain().ok


@pytest.mark.django_db
def test_it_recreates_a_missing_chain_head_on_an_empty_trail():
    ChainHead.objects.all().delete()

    event = record_event("test.after_flush", actor="pytest")

    assert (event.seq, event.prev_hash) == (1, GENESIS_HASH)
    assert ChainHead.objects.get(id=1).seq == 1


@pytest.mark.django_db
def test_it_refuses_to_fork_the_chain_when_the_head_is_lost_but_events_remain():
    record_event("test.one", actor="pytest")
    ChainHead.objects.all().delete()

    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (IntegrityError on seq)
        record_event("test.fork", actor="pytest")

    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_keeps_seq_continuous_under_concurrent_appends():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Shared-cache in-memory SQLite locks per table and does not wait; the
        # real (file, WAL, IMMEDIATE) database does: AZAD_SQLITE_TEST_PATH=... runs it.
        pytest.skip("needs a file-backed SQLite test database or PostgreSQL")
    threads, per_thread, errors = 6, 15, []

    def append(n: int) -> None:
        try:
            for i in range(per_thread):
                record_event("test.concurrent", actor=f"thread {n}", payload={"i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 1))
    result = verify_chain()
    assert result.ok and result.checked == threads * per_thread


@pytest.mark.django_db
def test_it_hashes_the_time_in_utc_whatever_zone_it_was_made_in():
    import datetime as dt
    import zoneinfo

    from azad.audit.tests.factories import make_event

    made = make_event("test.baku", at=dt.datetime(2025, 3, 12, 1, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Baku")))

    stored = AuditEvent.objects.get(seq=made.seq)
    assert compute_hash(stored) == made.hash
    assert verify_chain().ok
