from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; these tests make many accounts and test no hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English; pages get it through the language cookie (see the clients)."""
    with translation.override("en"):
        yield
