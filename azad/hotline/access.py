"""The only way to read hotline calls, call-backs, alerts and articles. Deny by default.

Who sees a call, beyond the roles x data table (``Data.HOTLINE_CALLS``):

* **operators** — the calls they took;
* **the hotline supervisor** — every call of their line (their organisation);
* **ATD** (a police organisation of type ``PoliceATD``) — calls with an
  immediate-danger alert to their department, and calls handed over to ATD;
* everybody else (National Coordinator, analysts) — counts only, through
  :func:`dashboard_calls`; nobody outside the hotline and ATD sees a call, so
  nobody else sees a caller's details.

Another organisation's call -> :class:`~azad.core.exceptions.NotVisible` (404);
visible but read-only -> ``PermissionDenied`` (403).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from azad.accounts.choices import OrgType
from azad.core.exceptions import NotVisible
from azad.core.permissions import Data, Level, Role, can, level_for
from azad.hotline.models import Alert, Call, Callback, KnowledgeArticle


def _organisation_type(user: Any) -> str:
    if getattr(user, "organisation_id", None) is None:
        return ""
    return str(getattr(user.organisation, "org_type", ""))


def is_hotline_member(user: Any) -> bool:
    """Whether ``user`` works at a hotline and may take calls."""
    return _organisation_type(user) == OrgType.HOTLINE and can(user, Data.HOTLINE_CALLS, Level.WRITE)


def is_atd_member(user: Any) -> bool:
    """Whether ``user`` belongs to a police anti-trafficking department and reads calls."""
    return _organisation_type(user) == OrgType.POLICE_ATD and can(user, Data.HOTLINE_CALLS, Level.READ)


def is_hotline_supervisor(user: Any) -> bool:
    """Whether ``user`` supervises a hotline (sees the line's calls, edits the knowledge base)."""
    return is_hotline_member(user) and getattr(user, "role", "") == Role.HOTLINE_SUPERVISOR


def _atd_condition(user: Any) -> Q:
    alerted = Alert.objects.filter(call=OuterRef("pk"), organisation_id=user.organisation_id)
    return Q(Exists(alerted)) | Q(handed_to_atd=True)


def visible_calls(user: Any) -> QuerySet[Call]:
    """Calls ``user`` may open (see the module docstring)."""
    calls = Call.objects.select_related("operator", "organisation")
    if is_hotline_supervisor(user):
        return calls.filter(organisation_id=user.organisation_id)
    if is_hotline_member(user):
        return calls.filter(organisation_id=user.organisation_id, operator_id=user.pk)
    if is_atd_member(user):
        return calls.filter(_atd_condition(user))
    return Call.objects.none()


def get_call_for_user(user: Any, pk: Any, *, write: bool = False) -> Call:
    """One call, or ``NotVisible`` (404); ``PermissionDenied`` (403) if ``write`` and only readable.

    Only the line that took the call changes it.
    """
    try:
        call = visible_calls(user).get(pk=pk)
    except (Call.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    if write and not (is_hotline_member(user) and call.organisation_id == user.organisation_id):
        raise PermissionDenied
    return call


def may_change_call(user: Any, call: Call) -> bool:
    """Whether ``user`` may change ``call`` (its line's operators and supervisor)."""
    return is_hotline_member(user) and call.organisation_id == user.organisation_id


def may_hand_over(user: Any, call: Call) -> bool:
    """Whether ``user`` may open a case from ``call`` or link it to one: they change the call or are ATD.

    Hotline roles write case content like a referring NGO (the roles table);
    which cases they then see is the referral mechanism's rule: those their
    organisation owns (organisation scope) or they own (own scope).
    """
    return (may_change_call(user, call) or is_atd_member(user)) and can(user, Data.CASE_CONTENT, Level.WRITE)


def visible_linked_cases(user: Any, call: Call) -> QuerySet[Any]:
    """The cases linked to ``call`` that ``user`` may open (the others are left out, not counted)."""
    from azad.cases.access import visible_cases

    return visible_cases(user).filter(hotline_calls=call).order_by("first_contact_at", "pk")


_REFERENCE = re.compile(r"^[0-9a-fA-F]{8}$")
CASE_NOT_VISIBLE = _("No case you may see has this reference or identifier. Nothing was linked.")


def find_case_for_user(user: Any, text: Any) -> Any:
    """A case ``user`` sees, by its full identifier or its eight-character reference; ``NotVisible`` otherwise.

    A reference is looked up among the cases the person sees only, so it
    reveals nothing about the others; an ambiguous one (two visible cases
    share it) asks for the full identifier (``NotVisible`` too).
    """
    from azad.cases.access import get_case_for_user, visible_cases

    value = str(text or "").strip()
    if _REFERENCE.match(value):
        prefix = value.lower()
        low, high = uuid.UUID(prefix + "0" * 24), uuid.UUID(prefix + "f" * 24)
        found = list(visible_cases(user).filter(pk__gte=low, pk__lte=high).values_list("pk", flat=True)[:2])
        if len(found) != 1:
            raise NotVisible(CASE_NOT_VISIBLE)
        value = str(found[0])
    try:
        return get_case_for_user(user, value)
    except NotVisible:
        raise NotVisible(CASE_NOT_VISIBLE) from None


def visible_callbacks(user: Any) -> QuerySet[Callback]:
    """Call-backs of the calls ``user`` may change (the hotline only)."""
    if not is_hotline_member(user):
        return Callback.objects.none()
    return Callback.objects.filter(call__in=visible_calls(user)).select_related("call", "done_by")


def get_callback_for_user(user: Any, pk: Any) -> Callback:
    """One call-back ``user`` may handle, or ``NotVisible`` (404)."""
    try:
        return visible_callbacks(user).get(pk=pk)
    except (Callback.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None


def visible_alerts(user: Any) -> QuerySet[Alert]:
    """ATD: the alerts sent to their department; the hotline: the alerts of calls they see."""
    alerts = Alert.objects.select_related("call", "organisation", "acknowledged_by")
    if is_atd_member(user):
        return alerts.filter(organisation_id=user.organisation_id)
    if is_hotline_member(user):
        return alerts.filter(call__in=visible_calls(user))
    return Alert.objects.none()


def get_alert_for_user(user: Any, pk: Any, *, write: bool = False) -> Alert:
    """One alert, or ``NotVisible`` (404); acknowledging (``write``) is ATD's (403 otherwise)."""
    try:
        alert = visible_alerts(user).get(pk=pk)
    except (Alert.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    if write and not is_atd_member(user):
        raise PermissionDenied
    return alert


def visible_articles(user: Any) -> QuerySet[KnowledgeArticle]:
    """The knowledge base: for the hotline's people."""
    if not is_hotline_member(user):
        return KnowledgeArticle.objects.none()
    return KnowledgeArticle.objects.all()


def get_article_for_user(user: Any, pk: Any, *, write: bool = False) -> KnowledgeArticle:
    """One article, or ``NotVisible`` (404); editing (``write``) is the hotline supervisor's (403)."""
    try:
        article = visible_articles(user).get(pk=pk)
    except (KnowledgeArticle.DoesNotExist, ValueError, ValidationError):
        raise NotVisible from None
    if write and not is_hotline_supervisor(user):
        raise PermissionDenied
    return article


def may_see_dashboard(user: Any) -> bool:
    """The dashboard is for whoever has at least aggregate access to calls."""
    return can(user, Data.HOTLINE_CALLS, Level.AGGREGATE)


def dashboard_calls(user: Any) -> QuerySet[Call]:
    """The calls whose counts ``user`` gets: the line's (hotline), those ATD sees, or all (aggregates)."""
    if not may_see_dashboard(user):
        return Call.objects.none()
    if is_hotline_member(user):
        return Call.objects.filter(organisation_id=user.organisation_id)
    if is_atd_member(user):
        return Call.objects.filter(_atd_condition(user))
    if level_for(user, Data.HOTLINE_CALLS) == Level.AGGREGATE:
        return Call.objects.all()
    return Call.objects.none()


def suppresses_small_counts(user: Any) -> bool:
    """Viewers with counts only (no access to calls) get cells under the threshold suppressed."""
    return level_for(user, Data.HOTLINE_CALLS) == Level.AGGREGATE
