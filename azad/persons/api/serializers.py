"""API representations of persons. Lists carry no identity; one person's record does.

Serializers only validate; writes go through :mod:`azad.persons.services`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from azad.persons.choices import DocumentType, Gender
from azad.persons.models import EARLIEST_BIRTH_YEAR, Person

VERSION_HELP = _("The version the record was read at; required on update (409 if it changed since).")


class PersonListSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A person in a list: what statistics keep in clear, never a name or a document number."""

    reference = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Person
        fields = (
            "id",
            "reference",
            "gender",
            "birth_year",
            "age_unknown",
            "citizenship",
            "languages",
            "document_type",
            "organisation",
            "created_at",
            "version",
        )
        read_only_fields = fields


class PersonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One person's identity data (reading it is recorded in the audit trail)."""

    id = serializers.UUIDField(read_only=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    middle_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=EARLIEST_BIRTH_YEAR)
    age_unknown = serializers.BooleanField(read_only=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    citizenship = serializers.CharField(max_length=2, required=False, allow_blank=True)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=3), required=False, max_length=10
    )
    document_type = serializers.ChoiceField(choices=DocumentType.choices, required=False, allow_blank=True)
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["birth_date"] = instance.birth_date or None
        return data

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k in Person.EDITABLE_FIELDS}


class PersonSearchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Exact search terms; sent in the body, never in the URL."""

    name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    document = serializers.CharField(max_length=60, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not (attrs.get("name") or "").strip() and not (attrs.get("document") or "").strip():
            raise serializers.ValidationError(_("Give a name or a document number to search for."))
        return attrs
