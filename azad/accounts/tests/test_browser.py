"""Sign-in pages in a real browser: TOTP, then passkey enrolment and passkey sign-in.

Chromium's virtual authenticator (DevTools WebAuthn domain) stands in for a
phone or security key, so allauth's WebAuthn scripts run for real under the
nonce-based CSP.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings

from azad.accounts.tests.factories import make_user, totp_code
from azad.core.permissions import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_totp(page: Any, base: str, user: Any) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#main input[name=login]", user.username)
    page.fill("#main input[name=password]", user.raw_password)
    page.click("#main form.stacked button[type=submit]")
    page.wait_for_selector("#main input[name=code]")
    page.fill("#main input[name=code]", totp_code(user.totp_secret))
    page.click("#main form.stacked button[type=submit]")


def add_virtual_authenticator(page: Any) -> Any:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


@override_settings(AZAD_PASSKEY_REQUIRED_ROLES=["national_coordinator"])
def test_it_enrols_a_passkey_and_signs_in_with_it(live_server, page, csp_violations):
    user = make_user(Role.NATIONAL_COORDINATOR, passkey=False)
    add_virtual_authenticator(page)

    sign_in_with_totp(page, live_server.url, user)
    # A role that must hold a passkey is sent to enrolment (after confirming the password).
    page.wait_for_url("**/accounts/**")
    if "/accounts/reauthenticate/" in page.url:
        page.fill("#main input[name=password]", user.raw_password)
        page.click("#main form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/2fa/webauthn/add/")
    page.fill("#main input[name=name]", "Work laptop")
    page.check("#main input[name=passwordless]")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count() == 1
    page.goto(live_server.url + "/")
    assert user.username in page.inner_text(".whoami")

    page.click(".topbar-end form button[type=submit].link-button")  # sign out
    page.wait_for_url("**/accounts/login/")
    page.click("#passkey_login")
    page.wait_for_url(live_server.url + "/")

    assert user.username in page.inner_text(".whoami")
    assert csp_violations == []


def test_it_enrols_an_authenticator_app_at_first_sign_in(live_server, page, csp_violations):
    import re

    user = make_user(Role.NGO_CASEWORKER, second_factor=False)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#main input[name=login]", user.username)
    page.fill("#main input[name=password]", user.raw_password)
    page.click("#main form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    page.fill("#main input[name=code]", totp_code(secret))
    page.click("#main form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert page.input_value("#recovery_codes").count("\n") >= 9
    page.click("text=Continue to Azad")
    page.wait_for_url(live_server.url + "/")

    assert csp_violations == []
