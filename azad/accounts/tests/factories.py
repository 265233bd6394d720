"""Builders for organisations and accounts, shared by every app's tests.

``make_user`` gives an account that can sign in at once: a known password and a
TOTP authenticator stored the way allauth stores it (secret encrypted by
Azad's MFA adapter). Roles that must hold a passkey (``AZAD_PASSKEY_REQUIRED_ROLES``)
also get a placeholder WebAuthn authenticator, so ``client.force_login(user)``
reaches the pages instead of the passkey enrolment page. Compute codes with
:func:`totp_code`.

The placeholder passkey holds no real credential: allauth's second-factor page
cannot offer it. To sign such a role in through the real forms, use
``make_user(role, passkey=False)`` with
``override_settings(AZAD_PASSKEY_REQUIRED_ROLES=[])``.

    from azad.accounts.tests.factories import make_org, make_user, totp_code
    user = make_user(Role.POLICE_INVESTIGATOR)        # an ATD organisation is made for it
    client.force_login(user)
"""

from __future__ import annotations

import itertools
import time

import pyotp
from allauth.mfa.models import Authenticator
from django.conf import settings

from azad.accounts.adapters import MFAAdapter
from azad.accounts.choices import OrgType
from azad.accounts.models import Organisation, User
from azad.core.permissions import Role, Scope

PASSWORD = "correct-horse-battery-staple-42"

_counter = itertools.count(1)

# The organisation type a role's account usually sits in (for make_user without org).
ROLE_ORG_TYPE: dict[str, str] = {
    Role.SYSTEM_ADMIN: OrgType.CENTRAL_GOVERNMENT,
    Role.NATIONAL_COORDINATOR: OrgType.COORDINATOR,
    Role.POLICE_INVESTIGATOR: OrgType.POLICE_ATD,
    Role.POLICE_SUPERVISOR: OrgType.POLICE_ATD,
    Role.HOTLINE_OPERATOR: OrgType.HOTLINE,
    Role.HOTLINE_SUPERVISOR: OrgType.HOTLINE,
    Role.ASSISTANCE_CASEWORKER: OrgType.ASSISTANCE_CENTRE,
    Role.SHELTER_STAFF: OrgType.SHELTER,
    Role.NGO_CASEWORKER: OrgType.NGO,
    Role.CHILD_PROTECTION_OFFICER: OrgType.CHILD_PROTECTION,
    Role.PROSECUTOR: OrgType.PROSECUTOR,
    Role.PLAN_FOCAL_POINT: OrgType.MINISTRY,
    Role.ANALYST: OrgType.CENTRAL_GOVERNMENT,
    Role.AUDITOR: OrgType.OMBUDSMAN,
}


def make_org(
    name: str | None = None,
    org_type: str = OrgType.NGO,
    *,
    region: str = "",
    is_active: bool = True,
    **extra: object,
) -> Organisation:
    """An organisation (a unique name is made up when none is given)."""
    org = Organisation(
        name=name or f"Təşkilat {next(_counter)}",
        org_type=org_type,
        region=region,
        is_active=is_active,
        **extra,
    )
    org.save()
    return org


def add_totp(user: User, secret: str | None = None) -> str:
    """Give ``user`` a TOTP authenticator, stored as allauth would (encrypted); returns the secret."""
    secret = secret or pyotp.random_base32()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": MFAAdapter().encrypt(secret)}
    )
    return secret


def add_passkey(user: User, name: str = "Test key") -> Authenticator:
    """A placeholder WebAuthn authenticator: enough for the enrolment checks, not for signing in."""
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": {"clientExtensionResults": {"credProps": {"rk": True}}}},
    )


def make_user(
    role: str,
    org: Organisation | None = None,
    *,
    totp_secret: str | None = None,
    username: str | None = None,
    password: str = PASSWORD,
    scope: str = Scope.ORGANISATION,
    second_factor: bool = True,
    passkey: bool | None = None,
    is_active: bool = True,
    **extra: object,
) -> User:
    """An account with ``role`` that can sign in with ``password`` and a TOTP code.

    Without ``org``, every role but system administrator gets a new organisation
    of a fitting type. ``second_factor=False`` makes an account with no
    authenticator at all; ``passkey`` defaults to whether the role must hold one.
    The returned object carries ``raw_password`` and ``totp_secret`` for tests.
    """
    if org is None and role != Role.SYSTEM_ADMIN:
        org = make_org(org_type=ROLE_ORG_TYPE.get(role, OrgType.NGO))
    user = User(
        username=username or f"{role}-{next(_counter)}",
        role=role,
        scope=scope,
        organisation=org,
        is_active=is_active,
        **extra,
    )
    user.set_password(password)
    user.save()
    user.raw_password = password  # type: ignore[attr-defined]
    user.totp_secret = None  # type: ignore[attr-defined]
    if second_factor:
        user.totp_secret = add_totp(user, totp_secret)  # type: ignore[attr-defined]
        if passkey is None:
            passkey = role in settings.AZAD_PASSKEY_REQUIRED_ROLES
        if passkey:
            add_passkey(user)
    return user


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The current (or ``at``) TOTP code for ``secret``.

    Without ``at``, waits for the next 30-second window when the current one is
    about to end, so a code computed here is still valid when the server checks it.
    """
    if at is not None:
        return pyotp.TOTP(secret).at(at)
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return pyotp.TOTP(secret).now()
