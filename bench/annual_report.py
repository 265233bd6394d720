"""The annual report: the PDF's render time, and the statistics behind it, against their floors.

Two ways to run it:

- **SQLite ladder** (the default): one child process with a fresh migrated
  SQLite file and key file (``AZAD_VAR_DIR`` in a temporary directory); for
  each rung of the ladder (persons, with as many cases and hotline calls, made
  by ``azad generate``) the report is measured. Times are the process's CPU
  time (SQLite runs inside it). Results: ``bench/results/annual_report.md``.
- **An existing database** (``--database postgres://... --var-dir DIR``): a
  database already seeded (``bench/load/seed.py`` or ``azad generate``) is
  measured as it is, nothing generated; the rung is the database's size.
  ``--var-dir`` is the directory of the key file the data was encrypted with.
  The database works in another process, so times are **wall times**; the
  only rows written are the report run that the end-to-end generation stores
  (and its audit events), and the chart cache is emptied. Results:
  ``bench/results/annual_report_postgres.md`` (one row per database size; a
  run replaces the row of its size, kept in the ``.json`` beside it).

For the last complete year that has cases, compared with the year before:

- **statistics**: :func:`azad.reports.content.build` — every figure of the
  year and of the previous year, suppressed, plus the overdue clocks — with
  the charts already drawn (chart cache warm), against the **reference**: the
  hand-written query of every figure (:mod:`core_statistics`) for both years,
  on the same database in the same run (the floor); best of a few, interleaved;
- **statistics + charts**: the same with the chart cache cleared (the
  charts drawn), once;
- **PDF render**: :func:`azad.reports.document.render_pdf` of that content
  (WeasyPrint: HTML, tables and SVG charts to PDF), against WeasyPrint
  rendering a one-page document with a single table in the same process (the
  floor any PDF pays); best of a few, interleaved;
- **end to end**: :func:`azad.reports.generation.generate` of a queued run
  (what the background thread does: statistics, charts, PDF, storing the
  run), once, chart cache cleared.

The PDF's size depends on the number of tables and rows, not on the number of
persons: the render time should stay flat along the ladder while the
statistics grow with the data.

Examples::

    .venv/bin/python bench/annual_report.py 1000 10000
    .venv/bin/python bench/annual_report.py --database postgres://postgres@127.0.0.1:5432/azad_bench \\
        --var-dir /tmp/azad-bench-load
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _setup
import core_statistics
from _setup import best_of_interleaved, write_table

DEFAULT_LADDER = [1_000, 10_000]
RENDER_REPEATS = 3
SEED = 75
NARRATIVE = "Milli Koordinatorun hesabatı: ə ı İ ş ğ ç ö ü — Национальный координатор"


def _report_year() -> int:
    from django.db.models import Max

    from azad.cases.models import Case
    from azad.reports import services

    last = Case.objects.aggregate(last=Max("first_contact_at"))["last"]
    # The last complete year (the report is made after the year ends).
    return min(last.year, services.current_year() - 1) if last else services.current_year() - 1


def _measure_report(clock: Callable[[], float], repeats: int, warm_up: bool) -> dict[str, Any]:
    from django.core.cache import cache
    from django.db import connection
    from weasyprint import HTML

    from azad.cases.models import Case
    from azad.reports import content, document, generation, services
    from azad.reports.models import ReportRun
    from azad.statistics import access as statistics_access

    reference_html = (
        "<html><body><h1>Annual report</h1><table>"
        + "".join(f"<tr><td>Row {i}</td><td>{i}</td></tr>" for i in range(10))
        + "</table></body></html>"
    )
    year = _report_year()
    cases_in_year = Case.objects.filter(first_contact_at__year=year).count()
    if warm_up:  # imports, matplotlib's and WeasyPrint's font set-up, the database's caches
        document.render_pdf(content.build(year, "az", NARRATIVE))
    queries = list(core_statistics.reference_queries(connection.vendor).values())
    params = [core_statistics.reference_params(connection, y) for y in (year, year - 1)]

    def reference() -> None:
        for year_params in params:
            for sql in queries:
                core_statistics.run_reference(connection, sql, year_params)

    cache.clear()
    start = clock()
    built = content.build(year, "az", NARRATIVE)
    t_stats_charts = clock() - start
    t_stats, t_stats_reference = best_of_interleaved(
        repeats, lambda: content.build(year, "az", NARRATIVE), reference, clock=clock
    )
    threshold = statistics_access.threshold()
    start = clock()
    for y in (year, year - 1):
        content._permits_overdue(y, threshold)
    t_permits = clock() - start
    pdf = document.render_pdf(built)
    t_pdf, t_reference = best_of_interleaved(
        repeats,
        lambda: document.render_pdf(built),
        lambda: HTML(string=reference_html).write_pdf(),
        clock=clock,
    )
    run, _created = services.start_report(year, "en", actor="bench")
    cache.clear()
    start = clock()
    generation.generate(run.pk)
    t_total = clock() - start
    assert ReportRun.objects.get(pk=run.pk).status == "done"
    print(
        f"{year}: statistics {t_stats:.2f} s (reference {t_stats_reference:.2f} s; residence permits "
        f"{t_permits:.2f} s), with charts {t_stats_charts:.2f} s, PDF {t_pdf:.2f} s, end to end {t_total:.2f} s",
        file=sys.stderr,
    )
    return {
        "year": year,
        "cases_in_year": cases_in_year,
        "tables": len(built["tables"]),
        "kb": len(pdf) / 1024,
        "stats": t_stats,
        "stats_reference": t_stats_reference,
        "permits": t_permits,
        "stats_charts": t_stats_charts,
        "pdf": t_pdf,
        "reference": t_reference,
        "total": t_total,
    }


def _child_ladder(sizes: list[int]) -> list[dict[str, Any]]:
    _setup.django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    results: list[dict[str, Any]] = []
    for size in sizes:
        call_command(
            "generate",
            persons=size,
            cases=str(size),  # totals: the generator adds what is missing
            calls=size,
            seed=SEED,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
            stderr=open(os.devnull, "w"),  # noqa: SIM115
        )
        measured = _measure_report(time.process_time, RENDER_REPEATS, warm_up=not results)
        results.append({"size": size, "counts": core_statistics.counts(), **measured})
    return results


def _child_existing(repeats: int) -> list[dict[str, Any]]:
    _setup.django_setup()
    found = core_statistics.counts()
    measured = _measure_report(time.perf_counter, repeats, warm_up=True)
    return [{"size": found["persons"], "counts": found, **measured}]


def _measure_ladder(sizes: list[int]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="azad-bench-") as var:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "AZAD_"))}
        env.update(
            {"AZAD_VAR_DIR": var, "AZAD_ENV": "development", "DJANGO_SETTINGS_MODULE": "azad.settings"}
        )
        return list(
            core_statistics.run_child(str(Path(__file__).resolve()), ["ladder", *map(str, sizes)], env)
        )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _rows(results: list[dict[str, Any]]) -> list[list[object]]:
    rows: list[list[object]] = []
    for r in results:
        rows.append(
            [
                core_statistics.size_label(r),
                f"{int(r['year'])} ({int(r['cases_in_year']):,} cases)",
                f"{int(r['tables'])} tables, {r['kb']:.0f} KiB",
                _ms(r["stats"]),
                _ms(r["stats_reference"]),
                f"{r['stats'] / r['stats_reference']:.1f}x",
                _ms(r["stats_charts"]),
                _ms(r["pdf"]),
                _ms(r["reference"]),
                f"{r['pdf'] / r['reference']:.0f}x",
                _ms(r["total"]),
            ]
        )
    return rows


HEADER = [
    "persons / cases / calls",
    "report year",
    "document",
    "statistics (2 years)",
    "reference: one SQL query per figure (2 years)",
    "statistics / reference",
    "statistics + charts drawn",
    "PDF render (WeasyPrint)",
    "reference: one-page PDF",
    "PDF / reference",
    "end to end (generate)",
]


def _common_notes(repeats: int) -> str:
    return (
        "The report is for the last complete year with cases, compared with the year before. 'Statistics' is "
        "building the report's content (17 figures for each of the two years, suppressed, the overdue clocks) "
        "with the chart cache warm; its reference is the hand-written query of each of the 17 figures "
        "(bench/core_statistics.py, the same aggregates) for both years, one after the other. Statistics, PDF "
        f"render and their references are the best of {repeats}, interleaved; 'statistics + charts drawn' (chart "
        "cache cleared) and the end-to-end generation (what the background thread does: statistics, charts, PDF, "
        "storing the run) are timed once."
    )


def main(argv: list[str] | None = None) -> int:
    """Run the ladder (persons) or measure an existing database, and write the table."""
    args_list = list(argv or [])
    if args_list[:1] == ["--child"]:
        if args_list[1] == "ladder":
            print(json.dumps(_child_ladder([int(a) for a in args_list[2:]])))
        else:
            print(json.dumps(_child_existing(int(args_list[2]))))
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", help="persons per rung (SQLite ladder)")
    parser.add_argument("--database", default="", help="an existing seeded database (postgres://...)")
    parser.add_argument("--var-dir", default="", help="the key file directory of --database's data")
    parser.add_argument("--repeats", type=int, default=RENDER_REPEATS)
    parser.add_argument("--name", default="", help="result file name (default by database)")
    parser.add_argument("--results", default="", help="directory for the result files")
    args = parser.parse_args(args_list)
    if args.results:
        _setup.RESULTS = Path(args.results)
    if args.database:
        if not args.var_dir:
            parser.error("--database needs --var-dir (the key file the data was encrypted with)")
        env = core_statistics.existing_database_env(args.database, args.var_dir)
        vendor = "SQLite" if args.database.startswith("sqlite") else "PostgreSQL"
        name = args.name or f"annual_report_{vendor.lower().removesuffix('ql')}"
        measured = core_statistics.run_child(
            str(Path(__file__).resolve()), ["existing", str(args.repeats)], env
        )
        results = core_statistics.merge_results(name, measured)
        notes = (
            f"Measured on an existing {vendor} database seeded by `azad generate --cases 1x --seed 2026`, one run "
            "per database size, nothing generated by the benchmark. The database works in its own process, so "
            "these are **wall times** (not the benchmark process's CPU time), after one warm-up generation "
            "(imports, font set-up, the database's caches). " + _common_notes(args.repeats)
        )
        title = f"Annual report on {vendor}: the statistics and the PDF's render time against their floors"
    else:
        name = args.name or "annual_report"
        sizes = sorted(int(a.replace("_", "").replace(",", "")) for a in args.sizes) or DEFAULT_LADDER
        results = _measure_ladder(sizes)
        notes = (
            "One child process per run against a fresh migrated SQLite file; `azad generate` makes the persons "
            "with as many cases and hotline calls. Times are the process's CPU time (SQLite runs in the process; "
            "the machine is shared, so wall time is noisy), after one warm-up generation (imports, font set-up). "
            + _common_notes(RENDER_REPEATS)
        )
        title = "Annual report: the statistics and the PDF's render time against their floors"
    permits = "; ".join(
        f"{core_statistics.size_label(r)}: {_ms(r['permits'])}" for r in results if "permits" in r
    )
    if permits:
        notes += (
            " The statistics include the residence permits that expired while the case was open (both years; "
            f"the cases are read and their clocks computed in Python; no reference query; timed once): {permits}."
        )
    write_table(name, title, HEADER, _rows(results), notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
