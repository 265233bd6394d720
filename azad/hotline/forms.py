"""Forms of the hotline pages. They only shape input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from azad.hotline.choices import (
    REGION_CHOICES,
    Action,
    ArticleKind,
    CallerType,
    Language,
    Reason,
    Topic,
    Urgency,
)

DATETIME_INPUT = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
)


class IntakeForm(forms.Form):
    """The intake screen: big radio groups, in the order an operator asks."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    started_at = forms.DateTimeField(widget=forms.HiddenInput)
    caller_type = forms.ChoiceField(label=_("Caller"), choices=CallerType.choices, widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices, widget=forms.RadioSelect)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, widget=forms.RadioSelect)
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *REGION_CHOICES], required=False)
    country = forms.CharField(label=_("Country abroad (ISO code, e.g. TR)"), max_length=2, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    actions = forms.MultipleChoiceField(
        label=_("What was done"), choices=Action.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    ended_at = forms.DateTimeField(
        label=_("End time (empty: when you save)"), widget=DATETIME_INPUT, required=False
    )
    callback_due_at = forms.DateTimeField(
        label=_("Safe time to call back"), widget=DATETIME_INPUT, required=False
    )
    callback_code_word = forms.CharField(label=_("Code word"), max_length=200, required=False)
    caller_consented = forms.BooleanField(
        label=_("The caller consents to recording their name and number"), required=False
    )
    caller_name = forms.CharField(label=_("Caller's name"), max_length=200, required=False)
    caller_phone = forms.CharField(label=_("Caller's phone number"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caller_type"].widget.attrs["autofocus"] = True
        for name, key in (
            ("caller_type", "1"),
            ("language", "2"),
            ("reason", "3"),
            ("urgency", "4"),
            ("summary", "5"),
        ):
            self.fields[name].widget.attrs["accesskey"] = key


class CallEditForm(forms.Form):
    """Correct a recorded call (the version it was read at guards against concurrent edits)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    ended_at = forms.DateTimeField(label=_("End time"), widget=DATETIME_INPUT)
    caller_type = forms.ChoiceField(label=_("Caller"), choices=CallerType.choices, widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices, widget=forms.RadioSelect)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, widget=forms.RadioSelect)
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *REGION_CHOICES], required=False)
    country = forms.CharField(label=_("Country abroad (ISO code, e.g. TR)"), max_length=2, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    actions = forms.MultipleChoiceField(
        label=_("What was done"), choices=Action.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    caller_consented = forms.BooleanField(
        label=_("The caller consents to recording their name and number"), required=False
    )
    caller_name = forms.CharField(label=_("Caller's name"), max_length=200, required=False)
    caller_phone = forms.CharField(label=_("Caller's phone number"), max_length=40, required=False)


class CallbackForm(forms.Form):
    """Agree a call-back."""

    due_at = forms.DateTimeField(label=_("Safe time to call back"), widget=DATETIME_INPUT)
    code_word = forms.CharField(label=_("Code word"), max_length=200, required=False)


class HandOverForm(forms.Form):
    """Open a presumed-victim case from the call and refer it to ATD: consent, or (police) a legal ground."""

    consent = forms.BooleanField(
        label=_(
            "The person concerned consents to the referral to ATD (for a child: their legal representative)"
        ),
        help_text=_("An adult's consent is their own: only when the caller is the person concerned."),
        required=False,
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth, if known"),
        help_text=_("Without it the person is treated as a child."),
        required=False,
        min_value=1900,
        max_value=2100,
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

    def __init__(self, *args: Any, may_record_legal_ground: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_record_legal_ground:
            del self.fields["legal_ground"]


class LinkCaseForm(forms.Form):
    """Link the call to an existing case the person sees, by its reference or identifier."""

    case_id = forms.CharField(
        label=_("Case reference or identifier"),
        help_text=_("The eight characters shown on the case, such as 1A2B3C4D."),
        max_length=40,
        widget=forms.TextInput(attrs={"list": "linkable-cases", "autocomplete": "off"}),
    )


class ArticleForm(forms.Form):
    """A knowledge-base article in three languages."""

    slug = forms.SlugField(label=_("Short name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title_az = forms.CharField(label=_("Title (Azerbaijani)"), max_length=200)
    body_az = forms.CharField(label=_("Text (Azerbaijani)"), widget=forms.Textarea)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    body_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=200, required=False)
    body_ru = forms.CharField(label=_("Text (Russian)"), widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PeriodForm(forms.Form):
    """The dashboard's period and time grain."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    grain = forms.ChoiceField(
        label=_("Per"),
        choices=[("day", _("day")), ("week", _("week")), ("month", _("month"))],
        required=False,
    )
