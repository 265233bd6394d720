"""The audit trail pages, for auditors and system administrators.

The list, one event, and the chain check. Querysets come from
:mod:`azad.audit.access`; the list is 403 to others (it is a section), one
event is 404 (:class:`~azad.core.exceptions.NotVisible`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from azad.accounts.access import visible_organisations
from azad.audit import access, choices
from azad.audit.filters import AuditEventFilter
from azad.audit.models import AuditEvent
from azad.audit.services import client_ip, record_event
from azad.audit.verify import check_link, verify_chain

PAGE_SIZE = 50


@dataclass
class KeysetPage:
    """One page of events, newest first, with the seq values that lead to the pages beside it."""

    events: list[AuditEvent] = field(default_factory=list)
    newer: int | None = None
    older: int | None = None


def _seq_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    value = int(raw)  # ValueError is turned into 400 by the caller
    if value < 0:
        raise ValueError(name)
    return value


def keyset_page(queryset: QuerySet[AuditEvent], *, before: int | None, after: int | None) -> KeysetPage:
    """Fifty events older than ``before`` or newer than ``after`` (by seq), newest first.

    Keyset paging on the unique, ever-growing seq: no COUNT(*) and no OFFSET,
    so the hundredth page of a million events costs what the first does.
    """
    if after is not None:
        rows = list(queryset.filter(seq__gt=after).order_by("seq")[: PAGE_SIZE + 1])
        events = list(reversed(rows[:PAGE_SIZE]))
        has_newer = len(rows) > PAGE_SIZE
        has_older = bool(events) and queryset.filter(seq__lt=events[-1].seq).exists()
    else:
        window = queryset.filter(seq__lt=before) if before is not None else queryset
        rows = list(window.order_by("-seq")[: PAGE_SIZE + 1])
        events = rows[:PAGE_SIZE]
        has_older = len(rows) > PAGE_SIZE
        has_newer = before is not None and bool(events) and queryset.filter(seq__gt=events[0].seq).exists()
    return KeysetPage(
        events,
        newer=events[0].seq if has_newer else None,
        older=events[-1].seq if has_older else None,
    )


def _with_organisations(request: HttpRequest, events: list[AuditEvent]) -> list[AuditEvent]:
    """Attach each event's organisation (one query for the page, not one per row)."""
    ids = {event.organisation_id for event in events if event.organisation_id is not None}
    names = (
        {org.pk: str(org) for org in visible_organisations(request.user).filter(pk__in=ids)} if ids else {}
    )
    for event in events:
        name = names.get(event.organisation_id, "") if event.organisation_id is not None else ""
        event.organisation_name = name  # type: ignore[attr-defined]
    return events


def _bad_request(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": _("Bad request"), "message": _("The page address is not valid.")},
        status=400,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def event_list(request: HttpRequest) -> HttpResponse:
    """Audit events, newest first, filtered; fifty a page."""
    access.require_audit_reader(request.user)
    try:
        before, after = _seq_param(request, "before"), _seq_param(request, "after")
    except ValueError:
        return _bad_request(request)
    filterset = AuditEventFilter(request.GET, queryset=access.visible_events(request.user), request=request)
    status = 200
    page = KeysetPage()
    if filterset.is_valid():
        page = keyset_page(filterset.qs, before=before, after=after)
        _with_organisations(request, page.events)
    else:
        status = 400
    context: dict[str, Any] = {"filter": filterset, "page": page}
    template = "audit/event_list.html"
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        # htmx swaps only 2xx answers; the partial carries the errors itself.
        return render(request, template + "#results", context)
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def event_detail(request: HttpRequest, seq: int) -> HttpResponse:
    """One event: everything recorded, its payload, and whether its link in the chain holds."""
    event = access.get_event_for_user(request.user, seq)
    _with_organisations(request, [event])
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "payload": json.dumps(event.payload, indent=2, ensure_ascii=False, sort_keys=True),
            "link": check_link(event),
            "has_next": access.visible_events(request.user).filter(seq=event.seq + 1).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check the whole chain on request (POST); the check itself is recorded as ``audit.verify``."""
    access.require_audit_reader(request.user)
    result = None
    if request.method == "POST":
        result = verify_chain()
        record_event(
            choices.AUDIT_VERIFY,
            actor=request.user,
            payload={
                "ok": result.ok,
                "checked": result.checked,
                "broken_seq": result.broken_seq,
                "problem": result.problem,
            },
            ip_address=client_ip(request),
        )
    return render(request, "audit/verify.html", {"result": result})
