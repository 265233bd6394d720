"""Forms for organisations, accounts and a person's own profile.

Forms only clean input; services (``azad.accounts.services``) apply the rules
and write. Edit forms carry the version they were read at (optimistic locking).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from azad.accounts import access, services
from azad.accounts.models import Organisation, User
from azad.core.db import az_collate


class VersionField(forms.IntegerField):
    """The hidden version an edit form was read at."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("label", _("version"))
        super().__init__(**kwargs)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: on its fields where they exist, else on top."""
    for field, messages in services.error_messages(error).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def organisation_choices(user: Any, *, keep: Organisation | None = None) -> Any:
    """Active organisations ``user`` may see, in Azerbaijani order (plus ``keep``, the current one)."""
    condition = Q(is_active=True)
    if keep is not None:
        condition |= Q(pk=keep.pk)
    return access.visible_organisations(user).filter(condition).order_by(az_collate("name"), "pk")


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    """An organisation's names and details."""

    class Meta:
        model = Organisation
        fields = services.ORGANISATION_FIELDS

    def validate_unique(self) -> None:
        """Uniqueness is checked by the service, against the folded name."""


class OrganisationEditForm(OrganisationForm):
    """An organisation's details, with the version they were read at."""

    version = VersionField()


class UserCreateForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new account: who, role, scope, organisation, and an optional password."""

    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to have a strong password generated; it is shown once."),
    )

    class Meta:
        model = User
        fields = ("username", *services.USER_FIELDS)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_choices(actor)  # type: ignore[attr-defined]


class UserEditForm(forms.ModelForm):  # type: ignore[type-arg]
    """An account's names, role, scope, organisation and language, with its version."""

    version = VersionField()

    class Meta:
        model = User
        fields = services.USER_FIELDS

    def __init__(self, *args: Any, actor: Any, account: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_choices(  # type: ignore[attr-defined]
            actor, keep=account.organisation
        )

    def validate_unique(self) -> None:
        """Nothing unique is edited here."""


class PasswordResetForm(forms.Form):
    """A new password set by an administrator, or empty for a generated one."""

    password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to have a strong password generated; it is shown once."),
    )


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    """What a person may change on their own account."""

    version = VersionField()

    class Meta:
        model = User
        fields = services.PROFILE_FIELDS

    def validate_unique(self) -> None:
        """Nothing unique is edited here."""
