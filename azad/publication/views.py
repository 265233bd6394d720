"""Pages of publication: the public k-anonymous dataset and case-level export requests.

Not allowed -> 403; a request one may not see -> 404; bad input -> 400 with the
form's errors (nothing written or exported). The public dataset is built in the
request (the generator's 1M rows take seconds; ``azad export_ctdc`` shows
progress for larger runs).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from azad.accounts.forms import add_service_errors
from azad.publication import access, services
from azad.publication.choices import RequestStatus
from azad.publication.forms import DownloadForm, ExportRequestForm, PublicDatasetForm, RefuseForm
from azad.publication.models import ExportRequest

PAGE_SIZE = 50
BAD_REQUEST = 400


def _dataset_form(request: HttpRequest) -> PublicDatasetForm:
    if "k" in request.GET:
        return PublicDatasetForm(request.GET)
    return PublicDatasetForm(initial=PublicDatasetForm.initial_values())


@login_required
def public_dataset(request: HttpRequest) -> HttpResponse:
    """Choose the parameters and preview what would be generalised and suppressed."""
    if not access.may_publish(request.user):
        raise PermissionDenied
    form = _dataset_form(request)
    context: dict[str, Any] = {"form": form}
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = services.build_public_dataset(actor=request.user, **form.parameters())
            context["report"] = data.report
            context["levels"] = [
                {**vars(g), "label": services.level_label(g.level_name)} for g in data.report.generalisation
            ]
            context["query"] = request.GET.urlencode()
        else:
            status = BAD_REQUEST
    return render(request, "publication/public_dataset.html", context, status=status)


def _public_download(request: HttpRequest, kind: str) -> HttpResponse:
    if not access.may_publish(request.user):
        raise PermissionDenied
    form = PublicDatasetForm(request.GET)
    if not form.is_valid():
        return render(request, "publication/public_dataset.html", {"form": form}, status=BAD_REQUEST)
    parameters = form.parameters()
    data = services.build_public_dataset(actor=request.user, **parameters)
    services.record_public_export(data, actor=request.user, request=request, kind=f"ctdc_dataset.{kind}")
    if kind == "xlsx":
        content = services.public_dataset_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, content_type = services.public_dataset_csv(data), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    name = f"ctdc-k{parameters['k']}-{parameters['year_from']}-{parameters['year_to']}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def public_dataset_csv(request: HttpRequest) -> HttpResponse:
    """The k-anonymous dataset as CSV (recorded as an export)."""
    return _public_download(request, "csv")


@login_required
def public_dataset_xlsx(request: HttpRequest) -> HttpResponse:
    """The k-anonymous dataset as XLSX (recorded as an export)."""
    return _public_download(request, "xlsx")


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """Case-level export requests: one's own, or all for an approver."""
    if not access.may_use_exports(request.user):
        raise PermissionDenied
    requests = access.visible_requests(request.user).order_by("-requested_at", "pk")
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "publication/request_list.html",
        {"page": page, "may_request": access.may_request_export(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    """Ask for a case-level export (another person approves it)."""
    if not access.may_request_export(request.user):
        raise PermissionDenied
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.create_export_request(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Request recorded. A second person must approve it."))
            return redirect("publication:request_detail", pk=export.pk)
    status = BAD_REQUEST if form.is_bound else 200
    return render(request, "publication/request_form.html", {"form": form}, status=status)


def _detail(request: HttpRequest, export: ExportRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    own = export.requested_by_id == user.pk
    pending = export.status == RequestStatus.PENDING
    return {
        "export": export,
        "own": own,
        "may_decide": pending and access.may_approve_export(user) and not own,
        "may_download": own and export.may_be_downloaded,
        "refuse_form": extra.pop("refuse_form", RefuseForm()),
        "download_form": extra.pop("download_form", DownloadForm()),
        **extra,
    }


@login_required
def request_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """One request: its criteria and count (never a row), its decision, approve/refuse or download."""
    export = access.get_request_for_user(request.user, pk)
    return render(request, "publication/request_detail.html", _detail(request, export))


@login_required
@require_POST
def request_approve(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    export = access.get_request_for_user(request.user, pk)
    try:
        services.approve_export_request(export, actor=request.user, request=request)
    except ValidationError as error:
        context = _detail(request, export, error=" ".join(error.messages))
        return render(request, "publication/request_detail.html", context, status=BAD_REQUEST)
    messages.success(request, _("Export approved."))
    return redirect("publication:request_detail", pk=export.pk)


@login_required
@require_POST
def request_refuse(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    export = access.get_request_for_user(request.user, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.refuse_export_request(
                export, actor=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            context = _detail(request, export, error=" ".join(error.messages), refuse_form=form)
            return render(request, "publication/request_detail.html", context, status=BAD_REQUEST)
        messages.success(request, _("Export refused."))
        return redirect("publication:request_detail", pk=export.pk)
    context = _detail(request, export, refuse_form=form)
    return render(request, "publication/request_detail.html", context, status=BAD_REQUEST)


@login_required
@require_POST
def request_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The approved export as a password-protected ZIP, once."""
    export = access.get_request_for_user(request.user, pk)
    if export.requested_by_id != request.user.pk:
        raise PermissionDenied
    form = DownloadForm(request.POST)
    if form.is_valid():
        try:
            archive, _count = services.download_export(
                export, actor=request.user, password=form.cleaned_data["password"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = HttpResponse(archive, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="htcds-cases-{export.reference}.zip"'
            return response
    context = _detail(
        request, export, download_form=form, error=" ".join(str(e) for e in form.non_field_errors())
    )
    return render(request, "publication/request_detail.html", context, status=BAD_REQUEST)
