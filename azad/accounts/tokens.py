"""API tokens: issued once, stored as keyed hashes, expiring, ended with the account."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from azad.accounts.models import ApiToken, User
from azad.core.crypto import keyed_hash

HASH_PURPOSE = "accounts.api-token"


def hash_key(key: str) -> str:
    """The keyed hash stored for ``key``."""
    return keyed_hash(key, purpose=HASH_PURPOSE)


def issue_token(user: User) -> str:
    """A new token for ``user``, replacing any they had; the caller shows it once and audits it."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.filter(user=user).delete()
    ApiToken.objects.create(
        user=user,
        key_hash=hash_key(key),
        prefix=key[:6],
        expires_at=timezone.now() + timedelta(days=settings.AZAD_API_TOKEN_DAYS),
    )
    return key


def revoke_tokens(user: User) -> int:
    """Delete every token ``user`` holds; returns how many."""
    deleted, _rows = ApiToken.objects.filter(user=user).delete()
    return deleted


def token_for_key(key: str) -> ApiToken | None:
    """The unexpired token ``key`` stands for, with its user, or ``None``."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None or token.expires_at <= timezone.now():
        return None
    return token


def has_token(user: User) -> bool:
    return ApiToken.objects.filter(user=user).exists()
