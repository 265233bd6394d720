"""Pages of increment 2: shelter placements and occupancy, assistance, payments, sealing, history, comments.

Same anatomy as :mod:`azad.cases.views`: rows from :mod:`azad.cases.access`,
writes through :mod:`azad.cases.services`, a form page that works without
JavaScript and loads into the case page's action panel with htmx. Not
visible -> 404, not allowed -> 403, bad input -> 400, stale -> 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from azad.accounts.forms import add_service_errors
from azad.accounts.models import User
from azad.cases import access, services
from azad.cases.access import PAYMENT_APPROVER_ROLES, CaseRights
from azad.cases.forms import (
    CommentForm,
    ConfirmForm,
    EndPlacementForm,
    HistoricEventForm,
    PaymentForm,
    PlacementForm,
    PlanForm,
    PlanItemForm,
    RiskForm,
    SealForm,
    ServiceForm,
    ServiceOutcomeForm,
)
from azad.cases.models import AssistancePlan, Case, Sealing, ServiceDelivery
from azad.cases.occupancy import WINDOW_DAYS, daily_occupancy, occupied_today, render_chart
from azad.cases.views import BAD_REQUEST, GET_POST, PAGE_SIZE, _case_action, case_url
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.persons.views import conflict_page


def _write(r: CaseRights) -> bool:
    return r.write


def _form_page(
    request: HttpRequest, case: Case, form: Any, run: Any, *, title: Any, done: Any, danger: bool = False
) -> HttpResponse:
    """The action form for a record on ``case`` (not the case itself): 400 bad input, 409 stale."""
    if request.method == "POST":
        if form.is_valid():
            try:
                run(form.cleaned_data)
            except ConflictError:
                return conflict_page(request, case_url(case))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, str(done))
                return redirect(case_url(case))
        status = BAD_REQUEST
    else:
        status = 200
    context = {"case": case, "form": form, "title": title, "intro": "", "danger": danger}
    return render(request, "cases/case_action.html", context, status=status)


# --- Placements --------------------------------------------------------------------------------------


@login_required
@GET_POST
def placement_create(request: HttpRequest, pk: Any) -> HttpResponse:
    """Place the person in the reader's shelter (shelter staff on a case they see)."""
    user = request.user
    shelters = access.shelters_placing(user)
    if not shelters.exists():
        access.get_case_for_user(user, pk)
        raise PermissionDenied
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Place in the shelter"),
        rule=lambda r: True,  # the case is visible (through the shelter's referral) and the shelter is theirs
        make_form=lambda case, data: PlacementForm(
            data, shelters=shelters, initial={"start_on": timezone.localdate()}
        ),
        run=lambda case, d: services.place_in_shelter(
            case, actor=user, shelter=d["shelter"], start_on=d["start_on"], reason=d["reason"]
        ),
        done=gettext_lazy("Placement recorded."),
    )


@login_required
@GET_POST
def placement_end(request: HttpRequest, pk: Any) -> HttpResponse:
    """Record the day the person left (the shelter's staff; the case need not be open to them any more)."""
    placement = access.get_placement_for_user(request.user, pk, write=True)
    form = EndPlacementForm(
        request.POST if request.method == "POST" else None,
        initial={"version": placement.version, "end_on": timezone.localdate()},
    )
    return _form_page(
        request,
        placement.case,
        form,
        lambda d: services.end_placement(
            placement, actor=request.user, expected_version=d["version"], end_on=d["end_on"]
        ),
        title=gettext_lazy("End the placement"),
        done=gettext_lazy("Placement ended."),
    )


@login_required
def shelter_list(request: HttpRequest) -> HttpResponse:
    """Shelters the reader may see, with beds taken today (counts only; two queries)."""
    if not access.may_see_shelters(request.user):
        raise PermissionDenied
    page = Paginator(
        access.visible_shelters(request.user).order_by("organisation__name", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    taken = occupied_today(page.object_list)
    rows = [
        {"shelter": s, "taken": taken.get(s.pk, 0), "free": max(s.beds - taken.get(s.pk, 0), 0)}
        for s in page.object_list
    ]
    return render(request, "cases/shelter_list.html", {"page": page, "rows": rows})


@login_required
def shelter_occupancy(request: HttpRequest, pk: Any) -> HttpResponse:
    """One shelter's daily occupancy over the last 90 days: a chart and the table beside it (no names)."""
    shelter = access.get_shelter_for_user(request.user, pk)
    end = timezone.localdate()
    series = daily_occupancy(shelter, end - dt.timedelta(days=WINDOW_DAYS - 1), end)
    today = series[-1][1]
    return render(
        request,
        "cases/shelter_occupancy.html",
        {
            "shelter": shelter,
            "series": list(reversed(series)),
            "chart": render_chart(series, shelter.beds),
            "today": today,
            "free": max(shelter.beds - today, 0),
            "days": WINDOW_DAYS,
        },
    )


# --- Assistance --------------------------------------------------------------------------------------


@login_required
@GET_POST
def plan_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Open the assistance plan"),
        intro=gettext_lazy("Opening the plan does not change the case's stage."),
        rule=_write,
        make_form=lambda case, data: PlanForm(data),
        run=lambda case, d: services.open_plan(
            case,
            actor=request.user,
            objectives=d["objectives"],
            responsible_organisation=d["responsible_organisation"],
            opened_on=d["opened_on"],
            planned_end_on=d["planned_end_on"],
        ),
        done=gettext_lazy("Assistance plan opened."),
    )


@login_required
@GET_POST
def plan_item_create(request: HttpRequest, pk: Any, plan_pk: Any) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    if not access.case_rights(request.user, case).write:
        raise PermissionDenied
    try:
        plan = case.assistance_plans.get(pk=plan_pk)
    except (AssistancePlan.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    form = PlanItemForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        case,
        form,
        lambda d: services.add_plan_item(plan, actor=request.user, **d),
        title=gettext_lazy("Add to the plan"),
        done=gettext_lazy("Plan item added."),
    )


@login_required
@GET_POST
def service_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Record a service delivered"),
        rule=_write,
        make_form=lambda case, data: ServiceForm(data),
        run=lambda case, d: services.record_service(case, actor=request.user, **d),
        done=gettext_lazy("Service recorded."),
    )


@login_required
@GET_POST
def service_outcome(request: HttpRequest, pk: Any, service_pk: Any) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    if not access.case_rights(request.user, case).write:
        raise PermissionDenied
    try:
        service = case.services.get(pk=service_pk)
    except (ServiceDelivery.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    form = ServiceOutcomeForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": service.version,
            "outcome": service.outcome,
            "outcome_note": service.outcome_note,
        },
    )
    return _form_page(
        request,
        case,
        form,
        lambda d: services.update_service_outcome(
            service,
            actor=request.user,
            expected_version=d["version"],
            outcome=d["outcome"],
            outcome_note=d["outcome_note"],
        ),
        title=gettext_lazy("Outcome of the service"),
        done=gettext_lazy("Outcome saved."),
    )


@login_required
@GET_POST
def risk_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Record a risk assessment"),
        rule=_write,
        make_form=lambda case, data: RiskForm(data),
        run=lambda case, d: services.record_risk_assessment(case, actor=request.user, **d),
        done=gettext_lazy("Risk assessment recorded."),
    )


# --- Money -------------------------------------------------------------------------------------------


def _approvers(user: Any) -> Any:
    return (
        User.objects.filter(is_active=True, role__in=PAYMENT_APPROVER_ROLES)
        .exclude(pk=user.pk)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


@login_required
@GET_POST
def payment_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Record a payment"),
        intro=gettext_lazy(
            "The allowance is paid once, to identified victims, whether or not they cooperate with the "
            "investigation. Someone else approves every payment."
        ),
        rule=_write,
        make_form=lambda case, data: PaymentForm(
            data, approvers=_approvers(request.user), initial={"version": case.version}
        ),
        run=lambda case, d: services.record_payment(
            case,
            actor=request.user,
            expected_version=d["version"],
            kind=d["kind"],
            approved_by=d["approved_by"],
            paid_at=d["paid_at"],
            amount=d["amount"],
        ),
        done=gettext_lazy("Payment recorded."),
    )


# --- Sealing -----------------------------------------------------------------------------------------


@login_required
@GET_POST
def seal(request: HttpRequest, pk: Any) -> HttpResponse:
    if not access.may_seal(request.user):
        access.get_case_for_user(request.user, pk)
        raise PermissionDenied
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Seal the case"),
        intro=gettext_lazy("After this, only the roles you tick (and prosecutors) can open the case."),
        rule=lambda r: True,
        make_form=lambda case, data: SealForm(data),
        run=lambda case, d: services.seal_case(case, actor=request.user, **d),
        done=gettext_lazy("Case sealed."),
        danger=True,
    )


@login_required
@GET_POST
def unseal(request: HttpRequest, pk: Any, sealing_pk: Any) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    if not access.may_seal(request.user):
        raise PermissionDenied
    try:
        sealing = case.sealings.get(pk=sealing_pk, lifted_at__isnull=True)
    except (Sealing.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        case,
        form,
        lambda d: services.unseal_case(sealing, actor=request.user),
        title=gettext_lazy("Lift the sealing"),
        done=gettext_lazy("Sealing lifted."),
        danger=True,
    )


# --- History and comments ----------------------------------------------------------------------------


@login_required
@GET_POST
def historic_event_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Record a trafficking event"),
        rule=_write,
        make_form=lambda case, data: HistoricEventForm(data),
        run=lambda case, d: services.record_historic_event(case, actor=request.user, **d),
        done=gettext_lazy("Trafficking event recorded."),
    )


@login_required
@GET_POST
def comment_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Add a comment"),
        rule=_write,
        make_form=lambda case, data: CommentForm(data),
        run=lambda case, d: services.add_comment(case, actor=request.user, text=d["text"]),
        done=gettext_lazy("Comment added."),
    )
