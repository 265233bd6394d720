"""Forms for starting a screening, answering its indicators and loading a list file.

Forms only clean input; :mod:`azad.screening.services` applies the rules and writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from azad.accounts.forms import VersionField, add_service_errors
from azad.cases.choices import ContactChannel
from azad.screening.choices import DIMENSION_LABELS, Answer, Exploitation
from azad.screening.loader import MAX_FILE_BYTES
from azad.screening.models import NOTE_MAX_LENGTH, Indicator, IndicatorList, Screening

__all__ = ["AnswersForm", "CatalogueUploadForm", "StartScreeningForm", "add_service_errors"]

AUTOMATIC = ""


def list_choices() -> list[tuple[str, str]]:
    """Usable list versions (with indicators), for choosing one explicitly."""
    lists = IndicatorList.objects.filter(indicators__isnull=False).distinct().order_by("code", "-version")
    choices = [(AUTOMATIC, str(_("Chosen from the age and the suspected exploitation")))]
    for indicator_list in lists:
        label = f"{indicator_list.title()} — {indicator_list.key}"
        if not indicator_list.verified:
            label = f"{label} ({_('not verified')})"
        choices.append((indicator_list.key, label))
    return choices


class StartScreeningForm(forms.Form):
    """Who is screened (optionally a recorded person), how old, and the exploitation suspected."""

    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    suspected_exploitation = forms.ChoiceField(
        label=_("Suspected exploitation"), choices=Exploitation.choices, widget=forms.RadioSelect
    )
    age = forms.IntegerField(
        label=_("Age in years"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_(
            "As stated or estimated. Leave every age field empty if the age is unknown: the person is then screened as a child."
        ),
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2200)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Used only to choose the list; it is not stored with the screening."),
    )
    list_key = forms.ChoiceField(
        label=_("Indicator list"),
        required=False,
        help_text=_(
            "Leave as chosen automatically unless you have a reason; a child is never screened against an adult list."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["list_key"]
        field.choices = list_choices()


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator with its answer and note fields, for the template."""

    indicator: Indicator
    text: str
    answer: forms.BoundField
    note: forms.BoundField


@dataclass(frozen=True)
class DimensionGroup:
    """The indicators of one dimension."""

    number: int
    label: str
    rows: list[IndicatorRow]


def answer_field_name(code: str) -> str:
    return f"answer:{code}"


def note_field_name(code: str) -> str:
    return f"note:{code}"


class AnswersForm(forms.Form):
    """Yes / no / unknown and an evidence note for every indicator of the screening's list version."""

    version = VersionField()

    def __init__(self, *args: Any, screening: Screening, indicators: list[Indicator], **kwargs: Any) -> None:
        self.screening = screening
        self.indicators = indicators
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[answer_field_name(indicator.code)] = forms.ChoiceField(
                label=indicator.text(),
                choices=Answer.choices,
                initial=Answer.UNKNOWN,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[note_field_name(indicator.code)] = forms.CharField(
                label=_("Evidence note"),
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    def answers(self) -> dict[str, str]:
        """Indicator id -> answer, from the cleaned data (an unanswered indicator is unknown)."""
        return {
            indicator.code: self.cleaned_data.get(answer_field_name(indicator.code)) or Answer.UNKNOWN
            for indicator in self.indicators
        }

    def notes(self) -> dict[str, str]:
        return {
            indicator.code: self.cleaned_data.get(note_field_name(indicator.code)) or ""
            for indicator in self.indicators
        }

    def groups(self) -> Iterator[DimensionGroup]:
        """The indicators grouped by dimension, in list order."""
        by_dimension: dict[int, list[IndicatorRow]] = {}
        for indicator in self.indicators:
            by_dimension.setdefault(indicator.dimension, []).append(
                IndicatorRow(
                    indicator=indicator,
                    text=indicator.text(),
                    answer=self[answer_field_name(indicator.code)],
                    note=self[note_field_name(indicator.code)],
                )
            )
        for number in sorted(by_dimension):
            yield DimensionGroup(
                number=number, label=str(DIMENSION_LABELS[number]), rows=by_dimension[number]
            )


class CatalogueUploadForm(forms.Form):
    """A list file (JSON) to load."""

    file = forms.FileField(
        label=_("List file (JSON)"),
        help_text=_(
            "A new list, or a new version of a list; the file is refused as a whole if anything is wrong."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload


class ReferToAtdForm(forms.Form):
    """Refer the screened person to the police ATD: consent, or a legal ground."""

    version = VersionField()
    consent = forms.BooleanField(
        label=_("The person (for a child: the legal representative) consents to the referral to ATD"),
        required=False,
    )
    representative_name = forms.CharField(
        label=_("Legal representative's name (for a child)"), required=False, max_length=200
    )
    legal_ground = forms.CharField(
        label=_("Legal ground, if there is no consent"),
        help_text=_("Only police and child-protection officers may refer without consent."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    first_contact_at = forms.DateTimeField(
        label=_("First contact"),
        required=False,
        help_text=_("Empty: when the screening was started."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    channel = forms.ChoiceField(
        label=_("How the person was met"), required=False, choices=[("", "—"), *ContactChannel.choices]
    )
