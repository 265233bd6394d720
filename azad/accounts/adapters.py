"""allauth adapters: no self-service sign-up, and MFA secrets encrypted at rest."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from azad.core import crypto

MFA_CONTEXT = "allauth.mfa.secret"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators only."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery seeds are stored as Azad ciphertext, never in clear."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text, context=MFA_CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text, context=MFA_CONTEXT)

    def get_totp_label(self, user: Any) -> str:
        return str(user.get_username())
