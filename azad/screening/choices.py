"""Enumerations of the screening app, with the labels people read.

The values are those of :mod:`azad.screening.rules` (which has no Django);
HTCDS value names for the victim context come from the IOM Human Trafficking
Case Data Standard 2.0.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from azad.screening import rules


class Population(models.TextChoices):
    """Whom a list is for. A person of unknown age is screened as a child."""

    ADULT = rules.Population.ADULT.value, _("Adults")
    CHILD = rules.Population.CHILD.value, _("Children (under 18)")


class Exploitation(models.TextChoices):
    """The form of exploitation a list covers, and the one the screener suspects."""

    LABOUR = "labour", _("Labour exploitation")
    SEXUAL = "sexual", _("Sexual exploitation")


class Grade(models.TextChoices):
    """ILO/EC Delphi grade of an indicator."""

    STRONG = rules.Grade.STRONG.value, _("Strong")
    MEDIUM = rules.Grade.MEDIUM.value, _("Medium")
    WEAK = rules.Grade.WEAK.value, _("Weak")


class Answer(models.TextChoices):
    """What the screener found for one indicator."""

    YES = rules.Answer.YES.value, _("Yes")
    NO = rules.Answer.NO.value, _("No")
    UNKNOWN = rules.Answer.UNKNOWN.value, _("Unknown")


class Outcome(models.TextChoices):
    """The advisory result: never the victim status itself."""

    INDICATIVE = rules.Outcome.INDICATIVE.value, _("Indicative of trafficking")
    NOT_INDICATIVE = rules.Outcome.NOT_INDICATIVE.value, _("Not indicative of trafficking")
    INSUFFICIENT = rules.Outcome.INSUFFICIENT.value, _("Insufficient information")


class Status(models.TextChoices):
    """Where a screening stands. Only a draft may change."""

    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")
    DISCARDED = "discarded", _("Discarded")


class AgeBasis(models.TextChoices):
    """Where the age that chose the list came from."""

    STATED = "stated", _("Stated age")
    BIRTH_DATE = "birth_date", _("Date of birth")
    BIRTH_YEAR = "birth_year", _("Year of birth")
    UNKNOWN = "unknown", _("Age unknown: presumed a child")


DIMENSION_LABELS: dict[int, Promise] = {
    1: _("Deceptive recruitment (incl. transfer and transport)"),
    2: _("Coercive recruitment (incl. transfer and transport)"),
    3: _("Recruitment by abuse of vulnerability"),
    4: _("Exploitation"),
    5: _("Coercion at destination"),
    6: _("Abuse of vulnerability at destination"),
}

REQUIREMENT_LABELS: dict[str, Promise] = {
    rules.RECRUITMENT.code: _("Recruitment by deception, coercion or abuse of vulnerability (D1, D2 or D3)"),
    rules.EXPLOITATION.code: _("Exploitation (D4)"),
    rules.MEANS_AT_DESTINATION.code: _("Coercion or abuse of vulnerability at destination (D5 or D6)"),
}

# HTCDS 2.0 picklists the catalogue may map indicators to.
HTCDS_METHODS_OF_CONTROL = frozenset(
    {
        "PhysicalThreats",
        "ThreatsLawEnforcement",
        "ThreatensChildrenFamily",
        "DebtBondage",
        "FalsePromises",
        "PhysicalAbuse",
        "SexualAbuse",
        "TakesEarnings",
        "RestrictsFinancialAccess",
        "RestrictsMedicalCare",
        "WithholdsNecessities",
        "PsychologicalAbuse",
        "PsychoactiveSubstance",
        "ExcessiveWorkingHours",
        "WithholdsDocuments",
        "Other",
    }
)
HTCDS_TYPES_OF_EXPLOITATION = frozenset(
    {
        "ForcedLabour",
        "SexualExploitation",
        "ChildLabour",
        "ForcedMarriage",
        "Servitude",
        "ForcedMilitaryByNonStateActors",
        "OrganRemoval",
        "ForcedBegging",
        "ForcedAdoption",
        "Surrogacy",
        "Other",
    }
)
HTCDS_FIELDS: dict[str, frozenset[str]] = {
    "vic_MethodsOfControl": HTCDS_METHODS_OF_CONTROL,
    "vic_TypeOfExploitation": HTCDS_TYPES_OF_EXPLOITATION,
}

CATALOGUE_LANGUAGES = ("az", "en", "ru")
