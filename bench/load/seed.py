"""Seed the load-test database to a size and sign in the bench accounts.

Run by :mod:`run` in a child process whose environment selects the database
(``DATABASE_URL``) and the key file (``AZAD_VAR_DIR``); the app server later
runs with the same environment. Steps, each idempotent:

1. ``migrate`` and ``createcachetable``;
2. ``azad generate --persons N --cases <ratio>x --calls K --seed S`` (the
   generator skips what is already there, so a bigger rung extends a smaller);
3. ``VACUUM (ANALYZE)`` on PostgreSQL, ``ANALYZE`` on SQLite (planner statistics and
   the visibility map, as autovacuum keeps them in production;
   the test server may run without autovacuum);
4. the bench accounts (ATD investigators, national-scope police supervisors,
   hotline operators and supervisors, one of each per simulated user), each with
   a TOTP authenticator so the second-factor middleware lets them through;
5. one signed-in session per account, made by Django's own ``login`` (so the
   sign-in time and the ``LoginSession`` row are recorded as for a person), and
   written with a sample of existing names to search for to ``--out`` (JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BENCH_PREFIX = "bench-"


def _account(username: str, role: str, organisation, scope: str):  # type: ignore[no-untyped-def]
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    from azad.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, organisation=organisation, scope=scope, is_active=True)
        user.set_unusable_password()
        user.save()
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        secret = "JBSWY3DPEHPK3PXP"  # never used to sign in: sessions are made directly
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": get_adapter().encrypt(secret)}
        )
    return user


def _session(user) -> str:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, required=True)
    parser.add_argument("--cases-ratio", default="1x")
    parser.add_argument("--calls", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--out", required=True)
    parser.add_argument("--skip-generate", action="store_true")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "azad.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from azad.accounts.models import Organisation
    from azad.core.permissions import Role, Scope
    from azad.demo import generator

    timings: dict[str, float] = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    timings["migrate"] = time.perf_counter() - start
    if not args.skip_generate:
        start = time.perf_counter()
        call_command(
            "generate",
            persons=args.persons,
            cases=args.cases_ratio,
            calls=args.calls,
            seed=args.seed,
            batch_size=2000,
        )
        timings["generate"] = time.perf_counter() - start
    # Planner statistics and the visibility map, as autovacuum would keep them in production (it
    # may be off on a test server, and bulk inserts leave the tables unanalysed and unvacuumed):
    # without them PostgreSQL plans for empty tables and cannot answer from an index alone, and
    # every figure below would measure that.
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "postgresql":
            # Write out what the vacuum dirtied now, so the first scenario does not pay for it.
            cursor.execute("CHECKPOINT")
    timings["analyze"] = time.perf_counter() - start

    specs = [*generator.NATIONAL_ORGANISATIONS, *(generator.ngo_spec(i) for i in range(5))]
    organisations, _created = generator.ensure_organisations(specs)
    atd, hotline = organisations["atd"], organisations["hotline"]
    assert isinstance(atd, Organisation)
    sessions: dict[str, list[str]] = {"atd": [], "operator": [], "supervisor": [], "national": []}
    for n in range(args.users):
        sessions["atd"].append(
            _session(_account(f"{BENCH_PREFIX}atd-{n}", Role.POLICE_INVESTIGATOR, atd, Scope.ORGANISATION))
        )
        sessions["operator"].append(
            _session(_account(f"{BENCH_PREFIX}operator-{n}", Role.HOTLINE_OPERATOR, hotline, Scope.OWN))
        )
        sessions["supervisor"].append(
            _session(
                _account(
                    f"{BENCH_PREFIX}supervisor-{n}", Role.HOTLINE_SUPERVISOR, hotline, Scope.ORGANISATION
                )
            )
        )
        sessions["national"].append(
            _session(_account(f"{BENCH_PREFIX}police-chief-{n}", Role.POLICE_SUPERVISOR, atd, Scope.NATIONAL))
        )
    # Names that exist (first and last name of generated persons), to search for exactly.
    step = max(1, args.persons // 200)
    names = []
    for index in range(0, args.persons, step):
        record = generator.person_record(args.seed, index)
        names.append(f"{record.first_name} {record.last_name}")
    Path(args.out).write_text(
        json.dumps({"sessions": sessions, "names": names, "timings": timings}, ensure_ascii=False)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
