"""Enumerations of the hotline: who called, why, how urgent, and what was done."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from azad.core.places import REGION_CHOICES as REGION_CHOICES  # re-exported for the hotline


class CallerType(models.TextChoices):
    """Who is calling (HTCDS helpline guidance: a helpline cannot verify, so "potential" victim)."""

    VICTIM = "victim", _("Victim")
    POTENTIAL_VICTIM = "potential_victim", _("Potential victim")
    RELATIVE = "relative", _("Relative")
    WITNESS = "witness", _("Witness")
    PROFESSIONAL = "professional", _("Professional")
    PUBLIC = "public", _("Member of the public")
    ANONYMOUS = "anonymous", _("Anonymous")


class Language(models.TextChoices):
    """The language of the call (ISO 639-1, or other)."""

    AZ = "az", _("Azerbaijani")
    RU = "ru", _("Russian")
    EN = "en", _("English")
    OTHER = "other", _("Other language")


class Reason(models.TextChoices):
    """Why the caller called."""

    REPORT_SUSPECTED_TRAFFICKING = "report_suspected_trafficking", _("Report of suspected trafficking")
    VICTIM_SEEKING_HELP = "victim_seeking_help", _("Victim seeking help")
    SAFE_MIGRATION_ADVICE = "safe_migration_advice", _("Advice before migrating or taking a job abroad")
    INFORMATION_REQUEST = "information_request", _("Information request")
    COMPLAINT = "complaint", _("Complaint")
    SILENT_OR_HOAX = "silent_or_hoax", _("Silent call or hoax")


class Urgency(models.TextChoices):
    """How urgent the situation is; immediate danger alerts ATD at once."""

    IMMEDIATE_DANGER = "immediate_danger", _("Immediate danger")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


class Action(models.TextChoices):
    """What the operator did."""

    INFORMATION_GIVEN = "information_given", _("Information given")
    REFERRED_TO_ATD = "referred_to_atd", _("Referred to ATD")
    REFERRED_TO_SERVICE = "referred_to_service", _("Referred to a service")
    CALLBACK_AGREED = "callback_agreed", _("Call-back agreed")


REFERRAL_ACTIONS = (Action.REFERRED_TO_ATD, Action.REFERRED_TO_SERVICE)


class CallbackStatus(models.TextChoices):
    """Where an agreed call-back stands."""

    AGREED = "agreed", _("Agreed")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


class ArticleKind(models.TextChoices):
    """A script the operator reads, or a short answer to a question."""

    SCRIPT = "script", _("Script")
    ANSWER = "answer", _("Answer")


class Topic(models.TextChoices):
    """What a knowledge-base article is about."""

    SAFE_MIGRATION = "safe_migration", _("Safe migration")
    MIGRANT_RIGHTS = "migrant_rights", _("Rights of migrant workers")
    SHELTERS = "shelters", _("Shelters")
    REACHING_ATD = "reaching_atd", _("How to reach ATD")
    CALL_HANDLING = "call_handling", _("Handling a call")
