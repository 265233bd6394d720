"""Filters for the case list, shared by the page and the API. None takes personal data."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.accounts import access as accounts_access
from azad.accounts.models import Organisation
from azad.cases.choices import Stage, TraffickingStatus
from azad.cases.clocks import ClockState, any_clock_q
from azad.cases.models import Case
from azad.core.db import az_collate
from azad.core.places import REGION_CHOICES
from azad.core.rendering import ListedModelChoiceFilter, Select

_YES_NO = [("true", _("Yes")), ("false", _("No"))]
CLOCK_FILTERS = [
    (ClockState.OVERDUE, _("A clock is overdue")),
    (ClockState.DUE_SOON, _("A clock is due soon")),
]


class CaseFilterSet(django_filters.FilterSet):
    """Stage, child or not, clock state, owner organisation, trafficking status, region.

    Its selects write themselves from their choices (:class:`azad.core.rendering.Select`).
    """

    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices, widget=Select)
    is_child = django_filters.TypedChoiceFilter(
        label=_("Child"), choices=_YES_NO, coerce=lambda v: v == "true", widget=Select
    )
    clock = django_filters.ChoiceFilter(
        label=_("Clocks"), choices=CLOCK_FILTERS, method="filter_clock", widget=Select
    )
    owner_organisation = ListedModelChoiceFilter(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), widget=Select
    )
    trafficking_status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TraffickingStatus.choices, widget=Select
    )
    region = django_filters.ChoiceFilter(label=_("Region"), choices=REGION_CHOICES, widget=Select)

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["owner_organisation"].queryset = accounts_access.visible_organisations(user).order_by(
            az_collate("name"), "pk"
        )

    def filter_clock(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(any_clock_q(ClockState(value), timezone.now())) if value else queryset
