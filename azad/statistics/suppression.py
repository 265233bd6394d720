"""Small-cell suppression: no table shown to someone without case access can point at a person.

**Primary**: every count from 1 to ``threshold - 1`` becomes ``None``. Zero
is shown: "nobody" names no one, and hiding zeros would only make the
secondary step hide more real numbers (the CTDC shows zeros too).

**Secondary**: a reader may know (or add up) the total of every row and
every column of two or more cells, even when the table does not show it. A
suppressed cell must not be recoverable from those totals and the cells
shown. That is a question of linear algebra: the suppressed cells are the
unknowns, each row and column of two or more cells gives one equation, and a
cell is recoverable exactly when its unit vector lies in the span of the
equations. While one is, the smallest shown cell (non-zero first) in the
same row or column is suppressed too. Each step hides one more cell, so it
ends; tables here are small (tens of cells), so the rank tests cost nothing.

Treating every row and column as summable is on the safe side for tables
whose columns are not parts of a whole (presumed / identified victims): it
may hide a cell more than needed, never one fewer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from azad.statistics.figures import Figure, FigureRow

Cell = tuple[int, int]


def primary(values: Sequence[Sequence[int | None]], threshold: int) -> list[list[int | None]]:
    """Counts from 1 to ``threshold - 1`` replaced by ``None``."""
    return [[None if v is None or 0 < v < threshold else v for v in row] for row in values]


def _lines(n_rows: int, n_cols: int) -> list[list[Cell]]:
    """The rows and columns whose totals a reader may know (those of two or more cells)."""
    lines: list[list[Cell]] = []
    if n_cols >= 2:
        lines += [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    if n_rows >= 2:
        lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    return lines


def recoverable_cells(table: Sequence[Sequence[int | None]]) -> list[Cell]:
    """The suppressed cells that the row and column totals and the shown cells determine exactly."""
    hidden = [(r, c) for r, row in enumerate(table) for c, v in enumerate(row) if v is None]
    if not hidden:
        return []
    n_cols = len(table[0]) if table else 0
    index = {cell: i for i, cell in enumerate(hidden)}
    equations = [
        [1.0 if cell in line else 0.0 for cell in hidden]
        for line in _lines(len(table), n_cols)
        if any(cell in index for cell in line)
    ]
    if not equations:
        return []
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for cell, i in index.items():
        unit = np.zeros((1, len(hidden)))
        unit[0, i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(cell)
    return found


def _complement(table: list[list[int | None]], original: Sequence[Sequence[int]], cell: Cell) -> Cell | None:
    """The shown cell to hide next to protect ``cell``: the smallest in its row or column, non-zero first."""
    r, c = cell
    n_rows, n_cols = len(table), len(table[0])
    candidates = []
    if n_cols >= 2:
        candidates += [(r, j) for j in range(n_cols) if table[r][j] is not None]
    if n_rows >= 2:
        candidates += [(i, c) for i in range(n_rows) if table[i][c] is not None]
    if not candidates:
        candidates = [(i, j) for i in range(n_rows) for j in range(n_cols) if table[i][j] is not None]
    if not candidates:
        return None
    return min(candidates, key=lambda rc: (original[rc[0]][rc[1]] == 0, original[rc[0]][rc[1]], rc))


def _hide_dependents(table: list[list[int | None]], hidden_with: Sequence[tuple[int, int]]) -> None:
    """Hide each dependent cell whose guarding cell in the same row is hidden."""
    for row in table:
        for dependent, guard in hidden_with:
            if row[guard] is None:
                row[dependent] = None


def suppress_table(
    values: Sequence[Sequence[int | None]],
    threshold: int,
    hidden_with: Sequence[tuple[int, int]] = (),
) -> list[list[int | None]]:
    """Primary then secondary suppression of a table of counts (``None`` in the input counts as hidden).

    ``hidden_with`` pairs (dependent column, guarding column): a dependent value is
    hidden wherever its guarding count is, at every step.
    """
    if threshold < 2:
        raise ValueError("The suppression threshold must be at least 2.")
    original = [[0 if v is None else v for v in row] for row in values]
    table = primary(values, threshold)
    if not table or not table[0]:
        return table
    while True:
        _hide_dependents(table, hidden_with)
        exposed = recoverable_cells(table)
        if not exposed:
            return table
        extra = _complement(table, original, exposed[0])
        if extra is None:
            return table
        table[extra[0]][extra[1]] = None


def suppress(figure: Figure, threshold: int) -> Figure:
    """``figure`` with small cells and the cells that would reveal them replaced by ``None``."""
    table = suppress_table([list(row.values) for row in figure.rows], threshold, figure.hidden_with)
    rows = tuple(FigureRow(row.label, tuple(values)) for row, values in zip(figure.rows, table, strict=True))
    hidden = any(v is None for row in table for v in row)
    return dataclasses.replace(figure, rows=rows, suppressed=figure.suppressed or hidden)
