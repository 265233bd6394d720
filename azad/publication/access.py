"""Who may publish, request, approve and download. Deny by default.

* **The public k-anonymous dataset** — anyone with ``statistics`` at least
  ``agg`` (analysts, the National Coordinator, police, ...): it holds no record
  of a person, only rows every combination of whose quasi-identifiers occurs at
  least k times. The same people see every build of it (anyone's: a build is
  the published dataset, not anyone's work in progress); for others the pages
  are forbidden (403), and a build that does not exist is 404.
* **Requesting a case-level (HTCDS) export** — people who write case content and
  either supervise ATD (``police_supervisor``) or have national scope. The rows
  are the cases the requester sees (:func:`azad.cases.access.visible_cases`).
* **Approving or refusing** — a ``police_supervisor`` (ATD holds the central
  database), never the requester.
* **Seeing a request** — the requester and the approvers; for anyone else it
  does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from azad.core.exceptions import NotVisible
from azad.core.permissions import Data, Level, Role, Scope, can
from azad.publication.models import DatasetRun, ExportRequest

EXPORT_APPROVER_ROLES: frozenset[str] = frozenset({Role.POLICE_SUPERVISOR})


def may_publish(user: Any) -> bool:
    """Whether ``user`` may build and download the public k-anonymous dataset."""
    return can(user, Data.STATISTICS, Level.AGGREGATE)


def visible_runs(user: Any) -> QuerySet[DatasetRun]:
    """Builds of the public dataset ``user`` may see (all, for a publisher), without their files."""
    if not may_publish(user):
        return DatasetRun.objects.none()
    return DatasetRun.objects.defer("csv", "xlsx").select_related("requested_by")


def get_run_for_user(user: Any, pk: Any, *, with_files: bool = False) -> DatasetRun:
    """One build, or :class:`NotVisible` (404); ``with_files`` loads its CSV and XLSX too."""
    runs = visible_runs(user)
    if with_files:
        runs = runs.defer(None).select_related("requested_by")
    try:
        return runs.get(pk=pk)
    except (DatasetRun.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotVisible from None


def may_request_export(user: Any) -> bool:
    """Whether ``user`` may ask for a case-level export."""
    if not can(user, Data.CASE_CONTENT, Level.WRITE):
        return False
    return getattr(user, "role", "") == Role.POLICE_SUPERVISOR or getattr(user, "scope", "") == Scope.NATIONAL


def may_approve_export(user: Any) -> bool:
    """Whether ``user`` may approve or refuse case-level exports (not their own)."""
    return getattr(user, "role", "") in EXPORT_APPROVER_ROLES and can(user, Data.CASE_CONTENT, Level.WRITE)


def may_use_exports(user: Any) -> bool:
    return may_request_export(user) or may_approve_export(user)


def visible_requests(user: Any) -> QuerySet[ExportRequest]:
    """Requests ``user`` may see: all for an approver, their own for a requester, none otherwise."""
    requests = ExportRequest.objects.select_related("requested_by", "decided_by")
    if may_approve_export(user):
        return requests
    if may_request_export(user):
        return requests.filter(requested_by=user)
    return requests.none()


def get_request_for_user(user: Any, pk: Any) -> ExportRequest:
    """One request ``user`` may see, or :class:`NotVisible` (404)."""
    try:
        return visible_requests(user).get(pk=pk)
    except (ExportRequest.DoesNotExist, ValueError, TypeError):
        raise NotVisible from None
