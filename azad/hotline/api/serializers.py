"""API representations of hotline data. Lists carry no caller identity and no summary.

Serializers only shape input; the rules are checked by :mod:`azad.hotline.services`.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from azad.hotline.access import visible_linked_cases
from azad.hotline.models import Alert, Call, Callback, KnowledgeArticle

LIST_FIELDS = (
    "id",
    "reference",
    "started_at",
    "ended_at",
    "caller_type",
    "language",
    "reason",
    "region",
    "country",
    "urgency",
    "actions",
    "referred",
    "handed_to_atd",
    "operator",
    "organisation",
    "version",
)


LANGUAGE_HELP = "az, ru, en or other (ISO 639-1)"


class CallListSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A call in a list: no summary, no caller identity."""

    reference = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True, help_text=LANGUAGE_HELP)

    class Meta:
        model = Call
        fields = LIST_FIELDS
        read_only_fields = fields


class CallSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One call, with its summary, consented caller details and the linked cases the reader may see.

    ``cases`` and ``opened_case`` list only cases the requesting person sees
    (``context["request"]``; without it, none).
    """

    reference = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True, help_text=LANGUAGE_HELP)
    summary = serializers.CharField(read_only=True)
    caller_name = serializers.CharField(read_only=True)
    caller_phone = serializers.CharField(read_only=True)
    cases = serializers.SerializerMethodField(help_text="Linked cases the reader may see (ids).")
    opened_case = serializers.SerializerMethodField(
        help_text="The case this call opened (hand-over), if the reader may see it."
    )

    class Meta:
        model = Call
        fields = (
            *LIST_FIELDS,
            "summary",
            "caller_consented",
            "caller_name",
            "caller_phone",
            "cases",
            "opened_case",
        )
        read_only_fields = fields

    def _visible_case_ids(self, call: Call) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return [str(pk) for pk in visible_linked_cases(request.user, call).values_list("pk", flat=True)]

    def get_cases(self, call: Call) -> list[str]:
        return self._visible_case_ids(call)

    def get_opened_case(self, call: Call) -> str | None:
        opened = str(call.opened_case_id) if call.opened_case_id else None
        return opened if opened in self._visible_case_ids(call) else None


class CallWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A call as posted by the intake form, a telephony system or a web chat."""

    idempotency_key = serializers.UUIDField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    caller_type = serializers.CharField()
    language = serializers.CharField()
    reason = serializers.CharField()
    urgency = serializers.CharField()
    region = serializers.CharField(required=False, allow_blank=True, default="")
    country = serializers.CharField(required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    actions = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    caller_consented = serializers.BooleanField(required=False, default=False)
    caller_name = serializers.CharField(required=False, allow_blank=True, default="")
    caller_phone = serializers.CharField(required=False, allow_blank=True, default="")
    callback_due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    callback_code_word = serializers.CharField(required=False, allow_blank=True, default="")


class CallUpdateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Changes to a call; ``version`` is the one it was read at (409 if stale)."""

    version = serializers.IntegerField()
    ended_at = serializers.DateTimeField(required=False)
    caller_type = serializers.CharField(required=False)
    language = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    urgency = serializers.CharField(required=False)
    region = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    actions = serializers.ListField(child=serializers.CharField(), required=False)
    caller_consented = serializers.BooleanField(required=False)
    caller_name = serializers.CharField(required=False, allow_blank=True)
    caller_phone = serializers.CharField(required=False, allow_blank=True)


class HandOverSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Open a presumed-victim case from the call and refer it to ATD, in one action (retry-safe)."""

    consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The person concerned (for a child: the legal representative) consents to the referral.",
    )
    representative_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    legal_ground = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Without consent; police and child-protection officers only.",
    )
    birth_year = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Without it the person is treated as a child.",
    )


class LinkCaseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An existing case the caller sees: its id or its eight-character reference."""

    case = serializers.CharField(max_length=40)


class CallbackAgreeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A call-back at a safe time, with a code word."""

    due_at = serializers.DateTimeField()
    code_word = serializers.CharField(required=False, allow_blank=True, default="")


class CallbackSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An agreed call-back (the code word is for the line's people only)."""

    code_word = serializers.CharField(read_only=True)

    class Meta:
        model = Callback
        fields = ("id", "call", "due_at", "code_word", "status", "done_at", "done_by", "version")
        read_only_fields = fields


class CallbackCompleteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Close a call-back: done, or ``missed``."""

    version = serializers.IntegerField()
    missed = serializers.BooleanField(required=False, default=False)


class AlertSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An immediate-danger alert with its summary copy."""

    summary = serializers.CharField(read_only=True)

    class Meta:
        model = Alert
        fields = ("id", "call", "organisation", "summary", "created_at", "acknowledged_at", "acknowledged_by")
        read_only_fields = fields


class ArticleSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A knowledge-base article in three languages; send ``version`` to change one."""

    version = serializers.IntegerField(required=False)
    kind = serializers.CharField(help_text="script or answer")

    class Meta:
        model = KnowledgeArticle
        fields = (
            "id",
            "slug",
            "kind",
            "topic",
            "title_az",
            "title_en",
            "title_ru",
            "body_az",
            "body_en",
            "body_ru",
            "updated_at",
            "version",
        )
        read_only_fields = ("id", "updated_at")
        extra_kwargs: dict[str, Any] = {"slug": {"validators": []}}
