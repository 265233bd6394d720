from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    """The 152 hotline: call intake, call-backs, alerts to ATD, knowledge base and dashboard."""

    name = "azad.hotline"
    label = "hotline"
    verbose_name = _("Hotline 152")

    def ready(self) -> None:
        from azad.audit.choices import register_actions
        from azad.core.navigation import MENU, MenuEntry
        from azad.core.permissions import Data, Level
        from azad.hotline import home  # noqa: F401  (register the home panels)

        MENU.append(MenuEntry(_("New call"), "hotline:intake", Data.HOTLINE_CALLS, Level.WRITE))
        MENU.append(MenuEntry(_("Calls"), "hotline:call_list", Data.HOTLINE_CALLS, Level.READ))
        MENU.append(MenuEntry(_("Call-backs"), "hotline:callback_list", Data.HOTLINE_CALLS, Level.WRITE))
        MENU.append(MenuEntry(_("Hotline alerts"), "hotline:alert_list", Data.HOTLINE_CALLS, Level.READ))
        MENU.append(
            MenuEntry(_("Hotline dashboard"), "hotline:dashboard", Data.HOTLINE_CALLS, Level.AGGREGATE)
        )
        register_actions(
            {
                "hotline.call.create": _("Hotline call recorded"),
                "hotline.call.update": _("Hotline call changed"),
                "hotline.call.link_case": _("Hotline call linked to a case"),
                "hotline.call.hand_over": _("Hotline call handed over: case opened and referred to ATD"),
                "hotline.alert.create": _("Immediate-danger alert raised"),
                "hotline.alert.acknowledge": _("Alert acknowledged"),
                "hotline.callback.agree": _("Call-back agreed"),
                "hotline.callback.complete": _("Call-back done or missed"),
                "hotline.article.save": _("Knowledge-base article saved"),
            }
        )
