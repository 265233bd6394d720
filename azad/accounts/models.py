"""Organisations and people's accounts."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from azad.accounts.choices import OrgType, Role, Scope
from azad.core.locking import Versioned
from azad.core.text import fold


class Organisation(Versioned):
    """A body taking part in the national response: ministry, ATD, shelter, NGO, court...

    ``name`` is the organisation's own name (usually Azerbaijani); ``name_en`` and
    ``name_ru`` are optional renderings shown in those languages.
    ``name_folded`` is the Azerbaijani-folded name that search uses.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    org_type = models.CharField(_("type"), max_length=40, choices=OrgType.choices)
    country = models.CharField(_("country"), max_length=2, default="AZ", help_text=_("ISO 3166 code"))
    region = models.CharField(_("region"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering: ClassVar[list[str]] = ["name_folded"]

    def __str__(self) -> str:
        return self.display_name()

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def display_name(self, language: str | None = None) -> str:
        """The name in ``language`` (the active one by default), falling back to ``name``."""
        from django.utils import translation

        lang = language or translation.get_language() or settings.LANGUAGE_CODE
        if lang.startswith("en") and self.name_en:
            return self.name_en
        if lang.startswith("ru") and self.name_ru:
            return self.name_ru
        return self.name


class User(AbstractUser, Versioned):
    """A person who signs in: one organisation, one role, one scope.

    Accounts are never deleted (the audit trail points at them); they are
    deactivated, which ends their sessions and tokens at once.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.OWN)
    # Blank: the system's default language (Azerbaijani unless configured otherwise).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    # Set only by the demo loader; production refuses to start while any exists.
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)
    # Username and names folded the Azerbaijani way, for case-insensitive search
    # on SQLite and PostgreSQL alike (see azad.core.text.fold).
    search_folded = models.CharField(
        _("search text"), max_length=460, editable=False, db_index=True, default=""
    )

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering: ClassVar[list[str]] = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_folded = self.folded_search_text()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def folded_search_text(self) -> str:
        """What account search matches against: username, first and last name, folded."""
        return fold(" ".join(part for part in (self.username, self.first_name, self.last_name) if part))


class LoginSession(models.Model):
    """The session keys a person holds, so deactivation can end them at once."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A token another system signs in to the API with.

    Only a keyed hash of the token is stored (see :mod:`azad.accounts.tokens`):
    the token itself is shown once, when it is issued, so a copy of the
    database gives nobody API access. Tokens expire.
    """

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("beginning"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}…"
