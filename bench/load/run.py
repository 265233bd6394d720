"""Load benchmarks for the case list, the exact-name search, hotline intake and the hotline dashboard.

For each size of the ladder (persons; about one case per person; as many hotline calls):

1. seed the database (``seed.py``: migrate, ``azad generate``, bench accounts and their sessions);
2. start the app with gunicorn on a free port against that database (development settings,
   DEBUG off), and wait for ``/health/``;
3. run locust headless (20 users by default) once per scenario (``locustfile.py``): every
   scenario mixes its pages with the trivial signed-in view ``/ping/``, so each page is
   compared with the floor measured under the same load in the same run. Each scenario is
   first run unrecorded for ``--warmup`` seconds: a new worker process imports its views,
   compiles its templates and loads its translations on its first requests, which would
   otherwise land in the first scenario's tail and not in the others';
4. stop the server and find which queries dominate each page (``explain.py``);
5. write ``bench/results/load-<date>.md`` and ``.json`` (after every rung, so a long ladder
   that is stopped still leaves its first rungs).

PostgreSQL is the production database and the default here (``--database``, a database of
its own: it is seeded and kept between runs, so a bigger rung only adds to a smaller one).
``--sqlite PATH`` runs against a SQLite file instead. Example::

    .venv/bin/python bench/load/run.py --sizes 10000,100000 --duration 60
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
SCENARIOS = ["cases", "cases_national", "intake", "dashboard"]
TRIVIAL = "trivial view (GET /ping/)"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/azad_bench"


def _env(args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "AZAD_"))}
    env.update(
        {
            "AZAD_ENV": "development",  # production settings demand HTTPS; DEBUG stays off
            "AZAD_VAR_DIR": args.var_dir,  # the key file shared by the seeder and the server
            "AZAD_SECRET_KEY": "bench-only-" + "k" * 40,
            "DJANGO_SETTINGS_MODULE": "azad.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    if args.sqlite:
        env["AZAD_SQLITE_PATH"] = args.sqlite
    else:
        env["DATABASE_URL"] = args.database
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the app server did not become healthy")


def _stats(prefix: Path) -> dict[str, dict[str, float]]:
    """Locust's aggregated stats CSV: p50/p95/p99 (ms), requests and failures per request name."""
    rows: dict[str, dict[str, float]] = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                continue
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
                "rps": float(row["Requests/s"]),
            }
    return rows


def _counts(env: dict[str, str]) -> dict[str, int]:
    code = (
        "import django,json;django.setup();"
        "from azad.persons.models import Person;from azad.cases.models import Case;"
        "from azad.hotline.models import Call;"
        "print(json.dumps({'persons':Person.objects.count(),'cases':Case.objects.count(),"
        "'calls':Call.objects.count()}))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {}


def _locust(
    args: argparse.Namespace,
    env: dict[str, str],
    scenario: str,
    data: Path,
    host: str,
    seconds: int,
    prefix: Path,
) -> None:
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--host",
            host,
            "-u",
            str(args.users),
            "-r",
            str(args.users),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**env, "BENCH_SCENARIO": scenario, "BENCH_DATA": str(data)},
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
    )


def run_rung(size: int, args: argparse.Namespace, env: dict[str, str], work: Path) -> dict[str, Any]:
    data = work / f"seed-{size}.json"
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(HERE / "seed.py"),
            "--persons",
            str(size),
            "--cases-ratio",
            args.cases_ratio,
            "--calls",
            str(size if args.calls is None else args.calls),
            "--seed",
            str(args.seed),
            "--users",
            str(args.users),
            "--out",
            str(data),
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    seeded = time.perf_counter() - started
    rung: dict[str, Any] = {"size": size, "seed_seconds": seeded, "counts": _counts(env), "scenarios": {}}
    print(f"[{size}] seeded in {seeded:.0f} s: {rung['counts']}", flush=True)

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "azad.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_healthy(host)
        for scenario in args.scenarios:
            prefix = work / f"{size}-{scenario}"
            if args.warmup:
                # Unrecorded: every worker imports its views, compiles its templates and loads
                # its translations on its first requests, once per process lifetime.
                _locust(args, env, scenario, data, host, args.warmup, work / f"{size}-{scenario}-warmup")
            _locust(args, env, scenario, data, host, args.duration, prefix)
            rung["scenarios"][scenario] = _stats(prefix)
            print(
                f"[{size}] {scenario}: {json.dumps(rung['scenarios'][scenario], ensure_ascii=False)}",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    done = subprocess.run(
        [sys.executable, str(HERE / "explain.py"), str(data)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        rung["explain"] = json.loads(done.stdout.strip().splitlines()[-1])
    else:
        rung["explain_error"] = done.stderr[-2000:]
    return rung


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def write_results(rungs: list[dict[str, Any]], args: argparse.Namespace, name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(rungs, ensure_ascii=False, indent=1))
    lines = [
        "# Load: case list, exact-name search, hotline intake and dashboard against the trivial view",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M:%S %Z')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {'SQLite' if args.sqlite else 'PostgreSQL'}; gunicorn "
        f"{args.workers} sync workers; locust {args.users} users, {args.duration} s per scenario "
        f"after {args.warmup} s unrecorded, 0.5-2 s between a user's requests. The ratio is the page's latency over the trivial signed-in "
        "view's (GET /ping/) in the same scenario, same users, same run.",
        "",
        "| persons / cases / calls | scenario | request | requests (failed) | p50 | p95 | p50 ratio | p95 ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rung in rungs:
        counts = rung.get("counts", {})
        label = f"{counts.get('persons', 0):,} / {counts.get('cases', 0):,} / {counts.get('calls', 0):,}"
        label += f" ({rung['note']})" if rung.get("note") else ""
        for scenario, stats in rung["scenarios"].items():
            floor = stats.get(TRIVIAL)
            for request, s in sorted(stats.items(), key=lambda item: item[0] != TRIVIAL):
                ratio50 = f"{s['p50'] / floor['p50']:.1f}x" if floor and floor["p50"] else ""
                ratio95 = f"{s['p95'] / floor['p95']:.1f}x" if floor and floor["p95"] else ""
                lines.append(
                    f"| {label} | {scenario} | {request} | {s['requests']} ({s['failures']}) | "
                    f"{_ms(s['p50'])} | {_ms(s['p95'])} | {ratio50} | {ratio95} |"
                )
    lines += ["", "## Where the time goes (one request each, after the load; test client, no network)", ""]
    for rung in rungs:
        for page in rung.get("explain", []):
            top = page["slowest"][0] if page["slowest"] else None
            lines.append(
                f"- {rung['size']:,} persons, {page['page']} as {page['user']}: {page['status']}, "
                f"{page['seconds'] * 1e3:.0f} ms, {page['queries']} queries, "
                f"{page['sql_seconds'] * 1e3:.0f} ms in SQL"
                + (f"; slowest {top['seconds'] * 1e3:.0f} ms" if top else "")
            )
    for rung in rungs[-1:]:
        for page in rung.get("explain", []):
            for query in page["slowest"][:1]:
                if "plan" in query and query["seconds"] > 0.005:
                    lines += [
                        "",
                        f"### {rung['size']:,} persons: {page['page']} — slowest query "
                        f"({query['seconds'] * 1e3:.0f} ms)",
                        "",
                        "```sql",
                        query["sql"],
                        "```",
                        "",
                        "```",
                        query["plan"],
                        "```",
                        "",
                        f"Without JIT (SET jit = off): {query.get('jit_off', '')}",
                    ]
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="persons per rung, comma-separated")
    parser.add_argument("--cases-ratio", default="1x", help="cases per person (default 1x)")
    parser.add_argument("--calls", type=int, default=None, help="hotline calls (default: as many as persons)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds per scenario")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--warmup", type=int, default=15, help="unrecorded seconds of each scenario first (0: none)"
    )
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--sqlite", default="", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--var-dir", default=str(Path(tempfile.gettempdir()) / "azad-bench-load"))
    parser.add_argument("--name", default=f"load-{time.strftime('%Y-%m-%d')}")
    args = parser.parse_args(argv)
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    env = _env(args)
    work = Path(args.var_dir) / "runs"
    work.mkdir(exist_ok=True)
    rungs: list[dict[str, Any]] = []
    for size in (int(s.replace("_", "")) for s in args.sizes.split(",")):
        rungs.append(run_rung(size, args, env, work))
        print(f"wrote {write_results(rungs, args, args.name)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
