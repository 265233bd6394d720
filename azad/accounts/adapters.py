"""allauth adapters: no self-service sign-up, and MFA secrets encrypted at rest."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from azad.core import crypto

MFA_CONTEXT = "allauth.mfa.secret"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators only; django-axes has the first word on sign-in."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Refuse at once while django-axes holds this username and address locked.

        allauth's own rate limit would otherwise answer first (with a form
        error) and the person would never see the lockout page.
        """
        from axes.handlers.proxy import AxesProxyHandler

        if AxesProxyHandler.is_locked(request, credentials):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """No second password prompt while enrolling a first second factor, right after signing in.

        Someone without any second factor is sent to enrolment as soon as they
        sign in; asking again for the password they typed a minute ago helps
        nobody. This holds only within the re-authentication timeout of a
        password sign-in, and only while every authenticator they hold was added
        since; otherwise allauth's rule applies.
        """
        required = bool(super().is_reauthentication_required(app=app, **kwargs))
        if required and app == "allauth.mfa" and _first_enrolment_after_sign_in():
            return False
        return required


def _first_enrolment_after_sign_in() -> bool:
    """Whether the person signed in with a password minutes ago and held no authenticator then."""
    import time

    from allauth.account import app_settings as account_settings
    from allauth.account.internal.flows.login import get_authentication_records
    from allauth.core import context
    from allauth.mfa.models import Authenticator

    request = context.request
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return False
    records = [r for r in get_authentication_records(request, user) if r.get("method") == "password"]
    if not records:
        return False
    signed_in_at = float(records[-1]["at"])
    if time.time() - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    enrolled = Authenticator.objects.filter(user=user).values_list("created_at", flat=True)
    return all(created.timestamp() >= signed_in_at for created in enrolled)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery seeds are stored as Azad ciphertext, never in clear."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text, context=MFA_CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text, context=MFA_CONTEXT)

    def get_totp_label(self, user: Any) -> str:
        return str(user.get_username())
