"""The 152 hotline: calls, agreed call-backs, alerts to ATD and the operators' knowledge base."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from azad.core.fields import EncryptedModel, EncryptedTextField
from azad.core.locking import Versioned
from azad.hotline.choices import (
    REGION_CHOICES,
    ArticleKind,
    CallbackStatus,
    CallerType,
    Language,
    Reason,
    Topic,
    Urgency,
)


class Call(EncryptedModel, Versioned):
    """One call to the line. Anonymous by default: the caller's name and number only with consent.

    The summary may identify people, so it is encrypted; lists never show it
    nor the caller's identity. ``idempotency_key`` comes with the intake form
    (or the telephony system), so a form sent twice records one call.
    """

    idempotency_key = models.UUIDField(_("idempotency key"), unique=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("hotline"),
        on_delete=models.PROTECT,
        related_name="hotline_calls",
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="hotline_calls",
    )
    started_at = models.DateTimeField(_("started at"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"))
    caller_type = models.CharField(_("caller"), max_length=32, choices=CallerType.choices)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    reason = models.CharField(_("reason"), max_length=40, choices=Reason.choices)
    region = models.CharField(_("region"), max_length=40, blank=True, choices=REGION_CHOICES)
    country = models.CharField(_("country (ISO 3166)"), max_length=2, blank=True)
    urgency = models.CharField(_("urgency"), max_length=24, choices=Urgency.choices)
    summary = EncryptedTextField(_("summary"), blank=True, default="")
    actions = models.JSONField(_("what was done"), default=list, blank=True)
    referred = models.BooleanField(_("led to a referral"), default=False, editable=False)
    caller_consented = models.BooleanField(_("caller consented to record their identity"), default=False)
    caller_name = EncryptedTextField(_("caller's name"), blank=True, default="")
    caller_phone = EncryptedTextField(_("caller's phone number"), blank=True, default="")
    handed_to_atd = models.BooleanField(_("handed over to ATD"), default=False)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("linked cases"), related_name="hotline_calls", blank=True
    )
    # The presumed-victim case this call opened (at most one: a second hand-over returns it).
    opened_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case opened from this call"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["organisation", "started_at"], name="hotline_call_org_started")]

    def __str__(self) -> str:
        return str(_("Call %(id)s") % {"id": str(self.pk)[:8].upper()})

    @property
    def reference(self) -> str:
        """A short reference people can read out (no personal data)."""
        return str(self.pk)[:8].upper()

    @property
    def duration_seconds(self) -> int:
        """How long the call lasted."""
        return int((self.ended_at - self.started_at).total_seconds())


class Callback(EncryptedModel, Versioned):
    """A call-back agreed with the caller: at a safe time, opened with a code word."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="callbacks")
    due_at = models.DateTimeField(_("safe time to call back"), db_index=True)
    code_word = EncryptedTextField(_("code word"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=CallbackStatus.choices, default=CallbackStatus.AGREED
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agreed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("agreed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        ordering = ["due_at"]

    def __str__(self) -> str:
        return str(_("Call-back for call %(call)s") % {"call": self.call.reference})


class Alert(EncryptedModel):
    """An immediate-danger call on an ATD duty officer's list, with a copy of the summary."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("ATD department"),
        on_delete=models.PROTECT,
        related_name="hotline_alerts",
    )
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="alerts")
    summary = EncryptedTextField(_("summary"), blank=True, default="")
    created_at = models.DateTimeField(_("raised at"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(_("Alert for call %(call)s") % {"call": self.call.reference})


class KnowledgeArticle(Versioned):
    """A script or a short answer for operators, in Azerbaijani, English and Russian."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ArticleKind.choices)
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    title_az = models.CharField(_("title (Azerbaijani)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    body_az = models.TextField(_("text (Azerbaijani)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    body_ru = models.TextField(_("text (Russian)"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("knowledge-base article")
        verbose_name_plural = _("knowledge-base articles")
        ordering = ["kind", "topic", "slug"]

    def __str__(self) -> str:
        return self.title_az

    def title_in(self, language: str) -> str:
        """The title in ``language``, falling back to Azerbaijani."""
        return str(getattr(self, f"title_{language}", "") or self.title_az)

    def body_in(self, language: str) -> str:
        """The text in ``language``, falling back to Azerbaijani."""
        return str(getattr(self, f"body_{language}", "") or self.body_az)
