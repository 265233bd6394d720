from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client

from azad.audit.models import AuditEvent
from azad.audit.services import (
    record_denied,
    record_event,
    record_export,
    record_sign_in_failure,
    record_view,
)
from azad.audit.tests.factories import make_event, make_org, make_user, tamper
from azad.audit.views import PAGE_SIZE
from azad.core.permissions import Role

BAKU = zoneinfo.ZoneInfo("Asia/Baku")


def baku(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=BAKU)


@pytest.fixture
def dataset(db, auditor_client):
    """Five events of different kinds, people, organisations and days (Baku time)."""
    from unittest import mock

    from django.test import RequestFactory

    org_a, org_b = make_org("Təmiz Dünya"), make_org("Aydın Gələcək")
    farid = make_user(Role.NGO_CASEWORKER, org_a, username="farid")
    gunay = make_user(Role.POLICE_INVESTIGATOR, org_b, username="gunay")
    subject = make_user(Role.SHELTER_STAFF, org_a, username="subject")
    events = {}
    events["create"] = make_event("accounts.user.create", actor=farid, target=subject, at=baku(9, 12))
    with mock.patch("azad.audit.services.timezone.now", return_value=baku(10, 10)):
        events["view"] = record_view(farid, subject)
    with mock.patch("azad.audit.services.timezone.now", return_value=baku(11, 9)):
        events["failed"] = record_sign_in_failure("farid")
    request = RequestFactory().get("/somewhere/")
    request.user = gunay
    with mock.patch("azad.audit.services.timezone.now", return_value=baku(11, 23, 30)):
        events["denied"] = record_denied(request, status=403, reason="forbidden")
    with mock.patch("azad.audit.services.timezone.now", return_value=baku(12, 1)):
        events["export"] = record_export(gunay, kind="cases.csv", count=3)
    return {"events": events, "org_a": org_a, "org_b": org_b, "subject": subject}


def _page_seqs(client: Client, params: dict) -> list[int]:
    response = client.get("/audit/", params)
    assert response.status_code == 200
    return [event.seq for event in response.context["page"].events]


def _api_seqs(client: Client, params: dict) -> list[int]:
    response = client.get("/api/v1/audit/events/", params)
    assert response.status_code == 200
    return [row["seq"] for row in response.json()["results"]]


FILTER_CASES = {
    "who (part of a username)": ({"who": "fari"}, {"create", "view"}),
    "who (failed sign-ins by exact username)": ({"who": "Farid"}, {"create", "view", "failed"}),
    "organisation": ({"organisation": "org_a"}, {"create", "view"}),
    "action": ({"action": "record.view"}, {"view"}),
    "record type": ({"target_type": "accounts.user"}, {"create", "view"}),
    "record id": ({"target_id": "subject"}, {"create", "view"}),
    "date from (Baku midnight)": ({"date_from": "2025-03-12"}, {"export"}),
    "date to (inclusive, Baku)": ({"date_to": "2025-03-11"}, {"create", "view", "failed", "denied"}),
    "period": ({"date_from": "2025-03-10", "date_to": "2025-03-10"}, {"view"}),
    "views only": ({"only": "views"}, {"view"}),
    "exports only": ({"only": "exports"}, {"export"}),
    "sign-ins and denied access only": ({"only": "access"}, {"failed", "denied"}),
    "views or exports": ({"only": ["views", "exports"]}, {"view", "export"}),
}


def _resolve(params: dict, dataset: dict) -> dict:
    resolved = dict(params)
    if resolved.get("organisation") == "org_a":
        resolved["organisation"] = dataset["org_a"].pk
    if resolved.get("target_id") == "subject":
        resolved["target_id"] = str(dataset["subject"].pk)
    return resolved


@pytest.mark.parametrize("where", ["page", "api"])
@pytest.mark.parametrize("case", list(FILTER_CASES))
def test_it_filters_the_trail(auditor_client, dataset, case, where):
    params, expected = FILTER_CASES[case]
    by_seq = {event.seq: name for name, event in dataset["events"].items()}

    seqs = (_page_seqs if where == "page" else _api_seqs)(auditor_client, _resolve(params, dataset))

    assert {by_seq[s] for s in seqs if s in by_seq} == expected
    assert seqs == sorted(seqs, reverse=True)


@pytest.mark.django_db
def test_it_lists_events_newest_first_with_who_organisation_and_action(auditor_client, dataset):
    response = auditor_client.get("/audit/")

    assert response.status_code == 200
    seqs = [event.seq for event in response.context["page"].events]
    assert seqs == sorted(seqs, reverse=True)
    html = response.content.decode()
    assert "Təmiz Dünya" in html and "farid" in html
    assert f'href="/audit/{dataset["events"]["view"].seq}/"' in html


@pytest.mark.django_db
def test_it_shows_times_in_baku_time(auditor_client, dataset):
    auditor_client.cookies["azad_language"] = "en"
    response = auditor_client.get("/audit/", {"only": "exports"})

    # 01:00 in Baku on 12 March is 21:00 UTC on 11 March.
    assert 'datetime="2025-03-12T01:00:00+04:00"' in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_period_ending_before_it_starts(auditor_client, dataset):
    response = auditor_client.get("/audit/", {"date_from": "2025-03-12", "date_to": "2025-03-01"})

    assert response.status_code == 400
    assert response.context["page"].events == []
    assert "date_to" in response.context["filter"].errors


@pytest.mark.django_db
def test_it_refuses_an_unknown_action_in_the_api(auditor_client, dataset):
    response = auditor_client.get("/api/v1/audit/events/", {"action": "no.such.action"})

    assert response.status_code == 400
    assert "action" in response.json()


@pytest.mark.django_db
def test_it_refuses_a_page_marker_that_is_not_a_number(auditor_client):
    assert auditor_client.get("/audit/", {"before": "abc"}).status_code == 400


@pytest.mark.django_db
def test_it_pages_fifty_at_a_time_by_seq(auditor_client):
    for n in range(PAGE_SIZE + 10):
        record_event("test.event", actor="pytest", payload={"n": n})
    newest = AuditEvent.objects.order_by("-seq").first().seq

    first = auditor_client.get("/audit/", {"action": ""})
    older = first.context["page"].older
    second = auditor_client.get("/audit/", {"before": older})
    back = auditor_client.get("/audit/", {"after": second.context["page"].newer})

    first_seqs = [e.seq for e in first.context["page"].events]
    assert first_seqs == list(range(newest, newest - PAGE_SIZE, -1))
    assert first.context["page"].newer is None
    assert f"before={older}" in first.content.decode()
    second_seqs = [e.seq for e in second.context["page"].events]
    assert second_seqs == list(range(older - 1, 0, -1))
    assert second.context["page"].older is None
    assert [e.seq for e in back.context["page"].events] == first_seqs


@pytest.mark.django_db
def test_it_lists_without_a_query_per_row(auditor_client, django_assert_max_num_queries):
    orgs = [make_org() for _ in range(5)]
    people = [make_user(Role.NGO_CASEWORKER, orgs[n % 5]) for n in range(10)]
    for n in range(60):
        record_event("test.event", actor=people[n % 10], target=people[(n + 1) % 10])

    with django_assert_max_num_queries(10):
        response = auditor_client.get("/audit/")

    assert response.status_code == 200
    assert len(response.context["page"].events) == PAGE_SIZE


@pytest.mark.django_db
def test_it_answers_htmx_with_the_results_only(auditor_client, dataset):
    response = auditor_client.get("/audit/", {"only": "views"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="audit-results">')
    assert "<form" not in html


@pytest.mark.django_db
def test_it_shows_one_event_with_its_payload_and_a_verified_link(auditor_client, dataset):
    export = dataset["events"]["export"]

    response = auditor_client.get(f"/audit/{export.seq}/")

    assert response.status_code == 200
    assert response.context["event"] == export
    assert response.context["link"].ok
    html = response.content.decode()
    assert "cases.csv" in html and export.hash in html
    assert "badge on" in html


@pytest.mark.django_db
def test_it_shows_a_broken_link_on_the_detail_page(auditor_client, dataset):
    view = dataset["events"]["view"]
    tamper("UPDATE audit_auditevent SET target_id = %s WHERE seq = %s", ["forged", view.seq])

    response = auditor_client.get(f"/audit/{view.seq}/")

    assert response.status_code == 200
    assert not response.context["link"].hash_ok
    assert "badge off" in response.content.decode()


@pytest.mark.django_db
def test_it_offers_the_chain_check_without_running_it_on_get(auditor_client):
    before = AuditEvent.objects.count()

    response = auditor_client.get("/audit/verify/")

    assert response.status_code == 200
    assert response.context["result"] is None
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_it_checks_the_chain_on_post_and_records_the_check(auditor_client, auditor, dataset):
    auditor_client.cookies["azad_language"] = "en"
    response = auditor_client.post("/audit/verify/")

    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok
    assert "intact" in response.content.decode()
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_id) == ("audit.verify", auditor.pk)
    assert event.payload == {"ok": True, "checked": result.checked, "broken_seq": None, "problem": ""}


@pytest.mark.django_db
def test_it_names_the_broken_link_on_the_check_page(auditor_client, dataset):
    failed = dataset["events"]["failed"]
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [failed.seq])

    response = auditor_client.post("/audit/verify/")

    assert response.status_code == 200
    assert response.context["result"].broken_seq == failed.seq
    assert f'href="/audit/{failed.seq}/"' in response.content.decode()
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "audit.verify"
    assert event.payload["ok"] is False and event.payload["broken_seq"] == failed.seq
