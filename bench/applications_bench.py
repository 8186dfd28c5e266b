"""The clerk's and the supervising office's deadline lists with 1,000,000 applications stored.

Target (issue #5): with 1,000,000 applications stored, one agency's overdue list and a district's
due-soon list each render in ≤ 100 ms. The bench renders the real workbench pages
(`/workbench/applications/?view=overdue` as the clerk of one agency, `?view=due_soon` as the
supervising office of one district) through Django's test client — URL routing, middleware,
session, selectors, the working-day calendar and the template — and prints the median and the p95
of repeated renders.

    .venv/bin/python -m bench.applications_bench                         # SQLite, /tmp/bench-applications/
    .venv/bin/python -m bench.applications_bench --database-url postgres://postgres@127.0.0.1:5432/applications_bench
    .venv/bin/python -m bench.applications_bench --reuse                 # measure again, no rebuild

The synthetic province: one province, 300 districts of 33 agencies (10,000 agencies in all), and
100 applications per agency received over the last two years; 85 % are finished (replied), the
rest are open with reply deadlines from 15 days ago to 30 days ahead. The database is rebuilt unless
`--reuse` is given; never point it at a database you care about.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path("/tmp/bench-applications")  # noqa: S108 - a bench data set, rebuilt at will
DISTRICTS = 300
PER_DISTRICT = 33  # 300 × 33 agencies + 300 districts + 1 province ≈ 10,000 agencies


def _setup(database_url: str | None, reuse: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["GONGKAI_DEBUG"] = "0"
    os.environ.setdefault("GONGKAI_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("GONGKAI_ALLOWED_HOSTS", "testserver,127.0.0.1")
    if database_url:
        os.environ["GONGKAI_DATABASE_URL"] = database_url
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path = DATA_DIR / "applications.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["GONGKAI_DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production static storage
    if database_url and not reuse:
        call_command("flush", interactive=False, verbosity=0)


def _build(applications_per_agency: int, seed: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from gongkai.agencies.models import Agency, Level, Membership, Role
    from gongkai.applications.models import Application
    from gongkai.applications.states import APPLICANT_COLUMNS, Status
    from gongkai.core import clock

    rng = random.Random(seed)
    today = clock.today()
    now = clock.now()
    started = time.perf_counter()
    with transaction.atomic():
        root = Agency.objects.create(
            name="演示省人民政府",
            short_name="演示省",
            slug="bench-root",
            level=Level.PROVINCE,
            credit_code="BENCH0000000000000",
        )
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        districts = Agency.objects.bulk_create(
            [
                Agency(
                    name=f"演示区{d:03d}人民政府",
                    short_name=f"演示区{d:03d}",
                    slug=f"bench-d{d:03d}",
                    level=Level.COUNTY,
                    credit_code=f"BENCHD{d:012d}",
                    parent=root,
                )
                for d in range(DISTRICTS)
            ]
        )
        for district in districts:
            district.path = f"{root.path}{district.pk}/"
        Agency.objects.bulk_update(districts, ["path"], batch_size=1000)
        members = Agency.objects.bulk_create(
            [
                Agency(
                    name=f"演示区{d:03d}机关{i:02d}",
                    short_name=f"区{d:03d}机关{i:02d}",
                    slug=f"bench-d{d:03d}-{i:02d}",
                    level=Level.TOWNSHIP,
                    credit_code=f"BENCHA{d * 100 + i:012d}",
                    parent=district,
                )
                for d, district in enumerate(districts)
                for i in range(PER_DISTRICT)
            ],
            batch_size=2000,
        )
        for agency in members:
            agency.path = f"{agency.parent.path}{agency.pk}/"  # type: ignore[union-attr]
        Agency.objects.bulk_update(members, ["path"], batch_size=2000)

        users = get_user_model()
        clerk = users.objects.create_user("bench_clerk")
        supervisor = users.objects.create_user("bench_supervisor")
        Membership.objects.create(user=clerk, agency=members[0], role=Role.CLERK)
        Membership.objects.create(user=supervisor, agency=districts[0], role=Role.SUPERVISOR)

    table = Application._meta.db_table
    columns = [
        "agency_id",
        "tracking_code",
        "applicant_type",
        "applicant_name",
        "contact_person",
        "id_type",
        "id_number",
        "phone",
        "email",
        "address",
        "postcode",
        "description",
        "purpose",
        "form_wanted",
        "delivery",
        "channel",
        "received_on",
        "status",
        "reply_due",
        "provisional",
        "extended",
        "outcome",
        "outcome_on",
        "reply_type",
        "reply_basis",
        "reply_text",
        "created_at",
        "updated_at",
    ]
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    serial = 0
    for agency in members:
        rows = []
        for _ in range(applications_per_agency):
            serial += 1
            received = today - dt.timedelta(days=rng.randrange(0, 730))
            finished = rng.random() < 0.85
            if finished:
                status, reply_due = Status.REPLIED, None
                outcome = "granted"
                outcome_on = min(today, received + dt.timedelta(days=rng.randrange(1, 40)))
            else:
                status = Status.IN_PROGRESS
                reply_due = today + dt.timedelta(days=rng.randrange(-15, 31))
                received = min(received, reply_due)
                outcome, outcome_on = "", None
            rows.append(
                (
                    agency.pk,
                    f"B{serial:010d}",
                    rng.choice(APPLICANT_COLUMNS),
                    "申请人",
                    "",
                    "other",
                    "X0000000",
                    "13800000000",
                    "",
                    "",
                    "",
                    "请公开本机关道路养护资金使用情况。",
                    "",
                    "electronic",
                    "email",
                    "online",
                    received,
                    status,
                    reply_due,
                    False,
                    False,
                    outcome,
                    outcome_on,
                    "",
                    "",
                    "",
                    now,
                    now,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        if serial % 100_000 == 0:
            print(f"  {serial:,} applications ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)


def _measure(view: str, username: str, runs: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    url = f"/workbench/applications/?view={view}"
    first = client.get(url, secure=True)
    if first.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {first.status_code}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
    rows = response.content.decode().count("<tr class=")
    timings.sort()
    return {
        "page": f"{view} ({username})",
        "rows": rows,
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite under /tmp)")
    parser.add_argument("--per-agency", type=int, default=100, help="applications per agency")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="measure the existing data set again")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    _setup(args.database_url, args.reuse)
    from django.db import connection

    from gongkai.applications.models import Application

    if not args.reuse:
        _build(args.per_agency, args.seed)
    stored = Application.objects.count()
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    results = [
        _measure("overdue", "bench_clerk", args.runs),
        _measure("due_soon", "bench_supervisor", args.runs),
    ]
    print(f"\n{connection.vendor}, {stored:,} applications stored; {load}\n")
    print("| database | page | rows shown | median (ms) | p95 (ms) |")
    print("|---|---|---|---|---|")
    for r in results:
        print(
            f"| {connection.vendor} | {r['page']} | {r['rows']} | "
            f"{r['median_ms']:.1f} | {r['p95_ms']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
