"""Pages of the hotline: intake, calls, call-backs, ATD's alerts, knowledge base, dashboard.

Rows come from :mod:`azad.hotline.access`, writes go through
:mod:`azad.hotline.services`. Every page works without JavaScript. Not
visible -> 404, not allowed -> 403, bad input -> 400 with the form's errors
(nothing written), stale form -> 409.
"""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from azad.accounts.forms import add_service_errors
from azad.audit.services import record_denied, record_export, record_view
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.hotline import access, dashboard, services
from azad.hotline.choices import Action, CallbackStatus
from azad.hotline.forms import (
    ArticleForm,
    CallbackForm,
    CallEditForm,
    HandOverForm,
    IntakeForm,
    LinkCaseForm,
    PeriodForm,
)
from azad.hotline.models import KnowledgeArticle
from azad.persons.views import conflict_page

PAGE_SIZE = 50
BAD_REQUEST = 400
NOT_FOUND = 404
LINKABLE_SUGGESTIONS = 50
DEFAULT_DAYS = 90


def _language(request: HttpRequest) -> str:
    code = (translation.get_language() or "az")[:2]
    return code if code in {"az", "en", "ru"} else "az"


def _articles(request: HttpRequest) -> list[dict[str, str]]:
    """The knowledge base in the reader's language (falling back to Azerbaijani)."""
    language = _language(request)
    query = request.GET.get("q", "").strip()
    articles = access.visible_articles(request.user)
    if query:
        articles = articles.filter(
            Q(title_az__icontains=query)
            | Q(title_en__icontains=query)
            | Q(title_ru__icontains=query)
            | Q(body_az__icontains=query)
            | Q(body_en__icontains=query)
            | Q(body_ru__icontains=query)
        )
    return [
        {
            "pk": str(a.pk),
            "kind": a.get_kind_display(),
            "topic": a.get_topic_display(),
            "title": a.title_in(language),
            "body": a.body_in(language),
        }
        for a in articles
    ]


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """The keyboard-first intake screen; the start time is taken when the form opens."""
    if not access.is_hotline_member(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["ended_at"] = data["ended_at"] or timezone.now()
            try:
                call, created = services.record_call(actor=request.user, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if created:
                    messages.success(request, _("Call %(ref)s recorded.") % {"ref": call.reference})
                else:
                    messages.info(request, _("This call was already recorded; nothing was added."))
                return redirect("hotline:call_detail", pk=call.pk)
        status = BAD_REQUEST
    else:
        form = IntakeForm(initial={"idempotency_key": uuid.uuid4(), "started_at": timezone.now().isoformat()})
        status = 200
    return render(
        request, "hotline/intake.html", {"form": form, "articles": _articles(request)}, status=status
    )


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    """The calls the person may see: when, why, how urgent, what was done. No caller identity."""
    queryset = access.visible_calls(request.user)
    if not (access.is_hotline_member(request.user) or access.is_atd_member(request.user)):
        raise PermissionDenied
    page = Paginator(queryset.order_by("-started_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hotline/call_list.html", {"page": page})


@login_required
def call_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """One call with its summary, consented caller details, call-backs, alerts and cases (recorded as a view)."""
    call = access.get_call_for_user(request.user, pk)
    record_view(request.user, call, request=request)
    may_hand_over = access.may_hand_over(request.user, call)
    context = {
        "call": call,
        "callbacks": call.callbacks.select_related("done_by").order_by("due_at"),
        "alerts": call.alerts.select_related("organisation", "acknowledged_by"),
        "cases": access.visible_linked_cases(request.user, call),
        "action_labels": [Action(a).label for a in call.actions],
        "may_change": access.may_change_call(request.user, call),
        "may_hand_over": may_hand_over,
        "callback_form": CallbackForm(),
        "handover_form": _hand_over_form(request) if may_hand_over and not call.opened_case_id else None,
        "link_form": LinkCaseForm() if may_hand_over else None,
        "linkable_cases": _linkable_cases(request, call) if may_hand_over else [],
    }
    return render(request, "hotline/call_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Correct a call the person's line took (409 if somebody saved it meanwhile)."""
    call = access.get_call_for_user(request.user, pk, write=True)
    initial = {name: getattr(call, name) for name in services.CALL_FIELDS}
    initial["ended_at"] = timezone.localtime(call.ended_at)
    initial["version"] = call.version
    form = CallEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.update_call(call, actor=request.user, expected_version=version, **data)
            except ConflictError:
                return conflict_page(request, reverse("hotline:call_detail", args=[call.pk]))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Call saved."))
                return redirect("hotline:call_detail", pk=call.pk)
        status = BAD_REQUEST
    else:
        status = 200
    return render(
        request,
        "hotline/action.html",
        {"call": call, "form": form, "title": _("Correct the call")},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def callback_agree(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Agree a call-back for a call."""
    call = access.get_call_for_user(request.user, pk, write=True)
    form = CallbackForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.agree_callback(call, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Call-back agreed."))
                return redirect("hotline:call_detail", pk=call.pk)
        status = BAD_REQUEST
    else:
        status = 200
    return render(
        request,
        "hotline/action.html",
        {"call": call, "form": form, "title": _("Agree a call-back")},
        status=status,
    )


def _hand_over_form(request: HttpRequest, data: Any = None) -> HandOverForm:
    from azad.cases.access import may_record_legal_ground

    return HandOverForm(data, may_record_legal_ground=may_record_legal_ground(request.user))


def _linkable_cases(request: HttpRequest, call: Any) -> list[Any]:
    """Open cases the person sees and the call is not linked to yet, newest first (the form's suggestions)."""
    from azad.cases.access import visible_cases
    from azad.cases.choices import END_STAGES

    cases = visible_cases(request.user).exclude(hotline_calls=call).exclude(stage__in=END_STAGES)
    return list(cases.order_by("-first_contact_at", "pk")[:LINKABLE_SUGGESTIONS])


HAND_OVER_INTRO = gettext_lazy(
    "One action: a presumed victim's case is opened for your organisation (first contact: the call's "
    "start, channel: hotline), the consent given on the call is recorded, the case is referred to the "
    "police ATD — which must receive it within 24 hours of the call's start — and the call is linked to it."
)


@login_required
@require_http_methods(["GET", "POST"])
def hand_over(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Open a presumed-victim case from the call and refer it to ATD, in one action."""
    call = access.get_call_for_user(request.user, pk)
    if not access.may_hand_over(request.user, call):
        raise PermissionDenied
    form = _hand_over_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                case, created = services.hand_over_to_atd(call, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if created:
                    messages.success(
                        request,
                        _("Case %(ref)s opened and referred to the police ATD; the call is linked to it.")
                        % {"ref": case.reference},
                    )
                else:
                    messages.info(
                        request,
                        _("This call was already handed over to case %(ref)s; nothing was added.")
                        % {"ref": case.reference},
                    )
                return redirect("hotline:call_detail", pk=call.pk)
        status = BAD_REQUEST
    else:
        status = 200
    return render(
        request,
        "hotline/action.html",
        {
            "call": call,
            "form": form,
            "title": _("Open a case and refer to ATD"),
            "intro": HAND_OVER_INTRO,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_case(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Link the call to an existing case the person sees (404 with a message for any other case)."""
    call = access.get_call_for_user(request.user, pk)
    if not access.may_hand_over(request.user, call):
        raise PermissionDenied
    form = LinkCaseForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = BAD_REQUEST
        if form.is_valid():
            try:
                case = services.link_call_to_case(
                    call, actor=request.user, case_id=form.cleaned_data["case_id"]
                )
            except NotVisible as error:
                record_denied(request, status=NOT_FOUND, reason="not_visible")
                form.add_error("case_id", str(error.args[0]) if error.args else str(access.CASE_NOT_VISIBLE))
                status = NOT_FOUND
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The call is linked to case %(ref)s.") % {"ref": case.reference})
                return redirect("hotline:call_detail", pk=call.pk)
    return render(
        request,
        "hotline/action.html",
        {
            "call": call,
            "form": form,
            "title": _("Link to an existing case"),
            "linkable_cases": _linkable_cases(request, call),
        },
        status=status,
    )


@login_required
def callback_list(request: HttpRequest) -> HttpResponse:
    """Agreed call-backs, due first, until done."""
    if not access.is_hotline_member(request.user):
        raise PermissionDenied
    callbacks = (
        access.visible_callbacks(request.user).filter(status=CallbackStatus.AGREED).order_by("due_at", "pk")
    )
    page = Paginator(callbacks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hotline/callback_list.html", {"page": page, "now": timezone.now()})


@login_required
@require_POST
def callback_complete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Mark a call-back done (or missed, with ``missed=1``)."""
    callback = access.get_callback_for_user(request.user, pk)
    try:
        services.complete_callback(
            callback,
            actor=request.user,
            expected_version=int(request.POST.get("version", "0") or 0),
            missed=request.POST.get("missed") == "1",
        )
    except ConflictError:
        return conflict_page(request, reverse("hotline:callback_list"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("hotline:callback_list")
    messages.success(request, _("Call-back closed."))
    return redirect("hotline:callback_list")


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """ATD's duty list: immediate-danger alerts, unacknowledged first."""
    if not (access.is_atd_member(request.user) or access.is_hotline_member(request.user)):
        raise PermissionDenied
    alerts = access.visible_alerts(request.user).order_by("acknowledged_at", "-created_at")
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "hotline/alert_list.html", {"page": page, "is_atd": access.is_atd_member(request.user)}
    )


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """An ATD duty officer takes an alert."""
    alert = access.get_alert_for_user(request.user, pk, write=True)
    try:
        services.acknowledge_alert(alert, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alert acknowledged."))
    return redirect("hotline:alert_list")


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    """The knowledge base (searchable), with edit links for the supervisor."""
    if not access.is_hotline_member(request.user):
        raise PermissionDenied
    context = {
        "articles": _articles(request),
        "query": request.GET.get("q", ""),
        "may_edit": access.is_hotline_supervisor(request.user),
    }
    return render(request, "hotline/article_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or change an article (the hotline supervisor)."""
    article: KnowledgeArticle | None = None
    if pk is not None:
        article = access.get_article_for_user(request.user, pk, write=True)
    elif not access.is_hotline_supervisor(request.user):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if article is not None:
        initial = {name: getattr(article, name) for name in services.ARTICLE_FIELDS}
        initial["version"] = article.version
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.save_article(actor=request.user, article=article, expected_version=version, **data)
            except ConflictError:
                return conflict_page(request, reverse("hotline:article_list"))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Article saved."))
                return redirect("hotline:article_list")
        status = BAD_REQUEST
    else:
        status = 200
    return render(request, "hotline/article_edit.html", {"form": form, "article": article}, status=status)


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.date, dt.date, str]:
    form = PeriodForm(request.GET or None)
    today = timezone.localdate(timezone=dashboard.BAKU)
    start, end, grain = today - dt.timedelta(days=DEFAULT_DAYS - 1), today, "day"
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        grain = form.cleaned_data["grain"] or grain
    if end < start:
        start, end = end, start
    return form, start, end, grain


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Charts and tables of the calls in a period (aggregates only)."""
    if not access.may_see_dashboard(request.user):
        raise PermissionDenied
    form, start, end, grain = _period(request)
    figures = dashboard.compute(
        access.dashboard_calls(request.user),
        start=start,
        end=end,
        grain=grain,
        suppress=access.suppresses_small_counts(request.user),
    )
    for table in figures.tables:
        table.chart = dashboard.render_chart(table)
    context = {
        "form": form,
        "figures": figures,
        "start": start,
        "end": end,
        "threshold": dashboard.SUPPRESS_BELOW,
        "query": request.GET.urlencode(),
    }
    return render(request, "hotline/dashboard.html", context)


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """The dashboard's figures as CSV (aggregates only; recorded as an export)."""
    if not access.may_see_dashboard(request.user):
        raise PermissionDenied
    _form, start, end, grain = _period(request)
    figures = dashboard.compute(
        access.dashboard_calls(request.user),
        start=start,
        end=end,
        grain=grain,
        suppress=access.suppresses_small_counts(request.user),
    )
    rows = dashboard.csv_rows(figures)
    record_export(
        request.user,
        kind="hotline_dashboard.csv",
        count=len(rows) - 1,
        request=request,
        filters={"start": start.isoformat(), "end": end.isoformat(), "grain": grain},
        public=("start", "end", "grain"),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="hotline-{start.isoformat()}-{end.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerows(rows)
    return response
