from __future__ import annotations

import pytest

from azad.accounts import access as accounts_access
from azad.audit.models import AuditEvent
from azad.audit.services import record_event
from azad.audit.tests.factories import make_user
from azad.core.exceptions import NotVisible
from azad.core.permissions import Role


def _denials():
    return list(AuditEvent.objects.filter(action="access.denied").order_by("seq"))


@pytest.fixture
def caseworker_client(client, org):
    user = make_user(Role.NGO_CASEWORKER, org, username="caseworker")
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.django_db
def test_it_records_a_403_answered_to_a_signed_in_person(caseworker_client):
    response = caseworker_client.get("/audit/?who=someone&action=export")

    assert response.status_code == 403
    [event] = _denials()
    assert event.actor_id == caseworker_client.user.pk
    assert event.organisation_id == caseworker_client.user.organisation_id
    assert event.payload == {"status": 403, "reason": "forbidden", "method": "GET", "path": "/audit/"}
    assert "someone" not in str(event.payload)


@pytest.mark.django_db
def test_it_records_a_not_visible_404_from_an_access_function(caseworker_client):
    target = record_event("test.event", actor="pytest")

    response = caseworker_client.get(f"/audit/{target.seq}/")

    assert response.status_code == 404
    [event] = _denials()
    assert event.payload == {
        "status": 404,
        "reason": "not_visible",
        "method": "GET",
        "path": f"/audit/{target.seq}/",
    }


@pytest.mark.django_db
def test_it_does_not_record_an_ordinary_404(auditor_client):
    assert auditor_client.get("/audit/999999/").status_code == 404
    assert auditor_client.get("/no-such-page/").status_code == 404

    assert _denials() == []


@pytest.mark.django_db
def test_it_does_not_record_anonymous_requests(client):
    assert client.get("/api/v1/audit/events/").status_code == 403

    assert _denials() == []


@pytest.mark.django_db
def test_it_records_an_api_403_once(caseworker_client):
    response = caseworker_client.get("/api/v1/audit/events/")

    assert response.status_code == 403
    [event] = _denials()
    assert event.payload["path"] == "/api/v1/audit/events/"
    assert event.payload["status"] == 403


@pytest.mark.django_db
def test_it_records_an_api_not_visible_404_once(caseworker_client):
    target = record_event("test.event", actor="pytest")

    response = caseworker_client.get(f"/api/v1/audit/events/{target.seq}/")

    assert response.status_code == 404
    [event] = _denials()
    assert event.payload == {
        "status": 404,
        "reason": "not_visible",
        "method": "GET",
        "path": f"/api/v1/audit/events/{target.seq}/",
    }


@pytest.mark.django_db
def test_it_makes_accounts_access_functions_raise_not_visible(org):
    caseworker = make_user(Role.NGO_CASEWORKER, org)

    with pytest.raises(NotVisible):
        accounts_access.get_user_for_user(caseworker, caseworker.pk)
