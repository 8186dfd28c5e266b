"""Annual-report computation on a synthetic province: the per-agency selectors vs one SQL aggregate.

Run from the project root (it builds its own SQLite database under var/, or uses
GONGKAI_DATABASE_URL when set — never point it at a database you care about):

    .venv/bin/python -m bench.report_bench                          # 200 agencies, 20,000 applications
    .venv/bin/python -m bench.report_bench --agencies 2000 --applications 200000
    .venv/bin/python -m bench.report_bench --markdown               # a table row for docs/performance.md

What it measures, for the report year 2023:

1. 表三 for every agency through `applications.selectors.table3_counts` (one query per agency, counted in
   Python by `applications/table3.py`) — what the generator does;
2. the same tables from one hand-written SQL aggregate over the whole province (GROUP BY agency, applicant
   type, carried-over flag and result row), folded into tables in Python;
3. the whole draft (`reports.generator.generate_report` with the installed sources) for a sample of
   agencies.

It checks that (1) and (2) agree cell for cell before printing any figure. The province is flat (one root
and its agencies): the tree does not enter the computation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2023


def _setup(database_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if database_url:
        os.environ["GONGKAI_DATABASE_URL"] = database_url
    else:
        path = ROOT / "var" / "report_bench.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["GONGKAI_DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if database_url:
        # A rerun starts from an empty database (the SQLite default is a fresh file anyway).
        call_command("flush", interactive=False, verbosity=0)


def _province(agencies: int, applications: int, seed: int) -> list[Any]:
    from django.db import connection

    from gongkai.agencies.models import Agency, Level
    from gongkai.applications.models import Application
    from gongkai.applications.states import APPLICANT_COLUMNS, RESULT_ROWS, Status

    rng = random.Random(seed)
    root = Agency.objects.create(
        name="演示省人民政府",
        short_name="演示省",
        slug="bench-root",
        level=Level.PROVINCE,
        credit_code="11000000BENCH0000",
    )
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    rows = Agency.objects.bulk_create(
        [
            Agency(
                name=f"演示机关{index:05d}",
                short_name=f"机关{index:05d}",
                slug=f"bench-{index}",
                level=Level.TOWNSHIP if index % 3 else Level.DEPARTMENT,
                credit_code=f"B{index:017d}",
                parent=root,
            )
            for index in range(agencies)
        ],
        batch_size=2000,
    )
    for row in rows:
        row.path = f"{root.path}{row.pk}/"
    Agency.objects.bulk_update(rows, ["path"], batch_size=2000)

    start = dt.date(YEAR - 1, 1, 1)
    span = (dt.date(YEAR, 12, 31) - start).days
    batch: list[Application] = []
    for index in range(applications):
        received = start + dt.timedelta(days=rng.randrange(span + 1))
        finished = rng.random() < 0.85
        outcome_on = received + dt.timedelta(days=rng.randrange(1, 45)) if finished else None
        batch.append(
            Application(
                agency=rows[rng.randrange(agencies)],
                tracking_code=f"B{index:015d}",
                applicant_type=rng.choice(APPLICANT_COLUMNS),
                applicant_name="申请人",
                id_type="resident_id",
                id_number="000000000000000000",
                phone="00000000000",
                description="基准测试申请",
                form_wanted="electronic",
                delivery="email",
                channel="online",
                received_on=received,
                status=Status.REPLIED if finished else Status.IN_PROGRESS,
                outcome=rng.choice(RESULT_ROWS) if finished else "",
                outcome_on=outcome_on,
            )
        )
        if len(batch) == 5000:
            Application.objects.bulk_create(batch)
            batch = []
    Application.objects.bulk_create(batch)
    # Fresh statistics, as a production database would have: the planner otherwise estimates a
    # freshly bulk-loaded table at a few rows.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return rows


_AGGREGATE = """
SELECT agency_id, applicant_type,
       CASE WHEN received_on < %s THEN 1 ELSE 0 END AS carried_over,
       CASE WHEN outcome_on IS NOT NULL AND outcome_on <= %s THEN outcome ELSE '' END AS result,
       COUNT(*)
FROM applications_application
WHERE received_on <= %s AND (outcome_on IS NULL OR outcome_on >= %s)
GROUP BY 1, 2, 3, 4
"""


def _aggregate_tables(year: int) -> dict[int, dict[str, dict[str, int]]]:
    from django.db import connection

    from gongkai.applications.table3 import empty_table3

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    tables: dict[int, dict[str, dict[str, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_AGGREGATE, [first, last, last, first])
        for agency_id, column, carried, result, count in cursor.fetchall():
            table = tables.get(agency_id)
            if table is None:
                table = tables[agency_id] = empty_table3()
            for row in (
                "carried_over" if carried else "new_received",
                result or "carried_forward",
                *(("total_processed",) if result else ()),
            ):
                table[row][column] += count
                table[row]["total"] += count
    return tables


def _timed(function: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="年度报告表三计算基准测试")
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=50, help="完整生成报告的机关数")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--database-url", help="默认在 var/ 下新建 SQLite 数据库")
    parser.add_argument("--markdown", action="store_true")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    _setup(options.database_url)

    from django.db import connection

    from gongkai.applications.selectors import table3_counts
    from gongkai.applications.table3 import empty_table3
    from gongkai.reports.generator import generate_report

    agencies, build_seconds = _timed(
        lambda: _province(options.agencies, options.applications, options.seed)
    )
    per_agency, python_seconds = _timed(
        lambda: {agency.pk: table3_counts(agency, YEAR) for agency in agencies}
    )
    aggregate, sql_seconds = _timed(lambda: _aggregate_tables(YEAR))
    mismatched = [
        agency.pk
        for agency in agencies
        if per_agency[agency.pk] != aggregate.get(agency.pk, empty_table3())
    ]
    if mismatched:
        print(f"表三不一致的机关：{mismatched[:10]}", file=sys.stderr)
        return 1
    sample = agencies[: options.sample]
    _, generate_seconds = _timed(lambda: [generate_report(agency, YEAR) for agency in sample])

    vendor = connection.vendor
    figures = {
        "数据库": vendor,
        "机关": options.agencies,
        "申请": options.applications,
        "造数（秒）": round(build_seconds, 1),
        "表三·逐机关 selector（秒）": round(python_seconds, 2),
        "表三·单条 SQL 聚合（秒）": round(sql_seconds, 2),
        "每机关 selector（毫秒）": round(1000 * python_seconds / len(agencies), 2),
        "完整生成报告·每机关（毫秒）": round(1000 * generate_seconds / max(1, len(sample)), 1),
    }
    if options.markdown:
        print("| " + " | ".join(str(value) for value in figures.values()) + " |")
    else:
        for key, value in figures.items():
            print(f"{key}：{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
