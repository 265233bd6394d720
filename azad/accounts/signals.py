"""Sign-in bookkeeping: remember session keys (so deactivation can end them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from azad.accounts.models import LoginSession

SESSION_LOGIN_AT = "azad_login_at"


@receiver(user_logged_in)
def remember_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Record the new session key and the login time (for the absolute timeout)."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_LOGIN_AT] = timezone.now().timestamp()
    if not request.session.session_key:
        request.session.save()
    LoginSession.objects.get_or_create(user=user, session_key=request.session.session_key or "")
