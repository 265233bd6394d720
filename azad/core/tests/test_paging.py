"""The capped paginator: counts up to its cap, says when rows go on beyond it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from azad.audit.models import AuditEvent
from azad.audit.services import record_event
from azad.core.paging import CappedPaginator

pytestmark = pytest.mark.django_db


def _events(n: int) -> None:
    for i in range(n):
        record_event("test.paging", actor="pytest", payload={"n": i})


def test_it_counts_every_row_under_the_cap() -> None:
    _events(7)
    paginator = CappedPaginator(AuditEvent.objects.filter(action="test.paging").order_by("seq"), 3, cap=10)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (7, False, 3)


def test_it_stops_at_the_cap_and_says_there_are_more() -> None:
    _events(12)
    paginator = CappedPaginator(AuditEvent.objects.filter(action="test.paging").order_by("seq"), 5, cap=10)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (10, True, 2)
    assert [e.payload["n"] for e in paginator.get_page(99).object_list] == [5, 6, 7, 8, 9]


def test_it_is_not_capped_at_exactly_the_cap() -> None:
    _events(10)
    paginator = CappedPaginator(AuditEvent.objects.filter(action="test.paging"), 5, cap=10)

    assert (paginator.count, paginator.capped) == (10, False)


def test_it_counts_with_one_limited_query() -> None:
    _events(12)
    paginator = CappedPaginator(AuditEvent.objects.filter(action="test.paging"), 5, cap=10)

    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 10
        assert paginator.capped

    assert len(queries) == 1
    assert "LIMIT" in queries[0]["sql"].upper()
