"""Pages of the referral mechanism: case list, the case page, its actions, incoming referrals.

Rows come from :mod:`azad.cases.access`, writes go through
:mod:`azad.cases.services`. Every action page works without JavaScript (a
form page that redirects back to the case); with htmx the case page loads the
form into its action panel. Not visible -> 404, read-only -> 403, bad input
-> 400 with the form's errors, stale form -> 409 conflict page. The case
page decrypts the person's identity only for those who may read it, and
records every opening (``record.view``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from azad.accounts.forms import add_service_errors
from azad.accounts.models import Organisation
from azad.audit.services import record_view
from azad.cases import access, services
from azad.cases.access import CaseRights
from azad.cases.badges import clock_badge, minute
from azad.cases.choices import (
    OPEN_REFERRAL_STATUSES,
    ConsentPurpose,
    ConsentStatus,
    ReferralPurpose,
    ReferralStatus,
    Stage,
    TraffickingStatus,
)
from azad.cases.clocks import (
    ATD_REFERRAL_LIMIT,
    ATD_REFERRAL_SOON,
    CLOCK_FIELDS,
    ClockKind,
    ClockState,
    case_clocks,
    most_urgent,
    reflection_end,
    reflection_protects,
    state_of,
)
from azad.cases.filters import CaseFilterSet
from azad.cases.forms import (
    CaseCreateForm,
    ChildDetailsForm,
    ConsentForm,
    ContextForm,
    DeclineForm,
    FirstContactForm,
    NotificationForm,
    ReferralForm,
    ReferToAtdForm,
    ResidencePermitForm,
    TransitionForm,
    VersionOnlyForm,
    WithdrawConsentForm,
)
from azad.cases.models import Case, Consent, Referral
from azad.cases.panels import support_context
from azad.cases.workflow import Relation, missing_child_notifications, offers, transition_for
from azad.core.exceptions import NotVisible
from azad.core.locking import ConflictError
from azad.core.paging import CappedPaginator
from azad.core.permissions import Data, Level, can
from azad.core.rendering import detail_urls, escape_html
from azad.persons.access import get_person_for_user
from azad.persons.models import Person
from azad.persons.views import conflict_page

PAGE_SIZE = 50
# The columns a row shows and its clocks read, in one tuple per case (:class:`ListedCase`); the
# others (notes, permit numbers...) stay unread.
LIST_COLUMNS = ("pk", "stage", "owner_organisation_id", *CLOCK_FIELDS)
# The clocks read a person's citizenship only for a residence permit (foreign victims): the list
# reads it for the rows with a permit and leaves the other rows' persons unread (a join would read
# a person row for every case on the page, on a table too large to stay in memory nationally).
PERMIT_HOLDERS_CITIZENSHIP = models.Case(
    When(
        residence_permit_expires_on__isnull=False,
        then=Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("citizenship")[:1]),
    ),
    default=Value(""),
)
BAD_REQUEST = 400
GET_POST = require_http_methods(["GET", "POST"])
POST = require_http_methods(["POST"])


def case_url(case: Case | Any) -> str:
    return reverse("cases:case_detail", kwargs={"pk": case.pk if isinstance(case, Case) else case})


class ListedCase:
    """A case as the list reads it: the ``LIST_COLUMNS`` and, for a permit, the person's citizenship.

    Everything a row prints and every clock function reads, from one tuple of ``values_list``:
    a model instance with deferred fields cost a page of 50 rows about a millisecond more. A test
    computes every clock from it and from the whole case and finds them equal.
    """

    __slots__ = (*LIST_COLUMNS, "person_citizenship")
    reference = Case.reference

    def __init__(self, values: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def listed_cases(queryset: QuerySet[Case], start: int, stop: int) -> list[ListedCase]:
    """The cases ``queryset[start:stop]``, read with one query of the list's columns only."""
    rows = queryset.annotate(person_citizenship=PERMIT_HOLDERS_CITIZENSHIP).values_list(*ListedCase.__slots__)
    return [ListedCase(values) for values in rows[start:stop]]


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the case list, every value ready to print (no names: the list shows none).

    It writes its own ``<tr>`` (``{{ row.html }}`` in the template), as Django's admin writes
    its change list's cells: a template lookup per value cost more than the rest of a row. The
    markup is what ``format_html`` would write (every value escaped), without its per-argument
    wrapper.
    """

    url: str
    reference: str
    child_badge: str  # the translated "child", or empty for an adult
    stage: str
    status: str
    owner: str
    first_contact: str
    clock_label: str  # empty when the case has no clock running
    clock_badge: str

    @property
    def html(self) -> SafeString:
        child = (
            f' <span class="badge warn">{escape_html(self.child_badge)}</span>' if self.child_badge else ""
        )
        clock = (
            f"{escape_html(self.clock_label)}<br>{escape_html(self.clock_badge)}" if self.clock_label else "—"
        )
        return mark_safe(  # every value is escaped
            f'<tr>\n      <td><a href="{escape_html(self.url)}">{escape_html(self.reference)}</a>{child}</td>\n'
            f"      <td>{escape_html(self.stage)}</td>\n      <td>{escape_html(self.status)}</td>\n"
            f"      <td>{escape_html(self.owner)}</td>\n      <td>{escape_html(self.first_contact)}</td>\n"
            f"      <td>{clock}</td>\n    </tr>"
        )


def list_rows(
    cases: Iterable[Any], now: dt.datetime, organisations: Iterable[Organisation] = ()
) -> list[CaseRow]:
    """The page's rows with labels translated once per page, not once per row, and one URL reversal.

    ``cases`` are :class:`ListedCase` rows or whole cases (anything with their attributes).
    ``organisations`` already read for the page (the filter bar's) give the owners' names;
    only owners not among them are read.

    ``bench/load/anatomy.py`` measures what the rows cost the page.
    """
    cases = list(cases)
    stages = {value: str(label) for value, label in Stage.choices}
    statuses = {value: str(label) for value, label in TraffickingStatus.choices}
    states = {value: str(label) for value, label in ClockState.choices}
    kinds = {value: str(label) for value, label in ClockKind.choices}
    url = detail_urls("cases:case_detail")
    tz = timezone.get_current_timezone()
    needed = {case.owner_organisation_id for case in cases}
    owners = {
        organisation.pk: organisation.display_name()
        for organisation in organisations
        if organisation.pk in needed
    }
    if missing := needed - owners.keys():
        # The others' names in one query (a page has a few organisations, not one per row).
        owners |= {
            organisation.pk: organisation.display_name()
            for organisation in Organisation.objects.filter(pk__in=missing).only("name", "name_en", "name_ru")
        }
    child = _("child")
    rows = []
    for case in cases:
        clock = most_urgent(case_clocks(case, now))
        owner = owners[case.owner_organisation_id]
        rows.append(
            CaseRow(
                url=url(case.pk),
                reference=case.reference,
                child_badge=child if case.is_child else "",
                stage=stages.get(case.stage, case.stage),
                status=statuses.get(case.trafficking_status, case.trafficking_status),
                owner=owner,
                first_contact=minute(case.first_contact_at, tz),
                clock_label=kinds[clock.kind] if clock else "",
                clock_badge=(
                    clock_badge(clock, label=kinds[clock.kind], state_label=states[clock.state], tz=tz)
                    if clock
                    else ""
                ),
            )
        )
    return rows


# --- Lists -------------------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases the person may see, filtered; no names, one query for the page whatever its size."""
    if not can(request.user, Data.CASE_CONTENT, Level.READ):
        raise PermissionDenied
    filterset = CaseFilterSet(
        request.GET or None, queryset=access.visible_cases(request.user), request=request
    )
    invalid = filterset.is_bound and not filterset.is_valid()
    queryset = filterset.queryset.none() if invalid else filterset.qs
    # The list shows no person data: no person, case-worker or organisation objects are built
    # per row (the count stays on the case table's indexes).
    queryset = queryset.select_related(None).order_by("-created_at", "pk")
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.paginator.count:
        page.object_list = listed_cases(queryset, page.start_index() - 1, page.end_index())
    # The filter bar's organisations, read once: its options and the owners' names.
    organisations = filterset.form.fields["owner_organisation"].queryset
    rows = list_rows(page.object_list, timezone.now(), organisations)
    return render(
        request,
        "cases/case_list.html",
        {"page": page, "rows": rows, "filter": filterset},
        status=BAD_REQUEST if invalid else 200,
    )


@login_required
def incoming_referrals(request: HttpRequest) -> HttpResponse:
    """The organisation's inbox: referrals to it, pending first, with ATD's 24-hour deadline."""
    if not can(request.user, Data.REFERRALS, Level.READ):
        raise PermissionDenied
    show = request.GET.get("show", "open")
    referrals = access.incoming_referrals(request.user)
    if show == "open":
        referrals = referrals.filter(status__in=OPEN_REFERRAL_STATUSES)
    pending_first = models.Case(When(status=ReferralStatus.PENDING, then=Value(0)), default=Value(1))
    ordered = referrals.order_by(pending_first, "sent_at", "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    atd = access.is_atd_member(request.user)
    may_answer = can(request.user, Data.REFERRALS, Level.WRITE)
    rows = []
    for referral in page.object_list:
        deadline = state = None
        if referral.purpose == ReferralPurpose.IDENTIFICATION:
            deadline = referral.case.first_contact_at + ATD_REFERRAL_LIMIT
            met = referral.responded_at if referral.status != ReferralStatus.PENDING else None
            state = state_of(deadline, met, now, ATD_REFERRAL_SOON)
        opens = referral.status == ReferralStatus.ACCEPTED or (atd and referral.status in access.ATD_SEES)
        rows.append({"referral": referral, "deadline": deadline, "state": state, "opens": opens})
    return render(
        request,
        "cases/incoming_referrals.html",
        {"page": page, "rows": rows, "show": show, "may_answer": may_answer},
    )


# --- The case page ----------------------------------------------------------------------------------


def _consents_in_force(case: Case) -> list[tuple[Any, Consent | None]]:
    """The latest answer per purpose and organisation, newest first (the ledger's current state)."""
    seen: set[tuple[str, int | None]] = set()
    current: list[tuple[Any, Consent | None]] = []
    for consent in case.consents.select_related("to_organisation").order_by("-recorded_at", "-id"):
        key = (consent.purpose, consent.to_organisation_id)
        if key in seen:
            continue
        seen.add(key)
        current.append((ConsentPurpose(consent.purpose).label, consent))
    return current


@login_required
def case_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """The whole story of one case at a glance: person, stage and next steps, clocks, timeline, ledger."""
    case = access.get_case_for_user(request.user, pk)
    rights = access.case_rights(request.user, case)
    with transaction.atomic():
        record_view(request.user, case, request=request)
        if rights.identity:
            record_view(request.user, case.person, request=request)
    now = timezone.now()
    context: dict[str, Any] = {
        "case": case,
        "rights": rights,
        "clocks": case_clocks(case, now),
        "reflection_end": reflection_end(case),
        "reflection_protects": reflection_protects(case, now),
        "person": case.person if rights.identity else None,
        "may_open_person": _may_open_person(request.user, case),
    }
    if rights.content:
        sees_placements = access.sees_placements_of(request.user, case)

        def label(organisation: Any) -> str:
            return access.organisation_label(request.user, organisation, sees_placements=sees_placements)

        consents = _consents_in_force(case)
        consent_history = list(case.consents.select_related("to_organisation", "recorded_by"))
        for consent in [c for _label, c in consents if c is not None] + consent_history:
            consent.to_label = label(consent.to_organisation)  # type: ignore[attr-defined]
        referrals = list(case.referrals.select_related("from_organisation", "to_organisation"))
        for referral in referrals:
            referral.from_label = label(referral.from_organisation)  # type: ignore[attr-defined]
            referral.to_label = (  # type: ignore[attr-defined]
                label(referral.to_organisation) if referral.to_organisation else referral.receiver_label()
            )
        context.update(
            {
                "offers": offers(case, rights.relations) if rights.write else [],
                "events": case.events.select_related("actor", "organisation"),
                "consents": consents,
                "consent_history": consent_history,
                "referrals": referrals,
                "notifications": case.child_notifications.select_related("organisation", "recorded_by"),
                "missing_notifications": missing_child_notifications(case),
                "own_relations": sorted(str(r) for r in rights.relations),
                "is_atd_relation": Relation.ATD in rights.relations,
            }
        )
        context.update(support_context(request.user, case, rights))
        _mask_shelters_in_timeline(context["timeline"], referrals, label)
    return render(request, "cases/case_detail.html", context)


def _mask_shelters_in_timeline(
    timeline: list[dict[str, Any]], referrals: list[Referral], label: Callable[[Any], str]
) -> None:
    """Where the reader may not know the placement, a shelter's name (and its staff) leaves the timeline too.

    Timeline details keep the receiver's name as it was written (in Azerbaijani): those of the
    case's shelter receivers are replaced by what :func:`access.organisation_label` gives.
    """
    hidden = {
        r.to_organisation.display_name("az"): label(r.to_organisation)
        for r in referrals
        if r.to_organisation is not None and label(r.to_organisation) != r.to_organisation.display_name()
    }
    for entry in timeline:
        author = entry.get("event") or entry.get("comment")
        organisation = getattr(author, "organisation", None)
        shown = label(organisation) if organisation is not None else ""
        entry["organisation_label"] = shown
        entry["masked"] = organisation is not None and shown != organisation.display_name()
        event = entry.get("event")
        if event is not None:
            text = event.summary()
            for name, replacement in hidden.items():
                text = text.replace(name, replacement)
            entry["summary"] = text


def _may_open_person(user: Any, case: Case) -> bool:
    try:
        get_person_for_user(user, case.person_id)
    except NotVisible:
        return False
    return True


@login_required
@GET_POST
def case_create(request: HttpRequest, person_pk: Any) -> HttpResponse:
    """Open a case for a person: first contact and, if known, the victim context."""
    if not can(request.user, Data.CASE_CONTENT, Level.WRITE):
        raise PermissionDenied
    person = get_person_for_user(request.user, person_pk)
    form = CaseCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.create_case(
                    actor=request.user,
                    person=person,
                    first_contact_at=form.cleaned_data["first_contact_at"],
                    channel=form.cleaned_data["channel"],
                    exploitation_types=form.cleaned_data["exploitation_types"],
                    control_methods=form.cleaned_data["control_methods"],
                    region=form.cleaned_data["region"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Case opened."))
                return redirect(case_url(case))
        return render(request, "cases/case_create.html", {"form": form, "person": person}, status=BAD_REQUEST)
    return render(request, "cases/case_create.html", {"form": form, "person": person})


# --- Actions on a case -------------------------------------------------------------------------------


def _case_action(
    request: HttpRequest,
    pk: Any,
    *,
    title: Any,
    rule: Callable[[CaseRights], bool],
    make_form: Callable[[Case, Any], Any],
    run: Callable[[Case, dict[str, Any]], Any],
    done: Any,
    intro: Any = "",
    danger: bool = False,
) -> HttpResponse:
    """A form page for one action on a case: 404 if not visible, 403 if not allowed, 409 if stale."""
    case = access.get_case_for_user(request.user, pk)
    if not rule(access.case_rights(request.user, case)):
        raise PermissionDenied
    form = make_form(case, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                run(case, form.cleaned_data)
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
    context = {"case": case, "form": form, "title": title, "intro": intro, "danger": danger}
    return render(request, "cases/case_action.html", context, status=status)


def _initial(case: Case, **values: Any) -> dict[str, Any]:
    return {"version": case.version, **values}


def _can_write(r: CaseRights) -> bool:
    return r.write


def _owner_or_atd(r: CaseRights) -> bool:
    return bool({Relation.OWNER, Relation.ATD} & r.relations)


@login_required
@GET_POST
def first_contact(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Record the first contact"),
        intro=gettext_lazy("The 24-hour clock for the referral to ATD starts at the first contact."),
        rule=_owner_or_atd,
        make_form=lambda case, data: FirstContactForm(
            data,
            initial=_initial(
                case,
                first_contact_at=timezone.localtime(case.first_contact_at).strftime("%Y-%m-%dT%H:%M"),
                channel=case.first_contact_channel,
            ),
        ),
        run=lambda case, d: services.record_first_contact(
            case,
            actor=request.user,
            expected_version=d["version"],
            first_contact_at=d["first_contact_at"],
            channel=d["channel"],
        ),
        done=gettext_lazy("First contact recorded."),
    )


@login_required
@GET_POST
def case_context(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Types of exploitation and methods of control"),
        rule=_can_write,
        make_form=lambda case, data: ContextForm(
            data,
            initial=_initial(
                case,
                exploitation_types=case.exploitation_types,
                control_methods=case.control_methods,
                region=case.region,
            ),
        ),
        run=lambda case, d: services.update_case_context(
            case,
            actor=request.user,
            expected_version=d["version"],
            exploitation_types=d["exploitation_types"],
            control_methods=d["control_methods"],
            region=d["region"],
        ),
        done=gettext_lazy("Victim context saved."),
    )


@login_required
@GET_POST
def refer_to_atd(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Refer to ATD"),
        intro=gettext_lazy(
            "The referral needs the person's consent to be referred (for a child, the legal "
            "representative's), recorded in the consent ledger, or a legal ground."
        ),
        rule=lambda r: Relation.OWNER in r.relations and r.refers,
        make_form=lambda case, data: ReferToAtdForm(data, initial=_initial(case)),
        run=lambda case, d: services.refer_to_atd(
            case,
            actor=request.user,
            expected_version=d["version"],
            legal_ground=d["legal_ground"],
            note=d["note"],
        ),
        done=gettext_lazy("Referred to ATD."),
    )


def _transition_details(cleaned: dict[str, Any]) -> dict[str, Any]:
    details = {k: v for k, v in cleaned.items() if k not in ("version", "occurred_at")}
    if "to_organisation" in details:
        details["to_organisation"] = details["to_organisation"].pk if details["to_organisation"] else None
    return details


@login_required
@GET_POST
def transition(request: HttpRequest, pk: Any, stage: str) -> HttpResponse:
    """A stage change from the transition table; the referral to ATD has its own page."""
    case = access.get_case_for_user(request.user, pk)
    move = transition_for(case.stage, stage)
    if move is None:
        rights = access.case_rights(request.user, case)
        if not rights.write:
            raise PermissionDenied
        return render(
            request,
            "core/error.html",
            {
                "title": _("Not possible now"),
                "message": _("The case is at stage “%(stage)s” and cannot move there.")
                % {"stage": Stage(case.stage).label},
            },
            status=BAD_REQUEST,
        )
    if move.via == "refer_to_atd":
        return redirect("cases:refer_to_atd", pk=case.pk)
    return _case_action(
        request,
        pk,
        title=move.label,
        rule=lambda r: bool(move.who & r.relations),
        make_form=lambda c, data: TransitionForm(
            data,
            transition=move,
            own_organisation=getattr(request.user, "organisation_id", None),
            initial=_initial(c),
        ),
        run=lambda c, d: services.transition_case(
            c,
            stage,
            actor=request.user,
            expected_version=d["version"],
            occurred_at=d.get("occurred_at"),
            **_transition_details(d),
        ),
        done=gettext_lazy("Stage changed."),
        danger=move.danger,
    )


@login_required
@GET_POST
def referral_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Refer the case onward"),
        intro=gettext_lazy(
            "The receiving organisation sees what the referral shares once it accepts, and loses it when "
            "the referral is completed or revoked, or the consent it rests on is withdrawn."
        ),
        rule=lambda r: r.may_refer_onward,
        make_form=lambda case, data: ReferralForm(
            data, own_organisation=getattr(request.user, "organisation_id", None), initial=_initial(case)
        ),
        run=lambda case, d: services.create_referral(
            case,
            actor=request.user,
            expected_version=d["version"],
            to_organisation=d["to_organisation"].pk if d["to_organisation"] else None,
            abroad_country=d["abroad_country"],
            abroad_organisation_name=d["abroad_organisation_name"],
            abroad_contact=d["abroad_contact"],
            abroad_channel=d["abroad_channel"],
            purpose=d["purpose"],
            shares=d["shares"],
            legal_ground=d["legal_ground"],
            note=d["note"],
        ),
        done=gettext_lazy("Referral sent."),
    )


@login_required
@GET_POST
def consent_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Record consent"),
        intro=gettext_lazy(
            "The ledger keeps every answer. For a child only the legal representative answers. "
            "Withdrawing or refusing ends the referrals the consent covered."
        ),
        rule=lambda r: r.may_record_consent,
        make_form=lambda case, data: ConsentForm(
            data,
            child=case.is_child,
            initial=_initial(case, representative_name=""),
        ),
        run=lambda case, d: services.record_consent(
            case,
            actor=request.user,
            expected_version=d["version"],
            purpose=d["purpose"],
            status=d["status"],
            given_by=d["given_by"],
            representative_name=d["representative_name"],
            to_organisation=d["to_organisation"].pk if d["to_organisation"] else None,
            answered_at=d["answered_at"],
            valid_until=d["valid_until"],
        ),
        done=gettext_lazy("Consent recorded."),
    )


@login_required
@GET_POST
def consent_withdraw(request: HttpRequest, pk: Any, consent_pk: Any) -> HttpResponse:
    """Withdraw the consent in force for one purpose (and organisation)."""
    case = access.get_case_for_user(request.user, pk)
    try:
        consent = case.consents.select_related("to_organisation").get(pk=consent_pk)
    except (Consent.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Withdraw consent"),
        intro=_("Consent to %(purpose)s%(to)s is withdrawn; the referrals it covered are revoked.")
        % {
            "purpose": ConsentPurpose(consent.purpose).label,
            "to": f" ({consent.to_organisation.display_name()})" if consent.to_organisation else "",
        },
        rule=lambda r: r.may_record_consent,
        make_form=lambda c, data: WithdrawConsentForm(
            data,
            initial=_initial(
                c, given_by="legal_representative" if c.is_child else "person", representative_name=""
            ),
        ),
        run=lambda c, d: services.record_consent(
            c,
            actor=request.user,
            expected_version=d["version"],
            purpose=consent.purpose,
            status=ConsentStatus.WITHDRAWN,
            given_by=d["given_by"],
            representative_name=d["representative_name"],
            to_organisation=consent.to_organisation_id,
        ),
        done=gettext_lazy("Consent withdrawn."),
        danger=True,
    )


@login_required
@GET_POST
def notification_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Record a child notification"),
        intro=gettext_lazy(
            "The guardianship body, the State Committee for Family, Women and Children Affairs and the "
            "commission on minors must be told of a child victim at once."
        ),
        rule=lambda r: r.may_record_child_procedure,
        make_form=lambda case, data: NotificationForm(data, initial=_initial(case)),
        run=lambda case, d: services.record_child_notification(
            case,
            actor=request.user,
            expected_version=d["version"],
            body=d["body"],
            channel=d["channel"],
            notified_at=d["notified_at"],
            organisation=d["organisation"].pk if d["organisation"] else None,
            reference=d["reference"],
        ),
        done=gettext_lazy("Notification recorded."),
    )


@login_required
@GET_POST
def child_details(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Legal representative and best interests"),
        rule=lambda r: r.may_record_child_procedure and r.identity,
        make_form=lambda case, data: ChildDetailsForm(
            data,
            initial=_initial(
                case,
                legal_representative_name=case.legal_representative_name,
                legal_representative_contact=case.legal_representative_contact,
                best_interests_note=case.best_interests_note,
            ),
        ),
        run=lambda case, d: services.update_child_details(
            case,
            actor=request.user,
            expected_version=d["version"],
            legal_representative_name=d["legal_representative_name"],
            legal_representative_contact=d["legal_representative_contact"],
            best_interests_note=d["best_interests_note"],
        ),
        done=gettext_lazy("Child procedure details saved."),
    )


@login_required
@GET_POST
def residence_permit(request: HttpRequest, pk: Any) -> HttpResponse:
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Temporary residence permit"),
        rule=_owner_or_atd,
        make_form=lambda case, data: ResidencePermitForm(
            data,
            initial=_initial(
                case,
                issued_on=case.residence_permit_issued_on,
                expires_on=case.residence_permit_expires_on,
                number=case.residence_permit_number,
                issuing_body=case.residence_permit_issuing_body,
            ),
        ),
        run=lambda case, d: services.record_residence_permit(
            case,
            actor=request.user,
            expected_version=d["version"],
            issued_on=d["issued_on"],
            expires_on=d["expires_on"],
            number=d["number"],
            issuing_body=d["issuing_body"],
        ),
        done=gettext_lazy("Residence permit recorded."),
    )


# --- Answering referrals --------------------------------------------------------------------------------


def _referral_action(
    request: HttpRequest,
    pk: Any,
    *,
    rule: Callable[[Any, Referral], bool],
    form_class: Any,
    run: Callable[[Referral, dict[str, Any]], Any],
    title: Any,
    done: Any,
    danger: bool = False,
) -> HttpResponse:
    referral = access.get_referral_for_user(request.user, pk, write=request.method == "POST")
    if not rule(request.user, referral):
        raise PermissionDenied
    form = form_class(
        request.POST if request.method == "POST" else None, initial={"version": referral.version}
    )
    back = request.POST.get("next") or request.GET.get("next") or reverse("cases:incoming_referrals")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("cases:incoming_referrals")
    if request.method == "POST":
        if form.is_valid():
            try:
                run(referral, form.cleaned_data)
            except ConflictError:
                return conflict_page(request, back)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, str(done))
                return redirect(back)
        status = BAD_REQUEST
    else:
        status = 200
    return render(
        request,
        "cases/referral_action.html",
        {"referral": referral, "form": form, "title": title, "danger": danger, "next": back},
        status=status,
    )


@login_required
@GET_POST
def referral_accept(request: HttpRequest, pk: Any) -> HttpResponse:
    return _referral_action(
        request,
        pk,
        rule=access.may_answer_referral,
        form_class=VersionOnlyForm,
        run=lambda r, d: services.accept_referral(r, actor=request.user, expected_version=d["version"]),
        title=gettext_lazy("Accept the referral"),
        done=gettext_lazy("Referral accepted."),
    )


@login_required
@GET_POST
def referral_decline(request: HttpRequest, pk: Any) -> HttpResponse:
    return _referral_action(
        request,
        pk,
        rule=access.may_answer_referral,
        form_class=DeclineForm,
        run=lambda r, d: services.decline_referral(
            r, actor=request.user, expected_version=d["version"], reason=d["reason"]
        ),
        title=gettext_lazy("Decline the referral"),
        done=gettext_lazy("Referral declined."),
        danger=True,
    )


@login_required
@GET_POST
def referral_complete(request: HttpRequest, pk: Any) -> HttpResponse:
    return _referral_action(
        request,
        pk,
        rule=access.may_answer_referral,
        form_class=VersionOnlyForm,
        run=lambda r, d: services.complete_referral(r, actor=request.user, expected_version=d["version"]),
        title=gettext_lazy("Complete the referral"),
        done=gettext_lazy("Referral completed; your access through it has ended."),
    )


@login_required
@GET_POST
def referral_revoke(request: HttpRequest, pk: Any) -> HttpResponse:
    return _referral_action(
        request,
        pk,
        rule=access.may_revoke_referral,
        form_class=VersionOnlyForm,
        run=lambda r, d: services.revoke_referral(r, actor=request.user, expected_version=d["version"]),
        title=gettext_lazy("Revoke the referral"),
        done=gettext_lazy("Referral revoked; the receiver no longer sees the case."),
        danger=True,
    )
