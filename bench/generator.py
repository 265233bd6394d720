"""Synthetic-person generator throughput: persons per second into a fresh SQLite file.

A size ladder (1k, 10k, 50k persons by default; sizes as arguments). For each
rung, four timings of the same persons:

- **records**: the synthetic records alone, streamed (random draws, names);
- **rows in memory**: the records turned into the exact database rows (search
  hashes computed, every personal field sealed with AES-GCM), kept in a list,
  no database;
- **generator**: ``azad.demo.generator.generate_persons`` into the database
  (``bulk_create`` in batches of 1,000, one audit event per batch);
- **raw executemany**: the same ciphertext rows written with one
  ``cursor.executemany`` in one transaction (the floor for the database part).

The work runs in a child process with its own settings (``AZAD_VAR_DIR`` set
to a temporary directory: a new SQLite file and a new key file, migrated
first), so neither the development database nor its keys are touched, and a
caller that has already configured Django can still call :func:`main`.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _setup
from _setup import write_table

DEFAULT_SIZES = [1_000, 10_000, 50_000]
SEED = 20_260


def _child(sizes: list[int]) -> list[dict[str, float]]:
    """Measure in this (fresh) process; Django is configured from the environment the parent set."""
    _setup.django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from azad.demo import generator
    from azad.persons.models import Person

    call_command("migrate", verbosity=0)
    organisations, _created = generator.ensure_organisations(
        [*generator.NATIONAL_ORGANISATIONS, *(generator.ngo_spec(i) for i in range(5))]
    )
    recorders = generator.Recorders.among(list(organisations.values()))
    fields = Person._meta.concrete_fields
    table = Person._meta.db_table
    insert = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        table, ", ".join(f'"{f.column}"' for f in fields), ", ".join(["%s"] * len(fields))
    )

    def clear() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{table}"')

    results = []
    for rung, size in enumerate(sizes):
        seed = SEED + rung

        # Streamed, as the generator streams them: nothing kept but the rows for executemany.
        start = time.perf_counter()
        for _record in generator.person_records(size, seed=seed):
            pass
        t_records = time.perf_counter() - start

        clear()
        gc.collect()
        start = time.perf_counter()
        generated = generator.generate_persons(size, seed=seed, recorders=recorders)
        t_generator = time.perf_counter() - start
        assert generated.created == size, generated

        clear()
        start = time.perf_counter()
        rows = []
        name_hashes: dict[str, str] = {}
        for record in generator.person_records(size, seed=seed):
            person = generator.build_person(record, recorders, name_hashes)
            rows.append(tuple(f.get_db_prep_save(f.pre_save(person, True), connection) for f in fields))
        t_rows = time.perf_counter() - start

        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, rows)
        t_raw = time.perf_counter() - start
        assert Person.objects.count() == size
        clear()
        del rows

        results.append(
            {"size": size, "records": t_records, "rows": t_rows, "generator": t_generator, "raw": t_raw}
        )
    return results


def _measure(sizes: list[int]) -> list[dict[str, float]]:
    """Run :func:`_child` in a new Python with a temporary SQLite file and key file."""
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
        raise RuntimeError(f"generator benchmark failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Run the ladder (sizes from ``argv``; ``--results DIR`` to write elsewhere) and write the table."""
    args = list(argv or [])
    if "--child" in args:
        print(json.dumps(_child([int(a) for a in args if a != "--child"])))
        return 0
    if "--results" in args:
        at = args.index("--results")
        _setup.RESULTS = Path(args[at + 1])
        del args[at : at + 2]
    sizes = [int(a.replace("_", "").replace(",", "")) for a in args] or DEFAULT_SIZES
    rows: list[list[object]] = []
    for r in _measure(sizes):
        size = r["size"]
        rows.append(
            [
                f"{int(size):,}",
                f"{size / r['records']:,.0f}",
                f"{size / r['rows']:,.0f}",
                f"{size / r['generator']:,.0f}",
                f"{size / r['raw']:,.0f}",
                f"{r['generator']:.2f}",
                f"{r['generator'] / (r['rows'] + r['raw']):.2f}x",
            ]
        )
    write_table(
        "generator",
        "Synthetic persons: generator throughput (persons per second, SQLite file)",
        [
            "persons",
            "records only",
            "rows in memory (hashes + AES-GCM)",
            "generator (bulk_create)",
            "raw executemany of the same rows",
            "generator seconds",
            "generator / (rows + executemany)",
        ],
        rows,
        "One run per rung into a fresh, migrated SQLite file (WAL, synchronous=NORMAL) in a temporary "
        "directory. Each person has 7 encrypted fields and 3 keyed-hash columns. The last column is the "
        "ORM's share: the generator's time against building the same rows in memory plus writing them "
        "with one executemany.",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
