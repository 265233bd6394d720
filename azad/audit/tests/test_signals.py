from __future__ import annotations

import json

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from azad.audit.models import AuditEvent
from azad.audit.services import username_hash
from azad.audit.tests.factories import make_user
from azad.core.crypto import folded_hash
from azad.core.permissions import Role


def _row_text(event: AuditEvent) -> str:
    """Every column of the stored row, as one string."""
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    return json.dumps(row, default=str, ensure_ascii=False)


@pytest.mark.django_db
def test_it_records_a_failed_sign_in_without_the_typed_username(client):
    typed = "MySecretPassw0rd!"  # people type passwords into the username field

    response = client.post(
        "/accounts/login/", {"login": typed, "password": "wrong"}, REMOTE_ADDR="203.0.113.7"
    )

    assert response.status_code == 200  # the form again, with an error
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.payload == {"username_hash": folded_hash(typed, purpose="audit-username")}
    assert event.ip_address == "203.0.113.7"
    assert event.actor_id is None and event.actor_label == ""
    assert typed not in _row_text(event)
    assert typed.lower() not in _row_text(event).lower()


@pytest.mark.django_db
def test_it_records_a_failed_sign_in_of_an_existing_account_by_hash_only(client):
    make_user(Role.AUDITOR, username="leyla")

    client.post("/accounts/login/", {"login": "leyla", "password": "wrong"}, REMOTE_ADDR="203.0.113.8")

    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.payload["username_hash"] == username_hash("Leyla")
    assert "leyla" not in _row_text(event)


@pytest.mark.django_db
def test_it_records_a_lock_out_after_repeated_failures(settings):
    make_user(Role.AUDITOR, username="rauf")
    factory = RequestFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        request = factory.post("/accounts/login/", REMOTE_ADDR="198.51.100.4")
        assert authenticate(request, username="rauf", password="wrong") is None

    event = AuditEvent.objects.get(action="auth.locked_out")
    assert event.payload == {"username_hash": username_hash("rauf")}
    assert event.ip_address == "198.51.100.4"
    assert "rauf" not in _row_text(event)
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db
def test_it_records_a_sign_in_and_a_sign_out(client):
    user = make_user(Role.AUDITOR, username="nigar")
    client.force_login(user)
    client.post("/accounts/logout/")

    actions = list(AuditEvent.objects.filter(actor=user).order_by("seq").values_list("action", flat=True))
    assert actions == ["auth.login", "auth.logout"]
