from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The National Coordinator's annual report to Parliament and the Ombudsman (Law Art. 7.5)."""

    name = "azad.reports"
    label = "reports"
    verbose_name = _("Annual report")

    def ready(self) -> None:
        from azad.audit.choices import register_actions
        from azad.core.navigation import MENU, MenuEntry
        from azad.core.permissions import Data, Level
        from azad.reports.access import may_read_reports

        MENU.append(
            MenuEntry(
                _("Annual report"),
                "reports:index",
                Data.STATISTICS,
                Level.AGGREGATE,
                allowed=may_read_reports,
            )
        )
        register_actions(
            {
                "reports.run.start": _("Annual report generation started"),
                "reports.run.finish": _("Annual report generation finished"),
                "reports.narrative.save": _("Annual report narrative saved"),
            }
        )
