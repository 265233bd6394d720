"""Session limits and the second-factor requirement."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from azad.accounts.signals import SESSION_LOGIN_AT


class SessionLimitsMiddleware:
    """End sessions past the absolute timeout (the idle one is the cookie age)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_LOGIN_AT)
            limit = settings.AZAD_SESSION_ABSOLUTE_SECONDS
            if started is None or timezone.now().timestamp() - float(started) > limit:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Signed-in people without a second factor may only set one up.

    Everyone needs TOTP or a passkey; the roles in
    ``AZAD_PASSKEY_REQUIRED_ROLES`` need a passkey.
    """

    ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/language/", "/health/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
        ):
            from allauth.mfa.models import Authenticator

            kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
            if user.role in settings.AZAD_PASSKEY_REQUIRED_ROLES:
                if Authenticator.Type.WEBAUTHN not in kinds:
                    return redirect("mfa_add_webauthn")
            elif not kinds & {Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN}:
                return redirect("mfa_activate_totp")
        return self.get_response(request)
