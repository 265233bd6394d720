from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Organisations, people's accounts, roles, scopes and sign-in."""

    name = "azad.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from azad.accounts import signals  # noqa: F401
