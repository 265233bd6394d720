"""The audit event as the API shows it (read-only)."""

from __future__ import annotations

from rest_framework import serializers

from azad.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    """Everything recorded about one event, with the action's label in the request's language."""

    action_label = serializers.CharField(read_only=True)
    actor = serializers.IntegerField(source="actor_id", read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "occurred_at",
            "actor",
            "actor_label",
            "organisation_id",
            "action",
            "action_label",
            "target_type",
            "target_id",
            "payload",
            "ip_address",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields
