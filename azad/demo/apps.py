from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Synthetic Azerbaijani data: the demo set and the generator at any size."""

    name = "azad.demo"
    label = "demo"
    verbose_name = _("Demo data")
