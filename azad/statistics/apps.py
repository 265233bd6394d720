from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """The core statistics: each person counted once, suppressed aggregates, dashboards, downloads, API."""

    name = "azad.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from azad.core.navigation import MENU, MenuEntry
        from azad.core.permissions import Data, Level

        MENU.append(MenuEntry(_("Statistics"), "statistics:dashboard", Data.STATISTICS, Level.AGGREGATE))
