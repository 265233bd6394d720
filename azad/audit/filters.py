"""The audit trail's filters: one FilterSet for the list page and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from azad.accounts.access import visible_organisations
from azad.accounts.models import Organisation
from azad.audit import choices
from azad.audit.models import AuditEvent
from azad.audit.services import username_hash
from azad.core.rendering import ListedModelChoiceFilter


class Only(models.TextChoices):
    """Groups of events the list can be narrowed to (several may be ticked: any of them)."""

    VIEWS = "views", _("Views of victim records")
    EXPORTS = "exports", _("Exports")
    ACCESS = "access", _("Sign-ins and denied access")


_ONLY_QUERIES = {
    Only.VIEWS: Q(action=choices.RECORD_VIEW),
    Only.EXPORTS: Q(action=choices.EXPORT),
    Only.ACCESS: Q(action__in=sorted(choices.SIGN_IN_AND_DENIAL_ACTIONS)),
}


def _organisations(request: HttpRequest | None) -> QuerySet[Organisation]:
    if request is None:
        return Organisation.objects.none()
    return visible_organisations(request.user)


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the current time zone (Asia/Baku)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditFilterForm(forms.Form):
    """The filter form: a period must not end before it starts."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class AuditEventFilter(django_filters.FilterSet):
    """Who, which organisation, what action, which record, when, and the "only ..." groups."""

    who = django_filters.CharFilter(
        label=_("Who"),
        method="filter_who",
        help_text=_("Part of a username. Failed sign-ins are found by the exact username."),
    )
    organisation = ListedModelChoiceFilter(
        label=_("Organisation"),
        queryset=_organisations,
        method="filter_organisation",
        empty_label=_("Any organisation"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=choices.action_choices, empty_label=_("Any action")
    )
    target_type = django_filters.CharFilter(label=_("Record type"), help_text=_("For example accounts.user"))
    target_id = django_filters.CharFilter(label=_("Record id"))
    date_from = django_filters.DateFilter(
        label=pgettext_lazy("date range", "From"),
        method="filter_date_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To (inclusive)"), method="filter_date_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    only = django_filters.MultipleChoiceFilter(
        label=_("Show only"),
        choices=Only.choices,
        method="filter_only",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AuditEvent
        form = AuditFilterForm
        fields = ["who", "organisation", "action", "target_type", "target_id", "date_from", "date_to", "only"]

    def filter_who(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor_label__icontains=value) | Q(payload__username_hash=username_hash(value))
        )

    def filter_organisation(
        self, queryset: QuerySet[AuditEvent], name: str, value: Organisation | None
    ) -> QuerySet[AuditEvent]:
        return queryset.filter(organisation_id=value.pk) if value is not None else queryset

    def filter_date_from(
        self, queryset: QuerySet[AuditEvent], name: str, value: dt.date | None
    ) -> QuerySet[AuditEvent]:
        return queryset.filter(occurred_at__gte=_day_start(value)) if value else queryset

    def filter_date_to(
        self, queryset: QuerySet[AuditEvent], name: str, value: dt.date | None
    ) -> QuerySet[AuditEvent]:
        if not value:
            return queryset
        return queryset.filter(occurred_at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_only(
        self, queryset: QuerySet[AuditEvent], name: str, value: list[str]
    ) -> QuerySet[AuditEvent]:
        if not value:
            return queryset
        wanted = Q()
        for code in value:
            wanted |= _ONLY_QUERIES[Only(code)]
        return queryset.filter(wanted)
