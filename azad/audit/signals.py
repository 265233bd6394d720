"""Sign-ins, sign-outs, failed sign-ins and lock-outs into the audit trail."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from azad.audit import choices
from azad.audit.services import client_ip, record_event, record_sign_in_failure

__all__ = ["audit_locked_out", "audit_login", "audit_login_failed", "audit_logout", "client_ip"]

# allauth passes the typed identifier under one of these, depending on the login method.
_USERNAME_KEYS = ("username", "login", "email")


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record_event(choices.LOGIN, actor=user, target=user, ip_address=client_ip(request))


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(choices.LOGOUT, actor=user, target=user, ip_address=client_ip(request))


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A failed sign-in: a keyed hash of what was typed as the username, and the address."""
    typed = next((str(credentials[key]) for key in _USERNAME_KEYS if credentials.get(key)), "")
    record_sign_in_failure(typed, request=request)


@receiver(user_locked_out)
def audit_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    """django-axes locked an account out on an address."""
    record_sign_in_failure(username or "", request=request, locked_out=True)


def seed_chain_head(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Seed the chain head again after ``flush`` emptied the trail (the migration seeds it first).

    Only an empty trail gets a genesis head; a trail with events keeps whatever
    head it has, so a missing head still makes the next write fail loudly.
    """
    from azad.audit.models import AuditEvent, ChainHead
    from azad.audit.services import GENESIS_HASH

    if using != "default" or AuditEvent.objects.exists():
        return
    ChainHead.objects.get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS_HASH})
