"""Indicator lists (the catalogue) and screenings of a person against one list version.

The catalogue is data, not code: each list version is loaded from a JSON file
(see :mod:`azad.screening.loader`) and never changed afterwards, so a
screening made with version 1 still reads and explains the same in five
years. A screening stores the list version it used and the result computed
with it; re-evaluating with a newer version is an explicit new screening.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from azad.core.fields import EncryptedModel, EncryptedTextField
from azad.core.locking import Versioned
from azad.screening import rules
from azad.screening.choices import (
    AgeBasis,
    Answer,
    Exploitation,
    Grade,
    Outcome,
    Population,
    Status,
)

NOTE_MAX_LENGTH = 1000
_INDICATOR_SETS: dict[str, rules.IndicatorSet] = {}


def _in_language(obj: Any, field: str, language: str | None) -> str:
    """``obj.<field>_<language>``, falling back to Azerbaijani, then English."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    for code in (language, "az", "en"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


def _empty_list() -> list[str]:
    return []


class IndicatorList(models.Model):
    """One version of one indicator list (for example ILO/EC 2009, adults, labour exploitation).

    ``code`` is the list's stable identifier ("ilo2009.adult.labour") and
    ``version`` its version; together they are unique. ``verified`` says
    whether every grade was checked against the published source, and
    ``verification_notes`` how (or what is missing). Rows are written only by
    the catalogue loader and never changed; a list without indicators is a
    placeholder that cannot be used for screening.
    """

    code = models.CharField(_("list identifier"), max_length=100)
    version = models.PositiveIntegerField(_("list version"), validators=[MinValueValidator(1)])
    rule = models.CharField(_("decision rule"), max_length=40, default=rules.RULE_ILO_2009)
    population = models.CharField(_("population"), max_length=10, choices=Population.choices)
    exploitation = models.CharField(_("exploitation"), max_length=10, choices=Exploitation.choices)
    title_az = models.CharField(_("title in Azerbaijani"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300)
    title_ru = models.CharField(_("title in Russian"), max_length=300)
    source = models.TextField(_("source"))
    verified = models.BooleanField(_("verified against the source"), default=False)
    verification_notes = models.TextField(_("verification notes"), blank=True)
    content_hash = models.CharField(_("content fingerprint"), max_length=64, editable=False)
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    loaded_by = models.CharField(_("loaded by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("indicator list")
        verbose_name_plural = _("indicator lists")
        ordering: ClassVar[list[str]] = ["code", "-version"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["code", "version"], name="screening_list_code_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def key(self) -> str:
        """``code@version``: how answer files and the API name a list version."""
        return f"{self.code}@{self.version}"

    def title(self, language: str | None = None) -> str:
        """The title in ``language`` (the active one by default)."""
        return _in_language(self, "title", language)

    def indicator_set(self) -> rules.IndicatorSet:
        """The list as the rule engine sees it; built once per process (versions never change)."""
        cached = _INDICATOR_SETS.get(self.content_hash)
        if cached is None:
            cached = rules.IndicatorSet(
                self.population,
                (
                    rules.IndicatorRule(code, dimension, rules.Grade(grade))
                    for code, dimension, grade in self.indicators.order_by("position").values_list(
                        "code", "dimension", "grade"
                    )
                ),
                key=self.key,
                rule=self.rule,
            )
            _INDICATOR_SETS[self.content_hash] = cached
        return cached


class Indicator(models.Model):
    """One indicator of one list version: stable id, dimension (1-6), grade and texts.

    ``code`` is stable across versions of the same list ("ilo2009.al.d1.deceived-nature-of-job");
    a new version may change an indicator's grade, never its meaning. The
    HTCDS columns hold the ``vic_MethodsOfControl`` and
    ``vic_TypeOfExploitation`` values the indicator is evidence of, where one exists.
    """

    indicator_list = models.ForeignKey(
        IndicatorList, verbose_name=_("indicator list"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("indicator identifier"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"))
    dimension = models.PositiveSmallIntegerField(
        _("dimension"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    text_az = models.TextField(_("text in Azerbaijani"))
    text_en = models.TextField(_("text in English"))
    text_ru = models.TextField(_("text in Russian"))
    htcds_methods_of_control = models.JSONField(
        _("HTCDS methods of control"), default=_empty_list, blank=True, help_text="vic_MethodsOfControl"
    )
    htcds_types_of_exploitation = models.JSONField(
        _("HTCDS types of exploitation"), default=_empty_list, blank=True, help_text="vic_TypeOfExploitation"
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering: ClassVar[list[str]] = ["indicator_list", "position"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["indicator_list", "code"], name="screening_indicator_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def text(self, language: str | None = None) -> str:
        """The indicator's text in ``language`` (the active one by default)."""
        return _in_language(self, "text", language)


class Screening(EncryptedModel, Versioned):
    """One screening of one person against one version of one indicator list.

    The person is optional (persons may not be recorded yet); the age and the
    suspected exploitation that chose the list are stored on the screening.
    ``outcome`` and ``explanation`` are the snapshot computed when the
    screening was completed, with ``indicator_list`` (never re-scored). The
    ``referred_to_atd_at`` / ``referral_id`` pair is set by the referral
    mechanism through :func:`azad.screening.services.mark_referred`; from then
    on the police anti-trafficking department sees the screening, and so do
    the organisations in ``shared_with``.
    """

    indicator_list = models.ForeignKey(
        IndicatorList, verbose_name=_("indicator list"), on_delete=models.PROTECT, related_name="screenings"
    )
    person = models.ForeignKey(
        "persons.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("screener"), on_delete=models.PROTECT, related_name="+"
    )
    suspected_exploitation = models.CharField(
        _("suspected exploitation"), max_length=10, choices=Exploitation.choices
    )
    population = models.CharField(_("screened as"), max_length=10, choices=Population.choices)
    age = models.PositiveSmallIntegerField(_("age in years"), null=True, blank=True)
    age_basis = models.CharField(_("age from"), max_length=20, choices=AgeBasis.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(_("result"), max_length=30, choices=Outcome.choices, blank=True)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True, editable=False)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("re-evaluation of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="re_evaluations",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    referred_to_atd_at = models.DateTimeField(_("referred to the police ATD"), null=True, blank=True)
    referral_id = models.CharField(_("referral"), max_length=64, blank=True)
    shared_with = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("shared with"),
        blank=True,
        related_name="shared_screenings",
    )

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering: ClassVar[list[str]] = ["-started_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organisation", "started_at"], name="screening_org_started_idx"),
            models.Index(fields=["screener", "status"], name="screening_screener_status_idx"),
            models.Index(fields=["status", "completed_at"], name="screening_status_done_idx"),
        ]

    def __str__(self) -> str:
        return str(_("Screening %(ref)s") % {"ref": self.reference})

    @property
    def reference(self) -> str:
        """A short reference people can read out (the first eight hex digits of the id)."""
        return str(self.pk)[:8]

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def answer_map(self) -> dict[str, str]:
        """Indicator id -> "yes" / "no" / "unknown" for the stored answers."""
        return dict(self.answers.values_list("indicator__code", "answer"))

    def evaluate(self) -> rules.Evaluation:
        """The rule applied to the stored answers now (the draft's provisional result)."""
        return rules.evaluate(self.indicator_list.indicator_set(), self.answer_map())

    def htcds_victim_context(self) -> dict[str, list[str]]:
        """HTCDS victim-context values the "yes" answers are evidence of, to pre-fill a case.

        ``{"vic_MethodsOfControl": [...], "vic_TypeOfExploitation": [...]}``,
        each sorted and without repeats.
        """
        methods: set[str] = set()
        types: set[str] = set()
        rows = self.answers.filter(answer=Answer.YES).values_list(
            "indicator__htcds_methods_of_control", "indicator__htcds_types_of_exploitation"
        )
        for method_values, type_values in rows:
            methods.update(method_values or [])
            types.update(type_values or [])
        return {"vic_MethodsOfControl": sorted(methods), "vic_TypeOfExploitation": sorted(types)}


class ScreeningAnswer(EncryptedModel):
    """One answer of a screening: yes / no / unknown, and a short note of the evidence.

    The note may describe the person and what happened to them: it is
    encrypted at rest and never leaves through logs or the audit trail.
    """

    screening = models.ForeignKey(
        Screening, verbose_name=_("screening"), on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    note = EncryptedTextField(
        _("evidence note"),
        blank=True,
        default="",
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
        help_text=_("What was seen or said that supports the answer; keep it short."),
    )

    class Meta:
        verbose_name = _("screening answer")
        verbose_name_plural = _("screening answers")
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["screening", "indicator"], name="screening_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.screening_id}:{self.indicator_id}"
