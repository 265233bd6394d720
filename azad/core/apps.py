from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared foundations: text folding, field encryption, locking, layout."""

    name = "azad.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from azad.core import db  # noqa: F401  (registers the SQLite collation)
