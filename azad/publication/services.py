"""Publication's writes and exports: the public dataset, and case-level exports with a second approver.

Every step is audited: ``publication.export_request.create`` / ``.approve`` /
``.refuse`` with the request's id, the filter codes and dates and the count
(never the reason or any personal data), and every download through
:func:`azad.audit.services.record_export`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import operator
from dataclasses import dataclass
from typing import Any

import pyzipper
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from azad.audit.services import client_ip, record_event, record_export
from azad.cases.access import visible_cases
from azad.core.spreadsheets import safe_cell
from azad.publication import access, dataset, htcds, kanon
from azad.publication.choices import RequestStatus
from azad.publication.models import ExportRequest

MIN_PASSWORD_LENGTH = 12
MAX_YEARS = 50


@dataclass
class PublicDataset:
    """The k-anonymous rows, the report, and the parameters they were built with."""

    rows: list[dict[str, Any]]
    report: kanon.Report
    year_from: int
    year_to: int
    identified_only: bool


# The anonymiser's level names, for people to read.
LEVEL_LABELS: dict[str, Any] = {
    "value": _lazy("as recorded"),
    "year": _lazy("year"),
    "two years": _lazy("two-year span"),
    "five years": _lazy("five-year span"),
    "CTDC age band": _lazy("CTDC age band"),
    "broad age band": _lazy("broad age band"),
    "child or adult": _lazy("child or adult"),
    "country": _lazy("country"),
    "region": _lazy("world region"),
    "withheld": _lazy("withheld"),
}


def level_label(name: str) -> str:
    """A generalisation level's name in the reader's language."""
    return str(LEVEL_LABELS.get(name, name))


def kanon_error_message(error: kanon.KAnonymityError) -> str:
    """A translated message for the anonymiser's refusals."""
    if error.code == "unknown_quasi_identifier":
        return _("Unknown quasi-identifier: %(names)s. Choose from: %(known)s.") % {
            "names": ", ".join(error.params.get("names", [])),
            "known": ", ".join(error.params.get("known", [])),
        }
    if error.code == "k_too_small":
        return _("k must be a whole number of at least 2: with k = 1 every person could be singled out.")
    if error.code == "no_quasi_identifiers":
        return _("Choose at least one quasi-identifier.")
    if error.code == "repeated_quasi_identifier":
        return _("Each quasi-identifier may be chosen once.")
    if error.code == "bad_suppression":
        return _("The share of rows that may be suppressed must be at least 0 and below 1.")
    return _("The dataset could not be anonymised with these settings.")


def validate_public_parameters(
    *, year_from: int, year_to: int, k: Any, quasi_identifiers: list[str], max_suppression: Any
) -> None:
    """Raise ``ValidationError`` with a translated message for bad parameters (nothing is read)."""
    try:
        kanon.validate(quasi_identifiers, k, max_suppression)
    except kanon.KAnonymityError as error:
        raise ValidationError(kanon_error_message(error), code=error.code) from None
    if year_from > year_to:
        raise ValidationError(_("The first year must not be after the last."), code="years_reversed")
    if year_to - year_from >= MAX_YEARS:
        raise ValidationError(_("Choose at most %(n)s years.") % {"n": MAX_YEARS}, code="too_many_years")


def build_public_dataset(
    *,
    actor: Any,
    year_from: int,
    year_to: int,
    k: int,
    quasi_identifiers: list[str],
    max_suppression: float,
    identified_only: bool = False,
    progress: Any = None,
) -> PublicDataset:
    """The k-anonymous dataset (nothing is recorded until it is exported: :func:`record_public_export`).

    ``actor`` is a person (who must have ``statistics`` at least ``agg``) or the
    name of a command run by an operator on the server.
    """
    if not isinstance(actor, str) and not access.may_publish(actor):
        raise PermissionDenied
    validate_public_parameters(
        year_from=year_from,
        year_to=year_to,
        k=k,
        quasi_identifiers=quasi_identifiers,
        max_suppression=max_suppression,
    )
    rows = dataset.build_rows(year_from, year_to, identified_only=identified_only, progress=progress)
    result = kanon.anonymise(rows, quasi_identifiers, k, max_suppression=max_suppression)
    return PublicDataset(result.rows, result.report, year_from, year_to, identified_only)


class _SafeCells(dict[Any, Any]):
    """``safe_cell`` remembered per value: the public dataset repeats a few values many times."""

    def __missing__(self, value: Any) -> Any:
        cell = self[value] = safe_cell(value)
        return cell


def public_dataset_csv(data: PublicDataset) -> bytes:
    """The dataset as CSV in the CTDC column order (every cell formula-safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(dataset.COLUMNS)
    cells = _SafeCells()
    values = operator.itemgetter(*dataset.COLUMNS)
    writer.writerows(list(map(cells.__getitem__, values(row))) for row in data.rows)
    return buffer.getvalue().encode("utf-8")


def public_dataset_xlsx(data: PublicDataset) -> bytes:
    """The dataset as an XLSX workbook (one sheet, CTDC column order, every cell formula-safe)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("CTDC")
    sheet.append(list(dataset.COLUMNS))
    cells = _SafeCells()
    values = operator.itemgetter(*dataset.COLUMNS)
    for row in data.rows:
        sheet.append(list(map(cells.__getitem__, values(row))))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def record_public_export(
    data: PublicDataset, *, actor: Any, request: HttpRequest | None = None, kind: str = "ctdc_dataset.csv"
) -> None:
    """Audit a download of the public dataset (parameters and counts)."""
    report = data.report
    record_export(
        actor,
        kind=kind,
        count=report.rows_out,
        request=request,
        filters={
            "year_from": data.year_from,
            "year_to": data.year_to,
            "k": report.k,
            "quasi_identifiers": ",".join(report.quasi_identifiers),
            "max_suppression": report.max_suppression,
            "identified_only": data.identified_only,
            "rows_suppressed": report.rows_suppressed,
        },
        public=(
            "year_from",
            "year_to",
            "k",
            "quasi_identifiers",
            "max_suppression",
            "identified_only",
            "rows_suppressed",
        ),
    )


# --- Case-level exports -------------------------------------------------------------------------


def _filtered_cases(user: Any, export: ExportRequest) -> Any:
    start = dt.datetime.combine(export.date_from, dt.time.min, tzinfo=dataset.BAKU)
    end = dt.datetime.combine(export.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dataset.BAKU)
    cases = visible_cases(user).filter(first_contact_at__gte=start, first_contact_at__lt=end)
    if export.stage:
        cases = cases.filter(stage=export.stage)
    if export.trafficking_status:
        cases = cases.filter(trafficking_status=export.trafficking_status)
    return cases


def _filters(export: ExportRequest) -> dict[str, Any]:
    return {
        "date_from": export.date_from.isoformat(),
        "date_to": export.date_to.isoformat(),
        "stage": export.stage,
        "trafficking_status": export.trafficking_status,
    }


def create_export_request(
    *,
    actor: Any,
    reason: str,
    date_from: dt.date,
    date_to: dt.date,
    stage: str = "",
    trafficking_status: str = "",
    request: HttpRequest | None = None,
) -> ExportRequest:
    """Ask for a case-level export; it waits for another person's approval."""
    if not access.may_request_export(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data is needed.")})
    if date_from > date_to:
        raise ValidationError({"date_to": _("The end of the period must not be before its start.")})
    export = ExportRequest(
        requested_by=actor,
        reason=reason.strip(),
        date_from=date_from,
        date_to=date_to,
        stage=stage,
        trafficking_status=trafficking_status,
    )
    with transaction.atomic():
        export.case_count = _filtered_cases(actor, export).count()
        export.save(force_insert=True)
        record_event(
            "publication.export_request.create",
            actor=actor,
            target=export,
            payload={"filters": _filters(export), "count": export.case_count},
            ip_address=client_ip(request),
        )
    return export


def _decide(export: ExportRequest, *, actor: Any) -> ExportRequest:
    """The request, locked, if ``actor`` may decide it now."""
    if not access.may_approve_export(actor):
        raise PermissionDenied
    locked = ExportRequest.objects.select_for_update().get(pk=export.pk)
    if locked.requested_by_id == actor.pk:
        raise ValidationError(
            _("You cannot approve or refuse your own request: a second person must decide it."),
            code="self_approval",
        )
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    return locked


def approve_export_request(
    export: ExportRequest, *, actor: Any, request: HttpRequest | None = None
) -> ExportRequest:
    """Approve another person's request; they may then download it once before it expires."""
    with transaction.atomic():
        locked = _decide(export, actor=actor)
        locked.status = RequestStatus.APPROVED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        record_event(
            "publication.export_request.approve",
            actor=actor,
            target=locked,
            payload={"filters": _filters(locked), "count": locked.case_count},
            ip_address=client_ip(request),
        )
    return locked


def refuse_export_request(
    export: ExportRequest, *, actor: Any, reason: str = "", request: HttpRequest | None = None
) -> ExportRequest:
    """Refuse another person's request (the reason is encrypted and not audited)."""
    with transaction.atomic():
        locked = _decide(export, actor=actor)
        locked.status = RequestStatus.REFUSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.refusal_reason = reason.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        record_event(
            "publication.export_request.refuse",
            actor=actor,
            target=locked,
            payload={"filters": _filters(locked)},
            ip_address=client_ip(request),
        )
    return locked


def download_export(
    export: ExportRequest, *, actor: Any, password: str, request: HttpRequest | None = None
) -> tuple[bytes, int]:
    """The approved export as an AES-256 encrypted ZIP (CSV and XLSX), once; returns (zip, rows).

    Only the requester downloads, only after another person approved, only
    once and before it expires. ``password`` is used for the ZIP and never stored.
    """
    if export.requested_by_id != getattr(actor, "pk", None) or not access.may_request_export(actor):
        raise PermissionDenied
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": _("Choose a password of at least %(n)s characters.") % {"n": MIN_PASSWORD_LENGTH}}
        )
    with transaction.atomic():
        locked = ExportRequest.objects.select_for_update().get(pk=export.pk)
        if locked.status == RequestStatus.PENDING:
            raise ValidationError(
                _(
                    "This export has no approver yet: a second person must approve it before it can be downloaded."
                ),
                code="not_approved",
            )
        if locked.status == RequestStatus.REFUSED:
            raise ValidationError(_("This export was refused."), code="refused")
        if locked.status == RequestStatus.DOWNLOADED:
            raise ValidationError(
                _("This export has already been downloaded; request it again."), code="used"
            )
        if locked.is_expired:
            raise ValidationError(_("The approval has expired; request the export again."), code="expired")
        table = htcds.rows(_filtered_cases(actor, locked))
        archive = zip_with_password(
            {
                f"htcds-cases-{locked.reference}.csv": htcds.to_csv(table),
                f"htcds-cases-{locked.reference}.xlsx": htcds.to_xlsx(table),
            },
            password,
        )
        locked.status = RequestStatus.DOWNLOADED
        locked.downloaded_at = timezone.now()
        locked.save(update_fields=["status", "downloaded_at"])
        count = len(table) - 1
        record_export(
            actor,
            kind="htcds_cases.zip",
            count=count,
            request=request,
            filters={"request": str(locked.pk), **_filters(locked)},
            public=("request", "date_from", "date_to", "stage", "trafficking_status"),
        )
    return archive, count


def zip_with_password(files: dict[str, bytes], password: str) -> bytes:
    """A ZIP of ``files`` encrypted with AES-256 (WinZip AES) under ``password``."""
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def default_k() -> int:
    return int(settings.AZAD_PUBLICATION_K)


def default_max_suppression() -> float:
    return float(settings.AZAD_PUBLICATION_MAX_SUPPRESSION)
