"""Forms of publication: the public dataset's parameters, a case-level export request, its decision, its download."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.cases.choices import Stage, TraffickingStatus
from azad.publication import kanon, services

QUASI_IDENTIFIER_CHOICES = [(name, name) for name in kanon.HIERARCHIES]
# The field a refusal of the public dataset's parameters belongs to (others go on top of the form).
FIELD_OF_ERROR = {"k_too_small": "k", "k_too_large": "k", "unknown_quasi_identifier": "quasi_identifiers"}


class PublicDatasetForm(forms.Form):
    """Which years, which k, which quasi-identifiers, how many rows may be suppressed."""

    year_from = forms.IntegerField(label=_("From year"), min_value=1990, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), min_value=1990, max_value=2100)
    k = forms.IntegerField(
        label=_("k"),
        help_text=_("Every published combination of quasi-identifiers occurs at least k times (CTDC: 11)."),
    )
    quasi_identifiers = forms.MultipleChoiceField(
        label=_("Quasi-identifiers"),
        choices=QUASI_IDENTIFIER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown quasi-identifier: %(value)s.")},
    )
    max_suppression_percent = forms.IntegerField(
        label=_("Rows that may be suppressed (%)"),
        min_value=0,
        max_value=99,
        help_text=_("Beyond this share, quasi-identifiers are generalised further instead."),
    )
    identified_only = forms.BooleanField(label=_("Identified victims only"), required=False)

    @classmethod
    def initial_values(cls) -> dict[str, Any]:
        year = timezone.localdate().year
        return {
            "year_from": year - 1,
            "year_to": year - 1,
            "k": services.default_k(),
            "quasi_identifiers": list(kanon.DEFAULT_QUASI_IDENTIFIERS),
            "max_suppression_percent": round(services.default_max_suppression() * 100),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            services.validate_public_parameters(
                year_from=data["year_from"],
                year_to=data["year_to"],
                k=data["k"],
                quasi_identifiers=list(data["quasi_identifiers"]),
                max_suppression=data["max_suppression_percent"] / 100,
            )
        except ValidationError as error:
            field = FIELD_OF_ERROR.get(str(error.code))
            self.add_error(field, error)
        return data

    def parameters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "year_from": data["year_from"],
            "year_to": data["year_to"],
            "k": data["k"],
            "quasi_identifiers": [
                q for q, _label in QUASI_IDENTIFIER_CHOICES if q in data["quasi_identifiers"]
            ],
            "max_suppression": data["max_suppression_percent"] / 100,
            "identified_only": data["identified_only"],
        }


class ExportRequestForm(forms.Form):
    """A case-level export request: why, and which cases."""

    reason = forms.CharField(
        label=_("Why is the data needed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The approver reads this. Do not name victims."),
    )
    date_from = forms.DateField(label=_("First contact from"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("First contact until"), widget=forms.DateInput(attrs={"type": "date"}))
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("Any")), *Stage.choices], required=False)
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"),
        choices=[("", _("Any")), *TraffickingStatus.choices],
        required=False,
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class DownloadForm(forms.Form):
    """The ZIP's password, typed twice; it is never stored."""

    password = forms.CharField(
        label=_("Password for the ZIP file"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        min_length=services.MIN_PASSWORD_LENGTH,
        strip=False,
        help_text=_("At least 12 characters. Azad does not keep it: give it to the recipient separately."),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
