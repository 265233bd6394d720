"""API shapes of publication. Serializers only shape input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from azad.cases.choices import Stage, TraffickingStatus
from azad.publication import kanon, services
from azad.publication.models import ExportRequest


class PublicDatasetQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Parameters of the public dataset (defaults: k from the settings, CTDC's quasi-identifiers)."""

    year_from = serializers.IntegerField(min_value=1990, max_value=2100)
    year_to = serializers.IntegerField(min_value=1990, max_value=2100)
    k = serializers.IntegerField(required=False)
    quasi_identifiers = serializers.ListField(child=serializers.CharField(), required=False)
    max_suppression = serializers.FloatField(required=False)
    identified_only = serializers.BooleanField(required=False, default=False)
    include_rows = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("k", services.default_k())
        attrs["quasi_identifiers"] = attrs.get("quasi_identifiers") or list(kanon.DEFAULT_QUASI_IDENTIFIERS)
        attrs.setdefault("max_suppression", services.default_max_suppression())
        try:
            services.validate_public_parameters(
                year_from=attrs["year_from"],
                year_to=attrs["year_to"],
                k=attrs["k"],
                quasi_identifiers=attrs["quasi_identifiers"],
                max_suppression=attrs["max_suppression"],
            )
        except Exception as error:  # a Django ValidationError with one translated message
            field = {"k_too_small": "k", "unknown_quasi_identifier": "quasi_identifiers"}.get(
                str(getattr(error, "code", "")), "non_field_errors"
            )
            raise serializers.ValidationError(
                {field: list(getattr(error, "messages", [str(error)]))}
            ) from None
        return attrs


class GeneralisationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    level = serializers.IntegerField()
    level_name = serializers.CharField()
    top_level = serializers.IntegerField()
    distinct_before = serializers.IntegerField()
    distinct_after = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    k = serializers.IntegerField()
    quasi_identifiers = serializers.ListField(child=serializers.CharField())
    max_suppression = serializers.FloatField()
    rows_in = serializers.IntegerField()
    rows_out = serializers.IntegerField()
    rows_suppressed = serializers.IntegerField()
    classes = serializers.IntegerField()
    smallest_class = serializers.IntegerField(allow_null=True)
    largest_class = serializers.IntegerField(allow_null=True)
    class_sizes = serializers.DictField(child=serializers.IntegerField())
    generalisation = GeneralisationSerializer(many=True)
    steps = serializers.ListField(child=serializers.CharField())


class PublicDatasetSerializer(serializers.Serializer):  # type: ignore[type-arg]
    report = ReportSerializer()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField(), required=False)


class ExportRequestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A request as its requester and the approvers see it (never a case)."""

    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)
    expires_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = ExportRequest
        fields = (
            "id",
            "reference",
            "requested_by",
            "requested_at",
            "reason",
            "date_from",
            "date_to",
            "stage",
            "trafficking_status",
            "case_count",
            "status",
            "decided_by",
            "decided_at",
            "refusal_reason",
            "expires_at",
            "downloaded_at",
        )
        read_only_fields = fields


class ExportRequestCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000)
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, default="")
    trafficking_status = serializers.ChoiceField(
        choices=TraffickingStatus.choices, required=False, default=""
    )


class RefuseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class DownloadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    password = serializers.CharField(min_length=services.MIN_PASSWORD_LENGTH, trim_whitespace=False)
