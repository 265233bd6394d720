"""Sign-in events into the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from azad.audit.services import record_event


def client_ip(request: HttpRequest | None) -> str:
    """The client address as Django sees it (behind a proxy, set AZAD_PROXY_COUNT)."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record_event("auth.login", actor=user, target=user, ip_address=client_ip(request))


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event("auth.logout", actor=user, target=user, ip_address=client_ip(request))
