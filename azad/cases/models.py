"""The referral mechanism's records: cases, their timeline, consents, referrals, child notifications.

A :class:`Case` is one presumed victim's way through the national referral
mechanism (MİM), from first contact to closure. What may identify someone
(decision basis, legal grounds, a legal representative's name, notes) is
encrypted; what statistics need (stage, dates, exploitation types, child or
not) stays in clear. Write through :mod:`azad.cases.services`, read through
:mod:`azad.cases.access`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from azad.cases.choices import (
    END_STAGES,
    CaseStatus,
    ChildNotificationBody,
    ClosureReason,
    ConsentGiver,
    ConsentPurpose,
    ConsentStatus,
    ContactChannel,
    EventKind,
    HistoricEventType,
    NotificationChannel,
    PaymentKind,
    ReferralChannel,
    ReferralPurpose,
    ReferralStatus,
    ReturnDirection,
    ReturnStatus,
    RevocationReason,
    RiskLevel,
    ServiceOutcome,
    Stage,
    SupportType,
    TraffickingStatus,
    TravelDocumentStatus,
    WithdrawalReason,
    case_status_for,
)
from azad.core.fields import EncryptedModel, EncryptedTextField
from azad.core.locking import Versioned
from azad.core.places import REGION_CHOICES


def empty_list() -> list[str]:
    return []


# Carried in the case list's indexes (PostgreSQL INCLUDE; other databases index the keys only).
VISIBILITY_INCLUDES = ("owner_organisation_id", "atd_organisation_id", "owner_id")
LIST_INDEX_INCLUDES = (*VISIBILITY_INCLUDES, "region")


class Case(EncryptedModel, Versioned):
    """One presumed victim's case in the national referral mechanism.

    ``stage`` moves only through :func:`azad.cases.services.transition_case`
    along the table in :mod:`azad.cases.workflow`. The times the legal clocks
    need (:mod:`azad.cases.clocks`) are kept here in UTC: first contact,
    referral to ATD, completion of the child notifications, start and end of
    the reflection period, the status decision, the allowance payment and the
    residence permit. ``is_child`` is derived from the person (age at first
    contact under 18, or unknown) whenever a service touches the case.
    """

    # Indexed by ``cases_person_visibility_idx`` (below), which leads with it.
    person = models.ForeignKey(
        "persons.Person",
        verbose_name=_("presumed victim"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
    )
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, default=Stage.PRESUMED)
    stage_changed_at = models.DateTimeField(_("stage since"))
    is_child = models.BooleanField(
        _("child"), default=False, help_text=_("Under 18 at first contact, or age unknown.")
    )
    screening_id = models.CharField(_("screening"), max_length=64, blank=True, editable=False)
    region = models.CharField(
        _("region"),
        max_length=40,
        blank=True,
        choices=REGION_CHOICES,
        help_text=_(
            "Where the presumed victim was found or the case is handled; used for statistics by region."
        ),
    )

    first_contact_at = models.DateTimeField(_("first contact"))
    first_contact_channel = models.CharField(
        _("first contact channel"),
        max_length=32,
        choices=ContactChannel.choices,
        blank=True,
        help_text=_(
            "Empty until the first contact is recorded; the case's opening time stands in until then."
        ),
    )
    referred_to_atd_at = models.DateTimeField(_("referred to ATD"), null=True, blank=True)
    # Kept by the referral services (refer, decline, revoke) so that ATD's visibility rule is one
    # indexed column, not a look-up of every referral to ATD on each request.
    atd_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("ATD handling the case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        db_index=False,
        related_name="atd_cases",
        help_text=_("The anti-trafficking department that sees the case through its referral."),
    )
    child_notifications_completed_at = models.DateTimeField(
        _("child notifications completed"), null=True, blank=True
    )
    reflection_started_at = models.DateTimeField(_("reflection period started"), null=True, blank=True)
    reflection_closed_at = models.DateTimeField(_("reflection stage left"), null=True, blank=True)

    # HTCDS vic_TraffickingStatus and its decision.
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=40,
        choices=TraffickingStatus.choices,
        default=TraffickingStatus.POSSIBLE,
    )
    status_decided_at = models.DateTimeField(_("status decided"), null=True, blank=True)
    status_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status_decision_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("decision-making organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status_decision_basis = EncryptedTextField(_("basis of the decision"), blank=True, default="")

    # HTCDS victim context.
    exploitation_types = models.JSONField(_("types of exploitation"), default=empty_list, blank=True)
    control_methods = models.JSONField(_("methods of control"), default=empty_list, blank=True)

    # Child procedure.
    legal_representative_name = EncryptedTextField(_("legal representative"), blank=True, default="")
    legal_representative_contact = EncryptedTextField(
        _("legal representative's contact"), blank=True, default=""
    )
    best_interests_note = EncryptedTextField(_("best-interests note"), blank=True, default="")

    # Foreign victims: the temporary residence permit (one year).
    residence_permit_issued_on = models.DateField(_("residence permit issued"), null=True, blank=True)
    residence_permit_expires_on = models.DateField(_("residence permit expires"), null=True, blank=True)
    # Nullable: added after cases existed (an encrypted column has no shared default to fill old rows).
    residence_permit_number = EncryptedTextField(
        _("residence permit number"), blank=True, null=True, default=None
    )
    residence_permit_issuing_body = models.CharField(
        _("residence permit issued by"), max_length=200, blank=True
    )
    allowance_paid_at = models.DateTimeField(_("reintegration allowance paid"), null=True, blank=True)

    # The end of the case.
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closure"), max_length=40, choices=ClosureReason.choices, blank=True
    )
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=40, choices=WithdrawalReason.choices, blank=True
    )
    end_note = EncryptedTextField(_("note on the end of the case"), blank=True, default="")
    transferred_to_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("transferred to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    transferred_to_country = models.CharField(_("transferred to country"), max_length=2, blank=True)
    transferred_to_name = models.CharField(
        _("transferred to organisation abroad"), max_length=200, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["owner_organisation", "stage"], name="cases_owner_stage_idx"),
            models.Index(fields=["stage", "first_contact_at"], name="cases_stage_contact_idx"),
            # The case list, newest first, unfiltered or by stage (the work queues). On PostgreSQL
            # the columns of the visibility rule and the region filter ride along (INCLUDE), so
            # counting a page's worth of visible cases reads the index alone.
            models.Index(
                fields=["-created_at", "id"],
                name="cases_created_idx",
                include=LIST_INDEX_INCLUDES,
            ),
            models.Index(fields=["atd_organisation", "stage"], name="cases_atd_stage_idx"),
            models.Index(
                fields=["stage", "-created_at", "id"],
                name="cases_stage_created_idx",
                include=LIST_INDEX_INCLUDES,
            ),
            # By stage and region (a regional unit's queue): a small region inside a large stage
            # would otherwise walk the stage's index to fill a page or count it.
            models.Index(
                fields=["stage", "region", "-created_at", "id"],
                name="cases_stage_region_idx",
                include=VISIBILITY_INCLUDES,
            ),
            # A person's cases, with what the visibility rule reads: whether a person found by
            # name is shared with the searcher through a case is answered from the index alone
            # (nationally the case table is far larger than memory; a name can match hundreds).
            models.Index(
                fields=["person", "id"],
                name="cases_person_visibility_idx",
                include=VISIBILITY_INCLUDES,
            ),
        ]

    def __str__(self) -> str:
        return str(_("Case %(ref)s") % {"ref": self.reference})

    @property
    def reference(self) -> str:
        """A short reference people can read out: the first eight characters of the id, upper case."""
        return str(self.pk)[:8].upper()

    @property
    def cas_status(self) -> CaseStatus:
        """HTCDS ``cas_Status``."""
        return case_status_for(self.stage)

    @property
    def is_ended(self) -> bool:
        return self.stage in END_STAGES

    @property
    def first_contact_recorded(self) -> bool:
        return bool(self.first_contact_channel)

    def exploitation_labels(self) -> list[str]:
        from azad.cases.choices import ExploitationType

        return [str(ExploitationType(v).label) for v in self.exploitation_types if v in ExploitationType]

    def control_labels(self) -> list[str]:
        from azad.cases.choices import ControlMethod

        return [str(ControlMethod(v).label) for v in self.control_methods if v in ControlMethod]


class CaseEvent(models.Model):
    """One entry on a case's timeline: what happened, who did it for which organisation, when.

    ``details`` holds codes and organisation ids only, never personal data;
    :meth:`summary` renders them in the reader's language.
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=32, choices=EventKind.choices)
    from_stage = models.CharField(_("from stage"), max_length=32, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=32, choices=Stage.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("when"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering: ClassVar[list[str]] = ["occurred_at", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"

    def summary(self) -> str:
        """What happened, in the reader's language, without personal data."""
        from azad.cases.timeline import describe

        return describe(self)


class Consent(EncryptedModel):
    """One entry in a case's consent ledger: an answer to one purpose, never changed afterwards.

    The consent in force for a purpose (and receiving organisation, for
    referral and data sharing) is the latest entry for it; withdrawing is a
    new entry with status ``withdrawn``. For a child the legal representative
    answers, and their name is kept encrypted.
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("to organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For referral and data sharing; empty means any organisation of the referral mechanism."),
    )
    status = models.CharField(_("answer"), max_length=16, choices=ConsentStatus.choices)
    given_by = models.CharField(_("given by"), max_length=32, choices=ConsentGiver.choices)
    representative_name = EncryptedTextField(_("legal representative"), blank=True, default="")
    answered_at = models.DateTimeField(_("answered"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering: ClassVar[list[str]] = ["-recorded_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["case", "purpose", "to_organisation"], name="cases_consent_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.purpose}:{self.status}"


class Referral(EncryptedModel, Versioned):
    """A case referred from one organisation to another (or abroad), with what it shares.

    pending → accepted / declined → completed, or revoked. While accepted,
    the receiving organisation sees exactly what ``shares`` lists (see
    :mod:`azad.cases.access`). A referral rests on a consent entry or, where
    the law allows, on a recorded legal ground (encrypted).
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("from organisation"),
        on_delete=models.PROTECT,
        related_name="outgoing_referrals",
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("to organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_referrals",
    )
    abroad_country = models.CharField(_("country abroad"), max_length=2, blank=True)
    abroad_organisation_name = models.CharField(_("organisation abroad"), max_length=200, blank=True)
    abroad_contact = EncryptedTextField(  # nullable: added after referrals existed
        _("contact at the organisation abroad"),
        blank=True,
        null=True,
        default=None,
        help_text=_("A person, telephone or e-mail there. Kept encrypted."),
    )
    abroad_channel = models.CharField(
        _("sent through"), max_length=16, choices=ReferralChannel.choices, blank=True
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ReferralPurpose.choices)
    shares = models.JSONField(_("shares"), default=empty_list)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("consent relied on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    legal_ground = EncryptedTextField(_("legal ground"), blank=True, default="")
    note = EncryptedTextField(_("details for the receiver"), blank=True, default="")
    sent_at = models.DateTimeField(_("sent"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True, default="")
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.CharField(
        _("reason for revoking"), max_length=32, choices=RevocationReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering: ClassVar[list[str]] = ["-sent_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["to_organisation", "status"], name="cases_referral_to_idx"),
            models.Index(fields=["case", "status"], name="cases_referral_case_idx"),
        ]

    def __str__(self) -> str:
        return str(_("Referral %(ref)s") % {"ref": str(self.pk)[:8].upper()})

    @property
    def is_transnational(self) -> bool:
        return self.to_organisation_id is None

    def receiver_label(self) -> str:
        """The receiving organisation, or the organisation abroad and its country."""
        if self.to_organisation is not None:
            return self.to_organisation.display_name()
        return f"{self.abroad_organisation_name} ({self.abroad_country})"

    def share_labels(self) -> list[str]:
        from azad.cases.choices import Share

        return [str(Share(v).label) for v in self.shares if v in Share]


class ChildNotification(models.Model):
    """A child-protection body told of a child case: which body, how, when, by whom."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="child_notifications"
    )
    body = models.CharField(_("body notified"), max_length=32, choices=ChildNotificationBody.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation notified"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_notifications",
        help_text=_(
            "The body's organisation in Azad, if it has one: its child-protection officers then see the case."
        ),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=NotificationChannel.choices)
    notified_at = models.DateTimeField(_("notified"))
    reference = models.CharField(
        _("outgoing reference"), max_length=60, blank=True, help_text=_("Letter or register number, if any.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("child notification")
        verbose_name_plural = _("child notifications")
        ordering: ClassVar[list[str]] = ["notified_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.body}"


# --- Shelters and placements (increment 2) ---------------------------------------------------


class ShelterProfile(EncryptedModel, Versioned):
    """What a shelter organisation offers: beds, who it takes in, and its (encrypted) address.

    One per organisation of type ``Shelter``. Occupancy is counted from
    :class:`Placement` rows, never stored.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="shelter_profile",
    )
    beds = models.PositiveIntegerField(_("beds"))
    children_only = models.BooleanField(_("children only"), default=False)
    women_only = models.BooleanField(_("women only"), default=False)
    address = EncryptedTextField(_("address"), blank=True, default="")
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        ordering: ClassVar[list[str]] = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation.display_name())


class Placement(EncryptedModel, Versioned):
    """A case's stay in a shelter, from ``start_on`` to the day they leave (``end_on``, empty while there).

    A placement occupies a bed on each day ``start_on <= day < end_on``.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="placements"
    )
    shelter = models.ForeignKey(
        ShelterProfile, verbose_name=_("shelter"), on_delete=models.PROTECT, related_name="placements"
    )
    start_on = models.DateField(_("arrived"))
    end_on = models.DateField(_("left"), null=True, blank=True)
    reason = EncryptedTextField(_("reason for the placement"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("shelter placement")
        verbose_name_plural = _("shelter placements")
        ordering: ClassVar[list[str]] = ["-start_on", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["shelter", "start_on", "end_on"], name="cases_placement_shelter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.shelter_id}:{self.start_on}"


# --- Assistance --------------------------------------------------------------------------------


class AssistancePlan(EncryptedModel, Versioned):
    """An individual assistance plan (HTCDS Support Plan): objectives (encrypted), who leads it, dates."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="assistance_plans"
    )
    objectives = EncryptedTextField(_("objectives"))
    responsible_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_on = models.DateField(_("opened"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("assistance plan")
        verbose_name_plural = _("assistance plans")
        ordering: ClassVar[list[str]] = ["-opened_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:plan:{self.opened_on}"


class PlanItem(EncryptedModel):
    """One line of an assistance plan: a kind of support (HTCDS ``spl_Type``), its objective, who, when."""

    plan = models.ForeignKey(
        AssistancePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items"
    )
    support_type = models.CharField(_("kind of support"), max_length=40, choices=SupportType.choices)
    objective = EncryptedTextField(_("objective"))
    responsible_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_on = models.DateField(_("from"))
    due_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering: ClassVar[list[str]] = ["start_on", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.support_type}"


class ServiceDelivery(EncryptedModel, Versioned):
    """A service delivered to the person: when, what kind, by whom, and how it turned out."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="services")
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
    )
    support_type = models.CharField(_("kind of support"), max_length=40, choices=SupportType.choices)
    delivered_on = models.DateField(_("delivered"))
    provider = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("provided by"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ServiceOutcome.choices, default=ServiceOutcome.PENDING
    )
    outcome_note = EncryptedTextField(_("note on the outcome"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        ordering: ClassVar[list[str]] = ["-delivered_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.support_type}:{self.delivered_on}"


class RiskAssessment(EncryptedModel):
    """A risk assessment, repeated over time: date, level, note (encrypted)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="risk_assessments"
    )
    assessed_on = models.DateField(_("assessed"))
    level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    note = EncryptedTextField(_("note"), blank=True, default="")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering: ClassVar[list[str]] = ["-assessed_on", "-recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.level}:{self.assessed_on}"


# --- Return home ----------------------------------------------------------------------------------


class Return(EncryptedModel, Versioned):
    """A person's way home: a foreign victim's repatriation, or a citizen's return from abroad.

    planned → in progress → completed, or cancelled. Who receives the person
    (organisation abroad, or the consulate) and how to reach them are
    encrypted, like the notes; country, documents, costs, dates and risk
    level stay in clear for statistics. Written through the return services
    of :mod:`azad.cases.services`.
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="returns")
    direction = models.CharField(_("direction"), max_length=16, choices=ReturnDirection.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        help_text=_("Repatriation: the country the person returns to. Return of a citizen: where from."),
    )
    receiver_name = EncryptedTextField(
        _("receiving organisation or consulate"), blank=True, default="", help_text=_("Kept encrypted.")
    )
    receiver_contact = EncryptedTextField(
        _("receiver's contact"), blank=True, default="", help_text=_("Kept encrypted.")
    )
    documents = models.CharField(
        _("travel documents"),
        max_length=16,
        choices=TravelDocumentStatus.choices,
        default=TravelDocumentStatus.NEEDED,
    )
    documents_requested_on = models.DateField(_("documents requested"), null=True, blank=True)
    documents_issued_on = models.DateField(_("documents issued"), null=True, blank=True)
    cost_amount = models.DecimalField(_("cost"), max_digits=10, decimal_places=2, null=True, blank=True)
    cost_currency = models.CharField(_("currency"), max_length=3, default="AZN")
    costs_paid_by = models.CharField(_("costs paid by"), max_length=200, blank=True)
    risk_assessment = models.ForeignKey(
        "RiskAssessment",
        verbose_name=_("risk assessment relied on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    risk_level = models.CharField(
        _("risk before return"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    risk_note = EncryptedTextField(_("note on the risk"), blank=True, default="")
    voluntary_request_on = models.DateField(
        _("person asked to return"),
        null=True,
        blank=True,
        help_text=_("The day the person asked, of their own will, to go home (needed during reflection)."),
    )
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.PLANNED
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering: ClassVar[list[str]] = ["-recorded_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(cost_amount__isnull=True) | models.Q(cost_amount__gte=Decimal("0")),
                name="cases_return_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.direction}:{self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in (ReturnStatus.PLANNED, ReturnStatus.IN_PROGRESS)

    def country_label(self) -> str:
        from azad.core.places import country_label

        return country_label(self.country)

    def risk_label(self) -> str:
        """The level relied on: the linked assessment's, or the one recorded here."""
        level = self.risk_assessment.level if self.risk_assessment is not None else self.risk_level
        return str(RiskLevel(level).label) if level in RiskLevel.values else ""


# --- Money -------------------------------------------------------------------------------------


class AllowanceRate(models.Model):
    """The reintegration allowance's amount from ``valid_from`` until the next rate."""

    valid_from = models.DateField(_("valid from"), unique=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="AZN")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("allowance rate")
        verbose_name_plural = _("allowance rates")
        ordering: ClassVar[list[str]] = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.valid_from})"


class Payment(models.Model):
    """Money paid to the person: the one-time allowance or relief-fund help, approved by a second person."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="AZN")
    paid_at = models.DateTimeField(_("paid"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering: ClassVar[list[str]] = ["-paid_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(kind="allowance"), name="cases_one_allowance_per_case"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=Decimal("0")), name="cases_payment_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}:{self.amount} {self.currency}"


# --- Sealing -----------------------------------------------------------------------------------


class Sealing(models.Model):
    """A prosecutor's or court decision closing a case's data to everyone but the roles it names.

    ``roles`` is stored as ``,role,role,`` so that access can filter on it
    with a plain ``contains`` in every database; read it through :attr:`role_list`.
    In force while ``lifted_at`` is empty.
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="sealings")
    decided_by_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decision_reference = models.CharField(_("decision reference"), max_length=80)
    decided_on = models.DateField(_("decision date"))
    roles = models.CharField(_("roles that keep access"), max_length=400)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    sealed_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sealing")
        verbose_name_plural = _("sealings")
        ordering: ClassVar[list[str]] = ["-sealed_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(lifted_at__isnull=True), name="cases_one_sealing_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:sealed:{self.decided_on}"

    @property
    def role_list(self) -> list[str]:
        return [role for role in self.roles.split(",") if role]

    def role_labels(self) -> list[str]:
        from azad.core.permissions import Role

        return [str(Role(role).label) for role in self.role_list if role in Role.values]


def roles_text(roles: list[str]) -> str:
    """The stored form of a sealing's roles: ``,a,b,``."""
    return "," + ",".join(roles) + "," if roles else ""


# --- History and comments ----------------------------------------------------------------------


class HistoricEvent(EncryptedModel):
    """A step of what happened to the person (HTCDS Historic Trafficking Events): where, when, what."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="historic_events"
    )
    event_type = models.CharField(_("kind of event"), max_length=16, choices=HistoricEventType.choices)
    country = models.CharField(_("country"), max_length=2)
    place = models.CharField(_("region or city"), max_length=120, blank=True)
    date_from = models.DateField(_("date or from"), null=True, blank=True)
    date_to = models.DateField(_("until"), null=True, blank=True)
    description = EncryptedTextField(_("description"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("trafficking event")
        verbose_name_plural = _("trafficking events")
        ordering: ClassVar[list[str]] = ["date_from", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.event_type}"


class CaseComment(EncryptedModel):
    """A comment on a case (encrypted), shown on its timeline."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="comments")
    text = EncryptedTextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering: ClassVar[list[str]] = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:comment"


def as_payload(**values: Any) -> dict[str, Any]:
    """Audit/timeline details without empty values."""
    return {k: v for k, v in values.items() if v not in (None, "", [], ())}
