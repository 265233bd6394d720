"""The only code that writes organisations and accounts.

Every function checks who may do it and the rule, writes, and records one audit
event in the same transaction. Rule violations raise
:class:`django.core.exceptions.ValidationError` (with translated messages),
missing rights :class:`~django.core.exceptions.PermissionDenied`, and
concurrent edits :class:`~azad.core.locking.ConflictError`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from azad.accounts.choices import OrgType, Role, Scope
from azad.accounts.models import LoginSession, Organisation, User
from azad.accounts.tokens import revoke_tokens
from azad.audit.services import record_event, redacted_changes
from azad.core.locking import ConflictError, save_versioned
from azad.core.permissions import Data, Level, can
from azad.core.text import fold

# Fields a system administrator may set on an organisation.
ORGANISATION_FIELDS = (
    "name",
    "name_en",
    "name_ru",
    "short_name",
    "org_type",
    "country",
    "region",
    "phone",
)
# Fields a system administrator may set on an account (the username only at creation).
USER_FIELDS = ("first_name", "last_name", "email", "role", "scope", "organisation", "language")
# Fields a person may change on their own account.
PROFILE_FIELDS = ("first_name", "last_name", "language")
# People's names and addresses never reach the audit trail in clear.
PERSONAL_FIELDS = ("first_name", "last_name", "email")

# Roles whose work only makes sense inside certain kinds of organisation. Kept
# loose on purpose: roles not listed fit any organisation.
ROLE_ORG_TYPES: dict[str, frozenset[str]] = {
    Role.POLICE_INVESTIGATOR: frozenset(
        {OrgType.POLICE_ATD, OrgType.LAW_ENFORCEMENT, OrgType.IMMIGRATION_SERVICE}
    ),
    Role.POLICE_SUPERVISOR: frozenset(
        {OrgType.POLICE_ATD, OrgType.LAW_ENFORCEMENT, OrgType.IMMIGRATION_SERVICE}
    ),
    Role.PROSECUTOR: frozenset({OrgType.PROSECUTOR, OrgType.COURT, OrgType.LAW_ENFORCEMENT}),
    Role.HOTLINE_OPERATOR: frozenset({OrgType.HOTLINE, OrgType.POLICE_ATD, OrgType.NGO}),
    Role.HOTLINE_SUPERVISOR: frozenset({OrgType.HOTLINE, OrgType.POLICE_ATD, OrgType.NGO}),
    Role.SHELTER_STAFF: frozenset(
        {
            OrgType.SHELTER,
            OrgType.NGO,
            OrgType.ASSISTANCE_CENTRE,
            OrgType.POLICE_ATD,
            OrgType.LOCAL_GOVERNMENT,
            OrgType.INTERNATIONAL_ORGANISATION,
        }
    ),
}

# Letters and digits that cannot be mistaken for one another.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105


@dataclass(frozen=True)
class PasswordSet:
    """An account with the password just given to it (shown to the administrator once)."""

    user: User
    password: str
    generated: bool


def generate_password() -> str:
    """A random password of 20 unambiguous characters in groups of five (about 115 bits)."""
    raw = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(20))
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


# --- Helpers -----------------------------------------------------------------------


def _require(actor: Any, data: Data, level: Level) -> None:
    if not can(actor, data, level):
        raise PermissionDenied


def _snapshot(instance: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """Field values by field name, foreign keys as ids (what audit payloads store)."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        values[name] = getattr(instance, field.attname)
    return values


def _apply(instance: Any, data: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"Fields not accepted here: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


def end_sessions(user: User) -> int:
    """End every session and API token ``user`` holds; returns how many sessions ended."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store_class(session_key=key).delete()
    LoginSession.objects.filter(user=user).delete()
    revoke_tokens(user)
    return len(keys)


def _lock_active_admins() -> list[int]:
    """Lock the active system administrators' rows (two admins cannot remove each other at once)."""
    return list(
        User.objects.select_for_update()
        .filter(role=Role.SYSTEM_ADMIN, is_active=True)
        .values_list("pk", flat=True)
    )


def _refuse_losing_last_admin(account: User) -> None:
    admins = _lock_active_admins()
    if account.pk in admins and len(admins) <= 1:
        raise ValidationError(
            _("This is the last active system administrator: make another one first."),
            code="last_admin",
        )


def _refuse_self(account: User, actor: Any, message: Any) -> None:
    if account.pk == getattr(actor, "pk", None):
        raise ValidationError(message, code="self")


# Roles whose case access never reaches beyond their organisation.
LOCAL_SCOPE_ROLES = frozenset({Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR})


def _validate_role(
    role: str,
    scope: str,
    organisation: Organisation | None,
    *,
    organisation_changed: bool = True,
    check_fit: bool = True,
) -> None:
    errors: dict[str, list[Any]] = {}
    if role not in Role.values:
        errors.setdefault("role", []).append(_("Choose a role from the list."))
    if scope not in Scope.values:
        errors.setdefault("scope", []).append(_("Choose a scope from the list."))
    if role in LOCAL_SCOPE_ROLES and scope == Scope.NATIONAL:
        # The hotline opens and refers cases like any partner; national scope would
        # let a call-taker read every case in the country.
        errors.setdefault("scope", []).append(_("This role cannot have national scope."))
    if role != Role.SYSTEM_ADMIN and organisation is None:
        errors.setdefault("organisation", []).append(
            _("Every account but a system administrator's belongs to an organisation.")
        )
    if organisation is not None:
        if organisation_changed and not organisation.is_active:
            errors.setdefault("organisation", []).append(
                _("This organisation is deactivated: accounts cannot be added to it.")
            )
        allowed = ROLE_ORG_TYPES.get(role)
        if check_fit and allowed is not None and organisation.org_type not in allowed:
            errors.setdefault("role", []).append(_("This role does not fit an organisation of this type."))
    if errors:
        raise ValidationError(errors)


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


def _full_clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


# --- Organisations -------------------------------------------------------------------


def _check_organisation(organisation: Organisation) -> None:
    organisation.country = (organisation.country or "").upper()
    if (
        len(organisation.country) != 2
        or not organisation.country.isascii()
        or not organisation.country.isalpha()
    ):
        raise ValidationError({"country": [_("Enter a two-letter ISO 3166 country code, such as AZ.")]})
    _full_clean(organisation)
    clash = Organisation.objects.filter(name_folded=fold(organisation.name))
    if organisation.pk is not None:
        clash = clash.exclude(pk=organisation.pk)
    if clash.exists():
        raise ValidationError({"name": [_("An organisation with this name already exists.")]}, code="unique")


@transaction.atomic
def create_organisation(data: Mapping[str, Any], *, actor: Any) -> Organisation:
    """Add an organisation to the response (system administrators)."""
    _require(actor, Data.ORGANISATIONS, Level.WRITE)
    organisation = Organisation()
    _apply(organisation, data, ORGANISATION_FIELDS)
    _check_organisation(organisation)
    organisation.save()
    record_event(
        "accounts.organisation.create",
        actor=actor,
        target=organisation,
        payload=redacted_changes({}, _snapshot(organisation, (*ORGANISATION_FIELDS, "is_active"))),
    )
    return organisation


@transaction.atomic
def update_organisation(
    organisation: Organisation, data: Mapping[str, Any], *, actor: Any, expected_version: int
) -> Organisation:
    """Change an organisation's names and details if nobody else saved it since ``expected_version``."""
    _require(actor, Data.ORGANISATIONS, Level.WRITE)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if int(expected_version) != organisation.version:
        raise ConflictError
    before = _snapshot(organisation, ORGANISATION_FIELDS)
    _apply(organisation, data, ORGANISATION_FIELDS)
    _check_organisation(organisation)
    after = _snapshot(organisation, ORGANISATION_FIELDS)
    changes = redacted_changes(before, after)
    if not changes:
        return organisation
    organisation.name_folded = fold(organisation.name)
    save_versioned(
        organisation,
        expected_version=int(expected_version),
        fields=[*sorted(set(changes) | {"name_folded"})],
    )
    record_event("accounts.organisation.update", actor=actor, target=organisation, payload=changes)
    return organisation


@transaction.atomic
def deactivate_organisation(organisation: Organisation, *, actor: Any) -> Organisation:
    """Take an organisation out of the response, with its active accounts.

    Its members' accounts are deactivated too (each with its own audit event),
    so nobody keeps access through an organisation that has left. An
    administrator cannot deactivate their own organisation.
    """
    _require(actor, Data.ORGANISATIONS, Level.WRITE)
    _require(actor, Data.ACCOUNTS, Level.WRITE)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.pk == getattr(actor, "organisation_id", None):
        raise ValidationError(_("You cannot deactivate your own organisation."), code="self")
    if not organisation.is_active:
        raise ValidationError(_("This organisation is already deactivated."), code="inactive")
    members = list(
        User.objects.select_for_update().filter(organisation=organisation, is_active=True).order_by("pk")
    )
    admins = set(_lock_active_admins())
    if admins and admins <= {m.pk for m in members}:
        raise ValidationError(
            _("This is the last active system administrator: make another one first."),
            code="last_admin",
        )
    organisation.is_active = False
    save_versioned(organisation, expected_version=organisation.version, fields=["is_active"])
    record_event(
        "accounts.organisation.deactivate",
        actor=actor,
        target=organisation,
        payload={"is_active": {"from": True, "to": False}, "accounts_deactivated": len(members)},
    )
    for member in members:
        _deactivate(member, actor=actor, reason="organisation_deactivated")
    return organisation


@transaction.atomic
def reactivate_organisation(organisation: Organisation, *, actor: Any) -> Organisation:
    """Bring a deactivated organisation back; its accounts stay deactivated until reactivated one by one."""
    _require(actor, Data.ORGANISATIONS, Level.WRITE)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_active:
        raise ValidationError(_("This organisation is already active."), code="active")
    organisation.is_active = True
    save_versioned(organisation, expected_version=organisation.version, fields=["is_active"])
    record_event(
        "accounts.organisation.reactivate",
        actor=actor,
        target=organisation,
        payload={"is_active": {"from": False, "to": True}},
    )
    return organisation


# --- Accounts ------------------------------------------------------------------------


@transaction.atomic
def create_user(data: Mapping[str, Any], *, actor: Any, password: str | None = None) -> PasswordSet:
    """Open an account with a role, a scope and an organisation (system administrators).

    ``password`` is the administrator's choice, or empty for a generated one;
    either is returned once, to be handed to the person, and never stored in clear.
    """
    _require(actor, Data.ACCOUNTS, Level.WRITE)
    data = dict(data)
    username = str(data.pop("username", "") or "").strip()
    user = User(username=username)
    _apply(user, data, USER_FIELDS)
    if username and User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": [_("An account with this username already exists.")]}, code="unique"
        )
    _validate_role(user.role, user.scope, user.organisation)
    generated = not password
    password = password or generate_password()
    _validate_password(password, user)
    user.set_password(password)
    _full_clean(user, exclude=["password"])
    user.save()
    payload = redacted_changes({}, _snapshot(user, ("username", *USER_FIELDS)), personal=PERSONAL_FIELDS)
    payload["password_generated"] = generated
    record_event("accounts.user.create", actor=actor, target=user, payload=payload)
    return PasswordSet(user=user, password=password, generated=generated)


@transaction.atomic
def update_user(user: User, data: Mapping[str, Any], *, actor: Any, expected_version: int) -> User:
    """Change an account's names, role, scope, organisation or language.

    An administrator cannot take the system-administrator role from the last
    active one (themselves included).
    """
    _require(actor, Data.ACCOUNTS, Level.WRITE)
    user = User.objects.select_for_update().get(pk=user.pk)
    if int(expected_version) != user.version:
        raise ConflictError
    before = _snapshot(user, USER_FIELDS)
    old_role, old_organisation = user.role, user.organisation_id
    _apply(user, data, USER_FIELDS)
    organisation_changed = user.organisation_id != old_organisation
    _validate_role(
        user.role,
        user.scope,
        user.organisation,
        organisation_changed=organisation_changed,
        check_fit=organisation_changed or user.role != old_role,
    )
    _full_clean(user, exclude=["password"])
    if old_role == Role.SYSTEM_ADMIN and user.role != Role.SYSTEM_ADMIN and user.is_active:
        try:
            _refuse_losing_last_admin(user)
        except ValidationError as error:
            raise ValidationError({"role": error.messages}) from None
    after = _snapshot(user, USER_FIELDS)
    changes = redacted_changes(before, after, personal=PERSONAL_FIELDS)
    if not changes:
        return user
    model_fields = ["organisation_id" if name == "organisation" else name for name in changes]
    user.search_folded = user.folded_search_text()
    save_versioned(user, expected_version=int(expected_version), fields=[*model_fields, "search_folded"])
    record_event("accounts.user.update", actor=actor, target=user, payload=changes)
    return user


def _deactivate(user: User, *, actor: Any, reason: str = "") -> None:
    user.is_active = False
    save_versioned(user, expected_version=user.version, fields=["is_active"])
    ended = end_sessions(user)
    payload: dict[str, Any] = {"is_active": {"from": True, "to": False}, "sessions_ended": ended}
    if reason:
        payload["reason"] = reason
    record_event("accounts.user.deactivate", actor=actor, target=user, payload=payload)


@transaction.atomic
def deactivate_user(user: User, *, actor: Any) -> User:
    """Close an account at once: it can no longer sign in, and its sessions and API tokens end.

    An administrator cannot deactivate themselves, nor the last active system
    administrator. allauth's "trust this browser" is off in Azad's settings;
    even if a browser kept a trust cookie, an inactive account cannot sign in.
    """
    _require(actor, Data.ACCOUNTS, Level.WRITE)
    user = User.objects.select_for_update().get(pk=user.pk)
    _refuse_self(user, actor, _("You cannot deactivate your own account."))
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."), code="inactive")
    _refuse_losing_last_admin(user)
    _deactivate(user, actor=actor)
    return user


@transaction.atomic
def reactivate_user(user: User, *, actor: Any) -> User:
    """Open a deactivated account again (its organisation must be active)."""
    _require(actor, Data.ACCOUNTS, Level.WRITE)
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=user.pk)
    if user.is_active:
        raise ValidationError(_("This account is already active."), code="active")
    if user.organisation is not None and not user.organisation.is_active:
        raise ValidationError(
            _("Its organisation is deactivated: reactivate the organisation first."), code="org_inactive"
        )
    user.is_active = True
    save_versioned(user, expected_version=user.version, fields=["is_active"])
    record_event(
        "accounts.user.reactivate",
        actor=actor,
        target=user,
        payload={"is_active": {"from": False, "to": True}},
    )
    return user


@transaction.atomic
def reset_password(user: User, *, actor: Any, password: str | None = None) -> PasswordSet:
    """Give an account a new password (the administrator's or a generated one); its sessions end.

    Administrators change their own password on the "Change password" page instead.
    """
    _require(actor, Data.ACCOUNTS, Level.WRITE)
    user = User.objects.select_for_update().get(pk=user.pk)
    _refuse_self(user, actor, _("Change your own password on the “Change password” page."))
    generated = not password
    password = password or generate_password()
    _validate_password(password, user)
    user.set_password(password)
    save_versioned(user, expected_version=user.version, fields=["password"])
    ended = end_sessions(user)
    record_event(
        "accounts.user.reset_password",
        actor=actor,
        target=user,
        payload={"password_generated": generated, "sessions_ended": ended},
    )
    return PasswordSet(user=user, password=password, generated=generated)


@transaction.atomic
def reset_second_factor(user: User, *, actor: Any) -> User:
    """Remove an account's authenticator app, passkeys and recovery codes, and end its sessions.

    The person must enrol a second factor again at their next sign-in (for a
    lost or stolen phone or key). Any "trusted browser" is void too, since
    allauth ties trust to the authenticators held.
    """
    _require(actor, Data.ACCOUNTS, Level.WRITE)
    user = User.objects.select_for_update().get(pk=user.pk)
    _refuse_self(user, actor, _("Manage your own second factor on the two-factor authentication page."))
    removed: dict[str, int] = {}
    for kind in Authenticator.objects.filter(user=user).values_list("type", flat=True):
        removed[kind] = removed.get(kind, 0) + 1
    Authenticator.objects.filter(user=user).delete()
    ended = end_sessions(user)
    record_event(
        "accounts.user.reset_second_factor",
        actor=actor,
        target=user,
        payload={"authenticators_removed": removed, "sessions_ended": ended},
    )
    return user


@transaction.atomic
def update_own_profile(user: User, data: Mapping[str, Any], *, actor: Any, expected_version: int) -> User:
    """A person changes their own names or language preference."""
    if not getattr(actor, "is_authenticated", False) or actor.pk != user.pk:
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if int(expected_version) != user.version:
        raise ConflictError
    before = _snapshot(user, PROFILE_FIELDS)
    _apply(user, data, PROFILE_FIELDS)
    _full_clean(user, exclude=["password"])
    changes = redacted_changes(before, _snapshot(user, PROFILE_FIELDS), personal=PERSONAL_FIELDS)
    if not changes:
        return user
    user.search_folded = user.folded_search_text()
    save_versioned(user, expected_version=int(expected_version), fields=[*changes, "search_folded"])
    record_event("accounts.user.update_profile", actor=actor, target=user, payload=changes)
    return user


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as ``{field or "__all__": [messages]}`` for forms and the API."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in error.messages]}
