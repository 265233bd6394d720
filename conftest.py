"""Test-wide set-up: a fresh key ring per run, fast password hashing, and the browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("AZAD_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(autouse=True, scope="session")
def _test_keyring() -> Iterator[None]:
    """No test ever touches real keys: a new random key ring for the run."""
    from azad.core import crypto

    crypto.set_keyring(crypto.generate_keyring())
    yield
    crypto.set_keyring(None)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default(settings: Any) -> Iterator[None]:
    """Tests read messages in English; tests about languages set LANGUAGE_CODE themselves."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium, headless, with no calls to the outside world."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def csp_violations(page: Any) -> Iterator[list[str]]:
    """Every Content-Security-Policy violation and script error the page reports."""
    found: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' at ' + "
        "e.sourceFile + ':' + e.lineNumber + ' sample ' + e.sample + ' page ' + document.location.pathname));"
    )
    page.on(
        "console",
        lambda msg: (
            found.append(msg.text)
            if msg.type == "error" and ("Content Security Policy" in msg.text or "CSP violation" in msg.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    yield found
