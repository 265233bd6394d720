"""Every URL refuses anonymous people, except sign-in, health and static files."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages that must answer without a session: signing in (password, second
# factor, passkey), signing out, the health probe, and the language switch.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/2fa/authenticate/",
    "/accounts/2fa/webauthn/login/",
    "/accounts/reauthenticate/",
    "/accounts/password/reset/",
    "/accounts/signup/",
    "/accounts/inactive/",
    "/accounts/confirm-email/",
    "/accounts/login/code/",
    "/health/",
    "/language/",
)

_SAMPLES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "slug": "x", "str": "x", "path": "x"}


def _paths(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        route = str(entry.pattern)
        if hasattr(entry.pattern, "converters") and entry.pattern.converters:
            for name, converter in entry.pattern.converters.items():
                kind = type(converter).__name__.replace("Converter", "").lower()
                sample = _SAMPLES.get(kind, "1")
                for token in (f"<{kind}:{name}>", f"<{name}>"):
                    route = route.replace(token, sample)
        if route.startswith("^"):
            # Regex routes (DRF's format suffixes): skip the optional suffix forms.
            continue
        if isinstance(entry, URLResolver):
            yield from _paths(entry.url_patterns, prefix + route)
        else:
            yield "/" + prefix + route


def test_it_refuses_anonymous_people_everywhere_but_the_public_pages(client):
    checked = 0
    for path in sorted(set(_paths(get_resolver().url_patterns))):
        if path.startswith(PUBLIC_PREFIXES) or path.startswith("/static/"):
            continue
        response = client.get(path)
        checked += 1
        if path.startswith("/api/"):
            assert response.status_code in (401, 403), path
        else:
            assert response.status_code in (302, 401, 403, 404, 405), path
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), path
            assert b"<table" not in response.content, path
    assert checked > 10


def test_it_answers_health_without_a_session(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
