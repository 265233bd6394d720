"""The statistics pages: the dashboard (chart and table per figure) and its CSV/XLSX downloads.

Aggregates only; everything comes from :mod:`azad.statistics.output`, which
suppresses for those who :func:`~azad.statistics.access.must_suppress`. Not
allowed -> 403; bad filters -> 400 with the form's errors; unknown figure -> 404.
Every download is recorded as an export.
"""

from __future__ import annotations

import base64
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from azad.audit.services import record_export
from azad.statistics import access, charts, figures, output
from azad.statistics.forms import FilterForm

BAD_REQUEST = 400
FORMATS = ("csv", "xlsx")


def _allowed(request: HttpRequest) -> None:
    if not access.may_see_statistics(request.user):
        raise PermissionDenied


def _keys(key: str | None) -> list[str]:
    if key is None:
        return list(figures.FIGURE_KEYS)
    if key not in figures.FIGURE_KEYS:
        raise Http404
    return [key]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every figure as a chart with its table, for a period and region."""
    _allowed(request)
    form = FilterForm(request.GET or None)
    bound_ok = form.is_valid() if form.is_bound else True
    context: dict[str, Any] = {"form": form, "figures": [], "query": request.GET.urlencode()}
    if not bound_ok:
        return render(request, "statistics/dashboard.html", context, status=BAD_REQUEST)
    filters = form.cleaned_data["filters"] if form.is_bound else _default()
    shown, limit = output.figures_for_user(request.user, filters)
    context.update(
        {
            "filters": filters,
            "threshold": limit,
            "figures": [
                {
                    "figure": figure,
                    "chart": "data:image/svg+xml;base64,"
                    + base64.b64encode(charts.figure_svg(figure).encode()).decode(),
                    "rows": [
                        (row.label, [output.cell_text(v, limit) for v in row.values]) for row in figure.rows
                    ],
                }
                for figure in shown
            ],
        }
    )
    return render(request, "statistics/dashboard.html", context)


def _default() -> figures.Filters:
    from azad.statistics.forms import default_filters

    return default_filters()


@login_required
def download(request: HttpRequest, fmt: str, key: str | None = None) -> HttpResponse:
    """One figure or all as CSV or XLSX (recorded as an export)."""
    _allowed(request)
    if fmt not in FORMATS:
        raise Http404
    keys = _keys(key)
    form = FilterForm(request.GET)
    if not form.is_valid():
        return render(request, "statistics/dashboard.html", {"form": form, "figures": []}, status=BAD_REQUEST)
    filters = form.cleaned_data["filters"]
    shown, limit = output.figures_for_user(request.user, filters, keys)
    name = f"statistics-{key or 'all'}-{filters.start.isoformat()}-{filters.end.isoformat()}"
    if fmt == "csv":
        text, count = output.csv_text(shown, filters, limit)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    else:
        data, count = output.xlsx_bytes(shown, filters, limit)
        response = HttpResponse(data, content_type=output.XLSX_CONTENT_TYPE)
    record_export(
        request.user,
        kind=f"statistics.{fmt}",
        count=count,
        request=request,
        filters={
            "figure": key or "all",
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "region": filters.region,
            "suppressed": limit is not None,
        },
        public=("figure", "start", "end", "region", "suppressed"),
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
