from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only, hash-chained audit trail."""

    name = "azad.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from azad.audit import signals

        post_migrate.connect(signals.seed_chain_head, sender=self)
