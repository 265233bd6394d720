from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Organisations, people's accounts, roles, scopes and sign-in."""

    name = "azad.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from azad.accounts import home, signals  # noqa: F401
        from azad.audit.choices import register_actions

        register_actions(
            {
                "accounts.organisation.create": _("Organisation added"),
                "accounts.organisation.update": _("Organisation changed"),
                "accounts.organisation.deactivate": _("Organisation deactivated"),
                "accounts.organisation.reactivate": _("Organisation reactivated"),
                "accounts.user.create": _("Account created"),
                "accounts.user.update": _("Account changed"),
                "accounts.user.update_profile": _("Own profile changed"),
                "accounts.user.deactivate": _("Account deactivated"),
                "accounts.user.reactivate": _("Account reactivated"),
                "accounts.user.reset_password": _("Password reset by an administrator"),
                "accounts.user.reset_second_factor": _("Second factor reset by an administrator"),
                "auth.token_issued": _("API token issued"),
                "auth.token_revoked": _("API token revoked"),
            }
        )
