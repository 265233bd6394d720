"""The core statistics: every figure of a year against hand-written SQL, at a ladder of data sizes.

Two ways to run it:

- **SQLite ladder** (the default): one child process with a fresh migrated
  SQLite file and key file (``AZAD_VAR_DIR`` in a temporary directory); for
  each rung of the ladder (persons, with as many cases and hotline calls, made
  by ``azad generate``) the figures are measured. Times are the process's CPU
  time (SQLite runs inside it). Results: ``bench/results/core_statistics.md``.
- **An existing database** (``--database postgres://... --var-dir DIR``): a
  database already seeded (``bench/load/seed.py`` or ``azad generate``) is
  measured as it is, nothing generated; the rung is the database's size
  (persons, cases and calls counted). ``--var-dir`` is the directory of the
  key file the data was encrypted with. The database works in another
  process, so times are **wall times**. Results:
  ``bench/results/core_statistics_postgres.md`` (one row group per database
  size; a run replaces the rows of its size and keeps the others, kept in the
  ``.json`` beside it).

For the last complete year that has cases, each measurement gives:

- **per figure**: :func:`azad.statistics.figures.compute` of the figure
  against a **reference** — one hand-written SQL query for the same aggregates
  (same rows, same year bounds, months and years in Baku time; no labels, no
  zero rows), on the same database in the same run: the floor. The ratio is
  the figure's time over its query's. The reference's rows are compared with
  the figure's numbers, and the table says whether they agree;
- **all 17 figures**: :func:`azad.statistics.figures.compute_all` against all
  17 reference queries in a row;
- **suppression** of every figure, and **charts** (every figure's SVG, chart
  cache cleared, once).

Figures and references are timed best of a few, interleaved
(``best_of_interleaved``).

Examples::

    .venv/bin/python bench/core_statistics.py --ladder 1000,10000,100000
    .venv/bin/python bench/core_statistics.py --database postgres://postgres@127.0.0.1:5432/azad_bench \\
        --var-dir /tmp/azad-bench-load
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import _setup
from _setup import best_of_interleaved, write_table

DEFAULT_LADDER = [1_000, 10_000]
REPEATS = 3
SEED = 611
SECRET_KEY = "bench-only-" + "k" * 40
ACTUAL = "ActualVictimOfTrafficking"
HOME_COUNTRY = "AZ"
ABROAD = "__abroad__"  # figures.ABROAD: a referral to an organisation abroad
CLOCK_HOURS = {"atd": 24, "child": 1, "reflection": 30 * 24, "allowance": 30 * 24}

# --- The reference: one hand-written query per figure, for SQLite and for PostgreSQL ----------
#
# Parameters: %(since)s / %(until)s are the year's bounds as stored (Baku midnights, in UTC),
# %(start)s / %(end)s its first and last day; %(since_hN)s / %(until_hN)s the bounds moved N
# hours back and %(now_hN)s now minus N hours (the legal clocks). Months and years are Baku's
# (UTC+4 since 2016: the generator's data is from 2019 on).


class Dialect:
    """The few expressions the two databases spell differently."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def month(self, column: str) -> str:
        """The Baku month (``YYYY-MM``) of a stored datetime."""
        if self.pg:
            return f"to_char({column} AT TIME ZONE 'Asia/Baku', 'YYYY-MM')"
        return f"strftime('%%Y-%%m', {column}, '+4 hours')"

    def year(self, column: str) -> str:
        """The Baku year of a stored datetime, as an integer."""
        if self.pg:
            return f"CAST(EXTRACT(YEAR FROM {column} AT TIME ZONE 'Asia/Baku') AS INTEGER)"
        return f"CAST(strftime('%%Y', {column}, '+4 hours') AS INTEGER)"

    def date_month(self, column: str) -> str:
        """The month (``YYYY-MM``) of a date column."""
        return f"to_char({column}, 'YYYY-MM')" if self.pg else f"substr({column}, 1, 7)"

    def within(self, later: str, earlier: str, hours: int) -> str:
        """``later <= earlier + hours``."""
        if self.pg:
            return f"{later} <= {earlier} + INTERVAL '{hours} hours'"
        return f"julianday({later}) <= julianday({earlier}) + {hours} / 24.0"

    def is_true(self, column: str) -> str:
        return column if self.pg else f"{column} = 1"

    def months(self) -> str:
        """A CTE ``m(month, next)``: the first day of each month of the period and of the next."""
        if self.pg:
            return (
                "m AS (SELECT d::date AS month, (d + INTERVAL '1 month')::date AS next FROM "
                "generate_series(CAST(%(start)s AS date), CAST(%(end)s AS date), INTERVAL '1 month') AS g(d))"
            )
        return (
            "m(month, next) AS (SELECT %(start)s, date(%(start)s, '+1 month') UNION ALL "
            "SELECT next, date(next, '+1 month') FROM m WHERE next <= %(end)s)"
        )

    def days_between(self, later: str, earlier: str) -> str:
        """Days from one date to a later one, as an integer."""
        return (
            f"({later} - {earlier})"
            if self.pg
            else f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
        )

    def least(self, *values: str) -> str:
        return f"{'LEAST' if self.pg else 'MIN'}({', '.join(values)})"

    def greatest(self, *values: str) -> str:
        return f"{'GREATEST' if self.pg else 'MAX'}({', '.join(values)})"

    def exploitation_types(self) -> str:
        """A join giving one row ``t(value)`` per type of exploitation of case ``c`` (none: NULL)."""
        if self.pg:
            return "LEFT JOIN LATERAL jsonb_array_elements_text(c.exploitation_types) AS t(value) ON true"
        return "LEFT JOIN json_each(c.exploitation_types) AS t"


PRESUMED = "c.first_contact_at >= %(since)s AND c.first_contact_at < %(until)s"
IDENTIFIED = f"c.trafficking_status = '{ACTUAL}' AND c.status_decided_at >= %(since)s AND c.status_decided_at < %(until)s"
VICTIM_COUNTS = (
    f"COUNT(DISTINCT CASE WHEN {PRESUMED} THEN p.statistical_id END), "
    f"COUNT(DISTINCT CASE WHEN {IDENTIFIED} THEN p.statistical_id END)"
)
VICTIMS = f"(({PRESUMED}) OR ({IDENTIFIED}))"
CASES_PERSONS = "cases_case c JOIN persons_person p ON p.id = c.person_id"


def _case_of(column: str) -> str:
    """Joins the case of ``column`` (as ``c``) and its person (as ``p``)."""
    return f"cases_case c ON c.id = {column} JOIN persons_person p ON p.id = c.person_id"


AGE_BANDS = (
    (8, "0-8"),
    (17, "9-17"),
    (20, "18-20"),
    (23, "21-23"),
    (26, "24-26"),
    (29, "27-29"),
    (38, "30-38"),
    (47, "39-47"),
)


def _clocks(d: Dialect) -> str:
    """The four legal clocks due in the period: met in time, met late, missed; one scan."""
    rules = (
        ("c.first_contact_at", "c.referred_to_atd_at", 24, "1 = 1"),
        ("c.first_contact_at", "c.child_notifications_completed_at", 1, d.is_true("c.is_child")),
        ("c.reflection_started_at", "c.reflection_closed_at", 720, "c.reflection_started_at IS NOT NULL"),
        ("c.status_decided_at", "c.allowance_paid_at", 720, f"c.trafficking_status = '{ACTUAL}'"),
    )
    columns, periods = [], []
    for start, met, hours, condition in rules:
        due = f"{condition} AND {start} >= %(since_h{hours})s AND {start} < %(until_h{hours})s"
        periods.append(f"({due})")
        in_time = f"{met} IS NOT NULL AND {d.within(met, start, hours)}"
        late = f"{met} IS NOT NULL AND NOT ({d.within(met, start, hours)})"
        missed = (
            f"{met} IS NULL AND {start} < %(now_h{hours})s "
            f"AND (c.ended_at IS NULL OR NOT ({d.within('c.ended_at', start, hours)}))"
        )
        columns += [f"SUM(CASE WHEN {due} AND {cell} THEN 1 ELSE 0 END)" for cell in (in_time, late, missed)]
    return f"SELECT {', '.join(columns)} FROM cases_case c WHERE {' OR '.join(periods)}"


def _duration_band(d: Dialect, column: str) -> str:
    bands = " ".join(
        f"WHEN {d.within(column, 'c.first_contact_at', days * 24)} THEN {index}"
        for index, days in enumerate((1, 7, 30, 90))
    )
    return f"CASE {bands} ELSE 4 END"


def reference_queries(vendor: str) -> dict[str, str]:
    """One hand-written query per figure (same aggregates as the figure), for ``vendor``."""
    d = Dialect(vendor)
    age = f"{d.year('c.first_contact_at')} - p.birth_year - 1"
    band = " ".join(f"WHEN age <= {high} THEN '{label}'" for high, label in AGE_BANDS)
    return {
        "victims_over_time": f"""
            SELECT 'p', {d.month("c.first_contact_at")}, COUNT(DISTINCT p.statistical_id)
            FROM {CASES_PERSONS} WHERE {PRESUMED} GROUP BY 2
            UNION ALL
            SELECT 'i', {d.month("c.status_decided_at")}, COUNT(DISTINCT p.statistical_id)
            FROM {CASES_PERSONS} WHERE {IDENTIFIED} GROUP BY 2""",
        "victims_by_sex": f"SELECT p.gender, {VICTIM_COUNTS} FROM {CASES_PERSONS} WHERE {VICTIMS} GROUP BY 1",
        "victims_by_age": f"""
            SELECT CASE WHEN birth_year IS NULL THEN '' {band} WHEN age >= 0 THEN '48+' ELSE '' END,
                   COUNT(DISTINCT CASE WHEN presumed = 1 THEN statistical_id END),
                   COUNT(DISTINCT CASE WHEN identified = 1 THEN statistical_id END)
            FROM (SELECT p.statistical_id, p.birth_year, {age} AS age,
                         CASE WHEN {PRESUMED} THEN 1 ELSE 0 END AS presumed,
                         CASE WHEN {IDENTIFIED} THEN 1 ELSE 0 END AS identified
                  FROM {CASES_PERSONS} WHERE {VICTIMS}) AS v
            GROUP BY 1""",
        "victims_by_citizenship": (
            f"SELECT p.citizenship, {VICTIM_COUNTS} FROM {CASES_PERSONS} WHERE {VICTIMS} GROUP BY 1"
        ),
        "victims_by_exploitation": f"""
            SELECT COALESCE(t.value, ''), {VICTIM_COUNTS}
            FROM {CASES_PERSONS} {d.exploitation_types()} WHERE {VICTIMS} GROUP BY 1""",
        "victims_by_route": f"""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM cases_historicevent e
                                     WHERE e.case_id = c.id AND e.country <> '{HOME_COUNTRY}')
                          OR p.citizenship NOT IN ('{HOME_COUNTRY}', '') THEN 'transnational'
                        WHEN EXISTS (SELECT 1 FROM cases_historicevent e WHERE e.case_id = c.id)
                          THEN 'internal'
                        ELSE '' END,
                   {VICTIM_COUNTS}
            FROM {CASES_PERSONS} WHERE {VICTIMS} GROUP BY 1""",
        "victims_by_exploitation_country": f"""
            SELECT e.country, {VICTIM_COUNTS}
            FROM cases_historicevent e JOIN {_case_of("e.case_id")}
            WHERE e.event_type = 'Exploitation' AND {VICTIMS} GROUP BY 1""",
        "victims_by_referring_organisation": f"""
            SELECT o.org_type, {VICTIM_COUNTS}
            FROM {CASES_PERSONS} JOIN accounts_organisation o ON o.id = c.owner_organisation_id
            WHERE {VICTIMS} GROUP BY 1""",
        "persons_counted_once": (
            f"SELECT COUNT(DISTINCT c.person_id), COUNT(DISTINCT p.statistical_id) FROM {CASES_PERSONS} "
            f"WHERE {VICTIMS}"
        ),
        "referrals": """
            SELECT o.org_type, r.status, COUNT(*) FROM cases_referral r
            LEFT JOIN accounts_organisation o ON o.id = r.to_organisation_id
            WHERE r.sent_at >= %(since)s AND r.sent_at < %(until)s GROUP BY 1, 2""",
        "time_to_referral_and_identification": f"""
            SELECT 'referral', {_duration_band(d, "c.referred_to_atd_at")}, COUNT(*) FROM cases_case c
            WHERE c.referred_to_atd_at >= %(since)s AND c.referred_to_atd_at < %(until)s GROUP BY 2
            UNION ALL
            SELECT 'identification', {_duration_band(d, "c.status_decided_at")}, COUNT(*) FROM cases_case c
            WHERE {IDENTIFIED} GROUP BY 2""",
        "clocks_met_and_missed": _clocks(d),
        "shelter_occupancy": f"""
            WITH RECURSIVE {d.months()}
            SELECT 'started', {d.date_month("pl.start_on")}, COUNT(*), 0 FROM cases_placement pl
            WHERE pl.start_on >= %(start)s AND pl.start_on <= %(end)s
              AND (pl.end_on IS NULL OR pl.end_on > %(start)s) GROUP BY 2
            UNION ALL
            SELECT 'occupied', {d.date_month("m.month")}, COUNT(DISTINCT p.statistical_id),
                   SUM({
            d.days_between(
                d.least("COALESCE(pl.end_on, m.next)", "m.next"), d.greatest("pl.start_on", "m.month")
            )
        })
            FROM m JOIN cases_placement pl ON pl.start_on < m.next AND (pl.end_on IS NULL OR pl.end_on > m.month)
            JOIN {_case_of("pl.case_id")} GROUP BY 2""",
        "assistance_delivered": f"""
            SELECT s.support_type, COUNT(*), COUNT(DISTINCT p.statistical_id)
            FROM cases_servicedelivery s JOIN {_case_of("s.case_id")}
            WHERE s.delivered_on >= %(start)s AND s.delivered_on <= %(end)s GROUP BY 1""",
        "allowances_paid": f"""
            SELECT y.kind, COUNT(*), COUNT(DISTINCT p.statistical_id)
            FROM cases_payment y JOIN {_case_of("y.case_id")}
            WHERE y.paid_at >= %(since)s AND y.paid_at < %(until)s GROUP BY 1""",
        "hotline_calls_by_month": f"""
            SELECT {d.month("started_at")}, COUNT(*) FROM hotline_call
            WHERE started_at >= %(since)s AND started_at < %(until)s GROUP BY 1""",
        "hotline_calls_by_reason": """
            SELECT reason, COUNT(*) FROM hotline_call
            WHERE started_at >= %(since)s AND started_at < %(until)s GROUP BY 1""",
    }


def reference_params(connection: Any, year: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """The parameters of :func:`reference_queries` for the Baku calendar year ``year``."""
    from azad.statistics import figures

    now = now or dt.datetime.now(dt.UTC)
    since = dt.datetime(year, 1, 1, tzinfo=figures.BAKU)
    until = dt.datetime(year + 1, 1, 1, tzinfo=figures.BAKU)
    pg = connection.vendor == "postgresql"

    def stored(value: dt.datetime) -> Any:
        return connection.ops.adapt_datetimefield_value(value.astimezone(dt.UTC))

    def day(value: dt.date) -> Any:
        return value if pg else value.isoformat()

    params: dict[str, Any] = {
        "since": stored(since),
        "until": stored(until),
        "start": day(dt.date(year, 1, 1)),
        "end": day(dt.date(year, 12, 31)),
    }
    for hours in set(CLOCK_HOURS.values()):
        shift = dt.timedelta(hours=hours)
        params[f"since_h{hours}"] = stored(since - shift)
        params[f"until_h{hours}"] = stored(until - shift)
        params[f"now_h{hours}"] = stored(now - shift)
    return params


def run_reference(connection: Any, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# --- Do the reference and the figure agree? -------------------------------------------------

# Figures whose row labels are the reference's own keys (months): compared label by label.
BY_LABEL = {"victims_over_time", "shelter_occupancy", "hotline_calls_by_month"}
REFERRAL_COLUMNS = {"accepted": 0, "completed": 0, "declined": 1, "pending": 2, "revoked": 3}


def _n(value: Any) -> int:
    return int(value or 0)


def fold(key: str, rows: Sequence[tuple[Any, ...]]) -> dict[str, tuple[int, ...]]:
    """The reference's rows as the figure's: {key: values}."""
    folded: dict[str, list[int]] = {}

    def add(code: str, width: int, index: int, value: Any) -> None:
        folded.setdefault(code, [0] * width)[index] += _n(value)

    if key in ("victims_over_time",):
        for column, month, count in rows:
            add(str(month), 2, 0 if column == "p" else 1, count)
    elif key == "referrals":
        for org_type, status, count in rows:
            add(str(org_type) if org_type is not None else ABROAD, 4, REFERRAL_COLUMNS[status], count)
    elif key == "time_to_referral_and_identification":
        for step, band, count in rows:
            add(str(step), 5, int(band), count)
    elif key == "clocks_met_and_missed":
        (row,) = rows
        for index, name in enumerate(CLOCK_HOURS):
            folded[name] = [_n(v) for v in row[3 * index : 3 * index + 3]]
    elif key == "persons_counted_once":
        ((records, persons),) = rows
        folded = {"records": [_n(records)], "persons": [_n(persons)], "merged": [_n(records) - _n(persons)]}
    elif key == "shelter_occupancy":
        for part, month, count, days in rows:
            if part == "started":
                add(str(month), 3, 0, count)
            else:
                add(str(month), 3, 1, count)
                add(str(month), 3, 2, days)
    else:  # one row per group: the key, then the figure's columns
        for code, *values in rows:
            code = "" if code is None else str(code)
            for index, value in enumerate(values):
                add(code, len(values), index, value)
    return {code: tuple(values) for code, values in folded.items()}


def agreement(key: str, figure: Any, rows: Sequence[tuple[Any, ...]]) -> str:
    """``"yes"`` when the figure shows the reference's numbers, else what differs."""
    reference = {code: values for code, values in fold(key, rows).items() if any(values)}
    shown = [(row.label, tuple(_n(v) for v in row.values)) for row in figure.rows if any(row.values)]
    if key in BY_LABEL:
        same = dict(shown) == reference
    else:
        same = sorted(values for _label, values in shown) == sorted(reference.values())
    if same:
        return "yes"
    return f"NO: figure {sorted(shown)} / reference {sorted(reference.items())}"


# --- Measuring -----------------------------------------------------------------------------


def last_complete_year() -> int:
    from django.db.models import Max

    from azad.cases.models import Case

    last = Case.objects.aggregate(last=Max("first_contact_at"))["last"]
    return last.year - 1 if last and last.month < 12 else (last.year if last else 2025)


def counts() -> dict[str, int]:
    """Persons, cases and hotline calls in the database."""
    from azad.cases.models import Case
    from azad.hotline.models import Call
    from azad.persons.models import Person

    return {"persons": Person.objects.count(), "cases": Case.objects.count(), "calls": Call.objects.count()}


def _measure_year(clock: Callable[[], float], repeats: int) -> dict[str, Any]:
    """Every figure, the reference and the rest, for the database as it is now."""
    from django.core.cache import cache
    from django.db import connection

    from azad.cases.models import Case
    from azad.statistics import charts, figures, suppression

    year = last_complete_year()
    filters = figures.year_filters(year)
    params = reference_params(connection, year)
    queries = reference_queries(connection.vendor)
    computed = figures.compute_all(filters)  # warm: imports, connection, caches of the database
    tables: dict[str, Any] = {}
    for key in figures.FIGURE_KEYS:
        sql = queries[key]
        check = agreement(key, figures.compute(key, filters), run_reference(connection, sql, params))
        if check != "yes":
            print(f"{key}: {check}", file=sys.stderr)
        orm, ref = best_of_interleaved(
            repeats,
            functools.partial(figures.compute, key, filters),
            functools.partial(run_reference, connection, sql, params),
            clock=clock,
        )
        tables[key] = {"orm": orm, "sql": ref, "agrees": check == "yes"}
        print(f"{key}: {orm * 1000:.1f} ms / {ref * 1000:.1f} ms, agrees: {check == 'yes'}", file=sys.stderr)
    t_all, t_all_sql = best_of_interleaved(
        repeats,
        lambda: figures.compute_all(filters),
        lambda: [run_reference(connection, sql, params) for sql in queries.values()],
        clock=clock,
    )
    (t_suppress,) = best_of_interleaved(
        repeats, lambda: [suppression.suppress(f, 11) for f in computed], clock=clock
    )
    cache.clear()
    start = clock()
    for figure in computed:
        charts.figure_svg(suppression.suppress(figure, 11))
    t_charts = clock() - start
    since, until = (
        dt.datetime(year, 1, 1, tzinfo=figures.BAKU),
        dt.datetime(year + 1, 1, 1, tzinfo=figures.BAKU),
    )
    return {
        "year": year,
        "cases_in_year": Case.objects.filter(first_contact_at__gte=since, first_contact_at__lt=until).count(),
        "all": t_all,
        "all_sql": t_all_sql,
        "suppress": t_suppress,
        "charts": t_charts,
        "tables": tables,
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
        result = _measure_year(time.process_time, REPEATS)
        results.append({"size": size, "counts": counts(), **result})
    return results


def _child_existing(repeats: int) -> list[dict[str, Any]]:
    _setup.django_setup()
    found = counts()
    result = _measure_year(time.perf_counter, repeats)
    return [{"size": found["persons"], "counts": found, **result}]


def existing_database_env(database: str, var_dir: str) -> dict[str, str]:
    """The environment of a child process working on an existing database with its key file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "AZAD_"))}
    env.update(
        {
            "AZAD_ENV": "development",
            "AZAD_VAR_DIR": var_dir,
            "AZAD_SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database,
            "DJANGO_SETTINGS_MODULE": "azad.settings",
        }
    )
    return env


def run_child(script: str, child_args: list[str], env: dict[str, str]) -> Any:
    """Run ``script --child ...`` and return the JSON it prints last (its progress goes to stderr)."""
    done = subprocess.run(
        [sys.executable, script, "--child", *child_args],
        env=env,
        cwd=_setup.ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{Path(script).name} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure_ladder(sizes: list[int]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="azad-bench-") as var:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "AZAD_"))}
        env.update(
            {"AZAD_VAR_DIR": var, "AZAD_ENV": "development", "DJANGO_SETTINGS_MODULE": "azad.settings"}
        )
        return list(run_child(str(Path(__file__).resolve()), ["ladder", *map(str, sizes)], env))


def merge_results(name: str, new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results kept in ``<name>.json`` with ``new`` in place of those of the same size, by size."""
    path = _setup.RESULTS / f"{name}.json"
    kept = json.loads(path.read_text()) if path.exists() else []
    sizes = {result["size"] for result in new}
    merged = sorted([r for r in kept if r["size"] not in sizes] + new, key=lambda r: r["size"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=1) + "\n")
    return merged


def size_label(result: dict[str, Any]) -> str:
    found = result.get("counts")
    if not found:
        return f"{result['size']:,}"
    return f"{found['persons']:,} / {found['cases']:,} / {found['calls']:,}"


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.1f}x" if denominator else "-"


def _table(results: list[dict[str, Any]]) -> list[list[object]]:
    table: list[list[object]] = []
    for result in results:
        label = size_label(result)
        year = f"{result['year']} ({result['cases_in_year']:,} cases)"
        for key, times in result["tables"].items():
            table.append(
                [
                    label,
                    year,
                    key,
                    f"{1000 * times['orm']:.1f} ms",
                    f"{1000 * times['sql']:.1f} ms",
                    _ratio(times["orm"], times["sql"]),
                    "yes" if times.get("agrees", True) else "**no**",
                ]
            )
        table.append(
            [
                label,
                year,
                "**all 17 figures**",
                f"**{1000 * result['all']:.0f} ms**",
                f"**{1000 * result['all_sql']:.0f} ms**",
                f"**{_ratio(result['all'], result['all_sql'])}**",
                f"suppression {1000 * result['suppress']:.0f} ms, charts {1000 * result['charts']:.0f} ms",
            ]
        )
    return table


HEADER = [
    "persons / cases / calls",
    "year",
    "figure",
    "Azad (ORM)",
    "reference: one SQL query",
    "Azad / reference",
    "same numbers",
]
COMMON_NOTES = (
    "The reference is one hand-written query per figure for the same aggregates over the same rows "
    "(same year bounds, Baku months and years; no labels, no zero rows); 'same numbers' says whether the "
    "figure shows the reference's numbers. The 'all 17 figures' row gives compute_all for the year against "
    "the 17 reference queries run one after the other; its last column is suppressing every figure and "
    "drawing every figure's SVG chart (chart cache cleared, once)."
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--ladder", default=",".join(map(str, DEFAULT_LADDER)), help="persons per rung (SQLite)"
    )
    parser.add_argument("--database", default="", help="an existing seeded database (postgres://...)")
    parser.add_argument("--var-dir", default="", help="the key file directory of --database's data")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--name", default="", help="result file name (default by database)")
    parser.add_argument("--results", default="", help="directory for the result files")
    if argv[:1] == ["--child"]:
        if argv[1] == "ladder":
            print(json.dumps(_child_ladder([int(a) for a in argv[2:]])))
        else:
            print(json.dumps(_child_existing(int(argv[2]))))
        return 0
    args = parser.parse_args(argv)
    if args.results:
        _setup.RESULTS = Path(args.results)
    if args.database:
        if not args.var_dir:
            parser.error("--database needs --var-dir (the key file the data was encrypted with)")
        env = existing_database_env(args.database, args.var_dir)
        vendor = "SQLite" if args.database.startswith("sqlite") else "PostgreSQL"
        name = args.name or f"core_statistics_{vendor.lower().removesuffix('ql')}"
        measured = run_child(str(Path(__file__).resolve()), ["existing", str(args.repeats)], env)
        results = merge_results(name, measured)
        notes = (
            f"Measured on an existing {vendor} database seeded by `azad generate --cases 1x --seed 2026` "
            "(persons with about as many cases and hotline calls), one run per database size, nothing generated "
            "by the benchmark. The database works in its own process, so these are **wall times** (not the "
            f"benchmark process's CPU time), best of {args.repeats}, Azad and reference interleaved, after one "
            "warm-up computation of every figure. " + COMMON_NOTES
        )
        title = f"Core statistics on {vendor}: every figure of a year against hand-written SQL"
    else:
        name = args.name or "core_statistics"
        results = _measure_ladder([int(n.replace("_", "")) for n in args.ladder.split(",") if n])
        notes = (
            "One child process per run against a fresh migrated SQLite file; `azad generate` makes the persons "
            "with as many cases and hotline calls. CPU times (SQLite works inside the process), best of "
            f"{REPEATS}, Azad and reference interleaved. " + COMMON_NOTES
        )
        title = "Core statistics: every figure of a year against hand-written SQL"
    write_table(name, title, HEADER, _table(results), notes=notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
