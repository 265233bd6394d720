from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    """Operator commands: encrypted backup and restore, key rotation."""

    name = "azad.maintenance"
    label = "maintenance"
    verbose_name = _("Maintenance")
