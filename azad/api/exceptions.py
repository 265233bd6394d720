"""API errors: translated messages, never a stack trace or personal data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from azad.audit.services import record_denied
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus 409 for edit conflicts; a NotVisible 404 is recorded as a denial."""
    if isinstance(exc, ConflictError):
        return Response({"detail": str(ConflictError.message)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotVisible) and context.get("request") is not None:
        record_denied(context["request"]._request, status=404, reason="not_visible")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_415_UNSUPPORTED_MEDIA_TYPE:
        response.data = {"detail": _("Send the request body as JSON (Content-Type: application/json).")}
    return response
