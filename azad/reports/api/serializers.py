"""API representations of the annual report. Serializers shape input; the services check the rules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from azad.reports.choices import ReportLanguage
from azad.reports.models import Narrative, ReportRun

YEAR_MESSAGE = _("Enter the year as a number, e.g. 2025.")
LANGUAGE_MESSAGE = _("Choose Azerbaijani, English or Russian.")


class GenerateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Which report to produce."""

    year = serializers.IntegerField(error_messages={"invalid": YEAR_MESSAGE, "required": YEAR_MESSAGE})
    language = serializers.ChoiceField(
        choices=ReportLanguage.choices,
        error_messages={"invalid_choice": LANGUAGE_MESSAGE, "required": LANGUAGE_MESSAGE},
    )


class RunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A generation of the report and its progress; ``pdf_url`` once it is done."""

    step_label = serializers.CharField(source="get_step_display", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, default=None)

    class Meta:
        model = ReportRun
        fields = (
            "id", "year", "language", "status", "progress", "step", "step_label", "error",
            "requested_by", "created_at", "started_at", "finished_at", "pdf_url",
        )  # fmt: skip
        read_only_fields = fields

    def get_pdf_url(self, run: ReportRun) -> str | None:
        if run.status != "done":
            return None
        return f"/api/v1/reports/runs/{run.pk}/pdf/"


class NarrativeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The narrative of one year and language; send back ``version`` (0 for a new one) to change it."""

    version = serializers.IntegerField(min_value=0)
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)

    class Meta:
        model = Narrative
        fields = ("year", "language", "text", "version", "updated_at")
        read_only_fields = ("year", "language", "updated_at")
