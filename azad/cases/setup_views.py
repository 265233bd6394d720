"""Setting up the mechanism: shelter profiles (beds, whom a shelter takes in) and allowance rates.

Shelter profiles are created by system administrators and changed by them or
by the shelter's own staff; the reintegration allowance rate is set by the
National Coordinator or a system administrator (see ``docs/permissions.md``).
Writes go through :mod:`azad.cases.services`; 403 not allowed, 404 another
shelter's profile, 400 bad input (nothing written), 409 stale.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from azad.accounts.forms import add_service_errors
from azad.cases import access, services
from azad.cases.forms import AllowanceRateForm, ShelterProfileForm
from azad.cases.models import AllowanceRate
from azad.cases.views import BAD_REQUEST, GET_POST, PAGE_SIZE
from azad.core.db import az_collate
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.persons.views import conflict_page


@login_required
def shelter_profiles(request: HttpRequest) -> HttpResponse:
    """The shelter profiles the reader may change (all for administrators, their own for shelter staff)."""
    if not access.may_open_shelter_profiles(request.user):
        raise PermissionDenied
    profiles = access.editable_shelter_profiles(request.user).order_by(az_collate("organisation__name"), "pk")
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/shelter_profiles.html",
        {"page": page, "may_create": access.may_create_shelter_profiles(request.user)},
    )


def _profile_form_page(
    request: HttpRequest, form: ShelterProfileForm, run: Any, *, title: Any
) -> HttpResponse:
    back = reverse("cases:shelter_profiles")
    if request.method == "POST":
        if form.is_valid():
            try:
                run(form.cleaned_data)
            except ConflictError:
                return conflict_page(request, back)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, str(_("Shelter profile saved.")))
                return redirect(back)
        status = BAD_REQUEST
    else:
        status = 200
    return render(
        request, "cases/setup_form.html", {"form": form, "title": title, "back": back}, status=status
    )


@login_required
@GET_POST
def shelter_profile_create(request: HttpRequest) -> HttpResponse:
    """A new shelter profile (system administrators)."""
    if not access.may_create_shelter_profiles(request.user):
        raise PermissionDenied
    form = ShelterProfileForm(request.POST if request.method == "POST" else None, creating=True)
    return _profile_form_page(
        request,
        form,
        lambda d: services.save_shelter_profile(
            d["organisation"],
            actor=request.user,
            beds=d["beds"],
            children_only=d["children_only"],
            women_only=d["women_only"],
            address=d["address"],
        ),
        title=_("New shelter profile"),
    )


@login_required
@GET_POST
def shelter_profile_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """Change a shelter's beds, whom it takes in and its address (administrators, the shelter's staff)."""
    try:
        profile = access.get_editable_shelter_profile(request.user, pk)
    except NotVisible:
        if access.visible_shelters(request.user).filter(pk=pk).exists():
            raise PermissionDenied from None  # sees the shelter, may not change it
        raise
    form = ShelterProfileForm(
        request.POST if request.method == "POST" else None,
        creating=False,
        initial={
            "version": profile.version,
            "beds": profile.beds,
            "children_only": profile.children_only,
            "women_only": profile.women_only,
            "address": profile.address,
        },
    )
    return _profile_form_page(
        request,
        form,
        lambda d: services.save_shelter_profile(
            profile.organisation,
            actor=request.user,
            beds=d["beds"],
            children_only=d["children_only"],
            women_only=d["women_only"],
            address=d["address"],
            expected_version=d["version"],
        ),
        title=_("Shelter profile: %(name)s") % {"name": profile.organisation.display_name()},
    )


@login_required
@GET_POST
def allowance_rates(request: HttpRequest) -> HttpResponse:
    """The reintegration allowance's rates by date, and a form to add one (Coordinator, administrators)."""
    if not access.may_set_allowance_rate(request.user):
        raise PermissionDenied
    form = AllowanceRateForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_allowance_rate(
                    actor=request.user,
                    valid_from=form.cleaned_data["valid_from"],
                    amount=form.cleaned_data["amount"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, str(_("Allowance rate saved.")))
                return redirect(reverse("cases:allowance_rates"))
        status = BAD_REQUEST
    page = Paginator(AllowanceRate.objects.order_by("-valid_from"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    current = services.allowance_rate_on(timezone.localdate())
    return render(
        request,
        "cases/allowance_rates.html",
        {"page": page, "form": form, "current": current},
        status=status,
    )
