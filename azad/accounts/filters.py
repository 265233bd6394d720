"""Filters for organisation and account lists, shared by the pages and the API.

Text search compares Azerbaijani-folded text (``azad.core.text.fold``) against
stored folded columns, so "ismayıllı" finds "İsmayıllı" on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

import django_filters
from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from azad.accounts import access
from azad.accounts.choices import OrgType, Role, Scope
from azad.accounts.models import Organisation, User
from azad.core.db import az_collate
from azad.core.rendering import ListedModelChoiceFilter
from azad.core.text import az_sort_key, fold

_YES_NO = [("true", _("Yes")), ("false", _("No"))]


class YesNoFilter(django_filters.ChoiceFilter):
    """A yes/no choice ("true"/"false") with an empty "any" choice, filtering a boolean."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", _YES_NO)
        kwargs.setdefault("empty_label", _("Any"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        if value in ("", None):
            return qs
        return super().filter(qs, value == "true")


def _second_factor_exists() -> Exists:
    return Exists(
        Authenticator.objects.filter(
            user=OuterRef("pk"),
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        )
    )


def with_second_factor(queryset: QuerySet[User]) -> QuerySet[User]:
    """Annotate ``has_second_factor``: whether the account holds TOTP or a passkey."""
    return queryset.annotate(has_second_factor=_second_factor_exists())


def without_second_factor(queryset: QuerySet[User]) -> QuerySet[User]:
    """Only the accounts that hold neither TOTP nor a passkey."""
    return queryset.filter(~_second_factor_exists())


def _forget_field(filter_: django_filters.Filter) -> None:
    """Drop a form field built (and copied from the class) before this request's choices were set."""
    filter_.__dict__.pop("_field", None)


class OrganisationFilterSet(django_filters.FilterSet):
    """Search by name (folded), filter by type, region and whether active."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_q", max_length=200)
    org_type = django_filters.ChoiceFilter(label=_("Type"), choices=OrgType.choices)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=[])
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = Organisation
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = {r for r in self.queryset.order_by().values_list("region", flat=True).distinct() if r}
        region = self.filters["region"]
        region.extra["choices"] = [(r, r) for r in sorted(regions, key=az_sort_key)]
        _forget_field(region)

    def filter_q(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        folded = fold(value)
        if not folded:
            return queryset
        return queryset.filter(Q(name_folded__contains=folded) | Q(short_name__icontains=value.strip()))


class UserFilterSet(django_filters.FilterSet):
    """Filter accounts by organisation, role, scope, state and second factor (pages and API).

    Nothing here is personal, so these may travel in URLs.
    """

    organisation = ListedModelChoiceFilter(label=_("Organisation"), queryset=Organisation.objects.none())
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    scope = django_filters.ChoiceFilter(label=_("Scope"), choices=Scope.choices)
    is_active = YesNoFilter(label=_("Active"))
    has_second_factor = YesNoFilter(label=_("Second factor set up"))

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        organisation = self.filters["organisation"]
        organisation.queryset = access.visible_organisations(user).order_by(az_collate("name"), "pk")
        _forget_field(organisation)


class UserSearchFilterSet(UserFilterSet):
    """The filters plus a search by username or name (folded).

    People's names are personal data and never go in a URL: the account list
    page sends this form by POST.
    """

    q = django_filters.CharFilter(label=_("Username or name"), method="filter_q", max_length=150)

    def filter_q(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        folded = fold(value)
        if not folded:
            return queryset
        return queryset.filter(search_folded__contains=folded)
