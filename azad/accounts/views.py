"""Pages for organisations, accounts and a person's own profile.

Each view gets its rows from ``access`` and writes through ``services``: not
visible -> 404, read-only -> 403, bad input -> 400 with the form's errors,
concurrent edit -> 409 conflict page.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from azad.accounts import access, services
from azad.accounts.filters import OrganisationFilterSet, UserSearchFilterSet, with_second_factor
from azad.accounts.forms import (
    OrganisationEditForm,
    OrganisationForm,
    PasswordResetForm,
    ProfileForm,
    UserCreateForm,
    UserEditForm,
    add_service_errors,
)
from azad.accounts.models import Organisation, User
from azad.core.db import az_collate
from azad.core.locking import ConflictError
from azad.core.permissions import Data, Level, can

PAGE_SIZE = 50
MEMBERS_SHOWN = 50
GET_POST = require_http_methods(["GET", "POST"])
BAD_REQUEST = 400


def _require(request: HttpRequest, data: Data, level: Level) -> None:
    if not can(request.user, data, level):
        raise PermissionDenied


def _conflict(request: HttpRequest, back_url: str) -> HttpResponse:
    return render(
        request,
        "accounts/conflict.html",
        {"message": ConflictError.message, "back_url": back_url},
        status=409,
    )


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, invalid: bool = False
) -> HttpResponse:
    return render(request, template, context, status=BAD_REQUEST if invalid else 200)


def organisation_url(organisation: Organisation) -> str:
    return reverse("accounts:organisation_detail", kwargs={"pk": organisation.pk})


def user_url(account: User) -> str:
    return reverse("accounts:user_detail", kwargs={"pk": account.pk})


def gone(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Pages Azad does not offer (password reset by e-mail, e-mail management): not found."""
    raise Http404


# --- Organisations -------------------------------------------------------------------


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Organisations the person may see: search by name, filter by type, region and state."""
    _require(request, Data.ORGANISATIONS, Level.READ)
    filterset = OrganisationFilterSet(
        request.GET or None, queryset=access.visible_organisations(request.user), request=request
    )
    invalid = filterset.is_bound and not filterset.is_valid()
    queryset = filterset.queryset.none() if invalid else filterset.qs
    page = Paginator(queryset.order_by(az_collate("name"), "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "page": page,
            "filter": filterset,
            "can_write": can(request.user, Data.ORGANISATIONS, Level.WRITE),
        },
        status=BAD_REQUEST if invalid else 200,
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation; administrators also see its accounts."""
    organisation = access.get_organisation_for_user(request.user, pk)
    context: dict[str, Any] = {
        "organisation": organisation,
        "can_write": can(request.user, Data.ORGANISATIONS, Level.WRITE),
        "show_members": can(request.user, Data.ACCOUNTS, Level.READ),
    }
    if context["show_members"]:
        members = with_second_factor(access.visible_users(request.user).filter(organisation=organisation))
        context["members"] = list(members.order_by("username")[:MEMBERS_SHOWN])
        context["member_count"] = members.count()
        context["members_shown"] = MEMBERS_SHOWN
    return render(request, "accounts/organisation_detail.html", context)


@login_required
@GET_POST
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Add an organisation (system administrators)."""
    _require(request, Data.ORGANISATIONS, Level.WRITE)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                organisation = services.create_organisation(form.cleaned_data, actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Organisation added."))
                return redirect("accounts:organisation_detail", pk=organisation.pk)
        return _form_page(request, "accounts/organisation_form.html", {"form": form}, invalid=True)
    return _form_page(request, "accounts/organisation_form.html", {"form": form})


@login_required
@GET_POST
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an organisation's details (system administrators)."""
    organisation = access.get_organisation_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = OrganisationEditForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.update_organisation(
                    organisation, data, actor=request.user, expected_version=form.cleaned_data["version"]
                )
            except ConflictError:
                return _conflict(request, organisation_url(organisation))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Organisation saved."))
                return redirect("accounts:organisation_detail", pk=organisation.pk)
        context = {"form": form, "organisation": organisation}
        return _form_page(request, "accounts/organisation_form.html", context, invalid=True)
    initial = {
        **model_to_dict(organisation, fields=services.ORGANISATION_FIELDS),
        "version": organisation.version,
    }
    form = OrganisationEditForm(initial=initial)
    return _form_page(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )


def _confirm(
    request: HttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    action: Any,
    done_message: str,
    done_url: str,
) -> HttpResponse:
    """A confirmation page (GET) that runs ``action`` on POST; rule errors show on the page with 400."""
    if request.method == "POST":
        try:
            action()
        except ValidationError as error:
            context["errors"] = [m for ms in services.error_messages(error).values() for m in ms]
            return render(request, template, context, status=BAD_REQUEST)
        messages.success(request, done_message)
        return redirect(done_url)
    return render(request, template, context)


@login_required
@GET_POST
def organisation_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate an organisation and its accounts, after confirmation."""
    organisation = access.get_organisation_for_user(request.user, pk, write=True)
    _require(request, Data.ACCOUNTS, Level.WRITE)
    active_members = (
        access.visible_users(request.user).filter(organisation=organisation, is_active=True).count()
    )
    return _confirm(
        request,
        template="accounts/organisation_confirm.html",
        context={"organisation": organisation, "action": "deactivate", "active_members": active_members},
        action=lambda: services.deactivate_organisation(organisation, actor=request.user),
        done_message=_("Organisation deactivated."),
        done_url=organisation_url(organisation),
    )


@login_required
@GET_POST
def organisation_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Reactivate an organisation, after confirmation."""
    organisation = access.get_organisation_for_user(request.user, pk, write=True)
    return _confirm(
        request,
        template="accounts/organisation_confirm.html",
        context={"organisation": organisation, "action": "reactivate"},
        action=lambda: services.reactivate_organisation(organisation, actor=request.user),
        done_message=_("Organisation reactivated."),
        done_url=organisation_url(organisation),
    )


# --- Accounts ------------------------------------------------------------------------


@login_required
@GET_POST
def user_list(request: HttpRequest) -> HttpResponse:
    """Accounts (system administrators): search, filter by organisation, role, scope and state.

    The filter form is sent by POST, so a name searched for never appears in a
    URL (or a server log); plain links with non-personal filters work by GET.
    """
    _require(request, Data.ACCOUNTS, Level.READ)
    data = request.POST if request.method == "POST" else request.GET
    filterset = UserSearchFilterSet(
        data or None,
        queryset=with_second_factor(access.visible_users(request.user)),
        request=request,
    )
    invalid = filterset.is_bound and not filterset.is_valid()
    queryset = filterset.queryset.none() if invalid else filterset.qs
    page = Paginator(queryset.order_by("username", "pk"), PAGE_SIZE).get_page(data.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "filter": filterset,
            "can_write": can(request.user, Data.ACCOUNTS, Level.WRITE),
            "posted": request.method == "POST",
        },
        status=BAD_REQUEST if invalid else 200,
    )


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: role, scope, organisation, second factors and open sessions."""
    account = access.get_user_for_user(request.user, pk)
    kinds = list(Authenticator.objects.filter(user=account).values_list("type", flat=True))
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "has_totp": Authenticator.Type.TOTP in kinds,
            "passkeys": kinds.count(Authenticator.Type.WEBAUTHN),
            "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in kinds,
            "passkey_required": account.role in settings.AZAD_PASSKEY_REQUIRED_ROLES,
            "sessions": account.login_sessions.count(),
            "can_write": can(request.user, Data.ACCOUNTS, Level.WRITE),
            "is_self": account.pk == request.user.pk,
        },
    )


@login_required
@GET_POST
def user_create(request: HttpRequest) -> HttpResponse:
    """Open an account; the password (typed or generated) is shown once."""
    _require(request, Data.ACCOUNTS, Level.WRITE)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "password"}
            try:
                result = services.create_user(
                    data, actor=request.user, password=form.cleaned_data.get("password") or None
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return render(
                    request,
                    "accounts/password_shown.html",
                    {"account": result.user, "password": result.password, "created": True},
                    status=201,
                )
        return _form_page(request, "accounts/user_form.html", {"form": form}, invalid=True)
    return _form_page(request, "accounts/user_form.html", {"form": form})


@login_required
@GET_POST
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an account's names, role, scope, organisation or language."""
    account = access.get_user_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = UserEditForm(request.POST, actor=request.user, account=account)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.update_user(
                    account, data, actor=request.user, expected_version=form.cleaned_data["version"]
                )
            except ConflictError:
                return _conflict(request, user_url(account))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Account saved."))
                return redirect("accounts:user_detail", pk=account.pk)
        return _form_page(
            request, "accounts/user_form.html", {"form": form, "account": account}, invalid=True
        )
    initial = {**model_to_dict(account, fields=services.USER_FIELDS), "version": account.version}
    form = UserEditForm(initial=initial, actor=request.user, account=account)
    return _form_page(request, "accounts/user_form.html", {"form": form, "account": account})


@login_required
@GET_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate an account (its sessions and tokens end at once), after confirmation."""
    account = access.get_user_for_user(request.user, pk, write=True)
    return _confirm(
        request,
        template="accounts/user_confirm.html",
        context={"account": account, "action": "deactivate"},
        action=lambda: services.deactivate_user(account, actor=request.user),
        done_message=_("Account deactivated; its sessions have ended."),
        done_url=user_url(account),
    )


@login_required
@GET_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Reactivate an account, after confirmation."""
    account = access.get_user_for_user(request.user, pk, write=True)
    return _confirm(
        request,
        template="accounts/user_confirm.html",
        context={"account": account, "action": "reactivate"},
        action=lambda: services.reactivate_user(account, actor=request.user),
        done_message=_("Account reactivated."),
        done_url=user_url(account),
    )


@login_required
@GET_POST
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an account's second factors so the person enrols again, after confirmation."""
    account = access.get_user_for_user(request.user, pk, write=True)
    return _confirm(
        request,
        template="accounts/user_confirm.html",
        context={"account": account, "action": "reset_second_factor"},
        action=lambda: services.reset_second_factor(account, actor=request.user),
        done_message=_("Second factor removed; the person sets up a new one at their next sign-in."),
        done_url=user_url(account),
    )


@login_required
@GET_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an account a new password (typed or generated), shown once."""
    account = access.get_user_for_user(request.user, pk, write=True)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.reset_password(
                    account, actor=request.user, password=form.cleaned_data.get("password") or None
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return render(
                    request,
                    "accounts/password_shown.html",
                    {"account": result.user, "password": result.password, "created": False},
                )
        return _form_page(
            request, "accounts/user_password_form.html", {"form": form, "account": account}, invalid=True
        )
    return _form_page(request, "accounts/user_password_form.html", {"form": form, "account": account})


# --- My account ----------------------------------------------------------------------


@login_required
@GET_POST
def my_account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own account: names, language, and links to their security settings."""
    user = request.user
    assert isinstance(user, User)
    kinds = list(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    context: dict[str, Any] = {
        "has_totp": Authenticator.Type.TOTP in kinds,
        "passkeys": kinds.count(Authenticator.Type.WEBAUTHN),
        "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in kinds,
    }
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                updated = services.update_own_profile(
                    user, data, actor=user, expected_version=form.cleaned_data["version"]
                )
            except ConflictError:
                return _conflict(request, reverse("accounts:my_account"))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your account is saved."))
                response = redirect("accounts:my_account")
                # The switcher's cookie outranks the account's preference: keep them in step.
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    updated.language,
                    max_age=365 * 24 * 3600,
                    httponly=True,
                    samesite="Lax",
                    secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
                )
                return response
        return _form_page(request, "accounts/my_account.html", {**context, "form": form}, invalid=True)
    form = ProfileForm(
        initial={**model_to_dict(user, fields=services.PROFILE_FIELDS), "version": user.version}
    )
    return _form_page(request, "accounts/my_account.html", {**context, "form": form})
