"""Enumerations of the referral mechanism: HTCDS value names where the standard has them.

Stages are Azad's own (the national referral mechanism's steps, see
``docs`` and :mod:`azad.cases.workflow`); ``cas_Status`` is derived from them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where a case stands in the national referral mechanism (MİM)."""

    PRESUMED = "presumed", _("Presumed victim")
    REFERRED_TO_ATD = "referred_to_atd", _("Referred to ATD")
    REFLECTION = "reflection", _("Recovery and reflection period")
    IDENTIFIED = "identified", _("Identified as a victim")
    NOT_IDENTIFIED = "not_identified", _("Not identified as a victim")
    ASSISTANCE = "assistance", _("Assistance")
    REINTEGRATION = "reintegration", _("Reintegration and follow-up")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TRANSFERRED = "transferred", _("Transferred")


# Stages after which nothing moves any more.
END_STAGES: frozenset[str] = frozenset({Stage.CLOSED, Stage.WITHDRAWN, Stage.TRANSFERRED})


class CaseStatus(models.TextChoices):
    """HTCDS ``cas_Status``, derived from the stage."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed (referred)")


def case_status_for(stage: str) -> CaseStatus:
    """HTCDS ``cas_Status`` of a case at ``stage``."""
    if stage == Stage.REINTEGRATION:
        return CaseStatus.FOLLOW_UP
    if stage == Stage.TRANSFERRED:
        return CaseStatus.CLOSED_REFERRED
    if stage in (Stage.CLOSED, Stage.WITHDRAWN):
        return CaseStatus.CLOSED
    return CaseStatus.ACTIVE


class TraffickingStatus(models.TextChoices):
    """HTCDS ``vic_TraffickingStatus``."""

    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Actual victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class ExploitationType(models.TextChoices):
    """HTCDS ``vic_TypeOfExploitation``, plus the forms Azerbaijani law adds."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military service by non-state actors")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    # Azerbaijani law (Law on Combating Trafficking in Human Beings, Art. 1).
    ILLICIT_BIOMEDICAL_RESEARCH = "IllicitBiomedicalResearch", _("Illicit biomedical research")
    UNLAWFUL_ACTIVITY = "RecruitmentIntoUnlawfulActivity", _("Recruitment into unlawful activity")
    OTHER = "Other", _("Other")


class ControlMethod(models.TextChoices):
    """HTCDS ``vic_MethodsOfControl``."""

    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of law enforcement action")
    THREATENS_CHILDREN_FAMILY = "ThreatensChildrenFamily", _("Threats to children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts access to money")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Psychoactive substances")
    EXCESSIVE_WORKING_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class ContactChannel(models.TextChoices):
    """How the presumed victim first came to the mechanism's notice."""

    HOTLINE = "Hotline", _("Hotline 152")
    POLICE = "Police", _("Police")
    BORDER = "Border", _("Border service")
    MIGRATION = "Migration", _("Migration service")
    LABOUR_INSPECTION = "LabourInspection", _("Labour inspection")
    NGO_OUTREACH = "NgoOutreach", _("NGO outreach")
    CONSULATE = "Consulate", _("Consulate abroad")
    OTHER = "Other", _("Other")


class ClosureReason(models.TextChoices):
    """Why a case was closed (HTCDS ``cas_ReasonForCaseClosure`` is free text; these are its usual answers)."""

    SERVICES_COMPLETED = "ServicesCompleted", _("Assistance completed")
    DECLINED_SERVICES = "DeclinedServices", _("The person declined further assistance")
    LOST_CONTACT = "LostContact", _("Contact lost")
    REPATRIATED = "Repatriated", _("Returned to the country of origin")
    RELOCATED = "Relocated", _("Moved elsewhere")
    NOT_A_VICTIM = "NotAVictim", _("Not a victim of trafficking")
    DECEASED = "Deceased", _("Deceased")
    OTHER = "Other", _("Other")


class WithdrawalReason(models.TextChoices):
    """Why a case left the mechanism before a decision."""

    PERSON_WITHDREW = "PersonWithdrew", _("The person withdrew")
    OPENED_IN_ERROR = "OpenedInError", _("Opened in error")
    DUPLICATE = "Duplicate", _("Duplicate of another case")
    OTHER = "Other", _("Other")


class ConsentPurpose(models.TextChoices):
    """What a consent is for."""

    ASSISTANCE = "assistance", _("Assistance")
    REFERRAL = "referral", _("Referral to an organisation")
    DATA_SHARING = "data_sharing", _("Data sharing")
    RESEARCH = "research", _("Research (anonymised)")


# Purposes a consent can name a receiving organisation for.
PURPOSES_WITH_ORGANISATION: frozenset[str] = frozenset({ConsentPurpose.REFERRAL, ConsentPurpose.DATA_SHARING})


class ConsentStatus(models.TextChoices):
    """The answer a consent ledger entry records."""

    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentGiver(models.TextChoices):
    """Who answered: the person, or for a child their legal representative."""

    PERSON = "person", _("The person")
    LEGAL_REPRESENTATIVE = "legal_representative", _("The legal representative")


class ReferralPurpose(models.TextChoices):
    """Why a case is referred (HTCDS ``cas_ReasonForOutgoingReferral`` in the national mechanism's words)."""

    IDENTIFICATION = "identification", _("Identification and protection (ATD)")
    ASSISTANCE = "assistance", _("Assistance and rehabilitation")
    SHELTER = "shelter", _("Shelter")
    LEGAL_AID = "legal_aid", _("Legal aid")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    RETURN = "return", _("Safe return")
    OTHER = "other", _("Other services")


class ReferralStatus(models.TextChoices):
    """Where a referral stands."""

    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    REVOKED = "revoked", _("Revoked")


# Referrals still in force: the receiver is asked or is working on the case.
OPEN_REFERRAL_STATUSES: frozenset[str] = frozenset({ReferralStatus.PENDING, ReferralStatus.ACCEPTED})


class Share(models.TextChoices):
    """What an accepted referral lets the receiving organisation see."""

    IDENTITY = "identity", _("Identity of the person")
    CASE_CONTENT = "case_content", _("Case content (stage, clocks, timeline, consents)")


class RevocationReason(models.TextChoices):
    """Why a referral was revoked."""

    BY_SENDER = "by_sender", _("Revoked by the referring organisation")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("The consent it relied on was withdrawn")


class ChildNotificationBody(models.TextChoices):
    """The three bodies that must be told of every child victim at once."""

    GUARDIANSHIP = "guardianship_body", _("Guardianship and custody body")
    FAMILY_COMMITTEE = "family_committee", _("State Committee for Family, Women and Children Affairs")
    MINORS_COMMISSION = "minors_commission", _("Commission on Minors' Affairs")


class NotificationChannel(models.TextChoices):
    """How a body was told."""

    PHONE = "phone", _("Telephone")
    LETTER = "letter", _("Official letter")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")
    ELECTRONIC = "electronic", _("Electronic document system")


class EventKind(models.TextChoices):
    """What a case timeline entry records."""

    OPENED = "opened", _("Case opened")
    FIRST_CONTACT = "first_contact", _("First contact recorded")
    TRANSITION = "transition", _("Stage changed")
    CONTEXT = "context", _("Victim context changed")
    CONSENT = "consent", _("Consent recorded")
    REFERRAL_SENT = "referral_sent", _("Referral sent")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_COMPLETED = "referral_completed", _("Referral completed")
    REFERRAL_REVOKED = "referral_revoked", _("Referral revoked")
    CHILD_NOTIFICATION = "child_notification", _("Child-protection body notified")
    CHILD_DETAILS = "child_details", _("Legal representative or best-interests note changed")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit recorded")
    ALLOWANCE = "allowance", _("Reintegration allowance paid")
    PLACEMENT_STARTED = "placement_started", _("Placed in a shelter")
    PLACEMENT_ENDED = "placement_ended", _("Shelter placement ended")
    PLAN_OPENED = "plan_opened", _("Assistance plan opened")
    PLAN_ITEM = "plan_item", _("Assistance plan item added")
    SERVICE = "service", _("Service delivered")
    SERVICE_OUTCOME = "service_outcome", _("Service outcome changed")
    RISK = "risk", _("Risk assessed")
    PAYMENT = "payment", _("Payment recorded")
    SEALED = "sealed", _("Access sealed by decision")
    UNSEALED = "unsealed", _("Sealing lifted")
    HISTORIC_EVENT = "historic_event", _("Trafficking event recorded")
    COMMENT = "comment", _("Comment added")
    RETURN_RECORDED = "return_recorded", _("Return planned")
    RETURN_CHANGED = "return_changed", _("Return details changed")
    RETURN_STATUS = "return_status", _("Return status changed")


class SupportType(models.TextChoices):
    """HTCDS ``spl_Type`` (support plan types), plus the kinds of help the national mechanism names."""

    EDUCATION = "Education", _("Education")
    FINANCIAL = "Financial", _("Financial")
    HEALTH = "Health", _("Health")
    LABOUR_REHABILITATION = "LabourExploitationRehabilitation", _("Rehabilitation after labour exploitation")
    LEGAL = "Legal", _("Legal")
    LIVELIHOOD = "Livelihood", _("Livelihood")
    RIGHTS_TRAINING = "RightsBasedTraining", _("Rights-based training")
    SEXUAL_REHABILITATION = "SexualExploitationRehabilitation", _("Rehabilitation after sexual exploitation")
    SOCIAL_CARE = "SocialCare", _("Social care")
    # The national mechanism's kinds beyond HTCDS.
    PSYCHOLOGICAL = "Psychological", _("Psychological")
    HOUSING = "Housing", _("Housing")
    DOCUMENTATION = "Documentation", _("Documentation")
    FAMILY_REUNIFICATION = "FamilyReunification", _("Family reunification")
    OTHER = "Other", _("Other")


class ServiceOutcome(models.TextChoices):
    """How a delivered service turned out."""

    PENDING = "pending", _("In progress")
    COMPLETED = "completed", _("Completed")
    PARTIAL = "partial", _("Partly delivered")
    DECLINED = "declined", _("Declined by the person")
    NOT_AVAILABLE = "not_available", _("Not available")


class RiskLevel(models.TextChoices):
    """A risk assessment's result."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PaymentKind(models.TextChoices):
    """What a payment to a victim is."""

    ALLOWANCE = "allowance", _("Reintegration allowance (one-time)")
    RELIEF_FUND = "relief_fund", _("Relief fund assistance")


class HistoricEventType(models.TextChoices):
    """HTCDS ``hte_Type``."""

    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


class ReturnDirection(models.TextChoices):
    """Which way a person goes home."""

    REPATRIATION = "repatriation", _("Repatriation of a foreign victim to the country of origin")
    CITIZEN_RETURN = "citizen_return", _("Return of a citizen from abroad (via a consulate)")


class ReturnStatus(models.TextChoices):
    """planned → in progress → completed, or cancelled before completion."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Which return statuses may follow which.
RETURN_STATUS_NEXT: dict[str, tuple[str, ...]] = {
    ReturnStatus.PLANNED: (ReturnStatus.IN_PROGRESS, ReturnStatus.CANCELLED),
    ReturnStatus.IN_PROGRESS: (ReturnStatus.COMPLETED, ReturnStatus.CANCELLED),
    ReturnStatus.COMPLETED: (),
    ReturnStatus.CANCELLED: (),
}


class TravelDocumentStatus(models.TextChoices):
    """Where the person's travel documents stand."""

    NOT_NEEDED = "not_needed", _("Not needed (the person has valid documents)")
    NEEDED = "needed", _("Needed")
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")


class ReferralChannel(models.TextChoices):
    """How a referral abroad was sent."""

    DIRECT = "direct", _("Directly to the organisation")
    CONSULATE = "consulate", _("Through a consulate or embassy")
    INTERPOL = "interpol", _("Through Interpol")
    IOM = "iom", _("Through IOM")
    MINISTRY = "ministry", _("Through the Ministry of Foreign Affairs")
    OTHER = "other", _("Other")
