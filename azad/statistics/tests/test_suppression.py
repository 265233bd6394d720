"""Small-cell suppression: primary and secondary, proved on random tables (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from azad.statistics.figures import Figure, FigureRow
from azad.statistics.suppression import recoverable_cells, suppress, suppress_table

THRESHOLD = 11


def _rank(rows: list[list[Fraction]]) -> int:
    """Rank by exact Gaussian elimination (independent of the numpy check the module uses)."""
    matrix = [row[:] for row in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def determined_cells(table: list[list[int | None]]) -> set[tuple[int, int]]:
    """Suppressed cells an attacker who knows every row and column total (of 2+ cells) can work out."""
    hidden = [(r, c) for r, row in enumerate(table) for c, v in enumerate(row) if v is None]
    n_rows, n_cols = len(table), len(table[0])
    lines = []
    if n_cols >= 2:
        lines += [{(r, c) for c in range(n_cols)} for r in range(n_rows)]
    if n_rows >= 2:
        lines += [{(r, c) for r in range(n_rows)} for c in range(n_cols)]
    equations = [[Fraction(int(cell in line)) for cell in hidden] for line in lines]
    equations = [e for e in equations if any(e)]
    if not equations:
        return set()
    base = _rank(equations)
    found = set()
    for i, cell in enumerate(hidden):
        unit = [Fraction(int(j == i)) for j in range(len(hidden))]
        if _rank([*equations, unit]) == base:
            found.add(cell)
    return found


tables = st.integers(1, 6).flatmap(
    lambda n_cols: st.lists(
        st.lists(st.one_of(st.integers(0, 15), st.integers(0, 400)), min_size=n_cols, max_size=n_cols),
        min_size=1,
        max_size=7,
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_it_never_shows_a_cell_below_the_threshold(table):
    result = suppress_table(table, THRESHOLD)
    for original, shown in zip(table, result, strict=True):
        for value, cell in zip(original, shown, strict=True):
            assert cell is None or cell == value
            if 0 < value < THRESHOLD:
                assert cell is None


@settings(max_examples=300, deadline=None)
@given(tables)
def test_it_leaves_no_suppressed_cell_recoverable_from_the_totals(table):
    result = suppress_table(table, THRESHOLD)
    assert determined_cells(result) == set()
    assert recoverable_cells(result) == []


@settings(max_examples=200, deadline=None)
@given(tables)
def test_it_shows_tables_without_small_cells_unchanged(table):
    big = [[0 if v < THRESHOLD else v for v in row] for row in table]
    assert suppress_table(big, THRESHOLD) == big


def test_it_shows_zero_and_hides_one_to_ten():
    assert suppress_table([[0, 1, 10, 11]], THRESHOLD)[0][0] == 0
    assert suppress_table([[0, 1, 10, 11]], THRESHOLD)[0][1:3] == [None, None]


def test_it_hides_the_next_smallest_cell_when_one_is_alone_in_its_row():
    # 5 alone would be 105 - 40 - 60 from the row total: the smallest other cell (40) goes too.
    assert suppress_table([[5, 40, 60]], THRESHOLD) == [[None, None, 60]]


def test_it_protects_a_hidden_cell_along_rows_and_columns():
    result = suppress_table([[5, 40], [50, 60]], THRESHOLD)
    assert result == [[None, None], [None, None]]


def test_it_does_not_count_a_single_cell_row_as_a_total():
    # One column: the rows are single cells, the column total protects; 3 alone would be recoverable.
    assert suppress_table([[3], [20], [30]], THRESHOLD) == [[None], [None], [30]]


def test_it_refuses_a_threshold_below_two():
    with pytest.raises(ValueError, match="at least 2"):
        suppress_table([[1]], 1)


def test_it_marks_a_figure_suppressed_and_keeps_its_labels():
    figure = Figure("k", "t", "r", ("a", "b"), (FigureRow("x", (3, 50)), FigureRow("y", (40, 60))))
    shown = suppress(figure, THRESHOLD)
    assert shown.suppressed
    assert [row.label for row in shown.rows] == ["x", "y"]
    assert shown.rows[0].values[0] is None
    assert not suppress(Figure("k", "t", "r", ("a",), (FigureRow("x", (50,)),)), THRESHOLD).suppressed


def test_it_hides_a_dependent_value_with_the_count_it_describes():
    figure = Figure(
        "shelter_occupancy",
        "Shelter occupancy",
        "Month",
        ("Started", "Persons", "Bed-days"),
        (FigureRow("2025-01", (20, 1, 29)), FigureRow("2025-02", (30, 40, 900))),
        hidden_with=((2, 1),),
    )

    rows = suppress(figure, 11).rows

    assert rows[0].values[1] is None
    assert rows[0].values[2] is None
    assert recoverable_cells([list(row.values) for row in rows]) == []
