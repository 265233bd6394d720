"""Token authentication for other systems (``Authorization: Token <key>``).

Tokens are looked up by their keyed hash (azad/accounts/tokens.py); the
database never holds a usable token. Expired tokens and deactivated accounts
are refused.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from azad.accounts.models import ApiToken
from azad.accounts.tokens import token_for_key


class TokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid token header.")) from None
        token = token_for_key(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid or expired token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("This account is deactivated."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
