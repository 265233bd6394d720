"""Every role against every audit page and endpoint."""

from __future__ import annotations

import pytest

from azad.audit.models import AuditEvent
from azad.audit.services import record_event
from azad.audit.tests.factories import make_user
from azad.core.permissions import Data, Level, Role, can

READERS = {Role.SYSTEM_ADMIN, Role.AUDITOR}

# (name, method, url, status for readers, status for everyone else)
ENDPOINTS = [
    ("list", "get", "/audit/", 200, 403),
    ("detail", "get", "/audit/{seq}/", 200, 404),
    ("verify page", "get", "/audit/verify/", 200, 403),
    ("verify run", "post", "/audit/verify/", 200, 403),
    ("api list", "get", "/api/v1/audit/events/", 200, 403),
    ("api detail", "get", "/api/v1/audit/events/{seq}/", 200, 404),
]


def test_it_grants_the_audit_trail_to_exactly_the_reader_roles():
    class Person:
        is_authenticated = is_active = True

        def __init__(self, role):
            self.role = role

    assert {role for role in Role if can(Person(role), Data.AUDIT_TRAIL, Level.READ)} == READERS


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("name", "method", "url", "allowed", "refused"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_it_applies_the_role_matrix(client, org, role, name, method, url, allowed, refused):
    event = record_event("test.event", actor="pytest")
    user = make_user(role, org)
    client.force_login(user)

    response = getattr(client, method)(url.format(seq=event.seq))

    expected = allowed if role in READERS else refused
    assert response.status_code == expected
    denials = AuditEvent.objects.filter(action="access.denied", actor=user)
    assert denials.count() == (0 if role in READERS else 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method", "url", "allowed", "refused"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_it_refuses_anonymous_people(client, name, method, url, allowed, refused):
    event = record_event("test.event", actor="pytest")

    response = getattr(client, method)(url.format(seq=event.seq))

    if url.startswith("/api/"):
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action="access.denied").exists()


@pytest.mark.django_db
def test_it_refuses_a_deactivated_auditor(client, org):
    user = make_user(Role.AUDITOR, org)
    client.force_login(user)
    user.is_active = False
    user.save()

    assert client.get("/api/v1/audit/events/").status_code == 403
