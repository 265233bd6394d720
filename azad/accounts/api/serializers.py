"""API representations of organisations, accounts and tokens.

Serializers only validate; writes go through ``azad.accounts.services``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from azad.accounts import access, services
from azad.accounts.models import Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An organisation. ``version`` must be sent back unchanged on update."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("The version the record was read at; required on update (409 if it changed since)."),
    )

    class Meta:
        model = Organisation
        fields = ("id", *services.ORGANISATION_FIELDS, "is_active", "created_at", "version")
        read_only_fields = ("id", "is_active", "created_at")
        # Uniqueness (of the folded name) is the service's to check.
        extra_kwargs: dict[str, Any] = {"name": {"validators": []}}


class UserSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An account as system administrators see it."""

    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), allow_null=True, required=False
    )
    has_second_factor = serializers.BooleanField(
        read_only=True, help_text=_("Whether the account holds an authenticator app or a passkey.")
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("The version the record was read at; required on update (409 if it changed since)."),
    )

    class Meta:
        model = User
        fields: tuple[str, ...] = (
            "id",
            "username",
            *services.USER_FIELDS,
            "is_active",
            "has_second_factor",
            "last_login",
            "date_joined",
            "version",
        )
        read_only_fields = ("id", "is_active", "last_login", "date_joined")
        extra_kwargs: dict[str, Any] = {"username": {"validators": []}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        organisation_field: Any = self.fields["organisation"]
        organisation_field.queryset = access.visible_organisations(getattr(request, "user", None))
        if self.instance is not None:
            self.fields["username"].read_only = True


class UserCreateSerializer(UserSerializer):
    """A new account; without ``password`` one is generated and returned once."""

    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=_("Leave out to have a strong password generated (returned once as initial_password)."),
    )

    class Meta(UserSerializer.Meta):
        fields = (*UserSerializer.Meta.fields, "password")


class UserCreatedSerializer(UserSerializer):
    """A new account and the password it was given, shown this once."""

    initial_password = serializers.CharField(read_only=True)

    class Meta(UserSerializer.Meta):
        fields = (*UserSerializer.Meta.fields, "initial_password")


class PasswordResetSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A new password, or nothing for a generated one."""

    password = serializers.CharField(write_only=True, required=False, allow_blank=True, trim_whitespace=False)


class PasswordResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The password an account was given, shown this once."""

    password = serializers.CharField(read_only=True)
    generated = serializers.BooleanField(read_only=True)


class ProfileSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The signed-in person's own account; names and language may be changed."""

    organisation_name = serializers.SerializerMethodField()
    has_second_factor = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("The version the record was read at; required on update (409 if it changed since)."),
    )

    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "language",
            "role",
            "scope",
            "organisation",
            "organisation_name",
            "has_second_factor",
            "version",
        )
        read_only_fields = ("id", "username", "email", "role", "scope", "organisation")

    def get_organisation_name(self, obj: User) -> str | None:
        return obj.organisation.display_name() if obj.organisation else None

    def get_has_second_factor(self, obj: User) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(
            user=obj, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()


class TokenRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Credentials for an API token: username, password and a code from the authenticator app."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(max_length=12, help_text=_("The current code from the authenticator app."))


class TokenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An API token: send it as ``Authorization: Token <token>``."""

    token = serializers.CharField(read_only=True)


class DetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An error or status message."""

    detail = serializers.CharField(read_only=True)
