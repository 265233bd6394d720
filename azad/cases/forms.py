"""Forms of the case pages. Each carries the case (or referral) version it was read at.

Forms only clean input; :mod:`azad.cases.services` applies the rules.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    HistoricEventType,
    NotificationChannel,
    PaymentKind,
    ReferralChannel,
    ReferralPurpose,
    ReturnDirection,
    ReturnStatus,
    RiskLevel,
    ServiceOutcome,
    Share,
    SupportType,
    TravelDocumentStatus,
    WithdrawalReason,
)
from azad.cases.workflow import Requirement, Transition
from azad.core.db import az_collate
from azad.core.permissions import Role
from azad.core.places import REGION_CHOICES

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
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", "—"), *REGION_CHOICES],
        required=False,
        help_text=_("Where the person was found or the case is handled; used for statistics by region."),
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
    region = CaseCreateForm.base_fields["region"]


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
    abroad_contact = forms.CharField(
        label=_("… contact there"),
        max_length=400,
        required=False,
        widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("A person, telephone or e-mail. Kept encrypted."),
    )
    abroad_channel = forms.ChoiceField(
        label=_("… sent through"), choices=[("", "—"), *ReferralChannel.choices], required=False
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
    number = forms.CharField(
        label=_("Permit number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("Kept encrypted."),
    )
    issuing_body = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        required=False,
        help_text=_("E.g. the State Migration Service."),
    )


class VersionOnlyForm(forms.Form):
    version = VersionField()


class DeclineForm(forms.Form):
    version = VersionField()
    reason = note_field(_("Why the referral is declined"), required=True, help_text=_("Kept encrypted."))


# --- Increment 2: shelters, assistance, money, sealing, history, comments -------------------------


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}), help_text=help_text
    )


def _org_field(
    label: Any, *, required: bool = False, org_types: list[str] | None = None
) -> OrganisationChoiceField:
    return OrganisationChoiceField(
        queryset=active_organisations(org_types=org_types),
        label=label,
        required=required,
        help_text=_("Empty: your organisation.") if not required else "",
    )


class ShelterChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation.display_name())


class PlacementForm(forms.Form):
    """Place the person in a shelter the reader works for."""

    shelter = ShelterChoiceField(queryset=None, label=_("Shelter"))
    start_on = date_field(_("Arrived"))
    reason = note_field(_("Reason for the placement"), help_text=_("Kept encrypted."))

    def __init__(self, *args: Any, shelters: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shelter"].queryset = shelters  # type: ignore[attr-defined]


class EndPlacementForm(forms.Form):
    version = VersionField()
    end_on = date_field(_("Left"), help_text=_("The day the person left the shelter."))


class PlanForm(forms.Form):
    objectives = note_field(_("Objectives"), required=True, help_text=_("Kept encrypted."))
    responsible_organisation = _org_field(_("Responsible organisation"))
    opened_on = date_field(_("Opened"), required=False, help_text=_("Empty: today."))
    planned_end_on = date_field(_("Planned end"), required=False)


class PlanItemForm(forms.Form):
    support_type = forms.ChoiceField(label=_("Kind of support"), choices=SupportType.choices)
    objective = note_field(_("Objective"), required=True, help_text=_("Kept encrypted."))
    responsible_organisation = _org_field(_("Responsible organisation"))
    start_on = date_field(pgettext_lazy("date range", "From"), required=False, help_text=_("Empty: today."))
    due_on = date_field(_("Until"), required=False)


class ServiceForm(forms.Form):
    support_type = forms.ChoiceField(label=_("Kind of support"), choices=SupportType.choices)
    delivered_on = date_field(_("Delivered"), required=False, help_text=_("Empty: today."))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ServiceOutcome.choices)
    outcome_note = note_field(_("Note on the outcome"), help_text=_("Kept encrypted."))


class ServiceOutcomeForm(forms.Form):
    version = VersionField()
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ServiceOutcome.choices)
    outcome_note = note_field(_("Note on the outcome"), help_text=_("Kept encrypted."))


class RiskForm(forms.Form):
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    assessed_on = date_field(_("Assessed"), required=False, help_text=_("Empty: today."))
    note = note_field(_("Note"), help_text=_("Kept encrypted."))


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        organisation = obj.organisation.display_name() if obj.organisation_id else ""
        return f"{obj} ({organisation})" if organisation else str(obj)


class PaymentForm(forms.Form):
    version = VersionField()
    kind = forms.ChoiceField(label=_("Kind"), choices=PaymentKind.choices)
    amount = forms.DecimalField(
        label=_("Amount (AZN)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        help_text=_("Relief fund only: the allowance is paid at the rate in force."),
    )
    paid_at = when_field(_("Paid"), help_text=_("Empty: now. Baku time."))
    approved_by = UserChoiceField(queryset=None, label=_("Approved by"))

    def __init__(self, *args: Any, approvers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = approvers  # type: ignore[attr-defined]


class SealForm(forms.Form):
    decided_by_organisation = _org_field(
        _("Decided by"), required=True, org_types=[OrgType.PROSECUTOR, OrgType.COURT]
    )
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=80)
    decided_on = date_field(_("Decision date"))
    roles = forms.MultipleChoiceField(
        label=_("Roles that keep access"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Prosecutors always keep access."),
    )


class ConfirmForm(forms.Form):
    """An action with nothing to fill in."""


class HistoricEventForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Kind of event"), choices=HistoricEventType.choices)
    country = forms.CharField(label=_("Country"), max_length=2, help_text=_("ISO 3166 two-letter code."))
    place = forms.CharField(label=_("Region or city"), max_length=120, required=False)
    date_from = date_field(_("Date or from"), required=False)
    date_to = date_field(_("Until"), required=False)
    description = note_field(_("Description"), help_text=_("Kept encrypted."))


class CommentForm(forms.Form):
    text = note_field(_("Comment"), required=True, help_text=_("Kept encrypted."))


# --- Return home -------------------------------------------------------------------------------


class RiskAssessmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """One of the case's risk assessments, shown by date and level (never the note)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.assessed_on:%Y-%m-%d} — {obj.get_level_display()}"


class ReturnForm(forms.Form):
    """A return home: planned (no version) or changed (with the version it was read at)."""

    version = VersionField(required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=ReturnDirection.choices)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        help_text=_(
            "ISO 3166 two-letter code: where the person goes (repatriation) or comes from (citizen)."
        ),
    )
    receiver_name = forms.CharField(
        label=_("Receiving organisation abroad or consulate"),
        max_length=400,
        required=False,
        widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("Kept encrypted."),
    )
    receiver_contact = forms.CharField(
        label=_("Their contact"),
        max_length=400,
        required=False,
        widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("Kept encrypted."),
    )
    documents = forms.ChoiceField(label=_("Travel documents"), choices=TravelDocumentStatus.choices)
    documents_requested_on = date_field(_("Documents requested"), required=False)
    documents_issued_on = date_field(_("Documents issued"), required=False)
    cost_amount = forms.DecimalField(
        label=_("Cost"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    cost_currency = forms.CharField(label=_("Currency"), max_length=3, initial="AZN")
    costs_paid_by = forms.CharField(label=_("Costs paid by"), max_length=200, required=False)
    risk_assessment = RiskAssessmentChoiceField(
        label=_("Risk assessment relied on"), queryset=None, required=False
    )
    risk_level = forms.ChoiceField(
        label=_("Or the risk before return"), choices=[("", "—"), *RiskLevel.choices], required=False
    )
    risk_note = note_field(_("Note on the risk"), help_text=_("Kept encrypted."))
    voluntary_request_on = date_field(
        _("The person asked to go home on"),
        required=False,
        help_text=_(
            "Needed for a repatriation during the reflection period: no expulsion may be enforced then."
        ),
    )
    planned_on = date_field(_("Planned date"), required=False)
    note = note_field(_("Note"), help_text=_("Kept encrypted."))

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_assessment"].queryset = case.risk_assessments.all()  # type: ignore[attr-defined]


class ReturnStatusForm(forms.Form):
    version = VersionField()
    status = forms.ChoiceField(label=_("New status"), choices=ReturnStatus.choices)
    on = date_field(_("On"), required=False, help_text=_("Empty: today."))


# --- Shelter profiles and allowance rates ------------------------------------------------------------


class ShelterProfileForm(forms.Form):
    """A shelter's profile: the organisation (when created), beds, whom it takes in, its address."""

    version = VersionField(required=False)
    organisation = OrganisationChoiceField(
        label=_("Shelter organisation"), queryset=Organisation.objects.none(), required=False
    )
    beds = forms.IntegerField(label=_("Beds"), min_value=1, max_value=10000)
    children_only = forms.BooleanField(label=_("Children only"), required=False)
    women_only = forms.BooleanField(label=_("Women only"), required=False)
    address = note_field(_("Address"), help_text=_("Kept encrypted; shown to nobody in lists."))

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["organisation"].required = True
            self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
                Organisation.objects.filter(org_type=OrgType.SHELTER, shelter_profile__isnull=True).order_by(
                    az_collate("name"), "pk"
                )
            )
            del self.fields["version"]
        else:
            del self.fields["organisation"]
            self.fields["version"].required = True


class AllowanceRateForm(forms.Form):
    valid_from = date_field(_("Valid from"))
    amount = forms.DecimalField(label=_("Amount (AZN)"), min_value=0, max_digits=10, decimal_places=2)
