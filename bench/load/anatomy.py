"""What one case-list request spends its CPU on: the page, then the page with one part left out.

The load benchmark compares the case list with the trivial signed-in view (``/ping/``); this
says what the difference is made of. Each variant is the same request through Django's test
client with one part replaced in-process (rows, the filter bar, the capped count, the whole
template); rounds alternate between the variants so that a machine that slows down or speeds
up mid-run affects them all alike, and the median of the rounds is reported. CPU time of this
process only (the database's own time is not in it), per request.

Run against a seeded load-test database, with the environment the load benchmark gives its
server (``DATABASE_URL``, ``AZAD_VAR_DIR``, ``AZAD_ENV=development``, ``AZAD_SECRET_KEY``)::

    .venv/bin/python bench/load/anatomy.py --rounds 15

Writes ``bench/results/load-anatomy.md`` (``--name`` to change it).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
URL = "/cases/?stage=assistance&region=Bakı&page=2"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--per-round", type=int, default=20, help="requests per variant per round")
    parser.add_argument("--user", default="bench-atd-0")
    parser.add_argument("--name", default="load-anatomy")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "azad.settings")
    import django

    django.setup()
    from django.http import HttpResponse
    from django.test import Client

    from azad.accounts.models import Organisation, User
    from azad.cases import views
    from azad.cases.models import Case
    from azad.core.paging import CappedPaginator

    class UncountedPaginator(CappedPaginator):
        """The paginator with its capped count replaced by the cap (no count query)."""

        @property
        def _probe(self) -> int:
            return self.cap + 1

    real: dict[str, Any] = {name: getattr(views, name) for name in ("render", "list_rows", "CappedPaginator")}

    def without_filter_bar(request: Any, template: str, context: dict[str, Any], **kwargs: Any) -> Any:
        return real["render"](request, template, {**context, "filter": None}, **kwargs)

    variants: dict[str, tuple[str, dict[str, Any]]] = {
        "the page": (URL, {}),
        "without its 50 rows (fetched, not built or written)": (
            URL,
            {"list_rows": lambda cases, now, organisations=(): []},
        ),
        "without the filter bar (built and validated, not written)": (URL, {"render": without_filter_bar}),
        "without the capped count": (URL, {"CappedPaginator": UncountedPaginator}),
        "without the template (an empty response)": (URL, {"render": lambda *a, **k: HttpResponse("")}),
        "the trivial view (GET /ping/)": ("/ping/", {}),
    }

    def use(replacements: dict[str, Any]) -> None:
        for name, original in real.items():
            setattr(views, name, replacements.get(name, original))

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    timings: dict[str, list[float]] = {name: [] for name in variants}
    request: Callable[[str], Any] = client.get
    for _round in range(args.rounds):
        for name, (url, replacements) in variants.items():
            use(replacements)
            for _ in range(3):
                assert request(url).status_code == 200
            started = time.process_time()
            for _ in range(args.per_round):
                request(url)
            timings[name].append((time.process_time() - started) / args.per_round * 1000)
    use({})

    page = statistics.median(timings["the page"])
    lines = [
        "# Anatomy of a case-list request (CPU of the app process, per request)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M:%S %Z')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {Case.objects.count():,} cases, "
        f"{Organisation.objects.count()} organisations; `GET {URL}` as `{args.user}`; "
        f"{args.rounds} alternating rounds of {args.per_round} requests per variant, median of the rounds. "
        "The database's own time is not counted (another process).",
        "",
        "| variant | CPU per request | the part left out costs |",
        "|---|---|---|",
    ]
    for name in variants:
        value = statistics.median(timings[name])
        saved = "" if name == "the page" else f"{page - value:.1f} ms"
        lines.append(f"| {name} | {value:.1f} ms | {saved} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{args.name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
