"""Filters for the screenings list, shared by the page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from azad.screening.choices import Outcome, Population, Status
from azad.screening.models import IndicatorList, Screening

_YES_NO = [("true", _("Yes")), ("false", _("No"))]


class ScreeningFilterSet(django_filters.FilterSet):
    """Status, result, list, population, dates, and "only mine".

    Without a status filter, discarded drafts are left out.
    """

    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, method="filter_status")
    outcome = django_filters.ChoiceFilter(label=_("Result"), choices=Outcome.choices)
    indicator_list = django_filters.ChoiceFilter(
        label=_("Indicator list"), field_name="indicator_list__code", choices=[]
    )
    population = django_filters.ChoiceFilter(label=_("Screened as"), choices=Population.choices)
    started_from = django_filters.DateFilter(
        label=_("Started from"), field_name="started_at", lookup_expr="date__gte"
    )
    started_to = django_filters.DateFilter(
        label=_("Started to"), field_name="started_at", lookup_expr="date__lte"
    )
    mine = django_filters.TypedChoiceFilter(
        label=_("Only mine"), choices=_YES_NO, coerce=lambda v: v == "true", method="filter_mine"
    )

    class Meta:
        model = Screening
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = IndicatorList.objects.order_by("code").values_list("code", flat=True).distinct()
        list_filter = self.filters["indicator_list"]
        list_filter.extra["choices"] = [(code, code) for code in codes]
        list_filter.__dict__.pop("_field", None)

    @property
    def qs(self) -> QuerySet[Screening]:
        queryset = super().qs
        if not (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("status")):
            queryset = queryset.exclude(status=Status.DISCARDED)
        return queryset

    def filter_status(self, queryset: QuerySet[Screening], name: str, value: str) -> QuerySet[Screening]:
        return queryset.filter(status=value) if value else queryset

    def filter_mine(self, queryset: QuerySet[Screening], name: str, value: bool) -> QuerySet[Screening]:
        user = getattr(self.request, "user", None)
        if value and user is not None:
            return queryset.filter(screener_id=user.pk)
        if value is False and user is not None:
            return queryset.exclude(screener_id=user.pk)
        return queryset
