"""What a person gets: the figures, suppressed when they must be, as tables, CSV, XLSX or JSON.

Pages, downloads and the API all go through :func:`figures_for_user`, so the
same person sees the same numbers everywhere. Spreadsheet cells go through
:func:`azad.core.spreadsheets.safe_cell` (labels may one day come from data).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from azad.core.spreadsheets import safe_cell, safe_row
from azad.statistics import access, figures, suppression
from azad.statistics.figures import Figure, Filters

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_LIMIT = 31


def figures_for_user(
    user: Any, filters: Filters, keys: Iterable[str] | None = None
) -> tuple[list[Figure], int | None]:
    """The figures ``user`` may see, and the threshold if they were suppressed (``None`` otherwise)."""
    computed = figures.compute_all(filters, keys)
    if not access.must_suppress(user):
        return computed, None
    limit = access.threshold()
    return [suppression.suppress(figure, limit) for figure in computed], limit


def cell_text(value: int | None, limit: int | None) -> str:
    """A value as people read it: suppressed cells as ``<11``."""
    if value is None:
        return f"<{limit}" if limit else "-"
    return str(value)


def csv_text(shown: list[Figure], filters: Filters, limit: int | None) -> tuple[str, int]:
    """The figures as one CSV (a block per figure) and the number of data rows written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row([_("Period"), filters.start.isoformat(), filters.end.isoformat()]))
    writer.writerow(safe_row([_("Region"), filters.region or _("All regions")]))
    if limit:
        writer.writerow(safe_row([_("Counts under %(n)s are not shown.") % {"n": limit}]))
    count = 0
    for figure in shown:
        writer.writerow([])
        writer.writerow(safe_row([figure.key, figure.title]))
        writer.writerow(safe_row([figure.row_label, *figure.columns]))
        for row in figure.rows:
            writer.writerow(safe_row([row.label, *(cell_text(v, limit) for v in row.values)]))
            count += 1
    return buffer.getvalue(), count


def xlsx_bytes(shown: list[Figure], filters: Filters, limit: int | None) -> tuple[bytes, int]:
    """The figures as an XLSX workbook (a sheet per figure) and the number of data rows written."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    count = 0
    used: set[str] = set()
    for figure in shown:
        title = figure.key[:SHEET_TITLE_LIMIT]
        suffix = 2
        while title in used:
            title = f"{figure.key[: SHEET_TITLE_LIMIT - 3]}_{suffix}"
            suffix += 1
        used.add(title)
        sheet = workbook.create_sheet(title)
        sheet.append([safe_cell(figure.title)])
        sheet.append(
            safe_row(
                [
                    _("Period"),
                    filters.start.isoformat(),
                    filters.end.isoformat(),
                    filters.region or _("All regions"),
                ]
            )
        )
        if limit:
            sheet.append([safe_cell(_("Counts under %(n)s are not shown.") % {"n": limit})])
        sheet.append([])
        sheet.append(safe_row([figure.row_label, *figure.columns]))
        for row in figure.rows:
            sheet.append(
                [safe_cell(row.label), *(v if v is not None else cell_text(v, limit) for v in row.values)]
            )
            count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def figure_json(figure: Figure, filters: Filters, limit: int | None) -> dict[str, Any]:
    """A figure as the API returns it."""
    return {
        "key": figure.key,
        "title": figure.title,
        "start": filters.start.isoformat(),
        "end": filters.end.isoformat(),
        "region": filters.region,
        "row_label": figure.row_label,
        "columns": list(figure.columns),
        "rows": [{"label": row.label, "values": list(row.values)} for row in figure.rows],
        "chart": figure.chart,
        "suppressed": figure.suppressed,
        "suppressed_below": limit,
    }
