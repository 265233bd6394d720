"""Session limits and the second-factor requirement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from azad.accounts.models import LoginSession
from azad.accounts.signals import SESSION_LOGIN_AT, SESSION_TRACKED_KEY

API_PREFIX = "/api/"


class SessionLimitsMiddleware:
    """End sessions past the absolute timeout; the idle one is the session's age.

    ``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST`` makes a session
    expire after that many seconds without a request; on top of that, no
    session outlives ``AZAD_SESSION_ABSOLUTE_SECONDS`` after its sign-in. A
    session past it is signed out and the request goes on as anonymous (pages
    send the person to sign in; the API answers 401/403).

    It also keeps ``LoginSession`` in step when a session's key changes after
    sign-in, so deactivating an account can still find and end the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_LOGIN_AT)
            limit = settings.AZAD_SESSION_ABSOLUTE_SECONDS
            if started is None or timezone.now().timestamp() - float(started) > limit:
                logout(request)
            else:
                self._track(request, user)
        return self.get_response(request)

    @staticmethod
    def _track(request: HttpRequest, user: Any) -> None:
        key = request.session.session_key
        if key and request.session.get(SESSION_TRACKED_KEY) != key:
            LoginSession.objects.get_or_create(user=user, session_key=key)
            request.session[SESSION_TRACKED_KEY] = key


def _has_second_factor(user: object) -> tuple[bool, bool]:
    """(has TOTP or a passkey, has a passkey) for ``user``."""
    from allauth.mfa.models import Authenticator

    kinds = set(
        Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).values_list("type", flat=True)
    )
    return bool(kinds), Authenticator.Type.WEBAUTHN in kinds


class SecondFactorRequiredMiddleware:
    """Signed-in people without a second factor may only set one up or sign out.

    Everyone needs TOTP or a passkey; the roles in ``AZAD_PASSKEY_REQUIRED_ROLES``
    need a passkey. Pages redirect to enrolment; the API answers 403 to a
    session without the required factor. Requests authenticated by an API
    token are not seen here (the token is only issued against a TOTP code).
    """

    # Pages needed to enrol a factor: allauth's MFA pages (enrolment, recovery
    # codes, re-authentication before enrolling), signing out, the language
    # switcher and health checks.
    ALLOWED_PREFIXES = (
        "/accounts/2fa/",
        "/accounts/reauthenticate/",
        "/accounts/logout/",
        "/language/",
        "/health/",
        "/static/",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.ALLOWED_PREFIXES):
            return self.get_response(request)
        has_factor, has_passkey = _has_second_factor(user)
        needs_passkey = user.role in settings.AZAD_PASSKEY_REQUIRED_ROLES
        if has_factor and (has_passkey or not needs_passkey):
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {"detail": _("Set up a second factor (authenticator app or passkey) before using the API.")},
                status=403,
            )
        return redirect("mfa_add_webauthn" if needs_passkey else "mfa_activate_totp")
