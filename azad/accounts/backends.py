"""The authentication backend: allauth's, reading a signed-in person with their organisation.

Nearly every page asks which organisation the person belongs to (what they may see is decided
by it). Django reads the user once per request and the organisation on first use, a second
query; this backend joins it to the first. Replacing allauth's backend in
``AUTHENTICATION_BACKENDS`` ends the sessions signed in through it once (Django keeps the
backend's path in the session), as any change of the backend does.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from azad.accounts.models import User


class AuthenticationBackend(AllauthBackend):
    """allauth's sign-in (username or e-mail, password); the session's person read with their organisation."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
