"""Publication's writes and exports: the public dataset, and case-level exports with a second approver.

Every step is audited: ``publication.dataset_run.start`` / ``.finish`` with
the build's parameters and counts; ``publication.export_request.create`` /
``.approve`` / ``.refuse`` with the request's id, the filter codes and dates
and the count (never the reason or any personal data); and every download
through :func:`azad.audit.services.record_export`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Mapping
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
from azad.publication.choices import RequestStatus, RunStatus, RunStep
from azad.publication.models import DatasetRun, ExportRequest

MIN_PASSWORD_LENGTH = 12
MAX_YEARS = 50
MAX_K = 100_000
XLSX_PROGRESS_ROWS = 5_000


@dataclass
class PublicDataset:
    """The k-anonymous columns, the report, and the parameters they were built with."""

    columns: dict[str, list[Any]]
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
    if k > MAX_K:
        raise ValidationError(_("k may be at most %(max)s.") % {"max": MAX_K}, code="k_too_large")
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
    progress: Callable[[int, int], None] | None = None,
) -> PublicDataset:
    """The k-anonymous dataset, built here and now (nothing is recorded).

    ``actor`` is a person (who must have ``statistics`` at least ``agg``) or the
    name of a command run by an operator on the server. People start a
    :class:`DatasetRun` instead (:func:`start_public_dataset`), built outside the
    request; the command and the run call this. ``progress(done, total)`` is
    called after each chunk of cases read.
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
    columns = dataset.build_columns(year_from, year_to, identified_only=identified_only, progress=progress)
    result = kanon.anonymise(columns, quasi_identifiers, k, max_suppression=max_suppression)
    return PublicDataset(result.columns, result.report, year_from, year_to, identified_only)


class _SafeCells(dict[Any, Any]):
    """``safe_cell`` remembered per value: the public dataset repeats a few values many times."""

    def __missing__(self, value: Any) -> Any:
        cell = self[value] = safe_cell(value)
        return cell


def _safe_rows(data: PublicDataset) -> Iterator[tuple[Any, ...]]:
    """The rows in the CTDC column order, every cell formula-safe."""
    cells = _SafeCells()
    return zip(*(map(cells.__getitem__, data.columns[name]) for name in dataset.COLUMNS), strict=True)


def public_dataset_csv(data: PublicDataset) -> bytes:
    """The dataset as CSV in the CTDC column order (every cell formula-safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(dataset.COLUMNS)
    writer.writerows(_safe_rows(data))
    return buffer.getvalue().encode("utf-8")


def public_dataset_xlsx(data: PublicDataset, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The dataset as an XLSX workbook (one sheet, CTDC column order, every cell formula-safe).

    ``progress(done, total)`` is called every :data:`XLSX_PROGRESS_ROWS` rows.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("CTDC")
    sheet.append(list(dataset.COLUMNS))
    total = data.report.rows_out
    for done, row in enumerate(_safe_rows(data), start=1):
        sheet.append(row)
        if progress is not None and done % XLSX_PROGRESS_ROWS == 0:
            progress(done, total)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_PUBLIC_FILTERS = (
    "run",
    "year_from",
    "year_to",
    "k",
    "quasi_identifiers",
    "max_suppression",
    "identified_only",
    "rows_suppressed",
)


def record_public_export(
    parameters: Mapping[str, Any],
    report: Mapping[str, Any],
    *,
    actor: Any,
    request: HttpRequest | None = None,
    kind: str = "ctdc_dataset.csv",
    run: DatasetRun | None = None,
) -> None:
    """Audit a download of the public dataset (its parameters, counts and run)."""
    record_export(
        actor,
        kind=kind,
        count=report["rows_out"],
        request=request,
        filters={
            **({"run": str(run.pk)} if run is not None else {}),
            **parameters,
            "rows_suppressed": report["rows_suppressed"],
        },
        public=_PUBLIC_FILTERS,
    )


def _parameters(data: PublicDataset) -> dict[str, Any]:
    report = data.report
    return {
        "year_from": data.year_from,
        "year_to": data.year_to,
        "k": report.k,
        "quasi_identifiers": ",".join(report.quasi_identifiers),
        "max_suppression": report.max_suppression,
        "identified_only": data.identified_only,
    }


def record_command_export(data: PublicDataset, *, actor: str, kind: str) -> None:
    """Audit a dataset a command built and wrote out."""
    record_public_export(_parameters(data), data.report.as_dict(), actor=actor, kind=kind)


# --- Builds of the public dataset, outside the request -------------------------------------------

# A build that has not moved for this long was interrupted (its worker stopped).
STALE_AFTER = dt.timedelta(minutes=10)
GENERATOR_ACTOR = "azad public dataset"


def start_public_dataset(
    *,
    actor: Any,
    year_from: int,
    year_to: int,
    k: int,
    quasi_identifiers: list[str],
    max_suppression: float,
    identified_only: bool = False,
    request: HttpRequest | None = None,
) -> tuple[DatasetRun, bool]:
    """Queue a build of the public dataset; returns (run, created).

    ``actor`` is a person who may publish, or a command's name. A build with
    the same parameters still under way (anyone's: every publisher sees every
    build) is returned instead of queuing another (created = False), so a
    repeated click costs nothing. Bad parameters raise ``ValidationError``
    and write nothing.
    """
    is_user = getattr(actor, "is_authenticated", False)
    if (is_user and not access.may_publish(actor)) or (not is_user and not isinstance(actor, str)):
        raise PermissionDenied
    validate_public_parameters(
        year_from=year_from,
        year_to=year_to,
        k=k,
        quasi_identifiers=quasi_identifiers,
        max_suppression=max_suppression,
    )
    parameters: dict[str, Any] = {
        "year_from": year_from,
        "year_to": year_to,
        "k": k,
        "quasi_identifiers": ",".join(quasi_identifiers),
        "max_suppression": float(max_suppression),
        "identified_only": bool(identified_only),
    }
    with transaction.atomic():
        active = (
            DatasetRun.objects.defer("csv", "xlsx", "report")
            .filter(**parameters, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
            .filter(updated_at__gte=timezone.now() - STALE_AFTER)
            .order_by("-created_at")
            .first()
        )
        if active is not None:
            return active, False
        run = DatasetRun.objects.create(**parameters, requested_by=actor if is_user else None)
        record_event(
            "publication.dataset_run.start",
            actor=actor,
            target=run,
            payload=parameters,
            ip_address=client_ip(request),
        )
    return run, True


def record_run_progress(run: DatasetRun, progress: int, step: RunStep) -> None:
    """Move a running build's progress bar (not audited: it is the build's own bookkeeping)."""
    now = timezone.now()
    values: dict[str, Any] = {"progress": max(0, min(100, int(progress))), "step": step, "updated_at": now}
    if run.status == RunStatus.QUEUED:
        values.update(status=RunStatus.RUNNING, started_at=now)
    DatasetRun.objects.filter(pk=run.pk).update(**values)
    for name, value in values.items():
        setattr(run, name, value)


def finish_dataset_run(run: DatasetRun, *, report: dict[str, Any], csv: bytes, xlsx: bytes | None) -> None:
    """Store the built dataset and mark the run done (audited: counts and sizes, no row)."""
    now = timezone.now()
    with transaction.atomic():
        DatasetRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, step=RunStep.DONE, progress=100, report=report, csv=csv, xlsx=xlsx,
            error="", finished_at=now, updated_at=now,
        )  # fmt: skip
        record_event(
            "publication.dataset_run.finish",
            actor=GENERATOR_ACTOR,
            target=run,
            payload={
                "status": RunStatus.DONE,
                "rows_in": report["rows_in"],
                "rows_out": report["rows_out"],
                "rows_suppressed": report["rows_suppressed"],
                "bytes": len(csv),
            },
        )
    run.status, run.step, run.progress, run.report = RunStatus.DONE, RunStep.DONE, 100, report
    run.csv, run.xlsx, run.finished_at = csv, xlsx, now


def fail_dataset_run(run: DatasetRun, error: str) -> None:
    """Mark the run failed with the error's kind (a class name, never data), audited."""
    now = timezone.now()
    with transaction.atomic():
        DatasetRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, step=RunStep.FAILED, error=error[:300], finished_at=now, updated_at=now
        )
        record_event(
            "publication.dataset_run.finish",
            actor=GENERATOR_ACTOR,
            target=run,
            payload={"status": RunStatus.FAILED, "error": error[:300]},
        )
    run.status, run.step, run.error, run.finished_at = RunStatus.FAILED, RunStep.FAILED, error[:300], now


def is_stale(run: DatasetRun) -> bool:
    """Whether an unfinished run stopped moving (its worker was stopped): shown as interrupted."""
    return not run.finished and run.updated_at < timezone.now() - STALE_AFTER


def record_run_download(run: DatasetRun, *, actor: Any, request: HttpRequest | None, kind: str) -> None:
    """Audit a download of a finished run's file (``kind``: ctdc_dataset.csv or .xlsx)."""
    record_public_export(
        run.parameters(), dict(run.report or {}), actor=actor, request=request, kind=kind, run=run
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
