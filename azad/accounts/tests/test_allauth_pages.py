"""Every allauth page a person meets renders in Azad's layout, under the nonce-based CSP."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from azad.accounts.tests.factories import make_user
from azad.core.permissions import Role

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def assert_clean_page(response) -> None:
    """Azad's layout; every <script> carries the response's CSP nonce; no inline styles or handlers."""
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "unsafe-inline" not in csp
    assert 'class="skip-link"' in html and 'class="topbar"' in html  # base.html
    scripts = SCRIPT.findall(html)
    assert scripts, "the layout loads its scripts"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html)
    assert not INLINE_STYLE.search(html)
    for gone in ("/accounts/signup/", "/accounts/email/", "/accounts/password/reset/", "/3rdparty/"):
        assert f'href="{gone}' not in html


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/inactive/"])
def test_it_renders_public_sign_in_pages_cleanly(client, path):
    assert_clean_page(client.get(path))


def test_it_renders_the_second_factor_step_cleanly(client):
    user = make_user(Role.POLICE_INVESTIGATOR)
    client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})

    assert_clean_page(client.get("/accounts/2fa/authenticate/"))


def test_it_renders_totp_activation_cleanly_after_password_sign_in(client):
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)
    client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})

    response = client.get("/accounts/2fa/totp/activate/")

    assert_clean_page(response)
    assert 'class="qr-code"' in response.content.decode()


@pytest.fixture
def member_client() -> Client:
    user = make_user(Role.POLICE_INVESTIGATOR, passkey=True)
    RecoveryCodes.activate(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/webauthn/",
        "/accounts/2fa/webauthn/add/",
        "/accounts/2fa/reauthenticate/",
        "/accounts/reauthenticate/",
        "/accounts/logout/",
        "/accounts/password/change/",
        "/accounts/me/",
    ],
)
def test_it_renders_account_security_pages_cleanly(member_client, path):
    # Pages that need a fresh re-authentication send the person there first.
    assert_clean_page(member_client.get(path, follow=True))


def test_it_renders_the_recovery_codes_with_nonce_scripts(member_client):
    response = member_client.get("/accounts/2fa/recovery-codes/", follow=True)

    assert_clean_page(response)
