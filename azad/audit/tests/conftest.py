from __future__ import annotations

import pytest

from azad.audit.tests.factories import make_org, make_user
from azad.core.permissions import Role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; these tests create many accounts and test no hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    return make_org("Ombudsman aparatı")


@pytest.fixture
def auditor(org):
    return make_user(Role.AUDITOR, org, username="auditor")


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client
