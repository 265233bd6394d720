"""Charts of the figures: matplotlib SVG (Agg backend), served without JavaScript.

A suppressed cell is drawn as a gap (no bar, a break in the line) and the
chart says so under its axes. Charts are cached by their content for a few
minutes: drawing takes a good part of a second and figures are aggregates
(no personal data reaches the cache).
"""

from __future__ import annotations

import hashlib
import io
import json

from django.core.cache import cache
from django.utils.translation import gettext as _

from azad.statistics.figures import Figure

CACHE_SECONDS = 600
COLOURS = ("#1f5f8b", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#566573")


def figure_svg(figure: Figure) -> str:
    """``figure`` as an SVG document (text)."""
    digest = hashlib.sha256(
        json.dumps(
            [
                figure.key,
                figure.title,
                figure.columns,
                [(r.label, r.values) for r in figure.rows],
                figure.chart,
            ]
        ).encode()
    ).hexdigest()
    key = f"statistics-chart-{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = _draw(figure)
        cache.set(key, svg, CACHE_SECONDS)
    return str(svg)


def _draw(figure: Figure) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure as MplFigure

    labels = [row.label for row in figure.rows]
    n = len(labels)
    plot = MplFigure(figsize=(6.4, 3.4 if figure.chart == "line" else max(2.4, 0.34 * n + 1.2)))
    axes = plot.add_subplot()
    gaps = any(v is None for row in figure.rows for v in row.values)
    if not figure.rows:
        axes.text(0.5, 0.5, _("No data for this period."), ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
    elif figure.chart == "line":
        for index, column in enumerate(figure.columns):
            values = [float("nan" if (v := row.values[index]) is None else v) for row in figure.rows]
            axes.plot(range(n), values, marker="o", label=column, color=COLOURS[index % len(COLOURS)])
        step = max(1, n // 12)
        axes.set_xticks(range(0, n, step), labels[::step], rotation=45, ha="right", fontsize=7)
        axes.set_ylim(bottom=0)
    else:
        positions = range(n)
        width = 0.8 / (1 if figure.chart == "stacked" else max(1, len(figure.columns)))
        lefts = [0.0] * n
        for index, column in enumerate(figure.columns):
            shown: list[tuple[int, int]] = [
                (i, v) for i, row in enumerate(figure.rows) if (v := row.values[index]) is not None
            ]
            if figure.chart == "stacked":
                axes.barh(
                    [i for i, _v in shown],
                    [v for _i, v in shown],
                    left=[lefts[i] for i, _v in shown],
                    height=0.8,
                    label=column,
                    color=COLOURS[index % len(COLOURS)],
                )
                for i, v in shown:
                    lefts[i] += v
            else:
                offset = -0.4 + width * (index + 0.5)
                axes.barh(
                    [i + offset for i, _v in shown],
                    [v for _i, v in shown],
                    height=width,
                    label=column,
                    color=COLOURS[index % len(COLOURS)],
                )
        axes.set_yticks(list(positions), labels, fontsize=8)
        axes.invert_yaxis()
    if figure.rows and len(figure.columns) > 1:
        axes.legend(fontsize=7, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    if gaps:
        plot.text(0.01, 0.01, _("Gaps: small numbers not shown."), fontsize=7, color="#555555")
    # Margins from the label lengths: tight_layout would draw the chart twice to measure them.
    longest = max((len(label) for label in labels), default=0)
    if figure.chart == "line":
        plot.subplots_adjust(left=0.09, right=0.98, top=0.95, bottom=0.24 if gaps else 0.2)
    else:
        left = min(0.55, 0.06 + 0.0125 * longest)
        plot.subplots_adjust(left=left, right=0.97, top=0.97, bottom=0.12 if gaps else 0.08)
    buffer = io.StringIO()
    # Text as SVG text, not glyph paths: smaller, faster, and translatable labels stay searchable.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "azad"}):
        plot.savefig(buffer, format="svg")
    return buffer.getvalue()
