from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API root under /api/v1/: authentication, schema, browsable docs."""

    name = "azad.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from azad.api import schema  # noqa: F401  (registers the token scheme)
