"""API shapes of publication. Serializers only shape input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from azad.cases.choices import Stage, TraffickingStatus
from azad.publication import kanon, services
from azad.publication.forms import FIELD_OF_ERROR
from azad.publication.models import DatasetRun, ExportRequest


class PublicDatasetQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Parameters of a build of the public dataset (defaults: k from the settings, CTDC's quasi-identifiers)."""

    year_from = serializers.IntegerField(min_value=1990, max_value=2100)
    year_to = serializers.IntegerField(min_value=1990, max_value=2100)
    k = serializers.IntegerField(required=False)
    quasi_identifiers = serializers.ListField(child=serializers.CharField(), required=False)
    max_suppression = serializers.FloatField(required=False)
    identified_only = serializers.BooleanField(required=False, default=False)

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
            field = FIELD_OF_ERROR.get(str(getattr(error, "code", "")), "non_field_errors")
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


class DatasetRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A build of the public dataset, its progress and, once done, its report and ``csv_url``."""

    quasi_identifiers = serializers.ListField(
        source="quasi_identifier_list", child=serializers.CharField(), read_only=True
    )
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, default=None)
    report = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()

    class Meta:
        model = DatasetRun
        fields = (
            "id", "year_from", "year_to", "k", "quasi_identifiers", "max_suppression", "identified_only",
            "status", "progress", "step", "step_label", "error", "requested_by", "created_at",
            "started_at", "finished_at", "report", "csv_url",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ReportSerializer(allow_null=True))
    def get_report(self, run: DatasetRun) -> dict[str, Any] | None:
        return dict(run.report) if run.status == "done" and run.report else None

    def get_csv_url(self, run: DatasetRun) -> str | None:
        if run.status != "done":
            return None
        return f"/api/v1/publication/dataset/runs/{run.pk}/csv/"


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
