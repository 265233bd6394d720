"""Pages for screenings, their counts and the indicator catalogue.

Rows come from :mod:`azad.screening.access` and writes go through
:mod:`azad.screening.services`: not visible -> 404, read-only -> 403, bad
input -> 400 with every problem shown, concurrent edit -> 409. Every page
works without JavaScript; with htmx the result panel follows the answers
while they are ticked.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from azad.accounts.services import error_messages
from azad.audit.services import record_view
from azad.core.locking import ConflictError
from azad.core.permissions import Data, Level, can
from azad.screening import access, explain, loader, rules, services
from azad.screening.choices import DIMENSION_LABELS, Answer, Outcome, Status
from azad.screening.filters import ScreeningFilterSet
from azad.screening.forms import (
    AnswersForm,
    CatalogueUploadForm,
    ReferToAtdForm,
    StartScreeningForm,
    add_service_errors,
)
from azad.screening.models import Indicator, IndicatorList, Screening

PAGE_SIZE = 50
BAD_REQUEST = 400
GET_POST = require_http_methods(["GET", "POST"])


def _conflict(request: HttpRequest, back_url: str) -> HttpResponse:
    return render(
        request,
        "accounts/conflict.html",
        {"message": ConflictError.message, "back_url": back_url},
        status=409,
    )


def screening_url(screening: Screening) -> str:
    return reverse("screening:detail", kwargs={"pk": screening.pk})


# --- Screenings ------------------------------------------------------------------


@login_required
def screening_list(request: HttpRequest) -> HttpResponse:
    """The screenings the person may see (their organisation's, and those referred or shared), filtered."""
    if not can(request.user, Data.SCREENINGS, Level.READ):
        raise PermissionDenied
    filterset = ScreeningFilterSet(
        request.GET or None, queryset=access.visible_screenings(request.user), request=request
    )
    invalid = filterset.is_bound and not filterset.is_valid()
    queryset = filterset.queryset.none() if invalid else filterset.qs
    page = Paginator(queryset.order_by("-started_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/screening_list.html",
        {"page": page, "filter": filterset, "can_screen": access.can_screen(request.user)},
        status=BAD_REQUEST if invalid else 200,
    )


@login_required
@GET_POST
def screening_start(request: HttpRequest) -> HttpResponse:
    """Start a screening: age data and suspected exploitation choose the list; a person is optional."""
    if not access.can_screen(request.user):
        raise PermissionDenied
    initial = {"person": request.GET.get("person") or None}
    form = StartScreeningForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                screening = services.start_screening(
                    actor=request.user,
                    suspected_exploitation=data["suspected_exploitation"],
                    age=data.get("age"),
                    birth_year=data.get("birth_year"),
                    birth_date=data.get("birth_date"),
                    person=data.get("person"),
                    list_key=data.get("list_key") or "",
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Screening started. Answer the indicators, then complete it."))
                return redirect(screening_url(screening))
        return render(request, "screening/screening_start.html", {"form": form}, status=BAD_REQUEST)
    return render(request, "screening/screening_start.html", {"form": form})


def _add_errors(form: Any, error: ValidationError) -> None:
    """Service errors on the form; "list" errors belong to the list field."""
    renamed = ValidationError(
        {("list_key" if name == "list" else name): msgs for name, msgs in error_messages(error).items()}
    )
    add_service_errors(form, renamed)


def _indicators(screening: Screening) -> list[Indicator]:
    return list(screening.indicator_list.indicators.order_by("position"))


def _answers_form(screening: Screening, indicators: list[Indicator], data: Any = None) -> AnswersForm:
    rows = {a.indicator_id: a for a in screening.answers.all()}
    initial: dict[str, Any] = {"version": screening.version}
    for indicator in indicators:
        row = rows.get(indicator.pk)
        if row is not None:
            initial[f"answer:{indicator.code}"] = row.answer
            initial[f"note:{indicator.code}"] = row.note
    return AnswersForm(data, initial=initial, screening=screening, indicators=indicators)


def _detail_context(screening: Screening, *, user: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "screening": screening,
        "indicator_list": screening.indicator_list,
        "can_change": access.can_change(user, screening),
    }
    if screening.status == Status.COMPLETED:
        context["explanation"] = explain.explain(screening.explanation, screening.indicator_list)
        context["htcds"] = screening.htcds_victim_context()
        context["can_refer"] = (
            screening.outcome == Outcome.INDICATIVE
            and screening.referred_to_atd_at is None
            and access.can_change(user, screening)
        )
        if access.can_change(user, screening) and access.can_screen(user):
            # Offer a re-evaluation only when the list has a newer usable version.
            context["newer_list"] = (
                IndicatorList.objects.filter(
                    code=screening.indicator_list.code,
                    version__gt=screening.indicator_list.version,
                    indicators__isnull=False,
                )
                .order_by("-version")
                .first()
            )
    return context


def _answered_rows(screening: Screening) -> list[dict[str, Any]]:
    """The answers given (yes or no, or with a note), grouped for the read-only view."""
    rows = []
    for answer in screening.answers.select_related("indicator").order_by("indicator__position"):
        if answer.answer == Answer.UNKNOWN and not answer.note:
            continue
        rows.append(
            {
                "dimension": answer.indicator.dimension,
                "dimension_label": DIMENSION_LABELS[answer.indicator.dimension],
                "indicator": answer.indicator,
                "text": answer.indicator.text(),
                "answer": answer.get_answer_display(),
                "note": answer.note,
            }
        )
    return rows


@login_required
@GET_POST
def screening_detail(request: HttpRequest, pk: str) -> HttpResponse:
    """One screening: the answer form while it is a draft (save or complete), the result once completed."""
    screening = access.get_screening_for_user(request.user, pk)
    editable = screening.status == Status.DRAFT and access.can_change(request.user, screening)
    if request.method == "POST":
        if not editable:
            screening = access.get_screening_for_user(request.user, pk, write=True)  # 403 if read-only
            messages.error(request, _("This screening can no longer change."))
            return redirect(screening_url(screening))
        return _post_answers(request, screening)
    record_view(request.user, screening, request=request)
    context = _detail_context(screening, user=request.user)
    if editable:
        indicators = _indicators(screening)
        context["form"] = _answers_form(screening, indicators)
        context["panel"] = _panel(screening, screening.answer_map())
    else:
        context["answered"] = _answered_rows(screening)
    return render(request, "screening/screening_detail.html", context)


def _post_answers(request: HttpRequest, screening: Screening) -> HttpResponse:
    indicators = _indicators(screening)
    form = _answers_form(screening, indicators, request.POST)
    completing = "complete" in request.POST
    if form.is_valid():
        try:
            if completing:
                services.complete_screening(
                    screening,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    answers=form.answers(),
                    notes=form.notes(),
                )
            else:
                services.save_answers(
                    screening,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    answers=form.answers(),
                    notes=form.notes(),
                )
        except ConflictError:
            return _conflict(request, screening_url(screening))
        except ValidationError as error:
            for message_list in error_messages(error).values():
                for message in message_list:
                    form.add_error(None, message)
        else:
            if completing:
                messages.success(request, _("Screening completed."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect(screening_url(screening))
    context = _detail_context(screening, user=request.user)
    context["form"] = form
    answers = form.answers() if hasattr(form, "cleaned_data") else screening.answer_map()
    context["panel"] = _panel(screening, answers)
    return render(request, "screening/screening_detail.html", context, status=BAD_REQUEST)


def _panel(screening: Screening, answers: dict[str, str]) -> dict[str, Any]:
    """The provisional result of a draft's answers (nothing is saved)."""
    try:
        evaluation = rules.evaluate(screening.indicator_list.indicator_set(), answers)
    except rules.RuleInputError:
        return {"error": _("Some answers could not be read; save the draft to see which.")}
    answered = any(value in (Answer.YES, Answer.NO) for value in answers.values())
    return {
        "explanation": explain.explain(evaluation.to_dict(), screening.indicator_list),
        "provisional": True,
        "empty": not answered,
    }


@login_required
@require_POST
def screening_preview(request: HttpRequest, pk: str) -> HttpResponse:
    """The result panel for the posted answers, without saving (htmx, while ticking)."""
    screening = access.get_screening_for_user(request.user, pk, write=True)
    answers = {}
    for indicator in _indicators(screening):
        value = request.POST.get(f"answer:{indicator.code}", Answer.UNKNOWN)
        answers[indicator.code] = value if value in Answer.values else Answer.UNKNOWN
    return render(request, "screening/includes/result_panel.html", {"panel": _panel(screening, answers)})


@login_required
@GET_POST
def screening_discard(request: HttpRequest, pk: str) -> HttpResponse:
    """Set a draft aside, after confirmation."""
    screening = access.get_screening_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.discard_screening(
                screening, actor=request.user, expected_version=int(request.POST.get("version", 0) or 0)
            )
        except ConflictError:
            return _conflict(request, screening_url(screening))
        except ValidationError as error:
            errors = [m for ms in error_messages(error).values() for m in ms]
            return render(
                request,
                "screening/screening_discard.html",
                {"screening": screening, "errors": errors},
                status=BAD_REQUEST,
            )
        messages.success(request, _("Draft discarded."))
        return redirect("screening:list")
    return render(request, "screening/screening_discard.html", {"screening": screening})


@login_required
@require_POST
def screening_rescreen(request: HttpRequest, pk: str) -> HttpResponse:
    """Start a new draft re-evaluating a completed screening with the current list version."""
    screening = access.get_screening_for_user(request.user, pk, write=True)
    try:
        new = services.rescreen(screening, actor=request.user)
    except ValidationError as error:
        for message_list in error_messages(error).values():
            for message in message_list:
                messages.error(request, message)
        return redirect(screening_url(screening))
    messages.success(
        request, _("A new screening was started with the current list; the earlier result is kept.")
    )
    return redirect(screening_url(new))


@login_required
@require_http_methods(["GET", "POST"])
def screening_refer(request: HttpRequest, pk: str) -> HttpResponse:
    """Refer the person of an indicative screening to ATD: opens the case and starts the 24-hour clock."""
    screening = access.get_screening_for_user(request.user, pk, write=True)
    form = ReferToAtdForm(request.POST or None, initial={"version": screening.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.refer_screening_to_atd(
                    screening,
                    actor=request.user,
                    expected_version=data["version"],
                    consent=data["consent"],
                    representative_name=data["representative_name"],
                    legal_ground=data["legal_ground"],
                    first_contact_at=data["first_contact_at"],
                    channel=data["channel"],
                )
            except ConflictError:
                return _conflict(request, screening_url(screening))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The case was opened and referred to the police ATD."))
                return redirect("cases:case_detail", pk=case.pk)
        status = BAD_REQUEST
    return render(
        request, "screening/screening_refer.html", {"screening": screening, "form": form}, status=status
    )


# --- Counts ----------------------------------------------------------------------


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Completed screenings by list, result and month; small counts suppressed for aggregate-only readers."""
    rows = access.screening_counts(request.user)  # PermissionDenied for others
    labels = dict(Outcome.choices)
    totals: dict[str, int] = {}
    for row in rows:
        if row.count is not None:
            totals[row.outcome] = totals.get(row.outcome, 0) + row.count
    return render(
        request,
        "screening/statistics.html",
        {
            "rows": [{"row": row, "outcome_label": labels.get(row.outcome, row.outcome)} for row in rows],
            "suppressed": access.suppresses_small_counts(request.user),
            "threshold": access.SMALL_COUNT_THRESHOLD,
        },
    )


# --- Catalogue ---------------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The indicator lists, their versions, verification notes and how many screenings used each."""
    if not access.can_read_catalogue(request.user):
        raise PermissionDenied
    lists = list(
        access.visible_indicator_lists(request.user)
        .annotate(indicator_count=Count("indicators"))
        .order_by("code", "-version")
    )
    usage = access.screenings_per_list(request.user)
    rows = [{"list": item, "used": usage.get(item.pk, 0)} for item in lists]
    return render(
        request,
        "screening/catalogue.html",
        {
            "rows": rows,
            "can_manage": access.can_manage_catalogue(request.user),
            "threshold": access.SMALL_COUNT_THRESHOLD,
        },
    )


@login_required
def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One list version: its indicators by dimension, with grades and HTCDS mappings."""
    indicator_list = access.get_indicator_list_for_user(request.user, pk)
    groups: dict[int, list[Indicator]] = {}
    for indicator in indicator_list.indicators.order_by("position"):
        groups.setdefault(indicator.dimension, []).append(indicator)
    return render(
        request,
        "screening/catalogue_detail.html",
        {
            "indicator_list": indicator_list,
            "groups": [
                {"number": n, "label": DIMENSION_LABELS[n], "indicators": groups[n]} for n in sorted(groups)
            ],
        },
    )


@login_required
@GET_POST
def catalogue_upload(request: HttpRequest) -> HttpResponse:
    """Load a list file (system administrators): all or nothing, every problem listed."""
    if not access.can_manage_catalogue(request.user):
        raise PermissionDenied
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        problems: list[str] = []
        if form.is_valid():
            try:
                indicator_list, created = services.load_indicator_list(
                    form.cleaned_data["file"].read(), actor=request.user
                )
            except loader.CatalogueError as error:
                problems = error.problems
            else:
                if created:
                    messages.success(
                        request, _("Loaded %(key)s with its indicators.") % {"key": indicator_list.key}
                    )
                else:
                    messages.info(
                        request,
                        _("%(key)s was already loaded with exactly this content; nothing changed.")
                        % {"key": indicator_list.key},
                    )
                return redirect("screening:catalogue_detail", pk=indicator_list.pk)
        return render(
            request,
            "screening/catalogue_upload.html",
            {"form": form, "problems": problems},
            status=BAD_REQUEST,
        )
    return render(request, "screening/catalogue_upload.html", {"form": form, "problems": []})
