from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    """People the response deals with (HTCDS Person): identity data, encrypted at rest."""

    name = "azad.persons"
    label = "persons"
    verbose_name = _("Persons")
