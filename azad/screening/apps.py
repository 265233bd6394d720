from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """Victim identification: screening against versioned indicator lists with an explainable rule."""

    name = "azad.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from azad.audit.choices import register_actions
        from azad.screening.signals import load_shipped_lists

        post_migrate.connect(load_shipped_lists, sender=self)
        from azad.core.navigation import MENU, MenuEntry
        from azad.core.permissions import Data, Level
        from azad.screening import home, services  # noqa: F401

        register_actions(
            {
                services.START: _("Screening started"),
                services.SAVE_ANSWERS: _("Screening answers saved"),
                services.COMPLETE: _("Screening completed"),
                services.DISCARD: _("Screening discarded"),
                services.REFER: _("Screening marked as referred to the police ATD"),
                services.LOAD_LIST: _("Indicator list loaded"),
            }
        )
        MENU.append(MenuEntry(_("Screenings"), "screening:list", Data.SCREENINGS, Level.READ))
        MENU.append(
            MenuEntry(_("Screening counts"), "screening:statistics", Data.SCREENINGS, Level.AGGREGATE)
        )
        MENU.append(MenuEntry(_("Indicator lists"), "screening:catalogue", Data.SCREENINGS, Level.AGGREGATE))
        # The permissions table has no column for reference catalogues: system
        # administrators (the only role writing accounts) manage the indicator lists.
        MENU.append(MenuEntry(_("Indicator lists"), "screening:catalogue", Data.ACCOUNTS, Level.WRITE))
