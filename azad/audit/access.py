"""The only way to read the audit trail. Deny by default.

Roles with READ on :attr:`~azad.core.permissions.Data.AUDIT_TRAIL` (auditors,
system administrators) see every event; nobody else sees any. The trail is a
section, not a record: its list answers 403 to others; one event answers 404
(:class:`~azad.core.exceptions.NotVisible`), like one that does not exist.
Nobody writes here: events are appended by :func:`azad.audit.services.record_event`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from azad.audit.models import AuditEvent
from azad.core.exceptions import NotVisible
from azad.core.permissions import Data, Level, can


def can_read_audit(user: Any) -> bool:
    """Whether ``user`` may read the audit trail."""
    return can(user, Data.AUDIT_TRAIL, Level.READ)


def require_audit_reader(user: Any) -> None:
    """Raise :class:`PermissionDenied` (403) unless ``user`` may read the audit trail."""
    if not can_read_audit(user):
        raise PermissionDenied


def visible_events(user: Any) -> QuerySet[AuditEvent]:
    """Events ``user`` may see, newest first, with the actor joined (no query per row)."""
    if not can_read_audit(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor").order_by("-seq")


def get_event_for_user(user: Any, seq: int | str) -> AuditEvent:
    """One event by its sequence number.

    :class:`NotVisible` (404, recorded as a denial) when ``user`` may not read
    the trail; a plain :class:`Http404` when an auditor asks for an event that
    does not exist.
    """
    if not can_read_audit(user):
        raise NotVisible
    try:
        return visible_events(user).get(seq=int(seq))
    except (AuditEvent.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
