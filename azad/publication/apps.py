from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    """Safe publication: the k-anonymous public dataset and approved, encrypted case-level exports."""

    name = "azad.publication"
    label = "publication"
    verbose_name = _("Publication")

    def ready(self) -> None:
        from azad.audit.choices import register_actions
        from azad.core.navigation import MENU, MenuEntry
        from azad.core.permissions import Data, Level
        from azad.publication import access

        MENU.append(
            MenuEntry(_("Public dataset"), "publication:public_dataset", Data.STATISTICS, Level.AGGREGATE)
        )
        MENU.append(
            MenuEntry(
                _("Case-level exports"),
                "publication:request_list",
                Data.CASE_CONTENT,
                Level.WRITE,
                allowed=access.may_use_exports,
            )
        )
        register_actions(
            {
                "publication.dataset_run.start": _("Public dataset build started"),
                "publication.dataset_run.finish": _("Public dataset build finished"),
                "publication.export_request.create": _("Case-level export requested"),
                "publication.export_request.approve": _("Case-level export approved"),
                "publication.export_request.refuse": _("Case-level export refused"),
            }
        )
