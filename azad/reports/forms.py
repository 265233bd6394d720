"""Forms of the annual report pages. They shape input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from azad.reports.choices import ReportLanguage


class GenerateForm(forms.Form):
    """Which year and language to produce the report for (the service checks the range)."""

    year = forms.CharField(
        label=_("Year"), max_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)


class NarrativeForm(forms.Form):
    """The Coordinator's narrative, with the version it was read at."""

    text = forms.CharField(
        label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 18}), required=False, strip=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
