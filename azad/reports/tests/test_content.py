"""The report's figures: the previous year beside each, always suppressed, no sum that reveals a cell."""

from __future__ import annotations

import pytest

from azad.reports import content
from azad.statistics import figures
from azad.statistics.figures import Figure, FigureRow

pytestmark = pytest.mark.django_db

SEX = {
    2025: (("Female", (40, 30)), ("Male", (12, 3))),
    2024: (("Female", (25, 20)), ("Male", (15, 12)), ("Not known", (11, 11))),
}


def _figure(key, rows, columns=("Presumed", "Identified"), chart="bar"):
    return Figure(
        key,
        "Victims by sex",
        "Sex",
        columns,
        tuple(FigureRow(label, values) for label, values in rows),
        chart,
    )


@pytest.fixture
def fake_figures(monkeypatch):
    """Two figures with hand-written numbers per year, in place of the database's."""
    real = figures.compute

    def compute(key, filters):
        year = filters.start.year
        if key == "victims_by_sex":
            return _figure(key, SEX.get(year, ()))
        if key == "calls_by_month":
            months = [(f"{year}-{m:02d}", (m * 12,)) for m in (1, 2)]
            return _figure(key, months, columns=("Calls",), chart="line")
        return real(key, filters)

    monkeypatch.setattr(figures, "compute", compute)


def _table(report, key):
    return next(t for t in report["tables"] if t["key"] == key)


def test_it_puts_the_previous_year_beside_each_column_and_keeps_labels_only_one_year_has(fake_figures):
    report = content.build(2025, "en", "", keys=["victims_by_sex"])
    table = _table(report, "victims_by_sex")
    assert table["header"] == ["Presumed — 2025", "Presumed — 2024", "Identified — 2025", "Identified — 2024"]
    rows = {row["label"]: row["cells"] for row in table["rows"]}
    assert list(rows) == ["Female", "Male", "Not known"]
    assert rows["Not known"] == [0, 11, 0, 11]


def test_it_always_suppresses_small_cells_and_the_cells_that_would_reveal_them(fake_figures):
    report = content.build(2025, "en", "", keys=["victims_by_sex"])
    rows = {row["label"]: row["cells"] for row in _table(report, "victims_by_sex")["rows"]}
    # 2025: Male identified = 3 is under 11, hidden; one more cell of its row and column is hidden too.
    assert rows["Male"][2] is None
    hidden_2025 = [cell for row in rows.values() for cell in (row[0], row[2]) if cell is None]
    assert len(hidden_2025) >= 2
    assert report["threshold"] == 11 and _table(report, "victims_by_sex")["suppressed"] is True


def test_it_suppresses_with_the_configured_threshold(fake_figures, settings):
    settings.AZAD_SUPPRESSION_THRESHOLD = 2
    report = content.build(2025, "en", "", keys=["victims_by_sex"])
    rows = {row["label"]: row["cells"] for row in _table(report, "victims_by_sex")["rows"]}
    assert rows["Male"] == [12, 15, 3, 12]
    assert report["threshold"] == 2


def test_it_matches_months_of_the_two_years_by_position(fake_figures):
    report = content.build(2025, "en", "", keys=["calls_by_month"])
    table = _table(report, "calls_by_month")
    assert table["header"] == ["2025", "2024"]
    assert [(row["label"], row["cells"]) for row in table["rows"]] == [
        ("2025-01", [12, 12]),
        ("2025-02", [24, 24]),
    ]
    assert table["chart"].startswith("data:image/svg+xml;base64,")


def test_it_withholds_an_overdue_count_when_part_of_it_is_hidden():
    clocks = Figure(
        "clocks_met_and_missed",
        "Clocks",
        "Deadline",
        ("Met in time", "Met late", "Missed"),
        (FigureRow("Referral to ATD", (50, 20, 15)), FigureRow("Reflection period", (40, None, 30))),
    )
    cells = dict(content._overdue_cells(clocks, None))
    assert cells["Referral to ATD"] == 35
    assert cells["Reflection period"] is None


def test_it_shows_the_merged_records_as_the_suppressed_counting_once_table_does():
    shown = Figure(
        "persons_counted_once",
        "t",
        "r",
        ("n",),
        (FigureRow("a", (50,)), FigureRow("b", (47,)), FigureRow("c", (None,))),
    )
    assert content._merged(shown) is None
    merged = Figure(
        "persons_counted_once",
        "t",
        "r",
        ("n",),
        (FigureRow("a", (80,)), FigureRow("b", (60,)), FigureRow("c", (20,))),
    )
    assert content._merged(merged) == 20
