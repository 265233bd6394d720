from __future__ import annotations

import pytest

from azad.audit.models import AuditEvent
from azad.audit.services import record_event


@pytest.mark.django_db
def test_it_lists_events_newest_first_with_a_cursor(auditor_client):
    for n in range(7):
        record_event("test.event", actor="pytest", payload={"n": n})

    first = auditor_client.get("/api/v1/audit/events/", {"page_size": 5})
    second = auditor_client.get(first.json()["next"])

    assert first.status_code == 200 and second.status_code == 200
    seqs = [row["seq"] for row in first.json()["results"] + second.json()["results"]]
    assert seqs == sorted(AuditEvent.objects.values_list("seq", flat=True), reverse=True)
    assert "count" not in first.json()


@pytest.mark.django_db
def test_it_returns_one_event_by_seq_with_its_label(auditor_client):
    event = record_event("export", actor="pytest", payload={"kind": "cases.csv", "count": 2})
    auditor_client.cookies["azad_language"] = "en"

    response = auditor_client.get(f"/api/v1/audit/events/{event.seq}/")

    assert response.status_code == 200
    body = response.json()
    assert body["seq"] == event.seq and body["hash"] == event.hash and body["prev_hash"] == event.prev_hash
    assert body["action"] == "export" and body["action_label"] == "Exported data"
    assert body["payload"] == {"kind": "cases.csv", "count": 2}
    assert body["actor"] is None and body["actor_label"] == "pytest"


@pytest.mark.django_db
def test_it_answers_404_for_an_event_that_does_not_exist(auditor_client):
    assert auditor_client.get("/api/v1/audit/events/424242/").status_code == 404
    assert not AuditEvent.objects.filter(action="access.denied").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_offers_no_way_to_write(auditor_client, method):
    event = record_event("test.event", actor="pytest")
    url = "/api/v1/audit/events/" if method == "post" else f"/api/v1/audit/events/{event.seq}/"

    response = getattr(auditor_client, method)(url, {}, content_type="application/json")

    assert response.status_code in {403, 405}
    assert AuditEvent.objects.get(seq=event.seq).action == "test.event"


@pytest.mark.django_db
def test_it_describes_the_endpoints_in_the_schema(auditor_client):
    response = auditor_client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/audit/events/" in paths and "/api/v1/audit/events/{seq}/" in paths
    names = {p["name"] for p in paths["/api/v1/audit/events/"]["get"]["parameters"]}
    assert {
        "who",
        "organisation",
        "action",
        "target_type",
        "target_id",
        "date_from",
        "date_to",
        "only",
    } <= names
