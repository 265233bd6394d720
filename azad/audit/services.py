"""Writing the audit trail. Every service calls :func:`record_event` inside its transaction.

Besides :func:`record_event`, the helpers other apps use are
:func:`record_view` (someone opened a victim record), :func:`record_export`
(someone took data out) and :func:`record_denied` (a refused request).
Nothing they record may identify a victim: record ids, field names, counts
and codes only.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from azad.audit import choices
from azad.audit.models import AuditEvent, ChainHead
from azad.core.crypto import audit_mac, folded_hash

REDACTED = "[redacted]"
GENESIS_HASH = "0" * 64
USERNAME_HASH_PURPOSE = "audit-username"
_PATH_LIMIT = 255


def _canonical(event: AuditEvent) -> bytes:
    """The bytes the HMAC covers: every recorded column and the previous hash.

    The time is written in UTC, as the database gives it back, whatever time
    zone the datetime carried when the event was made.
    """
    body = {
        "seq": event.seq,
        "at": event.occurred_at.astimezone(dt.UTC).isoformat(),
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


def _locked_head() -> ChainHead:
    """The chain head, locked until the caller's transaction ends.

    The migration seeds it; it is created here only when missing (a database
    emptied by ``flush``). Two writers creating it at once: one wins, the other
    rolls back its savepoint and locks the winner's row. If events exist but the
    head is gone, the next event's seq collides with an existing one and the
    write fails: the chain is never forked.
    """
    try:
        return ChainHead.objects.select_for_update().get(id=1)
    except ChainHead.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            ChainHead.objects.create(id=1, seq=0, hash=GENESIS_HASH)
    except IntegrityError:
        pass
    return ChainHead.objects.select_for_update().get(id=1)


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

    ``actor`` is a user, or a string naming a command ("azad backup") for work
    done without a person signed in. ``payload`` must hold field names and
    redacted values only (see :func:`redacted_changes`); nothing in it may
    identify a victim.
    """
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        head = _locked_head()
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


def client_ip(request: HttpRequest | None) -> str:
    """The client's address.

    Without a proxy (``AZAD_PROXY_COUNT`` unset) it is the socket's peer and
    forwarded headers are ignored, since anybody can send them. Behind N
    trusted proxies it is the Nth address from the right of X-Forwarded-For:
    the one the outermost trusted proxy saw.
    """
    if request is None:
        return ""
    candidate = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return ""


def username_hash(username: str) -> str:
    """The keyed hash under which failed sign-ins record a typed username.

    People sometimes type their password into the username field, so the
    typed text is never stored; an auditor who knows a username finds its
    failed sign-ins by this hash (the list's "who" filter does it). The text
    is folded the Azerbaijani way first, so capital I counts as ı: "Farid"
    and "farid" meet, "FARID" does not.
    """
    return folded_hash(username, purpose=USERNAME_HASH_PURPOSE)


def record_sign_in_failure(
    username: str, *, request: HttpRequest | None = None, locked_out: bool = False
) -> AuditEvent:
    """Record a failed sign-in (or a lock-out) without the username in clear."""
    action = choices.LOCKED_OUT if locked_out else choices.LOGIN_FAILED
    payload = {"username_hash": username_hash(username)} if username else {}
    return record_event(action, actor="", payload=payload, ip_address=client_ip(request))


def record_view(user: Any, obj: models.Model, *, request: HttpRequest | None = None) -> AuditEvent:
    """Record that ``user`` opened the victim record ``obj`` (its type and id, nothing else)."""
    return record_event(choices.RECORD_VIEW, actor=user, target=obj, ip_address=client_ip(request))


def record_export(
    user: Any,
    *,
    kind: str,
    count: int,
    request: HttpRequest | None = None,
    filters: Mapping[str, Any] | None = None,
    public: Iterable[str] = (),
) -> AuditEvent:
    """Record that ``user`` exported ``count`` rows of ``kind`` (e.g. "cases.csv").

    ``filters`` are the filters the export applied. Their names are recorded;
    their values only for the names in ``public`` (choice codes, dates), since
    a free-text filter may hold a victim's name. Empty filters are left out.
    """
    shown = set(public)
    recorded: dict[str, Any] = {}
    for name, value in sorted((filters or {}).items()):
        if value in (None, "", [], ()):
            continue
        recorded[name] = value if name in shown else REDACTED
    return record_event(
        choices.EXPORT,
        actor=user,
        payload={"kind": kind, "count": int(count), "filters": recorded},
        ip_address=client_ip(request),
    )


def record_denied(request: HttpRequest, *, status: int, reason: str) -> AuditEvent | None:
    """Record a refused request by a signed-in person: method, path (no query string), status.

    Recorded once per request; anonymous requests are not recorded (they are
    sent to sign in, and failed sign-ins have their own events).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "_azad_denial_recorded", False):
        return None
    request._azad_denial_recorded = True  # type: ignore[attr-defined]
    return record_event(
        choices.ACCESS_DENIED,
        actor=user,
        payload={
            "status": status,
            "reason": reason,
            "method": request.method or "",
            "path": request.path[:_PATH_LIMIT],
        },
        ip_address=client_ip(request),
    )


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
