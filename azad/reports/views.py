"""Pages of the annual report: generate, follow the progress, read, download, write the narrative.

Runs come from :mod:`azad.reports.access`, writes go through
:mod:`azad.reports.services`. Not allowed -> 403, unknown run -> 404, bad
input -> 400 with the form's errors (nothing written), stale narrative -> 409.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from azad.accounts.forms import add_service_errors
from azad.audit.services import record_export
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.persons.views import conflict_page
from azad.reports import access, document, generation, services
from azad.reports.choices import ReportLanguage, RunStatus
from azad.reports.forms import GenerateForm, NarrativeForm
from azad.reports.models import ReportRun

PAGE_SIZE = 25
BAD_REQUEST = 400


def _index_context(request: HttpRequest, form: GenerateForm) -> dict[str, object]:
    runs = access.visible_runs(request.user).order_by("-created_at", "id")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    year = services.current_year() - 1
    return {
        "form": form,
        "page": page,
        "may_generate": access.may_generate_report(request.user),
        "may_edit": access.may_edit_narrative(request.user),
        "narrative_year": year,
        "languages": ReportLanguage.choices,
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Produce a report (year and language) and the list of reports produced."""
    if not access.may_read_reports(request.user):
        raise PermissionDenied
    form = GenerateForm(initial={"year": services.current_year() - 1, "language": ReportLanguage.AZ})
    return render(request, "reports/index.html", _index_context(request, form))


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    """Queue a generation and go to its progress page (the work runs outside this request)."""
    if not access.may_generate_report(request.user):
        raise PermissionDenied
    form = GenerateForm(request.POST)
    if form.is_valid():
        try:
            run, created = services.start_report(
                form.cleaned_data["year"], form.cleaned_data["language"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                generation.launch(run)
            else:
                messages.info(request, _("This report is already being produced; here is its progress."))
            return redirect("reports:run_detail", pk=run.pk)
    return render(request, "reports/index.html", _index_context(request, form), status=BAD_REQUEST)


def _run_context(run: ReportRun) -> dict[str, object]:
    return {"run": run, "stale": services.is_stale(run), "done": run.status == RunStatus.DONE}


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A run's progress (polled with htmx while it runs), then the links to the page and the PDF."""
    if not access.may_read_reports(request.user):
        raise PermissionDenied
    run = access.get_run_for_user(request.user, pk)
    template = (
        "reports/_run_progress.html" if request.headers.get("HX-Request") else "reports/run_detail.html"
    )
    return render(request, template, _run_context(run))


def _done_run(request: HttpRequest, pk: uuid.UUID) -> ReportRun:
    if not access.may_read_reports(request.user):
        raise PermissionDenied
    run = access.get_run_for_user(request.user, pk, with_document=True)
    if run.status != RunStatus.DONE or run.content is None:
        raise NotVisible
    return run


@login_required
@require_GET
def run_report(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The report as a web page (the same content and template as the PDF)."""
    run = _done_run(request, pk)
    context = {"run": run, **document.context(dict(run.content or {}))}
    return render(request, "reports/report_page.html", context)


@login_required
@require_GET
def run_pdf(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The report's PDF (an export: recorded in the audit trail)."""
    run = _done_run(request, pk)
    record_export(
        request.user,
        kind="annual_report.pdf",
        count=1,
        request=request,
        filters={"year": run.year, "language": run.language},
        public=["year", "language"],
    )
    response = HttpResponse(bytes(run.pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{run.year}-{run.language}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def narrative_edit(request: HttpRequest, year: int, language: str) -> HttpResponse:
    """The National Coordinator writes the narrative of a year's report in one language."""
    if not access.may_edit_narrative(request.user):
        raise PermissionDenied
    try:
        year, language = services.clean_year(year), services.clean_language(language)
    except ValidationError:
        raise NotVisible from None
    narrative = services.narrative_for(year, language)
    form = NarrativeForm(request.POST or None, initial={"text": narrative.text, "version": narrative.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_narrative(
                    year,
                    language,
                    form.cleaned_data["text"],
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError:
                return conflict_page(request, request.path)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The narrative was saved."))
                return redirect(reverse("reports:index"))
        status = BAD_REQUEST
    context = {
        "form": form,
        "year": year,
        "language": language,
        "language_label": ReportLanguage(language).label,
        "languages": ReportLanguage.choices,
        "previous_year": year - 1 if year > services.FIRST_YEAR else None,
        "next_year": year + 1 if year < services.current_year() else None,
    }
    return render(request, "reports/narrative_edit.html", context, status=status)
