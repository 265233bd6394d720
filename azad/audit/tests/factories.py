"""Builders for tests across apps: signed-in-able users, organisations, audit events.

``make_user`` creates an account that gets past SecondFactorRequiredMiddleware:
a TOTP authenticator for everyone, and a (dummy) passkey for the roles in
``AZAD_PASSKEY_REQUIRED_ROLES``. Sign in with ``client.force_login(user)``:
it fires ``user_logged_in``, which sets the session's login time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection

from azad.accounts.adapters import MFAAdapter
from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation, User
from azad.audit import triggers
from azad.audit.models import AuditEvent
from azad.audit.services import record_event

TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # base32, test only
PASSWORD = "correct horse battery staple 42"

_counter = itertools.count(1)


def make_org(name: str | None = None, **kw: Any) -> Organisation:
    """An organisation with a unique name."""
    kw.setdefault("org_type", OrgType.NGO)
    return Organisation.objects.create(name=name or f"Test organisation {next(_counter)}", **kw)


def make_user(role: str, org: Organisation | None = None, **kw: Any) -> User:
    """An active account with ``role`` and a second factor, ready for ``client.force_login``."""
    username = kw.pop("username", None) or f"{role}_{next(_counter)}"
    password = kw.pop("password", PASSWORD)
    user = User.objects.create_user(username=username, password=password, role=role, organisation=org, **kw)
    Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.TOTP,
        data={"secret": MFAAdapter().encrypt(TOTP_SECRET)},
    )
    if role in settings.AZAD_PASSKEY_REQUIRED_ROLES:
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.WEBAUTHN,
            data={"name": "Test passkey", "credential": {}, "passwordless": False},
        )
    return user


def make_event(action: str = "test.event", *, at: dt.datetime | None = None, **kw: Any) -> AuditEvent:
    """One event through :func:`record_event`, optionally at a given time."""
    if at is None:
        return record_event(action, **kw)
    with mock.patch("azad.audit.services.timezone.now", return_value=at):
        return record_event(action, **kw)


@contextmanager
def triggers_lifted() -> Iterator[None]:
    """Drop the append-only triggers (raw SQL for this vendor) so a test can tamper, then restore them."""
    with triggers.lifted(connection):
        yield


def tamper(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
    """Run one statement against the audit table with the triggers lifted."""
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)
