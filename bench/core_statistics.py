"""The core statistics: every figure of a year against hand-written SQL, at a ladder of data sizes.

Measured in one run, in a child process with a fresh migrated SQLite file and
key file (``AZAD_VAR_DIR`` in a temporary directory), for each rung of the
ladder (persons, with as many cases and hotline calls, made by ``azad
generate``), for the last complete year that has cases:

- **all figures**: :func:`azad.statistics.figures.compute_all` for the year
  (17 figures, unsuppressed), then suppression of every figure;
- **reference**: for the figures that are one GROUP BY over cases and
  persons (victims by month, sex, age band, citizenship; referrals; services),
  one hand-written SQL query each, run on the same database in the same run
  — the floor; the ratio compares the ORM figure with its query;
- **charts**: drawing every figure's SVG (cache cleared), once.

Times are CPU times, best of a few, interleaved (``best_of_interleaved``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _setup
from _setup import best_of_interleaved, write_table

DEFAULT_LADDER = [1_000, 10_000]
REPEATS = 3
SEED = 611

# Hand-written SQL for SQLite; %(since)s / %(until)s are the year's bounds as stored (UTC text).
_VICTIMS = """
    SELECT {group}, COUNT(DISTINCT CASE WHEN c.first_contact_at >= %(since)s AND c.first_contact_at < %(until)s
                                        THEN p.statistical_id END),
           COUNT(DISTINCT CASE WHEN c.trafficking_status = 'ActualVictimOfTrafficking'
                                AND c.status_decided_at >= %(since)s AND c.status_decided_at < %(until)s
                               THEN p.statistical_id END)
    FROM cases_case c JOIN persons_person p ON p.id = c.person_id
    WHERE (c.first_contact_at >= %(since)s AND c.first_contact_at < %(until)s)
       OR (c.trafficking_status = 'ActualVictimOfTrafficking'
           AND c.status_decided_at >= %(since)s AND c.status_decided_at < %(until)s)
    GROUP BY 1
"""
REFERENCE_SQL = {
    "victims_by_sex": _VICTIMS.format(group="p.gender"),
    "victims_by_citizenship": _VICTIMS.format(group="p.citizenship"),
    "victims_by_age": _VICTIMS.format(
        group="""CASE WHEN p.birth_year IS NULL THEN ''
                 ELSE CAST(strftime('%%Y', c.first_contact_at, '+4 hours') AS INTEGER) - p.birth_year - 1 END"""
    ),
    "victims_over_time": """
        SELECT strftime('%%Y-%%m', c.first_contact_at, '+4 hours'), COUNT(DISTINCT p.statistical_id)
        FROM cases_case c JOIN persons_person p ON p.id = c.person_id
        WHERE c.first_contact_at >= %(since)s AND c.first_contact_at < %(until)s GROUP BY 1
    """,
    "referrals": """
        SELECT o.org_type, r.status, COUNT(*) FROM cases_referral r
        LEFT JOIN accounts_organisation o ON o.id = r.to_organisation_id
        WHERE r.sent_at >= %(since)s AND r.sent_at < %(until)s GROUP BY 1, 2
    """,
    "assistance_delivered": """
        SELECT s.support_type, COUNT(*), COUNT(DISTINCT p.statistical_id) FROM cases_servicedelivery s
        JOIN cases_case c ON c.id = s.case_id JOIN persons_person p ON p.id = c.person_id
        WHERE s.delivered_on >= %(start)s AND s.delivered_on <= %(end)s GROUP BY 1
    """,
}


def _child(sizes: list[int]) -> list[dict[str, Any]]:
    _setup.django_setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max

    from azad.cases.models import Case
    from azad.statistics import charts, figures, suppression

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    results: list[dict[str, Any]] = []
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
        year = last.year - 1 if last and last.month < 12 else (last.year if last else 2025)
        filters = figures.year_filters(year)
        since = dt.datetime(year, 1, 1, tzinfo=figures.BAKU).astimezone(dt.UTC)
        until = dt.datetime(year + 1, 1, 1, tzinfo=figures.BAKU).astimezone(dt.UTC)
        params = {
            "since": connection.ops.adapt_datetimefield_value(since),
            "until": connection.ops.adapt_datetimefield_value(until),
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
        }

        def reference(sql: str, params: dict[str, str] = params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        computed = figures.compute_all(filters)
        rows: dict[str, Any] = {}
        for key, sql in REFERENCE_SQL.items():
            orm, ref = best_of_interleaved(
                REPEATS,
                lambda key=key, filters=filters: figures.compute(key, filters),
                lambda sql=sql: reference(sql),
            )
            rows[key] = {"orm": orm, "sql": ref}
        (t_all,) = best_of_interleaved(REPEATS, lambda filters=filters: figures.compute_all(filters))
        (t_suppress,) = best_of_interleaved(
            REPEATS, lambda computed=computed: [suppression.suppress(f, 11) for f in computed]
        )
        cache.clear()
        start = time.process_time()
        for figure in computed:
            charts.figure_svg(suppression.suppress(figure, 11))
        t_charts = time.process_time() - start
        results.append(
            {
                "size": size,
                "year": year,
                "cases_in_year": Case.objects.filter(
                    first_contact_at__gte=since, first_contact_at__lt=until
                ).count(),
                "all": t_all,
                "suppress": t_suppress,
                "charts": t_charts,
                "tables": rows,
            }
        )
    return results


def _measure(sizes: list[int]) -> list[dict[str, Any]]:
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
        sys.stderr.write(done.stderr)
        raise SystemExit(done.returncode)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(_child([int(a) for a in argv[1:]])))
        return
    sizes = DEFAULT_LADDER
    if argv[:1] == ["--ladder"] and len(argv) > 1:
        sizes = [int(n) for n in argv[1].split(",")]
    results = _measure(sizes)
    table: list[list[object]] = []
    for result in results:
        for key, times in result["tables"].items():
            table.append(
                [
                    f"{result['size']:,}",
                    f"{result['year']} ({result['cases_in_year']:,} cases)",
                    key,
                    f"{1000 * times['orm']:.1f} ms",
                    f"{1000 * times['sql']:.1f} ms",
                    f"{times['orm'] / times['sql']:.1f}x" if times["sql"] else "-",
                ]
            )
        table.append(
            [
                f"{result['size']:,}",
                f"{result['year']} ({result['cases_in_year']:,} cases)",
                "**all 17 figures** (suppression / charts)",
                f"{1000 * result['all']:.0f} ms",
                f"{1000 * result['suppress']:.0f} ms / {1000 * result['charts']:.0f} ms",
                "",
            ]
        )
    write_table(
        "core_statistics",
        "Core statistics: every figure of a year against hand-written SQL",
        [
            "persons (cases, calls)",
            "year",
            "figure",
            "Azad (ORM)",
            "reference: one SQL query",
            "Azad / reference",
        ],
        table,
        notes=(
            "One child process per run against a fresh migrated SQLite file; `azad generate` makes the persons "
            "with as many cases and hotline calls. CPU times, best of 3, Azad and reference interleaved. The "
            "reference is one hand-written GROUP BY per table over the same rows (no labels, no zero rows). "
            "The 'all 17 figures' row gives compute_all for the year; the last column there is suppressing all "
            "of them and drawing all their SVG charts (cache cleared, once)."
        ),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
