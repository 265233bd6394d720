"""Test-wide set-up: a fresh key ring per run, so no test ever touches real keys."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _test_keyring() -> Iterator[None]:
    from azad.core import crypto

    crypto.set_keyring(crypto.generate_keyring())
    yield
    crypto.set_keyring(None)
