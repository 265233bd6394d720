"""The only way to read organisations and accounts. Deny by default.

Not visible -> ``NotVisible`` (a 404, the same as not found); visible but read-only ->
``PermissionDenied`` on write.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from azad.accounts.models import Organisation, User
from azad.core.exceptions import NotVisible
from azad.core.permissions import Data, Level, can


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations ``user`` may see: all for roles that read organisations, none otherwise."""
    if can(user, Data.ORGANISATIONS, Level.READ):
        return Organisation.objects.all()
    return Organisation.objects.none()


def get_organisation_for_user(user: Any, pk: int, *, write: bool = False) -> Organisation:
    """One organisation, or 404 if not visible, or 403 if ``write`` and read-only."""
    try:
        organisation = visible_organisations(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError):
        raise NotVisible from None
    if write and not can(user, Data.ORGANISATIONS, Level.WRITE):
        raise PermissionDenied
    return organisation


def visible_users(user: Any) -> QuerySet[User]:
    """Accounts ``user`` may see: all for account managers, none otherwise."""
    if can(user, Data.ACCOUNTS, Level.READ):
        return User.objects.select_related("organisation")
    return User.objects.none()


def get_user_for_user(user: Any, pk: int, *, write: bool = False) -> User:
    """One account, or 404 if not visible, or 403 if ``write`` and read-only."""
    try:
        account = visible_users(user).get(pk=pk)
    except (User.DoesNotExist, ValueError):
        raise NotVisible from None
    if write and not can(user, Data.ACCOUNTS, Level.WRITE):
        raise PermissionDenied
    return account
