"""The hotline API: a telephony system posts calls (idempotent), alerts, call-backs, articles."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from azad.accounts.choices import OrgType
from azad.accounts.tests.factories import make_org, make_user
from azad.audit.models import AuditEvent
from azad.core.permissions import Role
from azad.hotline.models import Alert, Call, Callback
from azad.hotline.tests.factories import make_call, make_operator, make_supervisor

pytestmark = pytest.mark.django_db


def _payload(**overrides):
    started = timezone.now() - dt.timedelta(minutes=8)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "started_at": started.isoformat(),
        "ended_at": (started + dt.timedelta(minutes=6)).isoformat(),
        "caller_type": "victim",
        "language": "en",
        "reason": "victim_seeking_help",
        "urgency": "immediate_danger",
        "summary": "Keeps passport, locked in flat.",
        "actions": ["referred_to_atd"],
        "caller_consented": True,
        "caller_name": "Aynur",
    }
    data.update(overrides)
    return data


def test_it_creates_a_call_once_per_idempotency_key(client):
    atd = make_org(org_type=OrgType.POLICE_ATD)
    client.force_login(make_operator())
    payload = _payload()
    first = client.post("/api/v1/hotline/calls/", payload, content_type="application/json")
    second = client.post("/api/v1/hotline/calls/", payload, content_type="application/json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Call.objects.count() == 1 and Alert.objects.get().organisation == atd
    assert AuditEvent.objects.filter(action="hotline.call.create").count() == 1


def test_it_answers_400_for_an_end_before_the_start(client):
    client.force_login(make_operator())
    started = timezone.now() - dt.timedelta(minutes=8)
    response = client.post(
        "/api/v1/hotline/calls/",
        _payload(started_at=started.isoformat(), ended_at=(started - dt.timedelta(minutes=1)).isoformat()),
        content_type="application/json",
    )
    assert response.status_code == 400 and "ended_at" in response.json()
    assert Call.objects.count() == 0


def test_it_answers_400_for_an_unknown_reason(client):
    client.force_login(make_operator())
    response = client.post("/api/v1/hotline/calls/", _payload(reason="x"), content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    assert Call.objects.count() == 0


def test_it_lists_calls_without_identity_or_summary(client):
    operator = make_operator()
    make_call(operator, caller_consented=True, caller_name="Aynur", summary="gizli")
    client.force_login(operator)
    body = client.get("/api/v1/hotline/calls/").content.decode()
    assert "Aynur" not in body and "gizli" not in body and "reason" in body


def test_it_updates_a_call_with_its_version(client):
    operator = make_operator()
    call = make_call(operator)
    client.force_login(operator)
    url = f"/api/v1/hotline/calls/{call.pk}/"
    ok = client.patch(url, {"version": 1, "reason": "complaint"}, content_type="application/json")
    stale = client.patch(
        url, {"version": 1, "reason": "information_request"}, content_type="application/json"
    )
    assert ok.status_code == 200 and stale.status_code == 409
    call.refresh_from_db()
    assert call.reason == "complaint"


def test_it_acknowledges_an_alert_and_closes_a_callback(client):
    make_org(org_type=OrgType.POLICE_ATD)
    operator = make_operator()
    call = make_call(operator, urgency="immediate_danger")
    client.force_login(operator)
    response = client.post(
        f"/api/v1/hotline/calls/{call.pk}/callbacks/",
        {"due_at": (timezone.now() + dt.timedelta(hours=1)).isoformat(), "code_word": "alma"},
        content_type="application/json",
    )
    assert response.status_code == 201
    callback = Callback.objects.get()
    done = client.post(
        f"/api/v1/hotline/callbacks/{callback.pk}/complete/", {"version": 1}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    alert = Alert.objects.get()
    assert client.post(f"/api/v1/hotline/alerts/{alert.pk}/acknowledge/").status_code == 403
    officer = make_user(Role.POLICE_INVESTIGATOR, alert.organisation)
    client.force_login(officer)
    assert client.post(f"/api/v1/hotline/alerts/{alert.pk}/acknowledge/").status_code == 200
    alert.refresh_from_db()
    assert alert.acknowledged_by == officer


def test_it_hands_over_through_the_api_and_hides_other_cases(client):
    atd = make_org(org_type=OrgType.POLICE_ATD)
    officer = make_user(Role.POLICE_INVESTIGATOR, atd)
    call = make_call(make_operator(), urgency="immediate_danger")
    client.force_login(officer)
    response = client.post(f"/api/v1/hotline/calls/{call.pk}/hand-over/", {}, content_type="application/json")
    assert response.status_code == 201 and len(response.json()["cases"]) == 1
    missing = client.post(
        f"/api/v1/hotline/calls/{call.pk}/link-case/",
        {"case": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert missing.status_code == 404 and call.cases.count() == 1


def test_it_lets_the_supervisor_write_articles(client):
    supervisor = make_supervisor()
    client.force_login(supervisor)
    data = {
        "slug": "rights",
        "kind": "answer",
        "topic": "migrant_rights",
        "title_az": "Hüquqlar",
        "body_az": "...",
    }
    created = client.post("/api/v1/hotline/articles/", data, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    changed = client.patch(
        f"/api/v1/hotline/articles/{pk}/",
        {"version": 1, "body_en": "Rights"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    client.force_login(make_operator(supervisor.organisation))
    assert (
        client.post(
            "/api/v1/hotline/articles/", data | {"slug": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_it_describes_every_hotline_endpoint_in_the_schema_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = [
        m for m in (*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache) if "hotline" in m.lower()
    ]
    assert problems == []
    assert {
        "/api/v1/hotline/calls/",
        "/api/v1/hotline/calls/{id}/",
        "/api/v1/hotline/calls/{id}/hand-over/",
        "/api/v1/hotline/calls/{id}/link-case/",
        "/api/v1/hotline/calls/{id}/callbacks/",
        "/api/v1/hotline/alerts/{id}/acknowledge/",
        "/api/v1/hotline/callbacks/{id}/complete/",
        "/api/v1/hotline/articles/",
        "/api/v1/hotline/dashboard/",
    } <= set(schema["paths"])
