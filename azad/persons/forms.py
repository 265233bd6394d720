"""Forms for persons: record, edit (with the version read) and exact search.

Forms only clean input; :mod:`azad.persons.services` applies the rules. Personal
fields switch browser autocomplete off, so names do not linger in form history.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from azad.accounts.forms import VersionField
from azad.persons.choices import DocumentType, Gender, SamePersonBasis
from azad.persons.models import EARLIEST_BIRTH_YEAR, Person

_PRIVATE = {"autocomplete": "off"}


def _text(label: Any, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=False, widget=forms.TextInput(attrs=_PRIVATE), **kwargs
    )


class PersonForm(forms.Form):
    """A person's identity data; every field may stay empty (a person may not give their name)."""

    last_name = _text(_("Last name"), 150)
    first_name = _text(_("First name"), 150)
    middle_name = _text(_("Patronymic"), 150, help_text=_("Father's name with oğlu / qızı, as in documents."))
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", **_PRIVATE}, format="%Y-%m-%d"),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=EARLIEST_BIRTH_YEAR,
        help_text=_("If only the year is known or estimated. Neither known: the person is presumed a child."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, initial=Gender.NON_SPECIFIED_UNKNOWN
    )
    citizenship = forms.CharField(
        label=_("Citizenship"),
        max_length=2,
        required=False,
        help_text=_(
            "ISO 3166 two-letter code, such as AZ or UZ; XX for a stateless person; empty if unknown."
        ),
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=60,
        required=False,
        help_text=_("ISO 639 codes separated by commas, the main language first, such as az, ru."),
    )
    document_type = forms.ChoiceField(
        label=_("Identity document"), choices=[("", "—"), *DocumentType.choices], required=False
    )
    document_number = _text(_("Document number"), 60)
    phone = _text(_("Phone"), 30)
    email = forms.EmailField(label=_("E-mail"), required=False, widget=forms.EmailInput(attrs=_PRIVATE))

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return [code.strip().lower() for code in raw.replace(";", ",").split(",") if code.strip()]

    def clean_citizenship(self) -> str:
        return str(self.cleaned_data.get("citizenship") or "").strip().upper()

    def service_data(self) -> dict[str, Any]:
        """The cleaned values as :func:`azad.persons.services.create_person` takes them."""
        return {name: value for name, value in self.cleaned_data.items() if name in Person.EDITABLE_FIELDS}

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(person, name) for name in Person.EDITABLE_FIELDS}
        initial["birth_date"] = person.birth_date_value
        initial["languages"] = ", ".join(person.languages or [])
        if person.birth_date:
            initial["birth_year"] = None  # derived from the date
        return initial


class PersonEditForm(PersonForm):
    """A person's data with the version it was read at."""

    version = VersionField()


class PersonSearchForm(forms.Form):
    """Exact search by name or document number (sent by POST, so the name never lands in a URL)."""

    name = _text(
        _("Name"),
        300,
        help_text=_("A first or last name, or both, exactly as written (any alphabet or case)."),
    )
    document = _text(_("Document number"), 60, help_text=_("Spaces and dashes do not matter."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name") or "").strip() and not (data.get("document") or "").strip():
            raise ValidationError(_("Give a name or a document number to search for."))
        return data


class SamePersonForm(forms.Form):
    """Two records (by id), the basis of deciding they are one person, and an optional note."""

    record_a = forms.UUIDField(label=_("First record"), widget=forms.HiddenInput)
    record_b = forms.UUIDField(label=_("Second record"), widget=forms.HiddenInput)
    basis = forms.ChoiceField(label=_("Basis"), choices=SamePersonBasis.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
