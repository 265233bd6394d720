"""Signing in: password and second factor, replay, lockout, sessions and their limits."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import base as session_base
from django.contrib.sessions.backends import db as session_db
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from azad.accounts import services
from azad.accounts.models import ApiToken, LoginSession
from azad.accounts.signals import SESSION_LOGIN_AT
from azad.accounts.tests.conftest import sign_in
from azad.accounts.tests.factories import make_user, totp_code
from azad.accounts.tokens import issue_token
from azad.audit.models import AuditEvent
from azad.core.permissions import Role

pytestmark = pytest.mark.django_db


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_it_signs_in_with_password_and_totp_through_the_real_forms(client):
    user = make_user(Role.POLICE_INVESTIGATOR)

    sign_in(client, user)

    assert client.get("/").status_code == 200
    assert _signed_in_user_id(client) == str(user.pk)
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_it_reads_the_signed_in_person_with_their_organisation(client):
    """Nearly every page asks for the person's organisation: it comes in the query that reads them."""
    user = make_user(Role.POLICE_INVESTIGATOR)
    sign_in(client, user)
    assert client.session[BACKEND_SESSION_KEY] == "azad.accounts.backends.AuthenticationBackend"

    person = client.get("/ping/").wsgi_request.user
    with CaptureQueriesContext(connection) as queries:
        assert person.organisation.name == user.organisation.name
    assert len(queries) == 0


def test_it_asks_for_the_second_factor_before_letting_anyone_in(client):
    user = make_user(Role.POLICE_INVESTIGATOR)

    response = client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert _signed_in_user_id(client) is None
    assert client.get("/").status_code == 302


def test_it_refuses_a_wrong_totp_code(client, totp_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)
    client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})
    right = totp_code(user.totp_secret, at=totp_clock)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert _signed_in_user_id(client) is None
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_it_refuses_a_replayed_totp_code(client, totp_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)
    code = totp_code(user.totp_secret, at=totp_clock)
    sign_in(client, user, code=code)
    client.post("/accounts/logout/")
    assert _signed_in_user_id(client) is None

    other_browser = Client()
    other_browser.post("/accounts/login/", {"login": user.username, "password": user.raw_password})
    response = other_browser.post("/accounts/2fa/authenticate/", {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert _signed_in_user_id(other_browser) is None
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_it_remembers_spent_codes_in_the_shared_database_cache():
    assert isinstance(caches["default"], DatabaseCache)


def test_it_locks_out_by_username_and_address_after_the_failure_limit(client):
    user = make_user(Role.POLICE_INVESTIGATOR)
    limit = settings.AXES_FAILURE_LIMIT

    responses = [
        client.post("/accounts/login/", {"login": user.username, "password": "wrong password"})
        for _ in range(limit)
    ]
    after = client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})

    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
    assert responses[-1].status_code == 429
    assert after.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in after.templates]
    assert user.username not in after.content.decode()
    assert _signed_in_user_id(client) is None
    attempt = AccessAttempt.objects.get()
    assert attempt.username == user.username and attempt.failures_since_start >= limit
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_it_gives_a_new_session_key_at_sign_in(client):
    user = make_user(Role.POLICE_INVESTIGATOR)
    client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})
    before = client.session.session_key
    assert before

    client.post("/accounts/2fa/authenticate/", {"code": totp_code(user.totp_secret)})

    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert LoginSession.objects.filter(user=user, session_key=after).exists()


class _Clock:
    """A clock for Django's session code that can be moved forward."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def now(self) -> dt.datetime:
        return timezone.now() + self.offset


@pytest.fixture
def session_clock(monkeypatch):
    clock = _Clock()
    fake = SimpleNamespace(now=clock.now)
    monkeypatch.setattr(session_base, "timezone", fake)
    monkeypatch.setattr(session_db, "timezone", fake)
    return clock


def test_it_ends_a_session_after_the_idle_timeout(client, session_clock):
    user = make_user(Role.POLICE_INVESTIGATOR)
    sign_in(client, user)
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)

    session_clock.offset = idle - dt.timedelta(minutes=1)
    assert client.get("/").status_code == 200  # activity refreshes the session
    session_clock.offset += idle - dt.timedelta(minutes=1)
    assert client.get("/").status_code == 200  # longer than the idle limit since sign-in, but not idle
    session_clock.offset += idle + dt.timedelta(seconds=1)
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_ends_a_session_past_the_absolute_limit_however_active(client):
    user = make_user(Role.POLICE_INVESTIGATOR)
    sign_in(client, user)
    session = client.session
    session[SESSION_LOGIN_AT] = timezone.now().timestamp() - settings.AZAD_SESSION_ABSOLUTE_SECONDS - 1
    session.save()

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert _signed_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).exists()


def test_it_keeps_a_session_within_the_absolute_limit(client):
    user = make_user(Role.POLICE_INVESTIGATOR)
    sign_in(client, user)
    session = client.session
    session[SESSION_LOGIN_AT] = timezone.now().timestamp() - settings.AZAD_SESSION_ABSOLUTE_SECONDS + 60
    session.save()

    assert client.get("/").status_code == 200


def test_it_ends_a_deactivated_persons_open_session_at_their_next_request(client, admin):
    user = make_user(Role.POLICE_INVESTIGATOR)
    sign_in(client, user)
    key = client.session.session_key
    assert client.get("/").status_code == 200

    services.deactivate_user(user, actor=admin)
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=key).exists()


def test_it_stops_a_deactivated_persons_api_token(admin):
    user = make_user(Role.POLICE_INVESTIGATOR)
    token_key = issue_token(user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token_key}")
    assert api.get("/api/v1/me/").status_code == 200

    services.deactivate_user(user, actor=admin)

    assert api.get("/api/v1/me/").status_code in {401, 403}
    assert not ApiToken.objects.filter(user=user).exists()


def test_it_keeps_sign_up_closed(client):
    response = client.get("/accounts/signup/")
    posted = client.post("/accounts/signup/", {"username": "newcomer", "password1": "x" * 20})

    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert b'name="password1"' not in response.content
    assert posted.status_code == 200
    from azad.accounts.models import User

    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/1-set-password/",
        "/accounts/password/reset/key/done/",
        "/accounts/email/",
        "/accounts/confirm-email/",
        "/accounts/login/code/confirm/",
    ],
)
def test_it_has_no_password_reset_or_email_pages(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "someone@example.org"}).status_code == 404


def test_it_shows_no_sign_up_or_reset_link_on_the_sign_in_page(client):
    page = client.get("/accounts/login/").content.decode()

    assert "/accounts/signup/" not in page
    assert "/accounts/password/reset/" not in page
    assert "/accounts/email/" not in page


def test_it_sends_someone_without_a_second_factor_to_set_one_up(client):
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)
    client.force_login(user)

    response = client.get("/accounts/organisations/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize(
    "path", ["/accounts/2fa/", "/accounts/2fa/totp/activate/", "/accounts/2fa/webauthn/add/"]
)
def test_it_lets_someone_without_a_second_factor_reach_enrolment(client, path):
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)
    client.force_login(user)

    response = client.get(path)

    # Enrolment may first ask for the password again (re-authentication), which is allowed too.
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert client.get(response["Location"]).status_code == 200


def test_it_lets_someone_without_a_second_factor_sign_out(client):
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)
    client.force_login(user)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert _signed_in_user_id(client) is None


def test_it_refuses_session_api_requests_without_a_second_factor(client):
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)
    client.force_login(user)

    response = client.get("/api/v1/me/")

    assert response.status_code == 403
    assert "detail" in response.json()


def test_it_does_not_apply_the_enrolment_redirect_to_token_requests():
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)
    token_key = issue_token(user)

    response = Client(HTTP_AUTHORIZATION=f"Token {token_key}").get("/api/v1/me/")

    assert response.status_code == 200


@override_settings(AZAD_PASSKEY_REQUIRED_ROLES=["police_investigator"])
def test_it_sends_passkey_roles_to_passkey_enrolment(client):
    user = make_user(Role.POLICE_INVESTIGATOR, passkey=False)  # TOTP only
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/webauthn/add/"


@override_settings(AZAD_PASSKEY_REQUIRED_ROLES=["police_investigator"])
def test_it_lets_passkey_roles_in_once_they_hold_a_passkey(client):
    user = make_user(Role.POLICE_INVESTIGATOR, passkey=True)
    client.force_login(user)

    assert client.get("/").status_code == 200


@override_settings(AZAD_PASSKEY_REQUIRED_ROLES=[])
def test_it_lets_totp_suffice_when_no_role_needs_a_passkey(client):
    user = make_user(Role.SYSTEM_ADMIN, passkey=False)
    client.force_login(user)

    assert client.get("/").status_code == 200


def test_it_sends_a_system_administrator_without_passkey_to_enrolment_by_default(client):
    assert "system_admin" in settings.AZAD_PASSKEY_REQUIRED_ROLES
    user = make_user(Role.SYSTEM_ADMIN, passkey=False)
    client.force_login(user)

    response = client.get("/")

    assert response["Location"] == "/accounts/2fa/webauthn/add/"


def test_it_stores_an_activated_totp_secret_encrypted(client):
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)
    response = client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})
    assert response.status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode())
    secret = secret or re.search(
        r'value="([A-Z2-7]{32})"[^>]*id="authenticator_secret"', page.content.decode()
    )
    assert secret, "the activation page shows the secret"
    secret_text = secret.group(1)

    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret_text)})

    assert response.status_code == 302
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    stored = str(authenticator.data)
    assert secret_text not in stored
    assert authenticator.data["secret"].startswith("az1$")
    from azad.accounts.adapters import MFAAdapter

    assert MFAAdapter().decrypt(authenticator.data["secret"]) == secret_text
    assert client.get("/").status_code == 200


def test_it_stores_recovery_codes_seed_encrypted(client):
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)
    client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = re.search(r'value="([A-Z2-7]{32})"', page).group(1)
    client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)

    assert codes.data["seed"].startswith("az1$")


def test_it_shows_pages_in_the_language_stored_on_the_account(client):
    user = make_user(Role.POLICE_INVESTIGATOR, language="en")
    client.force_login(user)

    response = client.get("/")

    assert response["Content-Language"] == "en"


def test_it_asks_for_the_password_again_before_adding_a_factor_to_one_already_held(client):
    user = make_user(Role.POLICE_INVESTIGATOR)
    sign_in(client, user)

    response = client.get("/accounts/2fa/webauthn/add/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_it_skips_the_second_password_prompt_for_a_first_factor_right_after_sign_in(client):
    user = make_user(Role.POLICE_INVESTIGATOR, second_factor=False)
    client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})

    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.get("/accounts/2fa/webauthn/add/").status_code == 200


def test_it_keeps_track_of_a_session_whose_key_changed_after_sign_in(client, admin):
    user = make_user(Role.POLICE_INVESTIGATOR)
    sign_in(client, user)
    session = client.session
    session.cycle_key()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get("/").status_code == 200

    services.deactivate_user(user, actor=admin)

    assert not Session.objects.filter(session_key=session.session_key).exists()
