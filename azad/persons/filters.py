"""Filters for the person list, shared by the page and the API. None of them takes personal data."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from azad.accounts import access as accounts_access
from azad.accounts.models import Organisation
from azad.core.db import az_collate
from azad.core.rendering import ListedModelChoiceFilter
from azad.persons.choices import DocumentType, Gender
from azad.persons.models import Person

_YES_NO = [("true", _("Yes")), ("false", _("No"))]


class PersonFilterSet(django_filters.FilterSet):
    """Gender, citizenship, document kind, age unknown, recording organisation, year of birth."""

    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    citizenship = django_filters.CharFilter(label=_("Citizenship"), method="filter_citizenship", max_length=2)
    document_type = django_filters.ChoiceFilter(label=_("Identity document"), choices=DocumentType.choices)
    age_unknown = django_filters.TypedChoiceFilter(
        label=_("Age unknown"), choices=_YES_NO, coerce=lambda v: v == "true"
    )
    birth_year = django_filters.NumberFilter(label=_("Year of birth"))
    organisation = ListedModelChoiceFilter(label=_("Recorded by"), queryset=Organisation.objects.none())

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["organisation"].queryset = accounts_access.visible_organisations(user).order_by(
            az_collate("name"), "pk"
        )

    def filter_citizenship(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        value = value.strip().upper()
        return queryset.filter(citizenship=value) if value else queryset
