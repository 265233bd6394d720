"""The audit trail over the API: list and one event, nothing else.

Permissions are the pages': the list answers 403 to people who may not read
the trail; one event answers 404 (NotVisible, recorded as a denial).
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from azad.api.pagination import CursorPagination
from azad.audit import access
from azad.audit.api.serializers import AuditEventSerializer
from azad.audit.filters import AuditEventFilter
from azad.audit.models import AuditEvent


class CanListAuditTrail(BasePermission):
    """The list is a section: 403 for people who may not read the trail."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return getattr(view, "action", None) != "list" or access.can_read_audit(request.user)


class EventCursorPagination(CursorPagination):
    """Newest first, by the chain's sequence number."""

    ordering = "-seq"


@extend_schema_view(
    list=extend_schema(
        summary="List audit events",
        description="Audit events, newest first, with the same filters as the audit trail page. "
        "Auditors and system administrators only (403 for others).",
    ),
    retrieve=extend_schema(
        summary="One audit event",
        description="One event by its sequence number; 404 when it does not exist or is not visible.",
        parameters=[OpenApiParameter("seq", OpenApiTypes.INT, OpenApiParameter.PATH)],
    ),
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet[AuditEvent]):
    """Read-only audit events."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    pagination_class = EventCursorPagination
    permission_classes = [IsAuthenticated, CanListAuditTrail]
    lookup_field = "seq"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return access.visible_events(self.request.user)

    def get_object(self) -> AuditEvent:
        return access.get_event_for_user(self.request.user, self.kwargs["seq"])
