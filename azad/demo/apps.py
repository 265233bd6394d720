from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Synthetic Azerbaijani data: the demo set and the generator at any size."""

    name = "azad.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self) -> None:
        from azad.audit.choices import register_actions
        from azad.demo.checks import demo_accounts_in_production

        checks.register(demo_accounts_in_production, checks.Tags.security)
        register_actions({"demo.load": _("Demo data loaded"), "demo.generate": _("Synthetic data generated")})
