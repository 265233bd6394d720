"""What the annual report says: its figures for the year beside the previous year's.

Every table comes from :func:`azad.statistics.figures.compute` (the same
figures as the dashboards), and is **always suppressed** with the configured
threshold, whoever generates the report: the report goes to Parliament and
the Ombudsman, so it is a publication (cells under the threshold and the
secondary cells that would reveal them show as "<k").

The result is a plain dict (JSON) stored on the run, so that the web page and
the PDF render the same numbers, and a run can be shown again without
counting anything.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from itertools import zip_longest
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from azad.cases.clocks import ClockKind, overdue_counts_for_year
from azad.cases.models import Case
from azad.core.places import country_label
from azad.reports.choices import Step
from azad.statistics import access as statistics_access
from azad.statistics import charts, figures, suppression
from azad.statistics.figures import Figure, FigureRow, Filters

Progress = Callable[[int, Step], None]


def _no_progress(_percent: int, _step: Step) -> None:
    return None


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _pairs(current: Figure, previous: Figure) -> list[tuple[str, FigureRow | None, FigureRow | None]]:
    """Rows of the two years side by side: matched by label, or by position when no label recurs.

    Breakdowns (sex, exploitation, ...) share labels across years; a series
    over time (months of the year, labelled with the year) shares none, so its
    rows are matched by position and labelled with this year's label.
    """
    current_labels = [row.label for row in current.rows]
    previous_by_label = {row.label: row for row in previous.rows}
    if previous.rows and not set(current_labels) & set(previous_by_label):
        return [
            (cur.label if cur is not None else (prev.label if prev is not None else ""), cur, prev)
            for cur, prev in zip_longest(current.rows, previous.rows)
        ]
    pairs: list[tuple[str, FigureRow | None, FigureRow | None]] = [
        (row.label, row, previous_by_label.get(row.label)) for row in current.rows
    ]
    pairs += [(row.label, None, row) for row in previous.rows if row.label not in set(current_labels)]
    return pairs


def _values(row: FigureRow | None, width: int) -> list[int | None]:
    """A row's cells; a row the year does not have counts zero in every column."""
    return list(row.values) if row is not None else [0] * width


def comparison(current: Figure, previous: Figure, year: int) -> dict[str, Any]:
    """One figure of the report: this year's and the previous year's cells in adjacent columns."""
    width = len(current.columns)
    single = width == 1
    header: list[str] = []
    for column in current.columns:
        for shown_year in (year, year - 1):
            header.append(str(shown_year) if single else f"{column} — {shown_year}")
    rows = []
    for label, cur, prev in _pairs(current, previous):
        now_values, before = _values(cur, width), _values(prev, width)
        cells: list[int | None] = []
        for index in range(width):
            cells += [now_values[index], before[index] if index < len(before) else 0]
        rows.append({"label": label, "cells": cells})
    has_data = any(value is None or value > 0 for row in current.rows for value in row.values)
    return {
        "key": current.key,
        "title": current.title,
        "row_label": current.row_label,
        "header": header,
        "rows": rows,
        "has_data": has_data,
        "suppressed": current.suppressed or previous.suppressed,
    }


def any_data(table: dict[str, Any]) -> bool:
    """Whether either year has a count shown in ``table``: a chart of zeros or gaps only says nothing."""
    return any(cell is not None and cell > 0 for row in table["rows"] for cell in row["cells"])


def comparison_figure(table: dict[str, Any], chart: str) -> Figure:
    """The comparison as a Figure to draw: one bar (or line) per year and column for each label.

    A stacked chart becomes grouped bars: stacking two years would add them up.
    """
    return Figure(
        key=str(table["key"]),
        title=str(table["title"]),
        row_label=str(table["row_label"]),
        columns=tuple(table["header"]),
        rows=tuple(FigureRow(label=str(row["label"]), values=tuple(row["cells"])) for row in table["rows"]),
        chart="bar" if chart == "stacked" else chart,
        suppressed=bool(table["suppressed"]),
    )


CLOCKS_KEY = "clocks_met_and_missed"
PERSONS_KEY = "persons_counted_once"
MERGED_ROW = 2  # persons_counted_once: records, distinct persons, records merged


def _overdue_cells(clocks_figure: Figure, permit_overdue: int | None) -> list[tuple[str, int | None]]:
    """Overdue clocks per kind: met late + missed from the (suppressed) clocks figure, plus permits.

    Taken from the suppressed figure so that the report never shows a sum that
    would reveal a cell the figure hides: a kind with a hidden part is withheld.
    """
    cells: list[tuple[str, int | None]] = []
    for row in clocks_figure.rows:
        late, missed = row.values[1], row.values[2]
        cells.append((row.label, None if late is None or missed is None else late + missed))
    cells.append((str(ClockKind.RESIDENCE_PERMIT.label), permit_overdue))
    return cells


def _permits_overdue(year: int, threshold: int) -> int | None:
    """Residence permits that expired in ``year`` while the case was open (primary suppression)."""
    expiring = Case.objects.filter(
        residence_permit_expires_on__gte=dt.date(year, 1, 1),
        residence_permit_expires_on__lte=dt.date(year, 12, 31),
    )
    count = overdue_counts_for_year(year, cases=expiring).get(ClockKind.RESIDENCE_PERMIT, 0)
    return None if 0 < count < threshold else count


def overdue_table(current: Figure, previous: Figure, year: int, threshold: int) -> dict[str, Any]:
    """The overdue legal clocks of the year beside the previous year's (for Law Art. 7.5)."""
    now = _overdue_cells(current, _permits_overdue(year, threshold))
    before = dict(_overdue_cells(previous, _permits_overdue(year - 1, threshold)))
    rows = [{"label": label, "cells": [value, before.get(label, 0)]} for label, value in now]
    return {
        "key": "overdue_clocks",
        "title": _("Legal clocks that went overdue (met late or missed)"),
        "row_label": _("Clock"),
        "header": [str(year), str(year - 1)],
        "rows": rows,
        "has_data": any(value is None or value > 0 for _label, value in now),
        "suppressed": any(cell is None for row in rows for cell in row["cells"]),
        "chart": "",
    }


def _merged(persons_figure: Figure) -> int | None:
    """Records merged as the same person, as the (suppressed) counting-once figure shows it."""
    if len(persons_figure.rows) <= MERGED_ROW:
        return None
    return persons_figure.rows[MERGED_ROW].values[0]


def build(
    year: int,
    language: str,
    narrative: str,
    *,
    progress: Progress = _no_progress,
    keys: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The report's content for ``year`` in ``language`` (see the module docstring)."""
    keys = list(keys if keys is not None else figures.FIGURE_KEYS)
    threshold = statistics_access.threshold()
    with translation.override(language):
        this_year, last_year = figures.year_filters(year), figures.year_filters(year - 1)
        steps = max(1, len(keys))
        progress(2, Step.FIGURES)
        current: list[Figure] = []
        for index, key in enumerate(keys):
            current.append(suppression.suppress(figures.compute(key, this_year), threshold))
            progress(2 + 38 * (index + 1) // steps, Step.FIGURES)
        previous: list[Figure] = []
        for index, key in enumerate(keys):
            previous.append(suppression.suppress(figures.compute(key, last_year), threshold))
            progress(40 + 20 * (index + 1) // steps, Step.PREVIOUS)
        tables = [comparison(cur, prev, year) for cur, prev in zip(current, previous, strict=True)]
        progress(62, Step.CLOCKS)

        def suppressed(key: str, filters: Filters, computed: list[Figure]) -> Figure:
            found = next((figure for figure in computed if figure.key == key), None)
            return found or suppression.suppress(figures.compute(key, filters), threshold)

        overdue = overdue_table(
            suppressed(CLOCKS_KEY, this_year, current),
            suppressed(CLOCKS_KEY, last_year, previous),
            year,
            threshold,
        )
        merged = _merged(suppressed(PERSONS_KEY, this_year, current))
        progress(65, Step.CHARTS)
        for index, (table, figure) in enumerate(zip(tables, current, strict=True)):
            table["chart"] = (
                _svg_data_uri(charts.figure_svg(comparison_figure(table, figure.chart)))
                if any_data(table)
                else ""
            )
            progress(65 + 20 * (index + 1) // steps, Step.CHARTS)
        return {
            "year": year,
            "previous_year": year - 1,
            "language": language,
            "country": country_label(getattr(settings, "AZAD_COUNTRY", "AZ")),
            "generated_at": timezone.now().isoformat(),
            "period_start": dt.date(year, 1, 1).isoformat(),
            "period_end": dt.date(year, 12, 31).isoformat(),
            "threshold": threshold,
            "narrative": narrative,
            "has_data": any(table["has_data"] for table in tables) or overdue["has_data"],
            "tables": tables,
            "overdue": overdue,
            "merged_records": merged,
        }
