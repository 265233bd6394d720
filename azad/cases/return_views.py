"""Pages for a person's return home: plan a return, change it, move it along (planned → … → completed).

Same anatomy as :mod:`azad.cases.support_views`: the case read through
:mod:`azad.cases.access` (404 if not visible), the owner and ATD write (403
otherwise), writes through :mod:`azad.cases.services`, 400 on bad input, 409
when the return changed since the form was read.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

from azad.cases import access, services
from azad.cases.forms import ReturnForm, ReturnStatusForm
from azad.cases.models import Return
from azad.cases.support_views import _form_page
from azad.cases.views import GET_POST, _case_action

EDITABLE = services.RETURN_FIELDS


def _cleaned(data: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the service takes them."""
    values = {name: data.get(name) for name in EDITABLE}
    values["risk_assessment"] = data["risk_assessment"].pk if data.get("risk_assessment") else None
    return values


@login_required
@GET_POST
def return_create(request: HttpRequest, pk: Any) -> HttpResponse:
    """Plan a repatriation or a citizen's return (the case's owner or ATD)."""
    return _case_action(
        request,
        pk,
        title=gettext_lazy("Plan a return home"),
        intro=gettext_lazy(
            "During the 30-day reflection period no expulsion may be enforced: a repatriation goes "
            "ahead then only if the person asked to go home."
        ),
        rule=access.may_write_returns,
        make_form=lambda case, data: ReturnForm(
            data, case=case, initial={"cost_currency": "AZN", "documents": "needed"}
        ),
        run=lambda case, d: services.record_return(case, actor=request.user, **_cleaned(d)),
        done=gettext_lazy("Return planned."),
    )


def _initial(record: Return) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in EDITABLE}
    values["risk_assessment"] = record.risk_assessment_id
    return {"version": record.version, **values}


@login_required
@GET_POST
def return_edit(request: HttpRequest, pk: Any, return_pk: Any) -> HttpResponse:
    """Change a return's details (owner or ATD), with the version it was read at."""
    record = access.get_return_for_user(request.user, pk, return_pk, write=True)
    form = ReturnForm(
        request.POST if request.method == "POST" else None, case=record.case, initial=_initial(record)
    )
    form.fields["version"].required = True
    return _form_page(
        request,
        record.case,
        form,
        lambda d: services.update_return(
            record, actor=request.user, expected_version=d["version"], **_cleaned(d)
        ),
        title=gettext_lazy("Change the return"),
        done=gettext_lazy("Return saved."),
    )


@login_required
@GET_POST
def return_status(request: HttpRequest, pk: Any, return_pk: Any) -> HttpResponse:
    """Move a return along: started, completed or cancelled (owner or ATD)."""
    record = access.get_return_for_user(request.user, pk, return_pk, write=True)
    form = ReturnStatusForm(
        request.POST if request.method == "POST" else None,
        initial={"version": record.version, "status": record.status},
    )
    return _form_page(
        request,
        record.case,
        form,
        lambda d: services.set_return_status(
            record, actor=request.user, expected_version=d["version"], status=d["status"], on=d["on"]
        ),
        title=gettext_lazy("Return status"),
        done=gettext_lazy("Return status changed."),
    )
