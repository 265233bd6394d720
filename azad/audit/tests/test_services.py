from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from azad.audit.models import AuditEvent
from azad.audit.services import REDACTED, client_ip, record_export, record_view, redacted_changes
from azad.audit.tests.factories import make_org, make_user
from azad.core.permissions import Role

VICTIM_NAME = "Aysel Məmmədova"


def _row_text(event: AuditEvent) -> str:
    return json.dumps(AuditEvent.objects.filter(pk=event.pk).values().get(), default=str, ensure_ascii=False)


@pytest.mark.django_db
def test_it_records_a_view_by_record_type_and_id_without_personal_data():
    viewer = make_user(Role.POLICE_INVESTIGATOR, make_org())
    # Any model with personal fields stands in for a victim record here.
    record = make_user(
        Role.NGO_CASEWORKER, first_name="Aysel", last_name="Məmmədova", email="aysel@example.org"
    )
    request = RequestFactory().get(f"/persons/{record.pk}/", REMOTE_ADDR="192.0.2.10")

    event = record_view(viewer, record, request=request)

    assert (event.action, event.target_type, event.target_id) == (
        "record.view",
        "accounts.user",
        str(record.pk),
    )
    assert event.actor_id == viewer.pk and event.organisation_id == viewer.organisation_id
    assert event.ip_address == "192.0.2.10"
    text = _row_text(event)
    for personal in (VICTIM_NAME, "Aysel", "Məmmədova", "aysel@example.org", record.username):
        assert personal not in text


@pytest.mark.django_db
def test_it_records_an_export_with_free_text_filter_values_redacted():
    user = make_user(Role.ANALYST)

    event = record_export(
        user,
        kind="cases.csv",
        count=42,
        filters={"status": "Active", "name": VICTIM_NAME, "region": ""},
        public=["status"],
    )

    assert event.action == "export"
    assert event.payload == {
        "kind": "cases.csv",
        "count": 42,
        "filters": {"name": REDACTED, "status": "Active"},
    }
    assert VICTIM_NAME not in _row_text(event)


def test_it_takes_the_socket_address_and_ignores_forwarded_headers_without_a_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_ip(request) == "192.0.2.1"


def test_it_takes_the_address_the_trusted_proxy_saw(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")

    assert client_ip(request) == "198.51.100.9"


def test_it_records_no_address_when_it_is_not_an_address(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")

    assert client_ip(request) == ""


def test_it_redacts_personal_fields_in_changes():
    changes = redacted_changes(
        {"name": "A", "status": "open", "same": 1},
        {"name": "B", "status": "closed", "same": 1},
        personal=["name"],
    )

    assert changes == {"name": REDACTED, "status": {"from": "open", "to": "closed"}}
