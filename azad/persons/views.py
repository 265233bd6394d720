"""Pages for persons: list, exact search, record, read and edit.

Rows come from :mod:`azad.persons.access`, writes go through
:mod:`azad.persons.services`. Names never appear in URLs: search is a POST,
and the list shows no names (only what statistics keep in clear); a person's
identity is shown on their own page, and every opening of it is recorded
(``record.view``). Not visible -> 404, read-only -> 403, bad input -> 400,
concurrent edit -> 409 conflict page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from azad.accounts.forms import add_service_errors
from azad.audit.services import client_ip, record_event, record_view
from azad.core.locking import ConflictError
from azad.core.permissions import Data, Level, can
from azad.core.rendering import detail_urls, escape_html
from azad.persons import access, services
from azad.persons.filters import PersonFilterSet
from azad.persons.forms import PersonEditForm, PersonForm, PersonSearchForm
from azad.persons.models import Person
from azad.persons.sections import sections_for

PAGE_SIZE = 50
SEARCH_LIMIT = 50
BAD_REQUEST = 400
GET_POST = require_http_methods(["GET", "POST"])


def _require(request: HttpRequest, level: Level) -> None:
    if not can(request.user, Data.VICTIM_IDENTITY, level):
        raise PermissionDenied


def person_url(person: Person) -> str:
    return reverse("persons:person_detail", kwargs={"pk": person.pk})


def conflict_page(request: HttpRequest, back_url: str) -> HttpResponse:
    """The 409 page: somebody saved the record after it was read; nothing was saved."""
    return render(
        request,
        "accounts/conflict.html",
        {"message": ConflictError.message, "back_url": back_url},
        status=409,
    )


@dataclass(frozen=True, slots=True)
class FoundPerson:
    """One search result, every value ready to print; it writes its own ``<tr>`` (``{{ row.html }}``).

    As the case list's rows (:class:`azad.cases.views.CaseRow`): a template lookup per value
    cost a page of 50 results more than building them.
    """

    url: str
    name: str
    born: str
    citizenship: str
    organisation: str

    @property
    def html(self) -> SafeString:
        """What ``format_html`` would write (every value escaped), without its per-argument wrapper."""
        return mark_safe(  # every value is escaped
            f'<tr>\n        <td><a href="{escape_html(self.url)}">{escape_html(self.name)}</a></td>\n'
            f"        <td>{escape_html(self.born)}</td>\n        <td>{escape_html(self.citizenship)}</td>\n"
            f"        <td>{escape_html(self.organisation)}</td>\n      </tr>"
        )


def found_rows(persons: list[Person]) -> list[FoundPerson]:
    """The results as rows: one URL reversal and one organisation name per organisation, not per row."""
    url = detail_urls("persons:person_detail")
    organisations: dict[int, str] = {}
    rows = []
    for person in persons:
        organisation = organisations.get(person.organisation_id)
        if organisation is None:
            organisation = organisations[person.organisation_id] = person.organisation.display_name()
        rows.append(
            FoundPerson(
                url=url(person.pk),
                name=person.display_name() or str(person),
                born=str(person.birth_date or person.birth_year or "—"),
                citizenship=person.citizenship or "—",
                organisation=organisation,
            )
        )
    return rows


def search_persons(request: HttpRequest, *, name: str, document: str) -> list[Person]:
    """Run an exact search and record it: which criteria, how many found, which records (never the terms)."""
    results = list(access.find_persons(request.user, name=name, document=document)[:SEARCH_LIMIT])
    record_event(
        "person.search",
        actor=request.user,
        payload={
            "by": [k for k, v in (("name", name), ("document", document)) if v and v.strip()],
            "count": len(results),
            "results": [str(p.pk) for p in results],
        },
        ip_address=client_ip(request),
    )
    return results


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """The persons the person may see, without names; searching by name is on the search page."""
    _require(request, Level.READ)
    filterset = PersonFilterSet(
        request.GET or None, queryset=access.visible_persons(request.user), request=request
    )
    invalid = filterset.is_bound and not filterset.is_valid()
    queryset = filterset.queryset.none() if invalid else filterset.qs
    page = Paginator(queryset.order_by("-created_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "persons/person_list.html",
        {
            "page": page,
            "filter": filterset,
            "search_form": PersonSearchForm(),
            "can_write": can(request.user, Data.VICTIM_IDENTITY, Level.WRITE),
            "may_decide_same_person": access.may_decide_same_person(request.user),
        },
        status=BAD_REQUEST if invalid else 200,
    )


@login_required
@GET_POST
def person_search(request: HttpRequest) -> HttpResponse:
    """Exact search by name or document number; the terms travel in the POST body only."""
    _require(request, Level.READ)
    form = PersonSearchForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "searched": False}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "persons/person_search.html", context, status=BAD_REQUEST)
        context["results"] = found_rows(
            search_persons(request, name=form.cleaned_data["name"], document=form.cleaned_data["document"])
        )
        context["searched"] = True
        context["limit"] = SEARCH_LIMIT
    context["can_write"] = can(request.user, Data.VICTIM_IDENTITY, Level.WRITE)
    return render(request, "persons/person_search.html", context)


@login_required
@GET_POST
def person_create(request: HttpRequest) -> HttpResponse:
    """Record a new person for the signed-in person's organisation."""
    _require(request, Level.WRITE)
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                person = services.create_person(actor=request.user, **form.service_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Person recorded."))
                return redirect(person_url(person))
        return render(request, "persons/person_form.html", {"form": form}, status=BAD_REQUEST)
    return render(request, "persons/person_form.html", {"form": form})


@login_required
def person_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """One person's identity data; every opening is recorded in the audit trail."""
    person = access.get_person_for_user(request.user, pk)
    with transaction.atomic():
        record_view(request.user, person, request=request)
    return render(
        request,
        "persons/person_detail.html",
        {
            "person": person,
            "age": person.age_on(),
            "is_child": person.is_presumed_child(),
            "can_write": can(request.user, Data.VICTIM_IDENTITY, Level.WRITE),
            "sections": sections_for(request, person),
        },
    )


@login_required
@GET_POST
def person_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """Change a person's data; a stale form (someone saved meanwhile) gets the conflict page (409)."""
    person = access.get_person_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = PersonEditForm(request.POST)
        if form.is_valid():
            try:
                services.update_person(
                    person,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.service_data(),
                )
            except ConflictError:
                return conflict_page(request, person_url(person))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Person saved."))
                return redirect(person_url(person))
        return render(
            request, "persons/person_form.html", {"form": form, "person": person}, status=BAD_REQUEST
        )
    record_view(request.user, person, request=request)
    form = PersonEditForm(initial={**PersonForm.initial_for(person), "version": person.version})
    return render(request, "persons/person_form.html", {"form": form, "person": person})


# --- Same person ---------------------------------------------------------------------------


@login_required
@GET_POST
def same_person(request: HttpRequest) -> HttpResponse:
    """Candidate pairs (no names: open each record to compare) and the decision form; POST decides."""
    from azad.persons.forms import SamePersonForm

    if not access.may_decide_same_person(request.user):
        raise PermissionDenied
    form = SamePersonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                a = access.get_person_for_user(request.user, data["record_a"], write=True)
                b = access.get_person_for_user(request.user, data["record_b"], write=True)
                services.link_same_person(
                    a, b, actor=request.user, basis=data["basis"], note=data.get("note", "")
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The two records are now counted as one person."))
                return redirect("persons:same_person")
        status = BAD_REQUEST
    pairs = access.same_person_candidates(request.user)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    decisions = access.visible_same_person_decisions(request.user)[:PAGE_SIZE]
    return render(
        request,
        "persons/same_person.html",
        {"form": form, "page": page, "decisions": decisions},
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def same_person_undo(request: HttpRequest, pk: Any) -> HttpResponse:
    """Undo a same-person decision the person may see."""
    if not access.may_decide_same_person(request.user):
        raise PermissionDenied
    decision = access.visible_same_person_decisions(request.user).filter(pk=pk).first()
    if decision is None:
        from azad.core.exceptions import NotVisible

        raise NotVisible
    try:
        services.undo_same_person(decision, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision was undone: the records are counted separately again."))
    return redirect("persons:same_person")
