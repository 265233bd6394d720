"""API representations of cases, consents, referrals, child notifications and clocks.

Serializers only validate; writes go through :mod:`azad.cases.services`.
Identity (the person's data, the legal representative) is included only for
readers whose rights on the case include it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from azad.cases import access
from azad.cases.access import CaseRights
from azad.cases.choices import (
    ChildNotificationBody,
    ClosureReason,
    ConsentGiver,
    ConsentPurpose,
    ConsentStatus,
    ContactChannel,
    ControlMethod,
    ExploitationType,
    NotificationChannel,
    ReferralChannel,
    ReferralPurpose,
    Share,
    Stage,
    WithdrawalReason,
)
from azad.cases.clocks import Clock, case_clocks, reflection_end, reflection_protects
from azad.cases.models import Case, CaseEvent, ChildNotification, Consent, Referral
from azad.core.places import REGION_CHOICES
from azad.persons.api.serializers import PersonSerializer

VERSION_HELP = _("The case version the request was prepared from (409 if it changed since).")


def version_field(help_text: Any = VERSION_HELP) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, help_text=help_text)


def clock_data(clock: Clock) -> dict[str, Any]:
    """A legal clock as JSON (times in UTC, ISO 8601)."""
    return {
        "kind": str(clock.kind),
        "label": str(clock.label),
        "started_at": clock.started_at.isoformat(),
        "due_at": clock.due_at.isoformat(),
        "met_at": clock.met_at.isoformat() if clock.met_at else None,
        "state": str(clock.state),
        "met_late": clock.met_late,
    }


class CaseListSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A case in a list: no identity, no decision basis."""

    reference = serializers.CharField(read_only=True)
    cas_status = serializers.CharField(read_only=True)
    clocks = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields: tuple[str, ...] = (
            "id",
            "reference",
            "person",
            "owner_organisation",
            "stage",
            "stage_changed_at",
            "cas_status",
            "is_child",
            "region",
            "trafficking_status",
            "first_contact_at",
            "referred_to_atd_at",
            "created_at",
            "clocks",
            "version",
        )
        read_only_fields: tuple[str, ...] = fields

    def get_clocks(self, obj: Case) -> list[dict[str, Any]]:
        return [clock_data(c) for c in case_clocks(obj, self.context.get("now") or timezone.now())]


class CaseSerializer(CaseListSerializer):
    """One case as its reader may see it (identity and content by their rights)."""

    person_identity = serializers.SerializerMethodField()
    reflection_ends_at = serializers.SerializerMethodField()
    reflection_protects = serializers.SerializerMethodField()
    status_decision_basis = serializers.SerializerMethodField()
    residence_permit_number = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = (
            *CaseListSerializer.Meta.fields,
            "person_identity",
            "owner",
            "first_contact_channel",
            "child_notifications_completed_at",
            "reflection_started_at",
            "reflection_ends_at",
            "reflection_protects",
            "status_decided_at",
            "status_decided_by",
            "status_decision_organisation",
            "status_decision_basis",
            "exploitation_types",
            "control_methods",
            "residence_permit_issued_on",
            "residence_permit_expires_on",
            "residence_permit_number",
            "residence_permit_issuing_body",
            "allowance_paid_at",
            "ended_at",
            "closure_reason",
            "withdrawal_reason",
            "transferred_to_organisation",
            "transferred_to_country",
            "transferred_to_name",
        )
        read_only_fields = fields

    def _rights(self) -> CaseRights | None:
        return self.context.get("rights")

    def get_person_identity(self, obj: Case) -> dict[str, Any] | None:
        rights = self._rights()
        return PersonSerializer(obj.person).data if rights is not None and rights.identity else None

    def get_reflection_ends_at(self, obj: Case) -> str | None:
        end = reflection_end(obj)
        return end.isoformat() if end else None

    def get_reflection_protects(self, obj: Case) -> bool:
        return reflection_protects(obj)

    def get_residence_permit_number(self, obj: Case) -> str | None:
        rights = self._rights()
        return obj.residence_permit_number if rights is not None and rights.identity else None

    def get_status_decision_basis(self, obj: Case) -> str | None:
        rights = self._rights()
        return obj.status_decision_basis if rights is not None and rights.content else None


class CaseCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Open a case for a person you can see."""

    person = serializers.UUIDField()
    first_contact_at = serializers.DateTimeField(required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=ContactChannel.choices, required=False, allow_blank=True)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices), required=False
    )
    control_methods = serializers.ListField(
        child=serializers.ChoiceField(choices=ControlMethod.choices), required=False
    )
    region = serializers.ChoiceField(choices=REGION_CHOICES, required=False, allow_blank=True)


class ContextSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices)
    )
    control_methods = serializers.ListField(child=serializers.ChoiceField(choices=ControlMethod.choices))
    region = serializers.ChoiceField(
        choices=REGION_CHOICES, required=False, allow_blank=True, help_text="Left as it is when not sent."
    )


class FirstContactSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    first_contact_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=ContactChannel.choices)


class TransitionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A stage change and the details its requirements need."""

    version = version_field()
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    basis = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, required=False, allow_blank=True)
    withdrawal_reason = serializers.ChoiceField(
        choices=WithdrawalReason.choices, required=False, allow_blank=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    to_organisation = serializers.IntegerField(required=False, allow_null=True)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    organisation_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    legal_ground = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ReferToAtdSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    legal_ground = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


def _mask_shelters(
    serializer: Any, data: dict[str, Any], case: Case, instance: Any, fields: tuple[str, ...]
) -> None:
    """Blank the id of a shelter the reader may not know of (it would say where the person is placed)."""
    user = getattr(serializer.context.get("request"), "user", None)
    if user is None:
        return
    cache = serializer.context.setdefault("_sees_placements", {})
    if case.pk not in cache:
        cache[case.pk] = access.sees_placements_of(user, case)
    for name in fields:
        if access.hides_organisation(user, getattr(instance, name), sees_placements=cache[case.pk]):
            data[name] = None


class ReferralSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A referral (its legal ground, note and decline reason stay encrypted and are not returned)."""

    basis = serializers.SerializerMethodField()
    abroad_contact = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = (
            "id",
            "case",
            "from_organisation",
            "to_organisation",
            "abroad_country",
            "abroad_organisation_name",
            "abroad_channel",
            "abroad_contact",
            "purpose",
            "shares",
            "status",
            "basis",
            "sent_at",
            "responded_at",
            "completed_at",
            "revoked_at",
            "revocation_reason",
            "version",
        )
        read_only_fields = fields

    def get_abroad_contact(self, obj: Referral) -> str | None:
        """The contact abroad, for the referring organisation only (it keeps in touch with them)."""
        user = getattr(self.context.get("request"), "user", None)
        mine = obj.from_organisation_id is not None and obj.from_organisation_id == getattr(
            user, "organisation_id", None
        )
        return obj.abroad_contact if mine else None

    def get_basis(self, obj: Referral) -> str:
        return "consent" if obj.consent_id else "legal_ground"

    def to_representation(self, instance: Referral) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        _mask_shelters(self, data, instance.case, instance, ("from_organisation", "to_organisation"))
        return data


class ReferralCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    to_organisation = serializers.IntegerField(required=False, allow_null=True)
    abroad_country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    abroad_organisation_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    abroad_contact = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    abroad_channel = serializers.ChoiceField(
        choices=ReferralChannel.choices, required=False, allow_blank=True
    )
    purpose = serializers.ChoiceField(choices=ReferralPurpose.choices)
    shares = serializers.ListField(child=serializers.ChoiceField(choices=Share.choices), min_length=1)
    legal_ground = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ReferralAnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field(_("The referral version the answer was prepared from (409 if it changed since)."))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ConsentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A consent ledger entry; the representative's name only for readers of identity."""

    representative_name = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = (
            "id",
            "purpose",
            "to_organisation",
            "status",
            "given_by",
            "representative_name",
            "answered_at",
            "valid_until",
            "recorded_by",
            "recorded_at",
        )
        read_only_fields = fields

    def get_representative_name(self, obj: Consent) -> str | None:
        rights = self.context.get("rights")
        return obj.representative_name if rights is not None and rights.identity else None

    def to_representation(self, instance: Consent) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        _mask_shelters(self, data, instance.case, instance, ("to_organisation",))
        return data


class ConsentCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    status = serializers.ChoiceField(choices=ConsentStatus.choices)
    given_by = serializers.ChoiceField(choices=ConsentGiver.choices)
    representative_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    to_organisation = serializers.IntegerField(required=False, allow_null=True)
    answered_at = serializers.DateTimeField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)


class ChildNotificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ChildNotification
        fields = (
            "id",
            "body",
            "organisation",
            "channel",
            "notified_at",
            "reference",
            "recorded_by",
            "recorded_at",
        )
        read_only_fields = fields


class ChildNotificationCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    body = serializers.ChoiceField(choices=ChildNotificationBody.choices)
    channel = serializers.ChoiceField(choices=NotificationChannel.choices)
    notified_at = serializers.DateTimeField(required=False, allow_null=True)
    organisation = serializers.IntegerField(required=False, allow_null=True)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=60)


class ChildDetailsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    legal_representative_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    legal_representative_contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    best_interests_note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ResidencePermitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = version_field()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True)
    number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    issuing_body = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CaseEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A timeline entry, with its sentence in the request's language."""

    summary = serializers.CharField(read_only=True)

    class Meta:
        model = CaseEvent
        fields = (
            "id",
            "kind",
            "from_stage",
            "to_stage",
            "actor",
            "organisation",
            "occurred_at",
            "summary",
            "details",
        )
        read_only_fields = fields
