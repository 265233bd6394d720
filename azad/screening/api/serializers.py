"""API representations of screenings, evaluations and the indicator catalogue.

Serializers only shape and type-check input; :mod:`azad.screening.services`
applies the rules (and names every problem) and writes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from azad.screening.choices import Answer, Exploitation, Grade
from azad.screening.models import Indicator, IndicatorList, Screening

_ANSWERS_HELP = _('Indicator id -> "yes", "no" or "unknown". Ids must belong to the list version used.')
_NOTES_HELP = _("Indicator id -> a short note of the evidence (personal data: stored encrypted).")
_VERSION_HELP = _("The version the screening was read at (409 if it changed since).")


class TextsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The same text in Azerbaijani, English and Russian."""

    az = serializers.CharField()
    en = serializers.CharField()
    ru = serializers.CharField()


class IndicatorSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One indicator of a list version."""

    id = serializers.CharField(source="code", help_text=_("Stable indicator identifier."))
    grade = serializers.ChoiceField(choices=Grade.choices)
    text = serializers.SerializerMethodField(help_text=_("The text in the request's language."))
    texts = serializers.SerializerMethodField()
    vic_MethodsOfControl = serializers.ListField(  # HTCDS names
        source="htcds_methods_of_control", child=serializers.CharField()
    )
    vic_TypeOfExploitation = serializers.ListField(  # HTCDS names
        source="htcds_types_of_exploitation", child=serializers.CharField()
    )

    class Meta:
        model = Indicator
        fields = (
            "id",
            "dimension",
            "grade",
            "text",
            "texts",
            "vic_MethodsOfControl",
            "vic_TypeOfExploitation",
        )

    def get_text(self, obj: Indicator) -> str:
        return obj.text()

    def get_texts(self, obj: Indicator) -> dict[str, str]:
        return {"az": obj.text_az, "en": obj.text_en, "ru": obj.text_ru}


class IndicatorListSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One version of one indicator list."""

    key = serializers.CharField(read_only=True, help_text=_("code@version, as answers and the API name it."))
    title = serializers.SerializerMethodField()
    titles = serializers.SerializerMethodField()
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = IndicatorList
        fields: tuple[str, ...] = (
            "id",
            "code",
            "version",
            "key",
            "rule",
            "population",
            "exploitation",
            "title",
            "titles",
            "source",
            "verified",
            "verification_notes",
            "indicator_count",
            "content_hash",
            "loaded_at",
        )

    def get_title(self, obj: IndicatorList) -> str:
        return obj.title()

    def get_titles(self, obj: IndicatorList) -> dict[str, str]:
        return {"az": obj.title_az, "en": obj.title_en, "ru": obj.title_ru}


class IndicatorListDetailSerializer(IndicatorListSerializer):
    """A list version with its indicators."""

    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta(IndicatorListSerializer.Meta):
        fields = (*IndicatorListSerializer.Meta.fields, "indicators")


class AgeInputMixin(serializers.Serializer):  # type: ignore[type-arg]
    """Age data and the suspected exploitation, which choose the list."""

    suspected_exploitation = serializers.ChoiceField(choices=Exploitation.choices, required=False)
    age = serializers.IntegerField(required=False, allow_null=True, help_text=_("Stated or estimated age."))
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    list = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("code@version (or code for its latest version); chosen from the age data when left out."),
    )


class EvaluateRequestSerializer(AgeInputMixin):
    """Answers to evaluate, and the list (named, or chosen from age and suspected exploitation)."""

    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), help_text=_ANSWERS_HELP)


class TickedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField()
    grade = serializers.CharField()
    text = serializers.CharField()


class DimensionResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    dimension = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    positive = serializers.BooleanField()
    attainable = serializers.BooleanField(
        help_text=_("Could still be positive if every unknown indicator were yes.")
    )
    required = serializers.BooleanField()  # type: ignore[assignment]
    strong = serializers.IntegerField()
    medium = serializers.IntegerField()
    weak = serializers.IntegerField()
    unknown = serializers.IntegerField()
    ticked = TickedSerializer(many=True)
    summary = serializers.CharField()


class RequirementResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    met = serializers.BooleanField()
    attainable = serializers.BooleanField()
    summary = serializers.CharField()


class ExplanationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The advisory result with its explanation, in the request's language."""

    list = serializers.CharField()
    list_title = serializers.CharField()
    list_verified = serializers.BooleanField()
    population = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["indicative", "not_indicative", "insufficient_information"])
    outcome_label = serializers.CharField()
    headline = serializers.CharField()
    advisory = serializers.CharField()
    answered = serializers.IntegerField()
    requirements = RequirementResultSerializer(many=True)
    not_required_note = serializers.CharField()
    dimensions = DimensionResultSerializer(many=True)


class AnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    indicator = serializers.CharField()
    answer = serializers.ChoiceField(choices=Answer.choices)
    note = serializers.CharField()


class ScreeningSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A screening, as lists show it (no answers)."""

    reference = serializers.CharField(read_only=True)
    list = serializers.CharField(source="indicator_list.key", read_only=True)
    screener = serializers.CharField(source="screener.username", read_only=True)

    class Meta:
        model = Screening
        fields: tuple[str, ...] = (
            "id",
            "reference",
            "list",
            "person",
            "organisation",
            "screener",
            "suspected_exploitation",
            "population",
            "age",
            "age_basis",
            "status",
            "outcome",
            "started_at",
            "updated_at",
            "completed_at",
            "referred_to_atd_at",
            "replaces",
            "version",
        )
        read_only_fields = fields


class ScreeningDetailSerializer(ScreeningSerializer):
    """One screening with its answers (and notes), and, once completed, its explanation and HTCDS context."""

    answers = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    htcds_victim_context = serializers.SerializerMethodField()

    class Meta(ScreeningSerializer.Meta):
        fields = (*ScreeningSerializer.Meta.fields, "answers", "result", "htcds_victim_context")
        read_only_fields = fields

    def get_answers(self, obj: Screening) -> list[dict[str, Any]]:
        rows = obj.answers.select_related("indicator").order_by("indicator__position")
        return [{"indicator": a.indicator.code, "answer": a.answer, "note": a.note} for a in rows]

    def get_result(self, obj: Screening) -> dict[str, Any] | None:
        from azad.screening.explain import explain

        if not obj.explanation:
            return None
        return explain(obj.explanation, obj.indicator_list).as_dict()

    def get_htcds_victim_context(self, obj: Screening) -> dict[str, list[str]] | None:
        return obj.htcds_victim_context() if obj.outcome else None


class ScreeningCreateSerializer(AgeInputMixin):
    """A new screening: age data, suspected exploitation, optionally a person and first answers."""

    suspected_exploitation = serializers.ChoiceField(choices=Exploitation.choices)
    person = serializers.UUIDField(required=False, allow_null=True)
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text=_ANSWERS_HELP
    )
    notes = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text=_NOTES_HELP
    )


class AnswersUpdateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Answers and notes to save on a draft (only the ids given change)."""

    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text=_ANSWERS_HELP
    )
    notes = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text=_NOTES_HELP
    )


class VersionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The version the screening was read at."""

    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class CountSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Completed screenings of one list version, result and month; ``count`` is null when suppressed (< 11)."""

    list = serializers.CharField()
    version = serializers.IntegerField()
    outcome = serializers.CharField()
    month = serializers.DateField()
    count = serializers.IntegerField(allow_null=True)


class CatalogueLoadedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The outcome of loading a list file."""

    list = IndicatorListSerializer()
    created = serializers.BooleanField()


class ProblemsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A refused list file: every problem in it."""

    detail = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())


class ScreeningReferralSerializer(VersionSerializer):
    """Refer an indicative screening's person to ATD: consent, or a legal ground."""

    consent = serializers.BooleanField(default=False)
    representative_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    legal_ground = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    first_contact_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    channel = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")


class ReferredSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The case the referral opened."""

    case = serializers.UUIDField()
    stage = serializers.CharField()
