"""Pages of publication: the public k-anonymous dataset and case-level export requests.

Not allowed -> 403; a request or build one may not see -> 404; bad input -> 400
with the form's errors (nothing written or exported). The public dataset is
built outside the request (:mod:`azad.publication.generation`): the form queues
a build and its page shows the progress, then the report and the downloads.
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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from azad.accounts.forms import add_service_errors
from azad.core.exceptions import NotVisible
from azad.publication import access, generation, services
from azad.publication.choices import RequestStatus, RunStatus
from azad.publication.forms import DownloadForm, ExportRequestForm, PublicDatasetForm, RefuseForm
from azad.publication.models import DatasetRun, ExportRequest

PAGE_SIZE = 50
RUN_PAGE_SIZE = 25
BAD_REQUEST = 400
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dataset_context(request: HttpRequest, form: PublicDatasetForm) -> dict[str, Any]:
    runs = access.visible_runs(request.user).defer("report").order_by("-created_at", "id")
    return {"form": form, "page": Paginator(runs, RUN_PAGE_SIZE).get_page(request.GET.get("page"))}


@login_required
@require_GET
def public_dataset(request: HttpRequest) -> HttpResponse:
    """Choose the parameters of a build of the public dataset; the builds made so far."""
    if not access.may_publish(request.user):
        raise PermissionDenied
    form = PublicDatasetForm(initial=PublicDatasetForm.initial_values())
    return render(request, "publication/public_dataset.html", _dataset_context(request, form))


@login_required
@require_POST
def dataset_build(request: HttpRequest) -> HttpResponse:
    """Queue a build and go to its progress page (the work runs outside this request)."""
    if not access.may_publish(request.user):
        raise PermissionDenied
    form = PublicDatasetForm(request.POST)
    if form.is_valid():
        try:
            run, created = services.start_public_dataset(
                actor=request.user, request=request, **form.parameters()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                generation.launch(run)
            else:
                messages.info(request, _("This dataset is already being built; here is its progress."))
            return redirect("publication:dataset_run", pk=run.pk)
    context = _dataset_context(request, form)
    return render(request, "publication/public_dataset.html", context, status=BAD_REQUEST)


def _run_context(run: DatasetRun) -> dict[str, Any]:
    done = run.status == RunStatus.DONE and run.report is not None
    report = dict(run.report or {}) if done else {}
    return {
        "run": run,
        "stale": services.is_stale(run),
        "done": done,
        "has_xlsx": done and DatasetRun.objects.filter(pk=run.pk, xlsx__isnull=False).exists(),
        "report": report,
        "levels": [
            {**level, "label": services.level_label(level["level_name"])}
            for level in report.get("generalisation", [])
        ],
    }


@login_required
@require_GET
def dataset_run(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A build's progress (polled with htmx while it runs), then its report and the downloads."""
    if not access.may_publish(request.user):
        raise PermissionDenied
    run = access.get_run_for_user(request.user, pk)
    template = (
        "publication/_dataset_run_progress.html"
        if request.headers.get("HX-Request")
        else "publication/dataset_run.html"
    )
    return render(request, template, _run_context(run))


def _finished_run(request: HttpRequest, pk: uuid.UUID) -> DatasetRun:
    if not access.may_publish(request.user):
        raise PermissionDenied
    run = access.get_run_for_user(request.user, pk, with_files=True)
    if run.status != RunStatus.DONE or run.csv is None:
        raise NotVisible
    return run


def _attachment(content: bytes, content_type: str, run: DatasetRun, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"ctdc-k{run.k}-{run.year_from}-{run.year_to}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def dataset_run_csv(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A finished build as CSV (recorded as an export)."""
    run = _finished_run(request, pk)
    services.record_run_download(run, actor=request.user, request=request, kind="ctdc_dataset.csv")
    return _attachment(bytes(run.csv or b""), "text/csv; charset=utf-8", run, "csv")


@login_required
@require_GET
def dataset_run_xlsx(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A finished build as XLSX (recorded as an export); 404 when it had too many rows for a worksheet."""
    run = _finished_run(request, pk)
    if run.xlsx is None:
        raise NotVisible
    services.record_run_download(run, actor=request.user, request=request, kind="ctdc_dataset.xlsx")
    return _attachment(bytes(run.xlsx), XLSX_TYPE, run, "xlsx")


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
