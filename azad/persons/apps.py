from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    """People the response deals with (HTCDS Person): identity data, encrypted at rest."""

    name = "azad.persons"
    label = "persons"
    verbose_name = _("Persons")

    def ready(self) -> None:
        from azad.audit.choices import register_actions
        from azad.core.navigation import MENU, MenuEntry
        from azad.core.permissions import Data, Level

        MENU.append(MenuEntry(_("Persons"), "persons:person_list", Data.VICTIM_IDENTITY, Level.READ))
        register_actions(
            {
                "person.create": _("Person recorded"),
                "person.update": _("Person changed"),
                "person.search": _("Persons searched"),
                "person.same_person.link": _("Records decided to be the same person"),
                "person.same_person.undo": _("Same-person decision undone"),
            }
        )
