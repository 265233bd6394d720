"""Sign-in bookkeeping: remember session keys (so deactivation can end them)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from azad.accounts.models import LoginSession

SESSION_LOGIN_AT = "azad_login_at"
# The session key last recorded in LoginSession (see SessionLimitsMiddleware).
SESSION_TRACKED_KEY = "azad_tracked_key"


@receiver(user_logged_in)
def remember_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Record the new session key and the login time (for the absolute timeout).

    Keys of this person's sessions that have expired meanwhile are forgotten.
    """
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_LOGIN_AT] = timezone.now().timestamp()
    if not request.session.session_key:
        request.session.save()
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    stale = [
        key
        for key in LoginSession.objects.filter(user=user).values_list("session_key", flat=True)
        if not store_class().exists(key)
    ]
    if stale:
        LoginSession.objects.filter(session_key__in=stale).delete()
    LoginSession.objects.get_or_create(user=user, session_key=request.session.session_key or "")
    request.session[SESSION_TRACKED_KEY] = request.session.session_key


@receiver(user_logged_out)
def forget_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Forget the key of a session that was signed out."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        LoginSession.objects.filter(session_key=key).delete()
