"""Locust users for the load benchmarks; ``BENCH_SCENARIO`` picks the mix, ``BENCH_DATA`` the sessions.

Every scenario requests the trivial signed-in view (``GET /ping/``) alongside
its pages, with the same users, so each page's latency has its floor measured
under the same load in the same run. Users wait 0.5-2 s between requests
(people at work, not a saturation test). A response that is not the expected
status (e.g. a redirect to sign-in) counts as a failure.

- ``cases``: ATD investigators: the case list filtered by stage and region at
  a random page among the first three, and the exact-name search (POST).
- ``cases_national``: the same with a national-scope police supervisor (no
  visibility subquery).
- ``intake``: hotline operators saving a call (POST, a new idempotency key each time).
- ``dashboard``: hotline supervisors opening the dashboard (default 90 days, and a year by month).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import secrets
import string
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "cases")
DATA = json.loads(Path(os.environ["BENCH_DATA"]).read_text(encoding="utf-8"))
ROLE = {"cases": "atd", "cases_national": "national", "intake": "operator", "dashboard": "supervisor"}[
    SCENARIO
]
SESSIONS = itertools.cycle(DATA["sessions"][ROLE])
NAMES: list[str] = DATA["names"]
STAGES = ["presumed", "referred_to_atd", "reflection", "identified", "assistance", "closed", "not_identified"]
REGIONS = ["Bakı", "Sumqayıt", "Gəncə", "Lənkəran", "Şəki", "Quba"]
_ALPHABET = string.ascii_letters + string.digits


class BenchUser(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.csrf = "".join(secrets.choice(_ALPHABET) for _ in range(32))
        self.client.cookies.set("sessionid", next(SESSIONS))
        self.client.cookies.set("csrftoken", self.csrf)
        self.client.cookies.set("azad_language", "az")

    def _get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")

    def _post(self, url: str, data: dict[str, Any], name: str, expect: int) -> None:
        data = {**data, "csrfmiddlewaretoken": self.csrf}
        headers = {"X-CSRFToken": self.csrf, "Referer": self.host + url}
        with self.client.post(
            url, data=data, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} {response.text[:200]}")

    @task(2)
    def ping(self) -> None:
        self._get("/ping/", "trivial view (GET /ping/)")

    if SCENARIO in ("cases", "cases_national"):

        @task(2)
        def case_list(self) -> None:
            stage, region, page = random.choice(STAGES), random.choice(REGIONS), random.randint(1, 3)
            self._get(
                f"/cases/?stage={stage}&region={region}&page={page}", "case list (stage + region + page)"
            )

        @task(1)
        def case_list_plain(self) -> None:
            self._get("/cases/", "case list (no filter, first page)")

        @task(2)
        def search(self) -> None:
            self._post(
                "/persons/search/",
                {"name": random.choice(NAMES), "document": ""},
                "exact-name search (POST)",
                200,
            )

    if SCENARIO == "intake":

        @task(2)
        def intake(self) -> None:
            now = dt.datetime.now(dt.UTC)
            data = {
                "idempotency_key": str(uuid.uuid4()),
                "started_at": (now - dt.timedelta(minutes=4)).isoformat(),
                "ended_at": "",
                "caller_type": random.choice(["relative", "public", "potential_victim", "anonymous"]),
                "language": "az",
                "reason": random.choice(
                    ["report_suspected_trafficking", "safe_migration_advice", "information_request"]
                ),
                "urgency": random.choice(["routine", "routine", "urgent"]),
                "region": random.choice(REGIONS),
                "summary": "Qohumu xaricdə işləyir, sənədləri alınıb.",
                "actions": ["information_given"],
            }
            self._post("/hotline/new/", data, "intake save (POST /hotline/new/)", 302)

    if SCENARIO == "dashboard":

        @task(2)
        def dashboard(self) -> None:
            self._get("/hotline/dashboard/", "dashboard (90 days, by day)")

        @task(1)
        def dashboard_year(self) -> None:
            self._get(
                "/hotline/dashboard/?start=2025-11-01&end=2026-10-31&grain=month",
                "dashboard (a year, by month)",
            )
