"""Annual-report computation on a synthetic province: every report's tables at once vs hand-written SQL.

Run from the project root. It builds its own database — never point it at one you care about:

    .venv/bin/python -m bench.report_bench                        # SQLite, a small province
    .venv/bin/python -m bench.report_bench --full --markdown      # the issue's province (#3)
    .venv/bin/python -m bench.report_bench --full --database postgres --markdown
    .venv/bin/python -m bench.report_bench --full --reuse         # measure again, no rebuild

The SQLite database is /tmp/bench-report/report_bench.sqlite3, the PostgreSQL one `report_bench`
(dropped and created again by a build). `--reuse` keeps a database built with the same sizes and
seed (recorded in /tmp/bench-report/<database>.json), so a re-measurement takes minutes.

The province: one root agency and N agencies under it; applications received at random over
2022–2023, 85 % of them finished within 45 days with a random 表三 result row; 行政复议 / 行政诉讼
cases on random applications, 70 % decided within 200 days; catalogue items, 5 % of them 规章 or
行政规范性文件 (issued, published and repealed or expired at random over 2015–2024) and the rest other
information; a register row (许可, 处罚, 强制, 收费) per agency and year.

What it measures, for the report year 2023, in one run:

1. **batch**: tables 二, 三 and 四 of every agency through `reports.generator.tables_for_agencies`
   (the grouped selectors, folded into `AnnualReport` tables by the generator's own code) and the
   figures of section 一（一） through `reports.generator.disclosures_for_agencies` (items published per
   channel and column), and the grouped selectors alone (figures, before they become tables);
2. **SQL**: the same figures from hand-written SQL aggregates over the same tables (applications,
   cases, documents, registers; published items, channels, their statistics, columns), folded into
   per-agency figures in Python;
3. **per agency**: the per-agency selectors for a sample of agencies (what drafting one report runs);
4. **render**: one agency's generated report as DOCX and as PDF.

It checks that (1) and (2) agree for every agency, table by table and for 一（一）, before printing
any figure. (The province has one column per agency and no channels: the website's items come from
the catalogue, as for an agency that keeps no channel statistics.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(tempfile.gettempdir()) / "bench-report"
SQLITE_PATH = DATA_DIR / "report_bench.sqlite3"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "report_bench"
YEAR = 2023
FULL = {"agencies": 10_000, "applications": 1_000_000, "cases": 200_000, "items": 2_000_000}
SMALL = {"agencies": 200, "applications": 20_000, "cases": 4_000, "items": 40_000}


# -------------------------------------------------------------------------------------------------
# The database


def _prepare(database: str, fresh: bool) -> None:
    """Point Django at the bench database; a fresh build starts from an empty one."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if database == "sqlite":
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["GONGKAI_DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        if fresh:
            import psycopg

            with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
                admin.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
        os.environ["GONGKAI_DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def _meta_path(database: str) -> Path:
    return DATA_DIR / f"{database}.json"


def _built(database: str) -> dict[str, Any] | None:
    path = _meta_path(database)
    if not path.exists():
        return None
    meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return meta


def _insert(model: Any, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Bulk-load rows: COPY on PostgreSQL, executemany on SQLite. The fields not named take their
    model default (prepared for the database once). Dates come as ISO strings; `id` may be given."""
    from django.db import connection

    named = set(fields)
    others = [
        field
        for field in model._meta.concrete_fields
        if field.name not in named and field.attname not in named and not field.primary_key
    ]
    defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in others)
    columns = [
        model._meta.pk.column if name == "id" else model._meta.get_field(name).column
        for name in fields
    ] + [field.column for field in others]
    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = ", ".join(f'"{column}"' for column in columns)
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row((*row, *defaults))
                    count += 1
        else:
            marks = ", ".join("?" for _ in columns)
            sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append((*row, *defaults))
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _reset_sequences(models: Sequence[Any]) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _datetime_text(moment: dt.datetime, vendor: str) -> str:
    """An aware UTC datetime as the database stores it (SQLite: naive UTC text)."""
    if vendor == "sqlite":
        return moment.replace(tzinfo=None).isoformat(sep=" ")
    return moment.isoformat(sep=" ")


def build(sizes: dict[str, int], seed: int) -> None:
    """The synthetic province (see the module docstring), loaded in bulk."""
    from django.db import connection, transaction

    from gongkai.agencies.models import Agency, Level
    from gongkai.applications.models import Application
    from gongkai.applications.states import APPLICANT_COLUMNS, RESULT_ROWS, Status
    from gongkai.publishing.models import Column, DocKind, Item, ItemStatus, RegisterYear, Validity
    from gongkai.remedies.models import Case, CaseKind

    rng = random.Random(seed)
    vendor = connection.vendor
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            # A bench: no crash safety, and a page cache that holds the indexes being filled
            # (random agency keys otherwise thrash the default 2 MB cache).
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-3000000")
    day = {
        offset: (dt.date(2015, 1, 1) + dt.timedelta(days=offset)).isoformat()
        for offset in range((dt.date(2025, 12, 31) - dt.date(2015, 1, 1)).days + 1)
    }

    def offset(date: dt.date) -> int:
        return (date - dt.date(2015, 1, 1)).days

    with transaction.atomic():
        root = Agency.objects.create(
            name="演示省人民政府",
            short_name="演示省",
            slug="bench-root",
            level=Level.PROVINCE,
            credit_code="11000000BENCH0000",
            path="/",
        )
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        agencies = Agency.objects.bulk_create(
            [
                Agency(
                    name=f"演示机关{index:05d}",
                    short_name=f"机关{index:05d}",
                    slug=f"bench-{index}",
                    level=Level.TOWNSHIP if index % 3 else Level.DEPARTMENT,
                    credit_code=f"B{index:017d}",
                    parent=root,
                )
                for index in range(sizes["agencies"])
            ],
            batch_size=2000,
        )
        for agency in agencies:
            agency.path = f"{root.path}{agency.pk}/"
        Agency.objects.bulk_update(agencies, ["path"], batch_size=2000)
        columns = Column.objects.bulk_create(
            [
                Column(agency=agency, name="政策文件", slug="zcwj", kind="site")
                for agency in agencies
            ],
            batch_size=2000,
        )
        agency_ids = [agency.pk for agency in agencies]
        column_of = {column.agency_id: column.pk for column in columns}

        # Applications, with explicit ids so that the cases can point at them.
        first_received, span = offset(dt.date(YEAR - 1, 1, 1)), 730
        application_agency: list[int] = []

        def applications() -> Iterable[tuple[Any, ...]]:
            for index in range(sizes["applications"]):
                agency_id = rng.choice(agency_ids)
                application_agency.append(agency_id)
                received = first_received + rng.randrange(span)
                finished = rng.random() < 0.85
                yield (
                    index + 1,
                    agency_id,
                    f"B{index:015d}",
                    rng.choice(APPLICANT_COLUMNS),
                    "申请人",
                    "resident_id",
                    "000000000000000000",
                    "00000000000",
                    "基准测试申请",
                    "electronic",
                    "email",
                    "online",
                    day[received],
                    Status.REPLIED.value if finished else Status.IN_PROGRESS.value,
                    rng.choice(RESULT_ROWS) if finished else "",
                    day[received + rng.randrange(1, 45)] if finished else None,
                )

        _insert(
            Application,
            (
                "id",
                "agency",
                "tracking_code",
                "applicant_type",
                "applicant_name",
                "id_type",
                "id_number",
                "phone",
                "description",
                "form_wanted",
                "delivery",
                "channel",
                "received_on",
                "status",
                "outcome",
                "outcome_on",
            ),
            applications(),
        )
        _reset_sequences([Application])

        def cases() -> Iterable[tuple[Any, ...]]:
            kinds = CaseKind.values
            for _ in range(sizes["cases"]):
                application = rng.randrange(len(application_agency))
                filed = first_received + rng.randrange(span)
                decided = rng.random() < 0.7
                yield (
                    application + 1,
                    application_agency[application],
                    rng.choice(kinds),
                    "复议机关",
                    day[filed],
                    day[filed + rng.randrange(1, 200)] if decided else None,
                    rng.choice(["upheld", "corrected", "other"]) if decided else "pending",
                )

        _insert(
            Case,
            ("application", "agency", "kind", "body", "filed_on", "decided_on", "outcome"),
            cases(),
        )

        def items() -> Iterable[tuple[Any, ...]]:
            statuses = [ItemStatus.PUBLISHED.value] * 18 + [
                ItemStatus.WITHDRAWN.value,
                ItemStatus.DRAFT.value,
            ]
            first_written, written_span = offset(dt.date(2015, 1, 1)), 365 * 10
            for index in range(sizes["items"]):
                agency_id = rng.choice(agency_ids)
                roll = rng.random()
                kind = (
                    DocKind.REGULATION.value
                    if roll < 0.01
                    else DocKind.NORMATIVE.value
                    if roll < 0.05
                    else DocKind.OTHER.value
                )
                status = rng.choice(statuses)
                written = first_written + rng.randrange(written_span)
                published = (
                    dt.datetime.combine(
                        dt.date.fromisoformat(day[min(written + rng.randrange(20), 4017)]),
                        dt.time(rng.randrange(24), rng.randrange(60), tzinfo=dt.UTC),
                    )
                    if status != ItemStatus.DRAFT
                    else None
                )
                validity = changed = None
                if kind != DocKind.OTHER:
                    roll = rng.random()
                    validity = (
                        Validity.VALID.value
                        if roll < 0.8
                        else Validity.EXPIRED.value
                        if roll < 0.9
                        else Validity.REPEALED.value
                    )
                    if validity != Validity.VALID:
                        changed = day[min(written + rng.randrange(30, 2000), 4017)]
                yield (
                    agency_id,
                    column_of[agency_id],
                    f"BENCH-{index:09d}",
                    "基准测试信息",
                    # Documents carry their 成文日期; a few, like other items, go by publication.
                    day[written] if kind != DocKind.OTHER and rng.random() < 0.9 else None,
                    day[written],
                    day[written],
                    _datetime_text(published, vendor) if published else None,
                    kind,
                    validity or "",
                    changed,
                    status,
                )

        _insert(
            Item,
            (
                "agency",
                "column",
                "index_no",
                "title",
                "written_on",
                "formed_on",
                "publish_due",
                "published_at",
                "doc_kind",
                "validity",
                "validity_changed_on",
                "status",
            ),
            items(),
        )
        _insert(
            RegisterYear,
            ("agency", "year", "licensing", "punishment", "coercion", "fees_fen"),
            (
                (
                    agency_id,
                    year,
                    rng.randrange(200),
                    rng.randrange(100),
                    rng.randrange(5),
                    rng.choice([0, 0, rng.randrange(10**9)]),
                )
                for agency_id in agency_ids
                for year in (YEAR - 1, YEAR)
            ),
        )
    # Fresh statistics, as a production database would have: the planner otherwise estimates a
    # freshly bulk-loaded table at a few rows.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# -------------------------------------------------------------------------------------------------
# The hand-written aggregates

_APPLICATIONS = """
SELECT agency_id, applicant_type,
       CASE WHEN received_on < %s THEN 1 ELSE 0 END AS carried_over,
       CASE WHEN outcome_on IS NOT NULL AND outcome_on <= %s THEN outcome ELSE '' END AS result,
       COUNT(*)
FROM applications_application
WHERE received_on <= %s AND (outcome_on IS NULL OR outcome_on >= %s)
GROUP BY 1, 2, 3, 4
"""

_CASES = """
SELECT agency_id, kind,
       CASE WHEN decided_on IS NOT NULL AND decided_on <= %s THEN outcome ELSE 'pending' END,
       COUNT(*)
FROM remedies_case
WHERE filed_on <= %s AND (decided_on IS NULL OR decided_on >= %s)
GROUP BY 1, 2, 3
"""

# 制发: issued in the year; 废止: repealed in the year; 现行有效: issued by the year's end and not
# repealed or expired by then. The issue date is the 成文日期, else the civil date of publication.
_DOCUMENTS = """
SELECT agency_id, doc_kind,
       SUM(CASE WHEN issued_on >= %s AND issued_on <= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN validity = 'repealed' AND validity_changed_on >= %s
                     AND validity_changed_on <= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN issued_on <= %s
                     AND NOT (validity <> 'valid'
                              AND (validity_changed_on IS NULL OR validity_changed_on <= %s))
                THEN 1 ELSE 0 END)
FROM (SELECT agency_id, doc_kind, validity, validity_changed_on,
             COALESCE(written_on, {civil_date}) AS issued_on
      FROM publishing_item
      WHERE doc_kind IN ('regulation', 'normative_document')
        AND status IN ('published', 'withdrawn')) AS documents
WHERE issued_on IS NOT NULL
GROUP BY 1, 2
"""
_CIVIL_DATE = {
    "sqlite": "date(published_at, '+8 hours')",
    "postgresql": "(published_at AT TIME ZONE 'Asia/Shanghai')::date",
}

_REGISTERS = """
SELECT agency_id, licensing, punishment, coercion, fees_fen
FROM publishing_registeryear WHERE year = %s
"""


# 一（一）: the items published in the year (withdrawn ones included) per agency and column; the
# channels and columns in their order; the year's channel statistics per channel.
_PUBLISHED = """
SELECT agency_id, column_id, COUNT(*)
FROM publishing_item
WHERE status IN ('published', 'withdrawn') AND published_at >= %s AND published_at < %s
GROUP BY 1, 2
"""
_CHANNELS = """
SELECT id, agency_id, kind, name FROM publishing_channel ORDER BY agency_id, "order", id
"""
_CHANNEL_STATS = """
SELECT channel_id, SUM(items), SUM(reads) FROM publishing_channelmonthlystat
WHERE year = %s GROUP BY 1
"""
_COLUMNS = """
SELECT id, agency_id, name, slug FROM publishing_column ORDER BY agency_id, "order", id
"""


def aggregate_disclosures(agency_ids: Sequence[int], year: int) -> dict[int, Any]:
    """{agency pk: section 一（一） figures} from hand-written SQL."""
    from django.db import connection

    from gongkai.publishing.selectors import section1_figures_from, year_bounds

    wanted = set(agency_ids)
    per_column: dict[int, dict[int, int]] = {pk: {} for pk in agency_ids}
    channels: dict[int, list[tuple[int, str, str]]] = {pk: [] for pk in agency_ids}
    columns: dict[int, list[tuple[int, str, str]]] = {pk: [] for pk in agency_ids}
    start, end = year_bounds(year)
    if connection.vendor == "sqlite":  # naive UTC text, as the database stores it
        start, end = (_datetime_text(b.astimezone(dt.UTC), "sqlite") for b in (start, end))
    with connection.cursor() as cursor:
        cursor.execute(_PUBLISHED, [start, end])
        for agency_id, column_id, count in cursor.fetchall():
            if agency_id in wanted:
                per_column[agency_id][column_id] = count
        cursor.execute(_CHANNELS)
        for pk, agency_id, kind, name in cursor.fetchall():
            if agency_id in wanted:
                channels[agency_id].append((pk, kind, name))
        cursor.execute(_CHANNEL_STATS, [year])
        stat_sums = {pk: (int(items or 0), int(reads or 0)) for pk, items, reads in cursor}
        cursor.execute(_COLUMNS)
        for pk, agency_id, name, slug in cursor.fetchall():
            if agency_id in wanted:
                columns[agency_id].append((pk, name, slug))
    return {
        pk: section1_figures_from(
            year,
            per_column=per_column[pk],
            channels=channels[pk],
            stat_sums=stat_sums,
            columns=columns[pk],
        )
        for pk in agency_ids
    }


def aggregate_figures(agency_ids: Sequence[int], year: int) -> dict[int, tuple[Any, Any, Any]]:
    """{agency pk: (table2 figures, table3 counts, table4 counts)} from the hand-written SQL."""
    from django.db import connection

    from gongkai.applications.table3 import empty_table3
    from gongkai.publishing.selectors import table2_figures_from
    from gongkai.remedies.selectors import count_table4

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table3 = {pk: empty_table3() for pk in agency_ids}
    table4 = {pk: count_table4([], year) for pk in agency_ids}
    documents: dict[int, dict[str, dict[str, int]]] = {
        pk: {
            kind: {"issued": 0, "repealed": 0, "in_force": 0}
            for kind in ("regulation", "normative_document")
        }
        for pk in agency_ids
    }
    registers: dict[int, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute(_APPLICATIONS, [first, last, last, first])
        for agency_id, column, carried, result, count in cursor.fetchall():
            table = table3[agency_id]
            for row in (
                "carried_over" if carried else "new_received",
                result or "carried_forward",
                *(("total_processed",) if result else ()),
            ):
                table[row][column] += count
                table[row]["total"] += count
        cursor.execute(_CASES, [last, last, first])
        for agency_id, kind, column, count in cursor.fetchall():
            table4[agency_id][kind][column] += count
            table4[agency_id][kind]["total"] += count
        cursor.execute(
            _DOCUMENTS.format(civil_date=_CIVIL_DATE[connection.vendor]),
            [first, last, first, last, last, last],
        )
        for agency_id, kind, issued, repealed, in_force in cursor.fetchall():
            documents[agency_id][kind] = {
                "issued": int(issued),
                "repealed": int(repealed),
                "in_force": int(in_force),
            }
        cursor.execute(_REGISTERS, [year])
        for agency_id, licensing, punishment, coercion, fees_fen in cursor.fetchall():
            registers[agency_id] = _Register(licensing, punishment, coercion, fees_fen)
    return {
        pk: (
            table2_figures_from(
                registers.get(pk),  # type: ignore[arg-type]
                regulations=documents[pk]["regulation"],
                normative_documents=documents[pk]["normative_document"],
            ),
            table3[pk],
            table4[pk],
        )
        for pk in agency_ids
    }


class _Register:
    """A register row read by hand, shaped like `RegisterYear` for `table2_figures_from`."""

    def __init__(self, licensing: int, punishment: int, coercion: int, fees_fen: int) -> None:
        self.licensing, self.punishment, self.coercion = licensing, punishment, coercion
        self.fees_fen = fees_fen


# -------------------------------------------------------------------------------------------------
# The measurements


def _timed(function: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def measure(sample: int) -> dict[str, Any]:
    from django.db import connection

    from gongkai.agencies.models import Agency
    from gongkai.applications.selectors import table3_applicant_counts_by_agency, table3_counts
    from gongkai.publishing.selectors import table2_figures, table2_figures_by_agency
    from gongkai.remedies.selectors import table4_counts, table4_part_counts_by_agency
    from gongkai.reports.generator import (
        disclosures_for_agencies,
        generate_report,
        report_tables,
        tables_for_agencies,
    )
    from gongkai.reports.renderers.docx import render_docx
    from gongkai.reports.renderers.pdf import render_pdf

    province = Agency.objects.exclude(slug="bench-root")
    agency_ids = list(province.values_list("pk", flat=True))
    load_before = _load()
    batch, tables_seconds = _timed(lambda: tables_for_agencies(province, YEAR))
    disclosures, disclosures_seconds = _timed(lambda: disclosures_for_agencies(province, YEAR))
    by_hand, sql_tables_seconds = _timed(lambda: aggregate_figures(agency_ids, YEAR))
    disclosures_by_hand, sql_disclosures_seconds = _timed(
        lambda: aggregate_disclosures(agency_ids, YEAR)
    )
    batch_seconds = tables_seconds + disclosures_seconds
    sql_seconds = sql_tables_seconds + sql_disclosures_seconds
    # The grouped selectors alone: figures like the hand-written SQL's, before they become
    # AnnualReport tables.
    _, table_figures_seconds = _timed(
        lambda: (
            table2_figures_by_agency(province, YEAR),
            table3_applicant_counts_by_agency(province, YEAR),
            table4_part_counts_by_agency(province, YEAR),
        )
    )
    # 一（一）'s batch is its grouped selector alone (its figures are not folded any further).
    figures_seconds = table_figures_seconds + disclosures_seconds
    load_after = _load()
    for pk in agency_ids:
        expected = report_tables(*by_hand[pk])
        if batch[pk] != expected:
            raise SystemExit(f"机关 {pk} 的表格不一致：批量计算与手写 SQL 聚合的结果不同")
        if disclosures[pk] != disclosures_by_hand[pk]:
            raise SystemExit(f"机关 {pk} 的主动公开情况不一致：批量计算与手写 SQL 聚合的结果不同")
    sampled = list(province.order_by("pk")[:sample])
    _, per_agency_seconds = _timed(
        lambda: [
            (table2_figures(a, YEAR), table3_counts(a, YEAR), table4_counts(a, YEAR))
            for a in sampled
        ]
    )
    busiest = max(sampled, key=lambda a: batch[a.pk].table3.cell("new_received", "total") or 0)
    report = generate_report(busiest, YEAR).report
    _, docx_seconds = _timed(lambda: render_docx(report))
    _, pdf_seconds = _timed(lambda: render_pdf(report))
    per_agency_ms = 1000 * per_agency_seconds / max(1, len(sampled))
    return {
        "database": connection.vendor,
        "batch_s": round(batch_seconds, 2),
        "disclosures_s": round(disclosures_seconds, 2),
        "figures_s": round(figures_seconds, 2),
        "sql_s": round(sql_seconds, 2),
        "sql_disclosures_s": round(sql_disclosures_seconds, 2),
        "ratio": round(batch_seconds / sql_seconds, 2),
        "tables_ratio": round(tables_seconds / sql_tables_seconds, 2),
        "figures_ratio": round(figures_seconds / sql_seconds, 2),
        "per_agency_ms": round(per_agency_ms, 2),
        "per_agency_all_s": round(per_agency_ms * len(agency_ids) / 1000, 1),
        "docx_pdf_s": round(docx_seconds + pdf_seconds, 2),
        "load": f"{load_before} → {load_after}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="年度报告：全部机关表格批量计算基准测试")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--full", action="store_true", help="议题 #3 的全省规模")
    for name, value in SMALL.items():
        parser.add_argument(f"--{name}", type=int, default=None, help=f"默认 {value}")
    parser.add_argument("--sample", type=int, default=200, help="逐机关计算的抽样机关数")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--reuse", action="store_true", help="沿用已建好的同规模数据库")
    parser.add_argument("--markdown", action="store_true")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    base = FULL if options.full else SMALL
    sizes = {name: getattr(options, name) or base[name] for name in SMALL}
    wanted = {"sizes": sizes, "seed": options.seed}
    fresh = not (options.reuse and _built(options.database) == wanted)
    if options.reuse and fresh:
        print("没有同规模的数据库可沿用，重新造数。", file=sys.stderr)
    _meta_path(options.database).unlink(missing_ok=True)
    _prepare(options.database, fresh)
    build_seconds = None
    if fresh:
        _, build_seconds = _timed(lambda: build(sizes, options.seed))
    _meta_path(options.database).write_text(json.dumps(wanted), encoding="utf-8")

    figures = measure(options.sample)
    row = {
        "数据库": figures["database"],
        "机关": f"{sizes['agencies']:,}",
        "申请": f"{sizes['applications']:,}",
        "复议诉讼": f"{sizes['cases']:,}",
        "目录信息": f"{sizes['items']:,}",
        "造数（秒）": "沿用" if build_seconds is None else round(build_seconds, 1),
        "表格与一（一）·批量（秒）": figures["batch_s"],
        "其中一（一）（秒）": figures["disclosures_s"],
        "其中分组 selector（秒）": figures["figures_s"],
        "手写 SQL 聚合（秒）": figures["sql_s"],
        "其中一（一）SQL（秒）": figures["sql_disclosures_s"],
        "批量/SQL": figures["ratio"],
        "仅表格·批量/SQL": figures["tables_ratio"],
        "selector/SQL": figures["figures_ratio"],
        "逐机关·每机关（毫秒）": figures["per_agency_ms"],
        "逐机关·全部折算（秒）": figures["per_agency_all_s"],
        "DOCX+PDF（秒）": figures["docx_pdf_s"],
        "负载（前→后）": figures["load"],
    }
    if options.markdown:
        print("| " + " | ".join(str(value) for value in row.values()) + " |")
    else:
        for key, value in row.items():
            print(f"{key}：{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
