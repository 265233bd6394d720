"""The person: who a victim, presumed victim or caller is (HTCDS ``prs_*``).

Everything that identifies a person is encrypted at rest (AES-GCM, bound to
table, column and row; see :mod:`azad.core.fields`). What stays in clear is
what statistics need and cannot identify anyone on its own: gender,
citizenship, languages, the kind of identity document and the **birth year**
(a quasi-identifier, like the CTDC's age bands; the full birth date is
encrypted). Exact-match search goes through keyed-hash columns, never through
plaintext.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.core.crypto import document_hash, name_hash
from azad.core.fields import EncryptedModel, EncryptedTextField
from azad.core.locking import Versioned
from azad.persons.choices import COUNTRY_CODES, DocumentType, Gender, SamePersonBasis

# Both name columns share one hash purpose, so a word can be looked for in either.
NAME_HASH_PURPOSE = "persons.name"
DOCUMENT_HASH_PURPOSE = "persons.document"
EARLIEST_BIRTH_YEAR = 1900
ADULT_AGE = 18
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def person_name_hash(name: str) -> str:
    """The keyed hash stored in ``first_name_hash`` and ``last_name_hash`` for ``name``."""
    return name_hash(name, purpose=NAME_HASH_PURPOSE)


def validate_iso_date_text(value: str) -> None:
    """A date written ``YYYY-MM-DD``, not before 1900 and not in the future."""
    try:
        day = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(_("Enter the date as YYYY-MM-DD."), code="invalid") from None
    if day.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(_("The date is too far in the past."), code="too_early")
    if day > timezone.localdate():
        raise ValidationError(_("The date is in the future."), code="future")


def validate_country_code(value: str) -> None:
    """An ISO 3166-1 alpha-2 code (or ``XX`` for a stateless person)."""
    if value not in COUNTRY_CODES:
        raise ValidationError(_("Choose a country by its two-letter ISO code."), code="invalid")


def validate_language_codes(value: Any) -> None:
    """A list of ISO 639 codes (two or three lower-case letters)."""
    if not isinstance(value, list) or not all(
        isinstance(code, str) and _LANGUAGE_CODE.match(code) for code in value
    ):
        raise ValidationError(_("Give languages as ISO 639 codes, such as az or ru."), code="invalid")
    if len(value) > 10:
        raise ValidationError(_("Give at most ten languages."), code="too_many")


def default_languages() -> list[str]:
    return []


_name_validators = [MaxLengthValidator(150)]
_phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-]{3,30}$", _("Enter a phone number of digits, spaces and dashes."), code="invalid"
)


class Person(EncryptedModel, Versioned):
    """A person recorded by an organisation: victim, presumed victim or anyone a case concerns.

    Names, birth date, identity document number, phone and e-mail are
    encrypted; ``last_name_hash``, ``first_name_hash`` and ``document_hash`` are
    keyed hashes for exact-match search (spelling-insensitive for names, so
    ``Əliyev``, ``ALİYEV`` and ``Алиев`` meet). ``birth_year`` is kept in clear
    for statistics; ``age_unknown`` is set when neither the birth date nor the
    year is known, and then the person is presumed a child (Law, children).
    Write through :mod:`azad.persons.services`, read through
    :mod:`azad.persons.access`.
    """

    first_name = EncryptedTextField(_("first name"), blank=True, default="", validators=_name_validators)
    last_name = EncryptedTextField(_("last name"), blank=True, default="", validators=_name_validators)
    middle_name = EncryptedTextField(
        _("patronymic"),
        blank=True,
        default="",
        validators=_name_validators,
        help_text=_("Father's name with oğlu / qızı, as written in documents."),
    )
    birth_date = EncryptedTextField(
        _("date of birth"), blank=True, default="", validators=[validate_iso_date_text]
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_BIRTH_YEAR)],
        help_text=_("Known or estimated; kept for statistics."),
    )
    age_unknown = models.BooleanField(
        _("age unknown"),
        default=False,
        editable=False,
        help_text=_("Neither the date nor the year of birth is known: the person is presumed a child."),
    )
    gender = models.CharField(
        _("gender"), max_length=32, choices=Gender.choices, default=Gender.NON_SPECIFIED_UNKNOWN
    )
    citizenship = models.CharField(
        _("citizenship"),
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166 two-letter code; XX for a stateless person; empty if unknown."),
    )
    languages = models.JSONField(
        _("languages"),
        default=default_languages,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("ISO 639 codes, the main language first."),
    )
    document_type = models.CharField(
        _("identity document"), max_length=40, choices=DocumentType.choices, blank=True
    )
    document_number = EncryptedTextField(
        _("document number"), blank=True, default="", validators=[MaxLengthValidator(60)]
    )
    phone = EncryptedTextField(_("phone"), blank=True, default="", validators=[_phone_validator])
    email = EncryptedTextField(
        _("e-mail"), blank=True, default="", validators=[EmailValidator(), MaxLengthValidator(254)]
    )

    last_name_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    first_name_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    document_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    statistical_id = models.UUIDField(
        _("statistical identity"),
        default=uuid.uuid4,
        editable=False,
        db_index=True,
        help_text=_(
            "Shared by records that a 'same person' decision linked; statistics count distinct values."
        ),
    )

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded by organisation"),
        on_delete=models.PROTECT,
        related_name="recorded_persons",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    # Fields a service may set; everything else is derived or ownership.
    EDITABLE_FIELDS: ClassVar[tuple[str, ...]] = (
        "first_name",
        "last_name",
        "middle_name",
        "birth_date",
        "birth_year",
        "gender",
        "citizenship",
        "languages",
        "document_type",
        "document_number",
        "phone",
        "email",
    )
    DERIVED_FIELDS: ClassVar[tuple[str, ...]] = (
        "birth_year",
        "age_unknown",
        "last_name_hash",
        "first_name_hash",
        "document_hash",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organisation", "created_at"], name="persons_org_created_idx"),
            # A first and a last name searched together: one index probe instead of intersecting
            # two single-name indexes (thousands of rows each for a common name in a national register).
            models.Index(fields=["last_name_hash", "first_name_hash"], name="persons_name_pair_idx"),
        ]

    def __str__(self) -> str:
        # Never the name: __str__ ends up in logs, admin messages and error pages.
        return str(_("Person %(ref)s") % {"ref": str(self.pk)[:8]})

    def display_name(self) -> str:
        """Last name, first name and patronymic, for people allowed to see them."""
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def birth_date_value(self) -> datetime.date | None:
        """The date of birth as a date, or ``None`` when it is not known."""
        return datetime.date.fromisoformat(self.birth_date) if self.birth_date else None

    def refresh_derived(self, *, hash_name: Callable[[str], str] | None = None) -> None:
        """Recompute the search hashes, the birth year and the age-unknown flag from the values.

        Every write (service or bulk generator) calls this before saving.
        ``hash_name`` replaces :func:`person_name_hash` (the generator passes a
        memoised one; services never keep names in memory longer than a call).
        """
        hash_name = hash_name or person_name_hash
        self.last_name_hash = hash_name(self.last_name) if self.last_name else ""
        self.first_name_hash = hash_name(self.first_name) if self.first_name else ""
        self.document_hash = (
            document_hash(self.document_number, purpose=DOCUMENT_HASH_PURPOSE) if self.document_number else ""
        )
        if self.birth_date and self.birth_year is None:
            with contextlib.suppress(ValueError):  # full_clean reports a bad date
                self.birth_year = datetime.date.fromisoformat(self.birth_date).year
        self.age_unknown = not self.birth_date and self.birth_year is None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.birth_year is not None and self.birth_year > timezone.localdate().year:
            errors["birth_year"] = _("The year of birth is in the future.")
        elif self.birth_date and self.birth_year is not None:
            try:
                born = datetime.date.fromisoformat(self.birth_date)
            except ValueError:
                born = None  # reported by the field's validator
            if born is not None and born.year != self.birth_year:
                errors["birth_year"] = _("The year of birth differs from the date of birth.")
        if self.document_number and not self.document_type:
            errors["document_type"] = _("Choose the kind of document the number belongs to.")
        if errors:
            raise ValidationError(errors)

    def age_on(self, day: datetime.date | None = None) -> int | None:
        """Age in whole years on ``day`` (today by default).

        With only the birth year known, the lower of the two possible ages,
        so that doubt falls on the side of childhood.
        """
        day = day or timezone.localdate()
        born = self.birth_date_value
        if born is not None:
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.birth_year is not None:
            return day.year - self.birth_year - 1
        return None

    def is_presumed_child(self, day: datetime.date | None = None) -> bool:
        """Under 18, possibly under 18, or age unknown: treated as a child."""
        age = self.age_on(day)
        return age is None or age < ADULT_AGE


class SamePersonDecision(EncryptedModel):
    """An explicit decision that two person records are one person, so that statistics count them once.

    Deciding gives every record of the second record's group the first
    record's ``statistical_id`` (:func:`azad.persons.services.link_same_person`);
    ``moved`` keeps which records changed and ``previous_statistical_id`` what
    they had, so that undoing restores them. Nothing else about the persons
    changes: each organisation keeps its own record. ``note`` is encrypted.
    """

    record_a = models.ForeignKey(
        Person, verbose_name=_("record kept"), on_delete=models.PROTECT, related_name="+"
    )
    record_b = models.ForeignKey(
        Person, verbose_name=_("record linked"), on_delete=models.PROTECT, related_name="+"
    )
    statistical_id = models.UUIDField(_("statistical identity given"), editable=False)
    previous_statistical_id = models.UUIDField(_("previous statistical identity"), editable=False)
    moved = models.JSONField(_("records given the identity"), default=list, editable=False)
    basis = models.CharField(_("basis"), max_length=32, choices=SamePersonBasis.choices)
    note = EncryptedTextField(_("note"), blank=True, default="", validators=[MaxLengthValidator(2000)])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("same-person decision")
        verbose_name_plural = _("same-person decisions")
        ordering: ClassVar[list[str]] = ["-decided_at", "id"]

    def __str__(self) -> str:
        return str(_("Same-person decision %(ref)s") % {"ref": str(self.pk)[:8]})
