"""The annual report: the PDF's render time, and the statistics behind it, at a ladder of data sizes.

Measured in one run, in a child process with a fresh migrated SQLite file and
key file (``AZAD_VAR_DIR`` in a temporary directory), for each rung of the
ladder (persons, with as many cases and hotline calls, made by ``azad
generate``), for the last year that has cases:

- **statistics**: :func:`azad.reports.content.build` — every figure of the
  year and of the previous year, suppressed, plus the overdue clocks and the
  charts (chart cache cleared first, so they are drawn);
- **PDF render**: :func:`azad.reports.document.render_pdf` of that content
  (WeasyPrint: HTML, tables and SVG charts to PDF), best of a few, CPU time;
- **reference**: WeasyPrint rendering a one-page document with a single table
  in the same process, in the same run — the floor any PDF pays;
- **end to end**: :func:`azad.reports.generation.generate` of a queued run
  (what the background thread does), once.

The PDF's size depends on the number of tables and rows, not on the number of
persons: the render time should stay flat along the ladder while the
statistics grow with the data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _setup
from _setup import best_of_interleaved, write_table

DEFAULT_LADDER = [1_000, 10_000]
RENDER_REPEATS = 3
SEED = 75


def _child(sizes: list[int]) -> list[dict[str, float]]:
    _setup.django_setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Max
    from weasyprint import HTML

    from azad.cases.models import Case
    from azad.reports import content, document, generation, services
    from azad.reports.models import ReportRun

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    reference_html = (
        "<html><body><h1>Annual report</h1><table>"
        + "".join(f"<tr><td>Row {i}</td><td>{i}</td></tr>" for i in range(10))
        + "</table></body></html>"
    )
    results = []
    generated = 0
    for size in sizes:
        call_command(
            "generate",
            persons=size,
            cases=str(size - generated),
            calls=size - generated,
            seed=SEED,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
            stderr=open(os.devnull, "w"),  # noqa: SIM115
        )
        generated = size
        last = Case.objects.aggregate(last=Max("first_contact_at"))["last"]
        # The last complete year (the report is made after the year ends).
        year = min(last.year, services.current_year() - 1) if last else services.current_year() - 1
        cases_in_year = Case.objects.filter(first_contact_at__year=year).count()
        narrative = "Milli Koordinatorun hesabatı: ə ı İ ş ğ ç ö ü — Национальный координатор"
        if not results:  # warm up once: imports, matplotlib's and WeasyPrint's font set-up
            document.render_pdf(content.build(year, "az", narrative))
        cache.clear()
        start = time.process_time()
        built = content.build(year, "az", narrative)
        t_stats = time.process_time() - start
        pdf = document.render_pdf(built)
        t_pdf, t_reference = best_of_interleaved(
            RENDER_REPEATS,
            lambda built=built: document.render_pdf(built),
            lambda: HTML(string=reference_html).write_pdf(),
        )
        run, _created = services.start_report(year, "en", actor="bench")
        cache.clear()
        start = time.process_time()
        generation.generate(run.pk)
        t_total = time.process_time() - start
        assert ReportRun.objects.get(pk=run.pk).status == "done"
        results.append(
            {
                "size": size,
                "year": year,
                "cases_in_year": cases_in_year,
                "tables": len(built["tables"]),
                "kb": len(pdf) / 1024,
                "stats": t_stats,
                "pdf": t_pdf,
                "reference": t_reference,
                "total": t_total,
            }
        )
    return results


def _measure(sizes: list[int]) -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="azad-bench-") as var:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "AZAD_"))}
        env.update(
            {"AZAD_VAR_DIR": var, "AZAD_ENV": "development", "DJANGO_SETTINGS_MODULE": "azad.settings"}
        )
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", *map(str, sizes)],
            env=env,
            cwd=_setup.ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"annual report benchmark failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Run the ladder (persons from ``argv``; ``--results DIR`` to write elsewhere) and write the table."""
    args = list(argv or [])
    if "--child" in args:
        print(json.dumps(_child([int(a) for a in args if a != "--child"])))
        return 0
    if "--results" in args:
        at = args.index("--results")
        _setup.RESULTS = Path(args[at + 1])
        del args[at : at + 2]
    sizes = sorted(int(a.replace("_", "").replace(",", "")) for a in args) or DEFAULT_LADDER
    rows: list[list[object]] = []
    for r in _measure(sizes):
        rows.append(
            [
                f"{int(r['size']):,}",
                f"{int(r['year'])} ({int(r['cases_in_year']):,} cases)",
                f"{int(r['tables'])} tables, {r['kb']:.0f} KiB",
                f"{r['stats'] * 1000:.0f} ms",
                f"{r['pdf'] * 1000:.0f} ms",
                f"{r['reference'] * 1000:.0f} ms",
                f"{r['pdf'] / r['reference']:.0f}x",
                f"{r['total'] * 1000:.0f} ms",
            ]
        )
    write_table(
        "annual_report",
        "Annual report: PDF render time and the statistics behind it",
        [
            "persons (cases, calls)",
            "report year",
            "document",
            "statistics + charts (2 years)",
            "PDF render (WeasyPrint)",
            "reference: one-page PDF",
            "PDF / reference",
            "end to end (generate)",
        ],
        rows,
        "One child process per run against a fresh migrated SQLite file; `azad generate` makes the persons "
        "with as many cases and hotline calls. The report is for the last year with cases, compared with "
        "the year before. Times are the process's CPU time (SQLite runs in the process; the machine is "
        "shared, so wall time is noisy), after one warm-up generation (imports, font set-up). PDF render "
        f"and reference are the best of {RENDER_REPEATS}, interleaved; the statistics and the end-to-end "
        "generation (what the background thread does: statistics, charts, PDF, storing the run) are timed "
        "once with the chart cache cleared.",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
