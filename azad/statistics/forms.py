"""The dashboards' filter form: period (Baku dates) and region."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.core.places import REGION_CHOICES
from azad.statistics.figures import BAKU, Filters


def default_filters() -> Filters:
    """From the first of January of this year to today (Baku)."""
    today = timezone.localdate(timezone=BAKU)
    return Filters(dt.date(today.year, 1, 1), today)


class FilterForm(forms.Form):
    """Period and region; an empty field takes the default (this year so far, all regions)."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("All regions")), *REGION_CHOICES]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default = default_filters()
        start = data.get("start") or default.start
        end = data.get("end") or default.end
        if "start" in data and "end" in data and end < start:
            self.add_error("end", _("The period ends before it starts."))
        data["filters"] = Filters(start, end, data.get("region") or "")
        return data
