"""Forms of the case pages. Each carries the case (or referral) version it was read at.

Forms only clean input; :mod:`azad.cases.services` applies the rules.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.accounts.choices import OrgType
from azad.accounts.forms import VersionField
from azad.accounts.models import Organisation
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
    ReferralPurpose,
    Share,
    WithdrawalReason,
)
from azad.cases.workflow import Requirement, Transition
from azad.core.db import az_collate

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
_PRIVATE = {"autocomplete": "off"}


def when_field(label: Any, *, required: bool = False, help_text: Any = None) -> forms.DateTimeField:
    """A date and time in Baku time (the browser's datetime-local input)."""
    help_text = help_text or (None if required else _("Leave empty for now. Baku time."))
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=help_text or "",
    )


def note_field(label: Any, *, required: bool = False, help_text: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, **_PRIVATE}),
        help_text=help_text,
    )


def active_organisations(
    *, exclude: int | None = None, org_types: list[str] | None = None
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_active=True)
    if org_types:
        organisations = organisations.filter(org_type__in=org_types)
    if exclude is not None:
        organisations = organisations.filter(~Q(pk=exclude))
    return organisations.order_by(az_collate("name"), "pk")


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An organisation shown by its name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name())


class CaseCreateForm(forms.Form):
    """A new case: first contact and, if known, the victim context."""

    first_contact_at = when_field(_("First contact"), required=True, help_text=_("Baku time."))
    channel = forms.ChoiceField(label=_("How the person came to notice"), choices=ContactChannel.choices)
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"),
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    control_methods = forms.MultipleChoiceField(
        label=_("Methods of control"),
        choices=ControlMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"first_contact_at": timezone.localtime().strftime(DATETIME_FORMAT)})
        super().__init__(*args, **kwargs)


class FirstContactForm(forms.Form):
    version = VersionField()
    first_contact_at = when_field(_("First contact"), required=True, help_text=_("Baku time."))
    channel = forms.ChoiceField(label=_("How the person came to notice"), choices=ContactChannel.choices)


class ContextForm(forms.Form):
    version = VersionField()
    exploitation_types = CaseCreateForm.base_fields["exploitation_types"]
    control_methods = CaseCreateForm.base_fields["control_methods"]


class TransitionForm(forms.Form):
    """A stage change, with the fields its requirements need."""

    version = VersionField()
    occurred_at = when_field(_("When it happened"))

    def __init__(
        self, *args: Any, transition: Transition, own_organisation: int | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        needs = set(transition.requires)
        if Requirement.DECISION_BASIS in needs:
            self.fields["basis"] = note_field(
                _("Basis of the decision"),
                required=True,
                help_text=_(
                    "Indicators, interviews, documents. Kept encrypted; only those who see the case read it."
                ),
            )
        if Requirement.CLOSURE_REASON in needs:
            self.fields["closure_reason"] = forms.ChoiceField(
                label=_("Reason for closure"), choices=[("", "—"), *ClosureReason.choices]
            )
        if Requirement.WITHDRAWAL_REASON in needs:
            self.fields["withdrawal_reason"] = forms.ChoiceField(
                label=_("Reason for withdrawal"), choices=[("", "—"), *WithdrawalReason.choices]
            )
        if Requirement.TRANSFER_DESTINATION in needs:
            self.fields["to_organisation"] = OrganisationChoiceField(
                label=_("To an organisation in Azad"),
                queryset=active_organisations(exclude=own_organisation),
                required=False,
            )
            self.fields["country"] = forms.CharField(
                label=_("Or to a country"),
                max_length=2,
                required=False,
                help_text=_("ISO 3166 two-letter code."),
            )
            self.fields["organisation_name"] = forms.CharField(
                label=_("… and an organisation there"), max_length=200, required=False
            )
        if transition.to in ("closed", "withdrawn", "transferred"):
            self.fields["note"] = note_field(_("Note"), help_text=_("Kept encrypted."))


class ReferToAtdForm(forms.Form):
    version = VersionField()
    legal_ground = note_field(
        _("Legal ground (only without consent)"),
        help_text=_(
            "Police and child-protection officers may refer without the person's consent on a legal ground. "
            "Kept encrypted; its use is recorded in the audit trail."
        ),
    )
    note = note_field(_("Details for ATD"), help_text=_("Kept encrypted."))


class ReferralForm(forms.Form):
    """An onward referral: to an organisation in Azad, or abroad."""

    version = VersionField()
    to_organisation = OrganisationChoiceField(
        label=_("To organisation"), queryset=Organisation.objects.none(), required=False
    )
    abroad_country = forms.CharField(
        label=_("Or abroad: country"), max_length=2, required=False, help_text=_("ISO 3166 two-letter code.")
    )
    abroad_organisation_name = forms.CharField(
        label=_("… organisation abroad"), max_length=200, required=False
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=ReferralPurpose.choices, initial=ReferralPurpose.ASSISTANCE
    )
    shares = forms.MultipleChoiceField(
        label=_("What the referral shares"),
        choices=Share.choices,
        initial=[Share.IDENTITY, Share.CASE_CONTENT],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Need to know: share only what the receiver needs."),
    )
    legal_ground = ReferToAtdForm.base_fields["legal_ground"]
    note = note_field(_("Details for the receiver"), help_text=_("Kept encrypted."))

    def __init__(self, *args: Any, own_organisation: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = active_organisations(exclude=own_organisation)  # type: ignore[attr-defined]


class ConsentForm(forms.Form):
    """An answer for the consent ledger."""

    version = VersionField()
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    to_organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For referral and data sharing; empty means any organisation of the referral mechanism."),
    )
    status = forms.ChoiceField(label=_("Answer"), choices=ConsentStatus.choices, initial=ConsentStatus.GIVEN)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    representative_name = forms.CharField(
        label=_("Legal representative"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("For a child: who answered. Kept encrypted."),
    )
    answered_at = when_field(_("Answered"))
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, child: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = active_organisations()  # type: ignore[attr-defined]
        if child:
            self.fields["given_by"].initial = ConsentGiver.LEGAL_REPRESENTATIVE


class WithdrawConsentForm(forms.Form):
    version = VersionField()
    given_by = ConsentForm.base_fields["given_by"]
    representative_name = ConsentForm.base_fields["representative_name"]


class NotificationForm(forms.Form):
    version = VersionField()
    body = forms.ChoiceField(label=_("Body notified"), choices=ChildNotificationBody.choices)
    organisation = OrganisationChoiceField(
        label=_("Its organisation in Azad"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("If the body is in Azad, its child-protection officers will see the case."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=NotificationChannel.choices)
    notified_at = when_field(_("Notified"))
    reference = forms.CharField(label=_("Outgoing reference"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = active_organisations(  # type: ignore[attr-defined]
            org_types=[OrgType.CHILD_PROTECTION]
        )


class ChildDetailsForm(forms.Form):
    version = VersionField()
    legal_representative_name = forms.CharField(
        label=_("Legal representative"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_PRIVATE),
    )
    legal_representative_contact = forms.CharField(
        label=_("Legal representative's contact"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_PRIVATE),
    )
    best_interests_note = note_field(_("Best-interests note"), help_text=_("Kept encrypted."))


class ResidencePermitForm(forms.Form):
    version = VersionField()
    issued_on = forms.DateField(
        label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for one year."),
    )


class AllowanceForm(forms.Form):
    version = VersionField()
    paid_at = when_field(_("Paid"))


class VersionOnlyForm(forms.Form):
    version = VersionField()


class DeclineForm(forms.Form):
    version = VersionField()
    reason = note_field(_("Why the referral is declined"), required=True, help_text=_("Kept encrypted."))
