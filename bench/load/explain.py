"""Which queries dominate each benchmarked page: run each once through Django's test client, time
every SQL statement, and EXPLAIN ANALYZE the slowest ones (PostgreSQL). Prints JSON.

Run by :mod:`run` in a child process with the load test's environment, after the load phases.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "azad.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from azad.accounts.models import User

    names = json.loads(Path(argv[0]).read_text(encoding="utf-8"))["names"] if argv else ["Aynur Əliyeva"]
    pages: list[tuple[str, str, str, dict[str, Any] | None]] = [
        ("bench-atd-0", "get", "/ping/", None),
        ("bench-atd-0", "get", "/cases/?stage=assistance&region=Bakı&page=2", None),
        ("bench-atd-0", "get", "/cases/", None),
        ("bench-police-chief-0", "get", "/cases/?stage=assistance&region=Bakı&page=2", None),
        ("bench-atd-0", "post", "/persons/search/", {"name": names[0], "document": ""}),
        ("bench-supervisor-0", "get", "/hotline/dashboard/", None),
        (
            "bench-operator-0",
            "post",
            "/hotline/new/",
            {
                "idempotency_key": str(uuid.uuid4()),
                "started_at": "2026-11-01T10:00:00+04:00",
                "caller_type": "public",
                "language": "az",
                "reason": "information_request",
                "urgency": "routine",
                "region": "Bakı",
                "summary": "Məlumat istədi.",
                "actions": ["information_given"],
            },
        ),
    ]
    report = []
    for username, method, url, data in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.cookies["azad_language"] = "az"
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(url, data) if method == "post" else client.get(url)
            total = time.perf_counter() - start
        queries = [{"sql": q["sql"], "seconds": float(q["time"])} for q in captured.captured_queries]
        slowest = sorted(queries, key=lambda q: -q["seconds"])[:2]
        for query in slowest:
            if connection.vendor == "postgresql" and query["sql"].lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    query["plan"] = "\n".join(row[0] for row in cursor.fetchall())
                # The same without PostgreSQL's JIT compilation (costly estimates switch it on).
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
                    cursor.execute("EXPLAIN (ANALYZE) " + query["sql"])
                    last = [row[0] for row in cursor.fetchall() if row[0].startswith("Execution Time")]
                    query["jit_off"] = last[0] if last else ""
            query["sql"] = query["sql"][:1500]
        report.append(
            {
                "page": f"{method.upper()} {url}",
                "user": username,
                "status": response.status_code,
                "seconds": total,
                "queries": len(queries),
                "sql_seconds": sum(q["seconds"] for q in queries),
                "slowest": slowest,
            }
        )
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
