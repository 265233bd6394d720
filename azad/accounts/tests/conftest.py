"""Personas and helpers for the accounts tests."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal import auth as totp_auth
from django.test import Client

from azad.accounts.models import User
from azad.accounts.tests.factories import make_org, make_user, totp_code
from azad.core.permissions import Role

FROZEN_TOTP_TIME = 1_900_000_005.0  # the start of a 30-second TOTP window, plus five seconds


@pytest.fixture
def totp_clock(monkeypatch: pytest.MonkeyPatch) -> float:
    """Stop allauth's TOTP clock, so a code computed with ``totp_code(secret, at=...)`` stays valid."""
    monkeypatch.setattr(totp_auth, "time", SimpleNamespace(time=lambda: FROZEN_TOTP_TIME))
    return FROZEN_TOTP_TIME


@pytest.fixture
def admin(db: None) -> User:
    """A system administrator in the central government's organisation."""
    return make_user(Role.SYSTEM_ADMIN, make_org("Daxili İşlər Nazirliyi", "Ministry"), username="admin")


@pytest.fixture
def admin_client(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def sign_in(client: Client, user: User, *, code: str | None = None) -> None:
    """Sign ``user`` in through the real forms: password, then the TOTP code."""
    response = client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})
    assert response.status_code == 302, response.content
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": code or totp_code(user.totp_secret)})
    assert response.status_code == 302, response.content
    assert response["Location"] == "/"


@pytest.fixture
def signed_in() -> Callable[[Client, User], None]:
    return sign_in
