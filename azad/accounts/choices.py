"""Enumerations of the accounts app; HTCDS ``org_Type`` values first."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from azad.core.permissions import Role, Scope

__all__ = ["OrgType", "Role", "Scope"]


class OrgType(models.TextChoices):
    """Kinds of organisation: HTCDS ``org_Type`` plus the kinds in the national response."""

    NGO = "NGO", _("Non-governmental organisation")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH_SERVICE = "HealthServiceOrganisation", _("Health service")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government body")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government body")
    IMMIGRATION_SERVICE = "ImmigrationService", _("Migration or border service")
    LEGAL_SERVICE = "LegalService", _("Legal service")
    CORPORATE_BUSINESS = "CorporateBusiness", _("Business")
    SCHOOL_OR_COLLEGE = "SchoolOrCollege", _("School or college")
    # Kinds the national response needs beyond HTCDS.
    MINISTRY = "Ministry", _("Ministry")
    POLICE_ATD = "PoliceATD", _("Police anti-trafficking department")
    ASSISTANCE_CENTRE = "AssistanceCentre", _("Victim assistance centre")
    SHELTER = "Shelter", _("Shelter")
    CHILD_PROTECTION = "ChildProtection", _("Child-protection body")
    INTERNATIONAL_ORGANISATION = "InternationalOrganisation", _("International organisation")
    COURT = "Court", _("Court")
    PROSECUTOR = "Prosecutor", _("Prosecutor's office")
    OMBUDSMAN = "Ombudsman", _("Ombudsman")
    HOTLINE = "Hotline", _("Hotline")
    COORDINATOR = "NationalCoordinator", _("National Coordinator's office")
    LABOUR_INSPECTORATE = "LabourInspectorate", _("Labour inspectorate")
