"""Publication: the k-anonymiser against a pandas groupby-and-suppress of the same columns.

On the same synthetic rows (CTDC columns, skewed like Azerbaijan's data: mostly
women, mostly AZ citizens, exploitation in TR/AE/RU), for a ladder of sizes:

- **azad**: :func:`azad.publication.kanon.anonymise` with CTDC's nine default
  quasi-identifiers and k = 11 — the whole job: counting, the search for the
  generalisation levels, suppression, and writing the published columns
  (lists of Python values, as the export writes them out);
- **pandas (floor)**: the same data already in a DataFrame (building it is not
  timed, as azad's columns are built beforehand too; a second column times it,
  from the same dict of lists), the quasi-identifier columns mapped to the
  levels azad chose (``Series.map``), ``groupby(...).transform("size")``, rows
  with a class under k dropped. It does no search: it is told the answer, so
  it is a floor.

Both produce the same rows, value for value (checked). CPU time, best of the
repeats, interleaved. The goal: azad within 2x of pandas.

With ``--db=10000,100000`` (default 10,000 and 100,000) a second table measures
the whole export from the database, in a child process with a fresh migrated
SQLite file filled by ``azad generate --persons N --cases 1x``: ``build_columns``
(one query per 2,000 cases, nothing decrypted) + ``anonymise`` + CSV, against
``pandas.read_sql`` of one SQL query of the clear columns it needs (year,
gender, birth year, citizenship) and a groupby-and-suppress on them — a floor
that neither merges linked records, nor reads exploitation flags or countries.
CPU time of the process (SQLite runs in it), best of three.
"""

from __future__ import annotations

import gc
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _setup
from _setup import best_of_interleaved, write_table

DEFAULT_LADDER = [10_000, 100_000, 1_000_000]
SEED = 11


def _weighted(rng: random.Random, values: list[Any], weights: list[float], n: int) -> list[Any]:
    return rng.choices(values, weights=weights, k=n)


def synthetic_rows(n: int, seed: int = SEED) -> list[dict[str, Any]]:
    from azad.publication.kanon import AGE_BANDS

    rng = random.Random(seed)
    years = _weighted(rng, list(range(2010, 2026)), [1 + i for i in range(16)], n)
    genders = _weighted(rng, ["Female", "Male", "Transgender/NonConforming", ""], [80, 17, 1, 2], n)
    ages = _weighted(rng, [*AGE_BANDS, ""], [2, 8, 14, 16, 14, 12, 18, 9, 5, 2], n)
    citizen = [
        *["AZ", "UZ", "TJ", "KG", "RU", "UA", "GE", "TR", "IR", "AF", "IN", "PK", "BD", "NP", "PH", "XX"],
        "",
    ]
    citizenships = _weighted(rng, citizen, [60, 6, 5, 4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 0.5, 1.5], n)
    where = ["TR", "AE", "RU", "AZ", "IR", "GE", "KZ", "QA", "SA", "DE", "IL", "CY", ""]
    countries = _weighted(rng, where, [30, 20, 15, 12, 4, 3, 3, 2, 2, 1, 1, 1, 6], n)
    rows = []
    for i in range(n):
        sexual = rng.random() < 0.7
        labour = rng.random() < (0.15 if sexual else 0.8)
        age = ages[i]
        rows.append(
            {
                "yearOfRegistration": years[i],
                "gender": genders[i],
                "ageBroad": age,
                "majorityStatus": "" if not age else ("Minor" if age in ("0--8", "9--17") else "Adult"),
                "citizenship": citizenships[i],
                "CountryOfExploitation": countries[i],
                "meansOfControlDebtBondage": int(rng.random() < 0.3),
                "meansOfControlWithholdsDocuments": int(rng.random() < 0.4),
                "isForcedLabour": int(labour),
                "isSexualExploit": int(sexual),
                "isOtherExploit": int(rng.random() < 0.05),
            }
        )
    return rows


def pandas_reference(frame: Any, qis: list[str], mappings: dict[str, dict[Any, Any]], k: int) -> Any:
    """Map the quasi-identifiers to the given levels, count each class, drop classes under k."""
    out = frame.copy()
    for q in qis:
        out[q] = out[q].map(mappings[q])
    sizes = out.groupby(qis, sort=False, dropna=False)[qis[0]].transform("size")
    return out[sizes >= k]


DB_LADDER = [10_000, 100_000]
DB_SQL = """
SELECT strftime('%Y', c.first_contact_at) AS year, p.gender, p.birth_year, p.citizenship
FROM cases_case c JOIN persons_person p ON p.id = c.person_id
WHERE c.trafficking_status != 'NotAVictimOfTrafficking'
"""


def _db_child(ladder: list[int]) -> list[dict[str, Any]]:
    _setup.django_setup()
    import pandas as pd
    from django.core.management import call_command
    from django.db import connection

    from azad.publication import dataset, kanon, services

    call_command("migrate", verbosity=0)
    results = []
    made = 0
    for n in ladder:
        call_command(
            "generate",
            persons=n,
            cases="1x",
            seed=11,
            verbosity=0,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        made = n

        def export() -> int:
            columns = dataset.build_columns(1990, 2100)
            result = kanon.anonymise(columns, list(kanon.DEFAULT_QUASI_IDENTIFIERS), 11)
            data = services.PublicDataset(result.columns, result.report, 1990, 2100, False)
            return len(services.public_dataset_csv(data))

        def reference() -> int:
            frame = pd.read_sql(DB_SQL, connection.connection)
            qis = ["year", "gender", "birth_year", "citizenship"]
            sizes = frame.groupby(qis, dropna=False)["year"].transform("size")
            return len(frame[sizes >= 11].to_csv(index=False))

        def read_only() -> int:
            return len(dataset.build_columns(1990, 2100)["gender"])

        timings = {}
        gc.collect()
        for name, work in (("export", export), ("read", read_only), ("reference", reference)):
            best = float("inf")
            for _ in range(3):
                start = time.process_time()
                work()
                best = min(best, time.process_time() - start)
            timings[name] = best
        rows = len(dataset.build_columns(1990, 2100)["gender"])
        results.append({"persons": made, "rows": rows, **timings})
    return results


def _db(ladder: list[int]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="azad-bench-") as var:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "AZAD_"))}
        env.update(
            {"AZAD_VAR_DIR": var, "AZAD_ENV": "development", "DJANGO_SETTINGS_MODULE": "azad.settings"}
        )
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--db-child", ",".join(map(str, ladder))],
            env=env,
            cwd=_setup.ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"kanon database benchmark failed:\n{done.stderr}")
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str]) -> int:
    import pandas as pd

    if argv and argv[0] == "--db-child":
        print(json.dumps(_db_child([int(x) for x in argv[1].split(",")])))
        return 0
    db_ladder = DB_LADDER
    for arg in argv:
        if arg.startswith("--db="):
            db_ladder = [int(x) for x in arg.split("=", 1)[1].split(",") if x]

    from azad.publication.kanon import DEFAULT_QUASI_IDENTIFIERS, HIERARCHIES, anonymise, columns_of

    ladder = DEFAULT_LADDER
    for arg in argv:
        if arg.startswith("--ladder="):
            ladder = [int(x) for x in arg.split("=", 1)[1].split(",")]
    k = 11
    qis = list(DEFAULT_QUASI_IDENTIFIERS)
    table = []
    for n in ladder:
        columns = columns_of(synthetic_rows(n))
        frame = pd.DataFrame(columns)
        result = anonymise(columns, qis, k)
        levels = {g.name: g.level for g in result.report.generalisation}
        mappings: dict[str, dict[Any, Any]] = {}
        for q in qis:
            mappings[q] = {v: HIERARCHIES[q].chain(v)[levels[q]] for v in frame[q].unique()}
        reference = pandas_reference(frame, qis, mappings, k)
        if len(reference) != result.report.rows_out or any(
            reference[name].tolist() != values for name, values in result.columns.items()
        ):
            print(f"mismatch at {n}: pandas {len(reference)} rows, azad {result.report.rows_out}")
            return 1
        repeats = 3 if n <= 100_000 else 2
        azad_s, pandas_s, pandas_build_s = best_of_interleaved(
            repeats,
            lambda columns=columns: anonymise(columns, qis, k),
            lambda frame=frame, mappings=mappings: pandas_reference(frame, qis, mappings, k),
            lambda columns=columns, mappings=mappings: pandas_reference(
                pd.DataFrame(columns), qis, mappings, k
            ),
        )
        report = result.report
        table.append(
            [
                f"{n:,}",
                f"{azad_s:.3f}",
                f"{pandas_s:.3f}",
                f"{azad_s / pandas_s:.2f}x" if pandas_s else "-",
                f"{pandas_build_s:.3f}",
                f"{azad_s / pandas_build_s:.2f}x" if pandas_build_s else "-",
                f"{report.rows_suppressed:,} ({100 * report.rows_suppressed / n:.1f}%)",
                ", ".join(f"{g.name}={g.level_name}" for g in report.generalisation if g.level),
            ]
        )
    db_rows = []
    if db_ladder:
        for found in _db(db_ladder):
            db_rows.append(
                [
                    f"{found['persons']:,}",
                    f"{found['rows']:,}",
                    f"{found['read']:.2f}",
                    f"{found['export']:.2f}",
                    f"{found['reference']:.2f}",
                    f"{found['export'] / found['reference']:.2f}x",
                ]
            )
    write_table(
        "kanon",
        "k-anonymous export (k = 11, nine CTDC quasi-identifiers): azad vs pandas groupby-and-suppress",
        [
            "rows",
            "azad (s CPU)",
            "pandas floor (s CPU)",
            "ratio",
            "pandas incl. building its DataFrame (s CPU)",
            "ratio",
            "suppressed",
            "generalised",
        ],
        table,
        notes=(
            "azad: the whole anonymisation (count, search, suppress, write the published columns as lists),"
            " from the columns (dict of lists) built beforehand, as the export reads them from the database."
            " pandas: told the levels azad chose, maps the columns, groups, drops classes under k (DataFrame"
            " built beforehand, not timed). The second pandas column also builds the DataFrame from the same"
            " dict of lists. Same rows out, value for value. Goal: azad within 2x."
        ),
    )
    if db_rows:
        write_table(
            "kanon_db",
            "Public dataset export from the database (generator data, cases 1x): azad vs pandas.read_sql + groupby",
            [
                "persons",
                "rows",
                "azad read (s)",
                "azad read + anonymise + CSV (s)",
                "pandas floor (s)",
                "ratio",
            ],
            db_rows,
            notes=(
                "CPU time (SQLite runs in the process), best of three, fresh SQLite file. azad: build_columns (one query, nothing decrypted), anonymise"
                " (nine CTDC quasi-identifiers, k = 11), CSV. pandas: read_sql of year, gender, birth year and"
                " citizenship, groupby-and-suppress on them, CSV — no merging of linked records, no flags."
            ),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
