"""The audit trail pages, for auditors and administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from azad.audit.models import AuditEvent
from azad.core.permissions import Data, can


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """Audit events, newest first."""
    if not can(request.user, Data.AUDIT_TRAIL):
        raise PermissionDenied
    page = Paginator(AuditEvent.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"page": page})
