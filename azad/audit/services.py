"""Writing the audit trail. Every service calls :func:`record_event` inside its transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from azad.audit.models import AuditEvent, ChainHead
from azad.core.crypto import audit_mac

REDACTED = "[redacted]"


def _canonical(event: AuditEvent) -> bytes:
    """The bytes the HMAC covers: every recorded column and the previous hash."""
    body = {
        "seq": event.seq,
        "at": event.occurred_at.isoformat(),
        "actor": event.actor_id,
        "label": event.actor_label,
        "org": event.organisation_id,
        "action": event.action,
        "type": event.target_type,
        "id": event.target_id,
        "payload": event.payload,
        "ip": event.ip_address,
        "prev": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    """The chain link of ``event`` under the audit key."""
    return audit_mac(_canonical(event))


def record_event(
    action: str,
    *,
    actor: Any = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    payload: Mapping[str, Any] | None = None,
    ip_address: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    ``payload`` must hold field names and redacted values only (see
    :func:`redacted_changes`); nothing in it may identify a victim.
    """
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        head, _created = ChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor=actor if is_user else None,
            actor_label=(actor.get_username() if is_user else str(actor or ""))[:150],
            organisation_id=getattr(actor, "organisation_id", None) if is_user else None,
            action=action,
            target_type=target_type,
            target_id=str(target_id)[:64],
            payload=json.loads(json.dumps(dict(payload or {}), default=str)),
            ip_address=ip_address[:45],
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        ChainHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    return event


def redacted_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], *, personal: Iterable[str] = ()
) -> dict[str, Any]:
    """Which fields changed: old and new values, or ``[redacted]`` for personal fields."""
    secret = set(personal)
    changes: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in secret:
            changes[name] = REDACTED
        else:
            changes[name] = {"from": old, "to": new}
    return changes
