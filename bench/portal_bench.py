"""Portal bench: the public pages and whole-site search on a large catalogue, under concurrent load.

    .venv/bin/python bench/portal_bench.py --database sqlite   [--reuse] [--seconds 20]
    .venv/bin/python bench/portal_bench.py --database postgres [--reuse] [--seconds 20]
    .venv/bin/python bench/portal_bench.py --database sqlite --profile 60 [--profile-dump]
    (--data-dir DIR / --db-name NAME: another data set, e.g. a small one for profiling)

Builds (once; `--reuse` measures again on it) 1,000,000 published items across 10,000 agencies —
one city, 20 districts, the rest townships and departments under them, each with the default
columns — with bulk SQL (COPY on PostgreSQL), then the search index with `search.rebuild` (the
same code as `gongkai search_rebuild`), then the stored public pages (item pages, columns' first
pages, agencies' 政府信息公开 pages) with `gongkai portal_render`, two shards in parallel, as a
deployment does after a bulk load (`--reuse` runs `portal_render --missing`: pages of a data set
built before them, or rendered by older templates). SQLite data lives under /tmp/bench-portal/, PostgreSQL data
in the database `portal_bench` (dropped and created again by a build).

Then it reads the database's files once into the OS page cache (a server that has been up),
starts gunicorn on 127.0.0.1 only (production settings and production's worker count: 2 × cores
+ 1 processes × 2 threads, `--workers`/`--threads`; production's max_requests recycling, once
every 20,000 requests per worker, is left out of runs this short; sessions 1–3 used 2 × 4, where one process
often got most of wrk's 32 keep-alive connections and the figures swung by 2×;
plus the bench's minimal page from bench/portal_settings.py) and drives `--clients` concurrent
connections with wrk (Debian's package, installed with apt-get when missing; a Lua script picks a
random URL of the page's list per request) for `--seconds` per page: the minimal Django page,
home, column lists (5,000 distinct pages), item pages (20,000 distinct items) and search (a mix
of 1-, 2- and 3+-character queries, some with filters). The column, item and search pages are
loaded twice, once per URL mix (`--modes`):

With `--repeat N` (default 3) each row runs N times; the table gives the median run's req/s and
p50, the worst run's p95/p99, and the range. With a shared cache (Redis) the runs of a row warm it
in turn: measure first visits with `--repeat 1`.

- uniform — every URL of the list equally likely: mostly first visits, the page cache rarely
  answers (the worst case: a crawler);
- zipf — the k-th URL of the same list with probability ∝ 1/k^s (`--zipf-s`, default 1): popular
  pages come back again and again, as in real traffic, so the page cache counts;
- warm (`--modes …,warm`) — uniform again, after every URL of the list was requested
  `--warm-passes` times untimed: a site whose pages have all been visited since the last change.

Item pages and columns' first pages are stored pages (portal/pages.py): rendered before any visit,
so even the uniform mix costs no rendering on the request.

The minimal page is measured first and again last; "% of minimal" is against the mean of the
two. It prints p50/p95/throughput per page and mix as a Markdown table, with the load average before
and after each. `--reuse` migrates the kept data set first (indexes added since the build).
`--profile N` runs no load: it prints the CPU time per request (time.process_time, not wall
time) in-process through Django's WSGI handler for N URLs per page, first visits (page cache
emptied) and cached, with the queries per first visit; `--profile-dump` adds a cProfile per page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
# Where the SQLite data and the run's files live, and the PostgreSQL database: set from
# --data-dir and --db-name (defaults: the data set the documented figures were measured on).
DATA = Path("/tmp/bench-portal")  # noqa: S108 (kept for --reuse, like the other benches)
DATABASE = "portal_bench"
REDIS = ""
POSTGRES = os.environ.get("GONGKAI_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DISTRICTS = 20

# args: the URL list, then "uniform" (every URL equally likely: mostly first visits, the page
# cache rarely answers) or "zipf" (the k-th URL of the list with probability ∝ 1/k^s, s = args[3]:
# a few pages are asked for again and again, as in real traffic, so the page cache counts).
WRK_SCRIPT = r"""
local paths = {}
local cdf = nil
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  if args[2] == "zipf" then
    local s = tonumber(args[3])
    cdf = {}
    local total = 0
    for k = 1, #paths do total = total + 1 / k ^ s; cdf[k] = total end
    for k = 1, #paths do cdf[k] = cdf[k] / total end
  end
end
request = function()
  if cdf == nil then return wrk.format("GET", paths[math.random(#paths)]) end
  local u, lo, hi = math.random(), 1, #paths
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return wrk.format("GET", paths[lo])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nRESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""

# Text pools for the generated items: realistic government phrasing, our own words.
PLACES = ["城关", "东山", "西河", "南湖", "北岭", "青石", "柳林", "石桥", "杏花", "桃源"]
TOPICS = [
    "财政预算执行情况",
    "农村低保对象审核结果",
    "防汛抗旱工作部署",
    "安全生产专项检查",
    "道路维修施工",
    "义务教育招生",
    "医疗保障政策调整",
    "高标准农田建设项目",
    "人居环境整治",
    "秸秆禁烧",
    "就业创业补贴发放",
    "养老服务补贴",
    "耕地地力保护补贴",
    "城乡居民医保缴费",
    "重大行政决策事项目录",
    "行政执法结果",
    "政府采购项目",
    "干部任免",
    "事业单位公开招聘",
    "生态环境保护督察整改",
    "森林防火",
    "饮用水水源地保护",
    "老旧小区改造",
    "村级财务收支",
    "乡村振兴重点项目",
]
KINDS = ["通告", "公示", "通知", "公告", "工作动态", "实施方案", "情况报告", "意见"]
SENTENCES = [
    "根据有关规定，现将相关情况予以公布。",
    "请各村（社区）认真组织实施，确保各项工作落实到位。",
    "公示期间如有异议，请向镇政府党政办公室反映。",
    "本次工作坚持公开、公平、公正的原则。",
    "各有关单位要高度重视，加强组织领导，明确责任分工。",
    "联系电话见本机关政府信息公开指南。",
    "进一步提升群众的获得感和满意度。",
    "对发现的问题立行立改，限期整改到位。",
    "资金已按程序拨付到位，接受社会监督。",
    "会议强调，要压紧压实责任，守牢安全底线。",
]
# (slug, weight): where items are filed.
ITEM_COLUMNS = [
    ("gsgg", 30),
    ("gzdt", 30),
    ("zcwj", 8),
    ("jgzn", 3),
    ("czyjs", 6),
    ("rsxx", 8),
    ("zdly", 10),
    ("zwgkzztj", 3),
    ("zd", 2),
]
QUERIES = {
    "1": ["镇", "汛", "税", "桥", "医", "农", "禁", "林"],
    "2": ["低保", "防汛", "预算", "公示", "招聘", "道路", "补贴", "采购", "医保", "整改"],
    "3+": [
        "财政预算执行",
        "农村低保对象",
        "安全生产专项检查",
        "秸秆禁烧",
        "老旧小区改造",
        "防汛 通知",
        "养老服务补贴",
        "生态环境保护督察",
    ],
}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{DATA / 'portal.sqlite3'}"
    return f"{POSTGRES}/{DATABASE}"


def environment(database: str) -> dict[str, str]:
    key_file = DATA / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.portal_settings",
        "GONGKAI_DATABASE_URL": database_url(database),
        "GONGKAI_VAR_DIR": str(DATA / "var"),
        "GONGKAI_HUEY_IMMEDIATE": "0",
        "GONGKAI_DEBUG": "0",
        "GONGKAI_SECRET_KEY": key_file.read_text(),
        "GONGKAI_ALLOWED_HOSTS": "127.0.0.1",
        "GONGKAI_SSL_REDIRECT": "0",
        "GONGKAI_HSTS_SECONDS": "0",
        "PYTHONPATH": str(ROOT),
        # --redis: the production cache shared by every app process (else each process's own).
        **({"GONGKAI_REDIS_URL": REDIS} if REDIS else {}),
    }


# --- build ----------------------------------------------------------------------------------------


def reset_database(database: str) -> None:
    DATA.mkdir(exist_ok=True)
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATA / 'portal.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def build(database: str, agencies: int, items: int) -> dict[str, Any]:
    """Runs inside a child process with Django set up on the bench database (see main)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.agencies.models import Agency, Level
    from gongkai.publishing import search
    from gongkai.publishing.columns import DEFAULT_COLUMNS
    from gongkai.publishing.models import Column, Item

    started = time.monotonic()
    timings: dict[str, float] = {}
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    started = time.monotonic()  # the data set itself, not the schema
    rng = random.Random(2026)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

    # Agencies: ids 1..N; 1 is the city, 2..21 the districts, the rest under the districts.
    rows: list[Agency] = []
    for pk in range(1, agencies + 1):
        if pk == 1:
            name, short, level, path, parent = "示范市人民政府", "示范市", Level.CITY, "/1/", None
        elif pk <= DISTRICTS + 1:
            name, short = f"示范市第{pk - 1}区人民政府", f"第{pk - 1}区"
            level, path, parent = Level.COUNTY, f"/1/{pk}/", 1
        else:
            district = 2 + (pk % DISTRICTS)
            place = PLACES[pk % len(PLACES)]
            if pk % 3 == 0:
                name, short, level = (
                    f"第{district - 1}区{place}{pk}号镇人民政府",
                    f"{place}{pk}号镇",
                    Level.TOWNSHIP,
                )
            else:
                name, short, level = (
                    f"第{district - 1}区{place}{pk}号局",
                    f"{place}{pk}号局",
                    Level.DEPARTMENT,
                )
            path, parent = f"/1/{district}/{pk}/", district
        rows.append(
            Agency(
                id=pk,
                name=name,
                short_name=short,
                slug=f"a{pk}",
                level=level,
                credit_code=f"11{pk:016d}",
                path=path,
                parent_id=parent,
                sort_order=pk,
            )
        )
    with transaction.atomic():
        Agency.objects.bulk_create(rows, batch_size=2000)
    # Columns: the default tree of every agency, ids assigned here.
    column_rows: list[Column] = []
    columns_of: dict[int, dict[str, tuple[int, str]]] = {}
    next_id = 1
    for pk in range(1, agencies + 1):
        ids: dict[str, tuple[int, str]] = {}
        for order, spec in enumerate(DEFAULT_COLUMNS):
            ids[spec.slug] = (next_id, spec.column_type)
            column_rows.append(
                Column(
                    id=next_id,
                    agency_id=pk,
                    slug=spec.slug,
                    name=spec.name,
                    kind=spec.kind,
                    column_type=spec.column_type,
                    article20_item=spec.article20_item,
                    parent_id=ids[spec.parent][0] if spec.parent else None,
                    order=order,
                )
            )
            next_id += 1
        columns_of[pk] = ids
    with transaction.atomic():
        Column.objects.bulk_create(column_rows, batch_size=2000)
    timings["agencies_columns"] = time.monotonic() - started

    # Items: raw rows in id order, published over 2019-01-01 .. 2026-11-01 (ids follow time).
    fields = [f for f in Item._meta.concrete_fields if not f.primary_key]
    names = ["id", *[f.column for f in fields]]
    defaults = {f.column: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    slugs = [slug for slug, _ in ITEM_COLUMNS]
    weights = [weight for _, weight in ITEM_COLUMNS]
    first = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    span = (now - first).total_seconds()

    def item_rows() -> Any:
        for pk in range(1, items + 1):
            agency = rng.randint(1, agencies)
            slug = rng.choices(slugs, weights)[0]
            column, _ = columns_of[agency][slug]
            published = first + dt.timedelta(seconds=span * pk / (items + 1))
            topic = rng.choice(TOPICS)
            place = rng.choice(PLACES)
            title = (
                f"{place}{rng.choice(['镇', '街道', '社区', '村'])}关于{topic}的{rng.choice(KINDS)}"
            )
            summary = f"{published.year}年{topic}。{rng.choice(SENTENCES)}"
            body = "".join(f"<p>{s}</p>" for s in rng.sample(SENTENCES, 3))
            normative = slug == "zcwj" and pk % 4 == 0
            values = dict(defaults)
            values.update(
                {
                    "created_at": published,
                    "updated_at": published,
                    "agency_id": agency,
                    "column_id": column,
                    "index_no": f"11{agency:016d}/{published.year}-{pk:07d}",
                    "title": title,
                    "summary": summary,
                    "body": body,
                    "formed_on": (published - dt.timedelta(days=3)).date(),
                    "publish_due": (published + dt.timedelta(days=25)).date(),
                    "published_at": published,
                    "doc_kind": "normative_document" if normative else "other",
                    "validity": "valid" if normative else "",
                    "status": "published",
                    "version": 1,
                }
            )
            yield [pk, *(values[name] for name in names[1:])]

    step = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            copy_sql = f"COPY publishing_item ({', '.join(names)}) FROM STDIN"
            with raw.copy(copy_sql) as copy:
                for row in item_rows():
                    copy.write_row(row)
        connection.commit() if not connection.get_autocommit() else None
    else:
        placeholders = ", ".join(["%s"] * len(names))
        insert = f"INSERT INTO publishing_item ({', '.join(names)}) VALUES ({placeholders})"
        batch: list[list[Any]] = []
        with transaction.atomic(), connection.cursor() as cursor:
            for row in item_rows():
                batch.append(row)
                if len(batch) == 10_000:
                    cursor.executemany(insert, batch)
                    batch = []
            if batch:
                cursor.executemany(insert, batch)
    timings["items"] = time.monotonic() - step
    step = time.monotonic()
    search.rebuild()
    timings["search_index"] = time.monotonic() - step
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step = time.monotonic()
    render_pages_parallel()
    timings["stored_pages"] = time.monotonic() - step
    info = {
        "database": database,
        "agencies": agencies,
        "items": items,
        "build_seconds": round(time.monotonic() - started, 1),
        "timings": {key: round(value, 1) for key, value in timings.items()},
        "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    return info


def render_pages_parallel(processes: int = 2) -> None:
    """The stored public pages (portal/pages.py), as `gongkai portal_render` renders them after a
    bulk load, one shard per process (runs in the build's child, whose environment names the bench
    database)."""
    connection_close()
    commands = [
        [sys.executable, str(ROOT / "manage.py"), "portal_render", "--shard", f"{k}/{processes}"]
        for k in range(processes)
    ]
    running = [subprocess.Popen(command, cwd=ROOT) for command in commands]
    for process in running:
        if process.wait() != 0:
            raise SystemExit("portal_render failed")


def connection_close() -> None:
    from django.db import connections

    connections.close_all()


def sample_urls(database: str) -> dict[str, list[str]]:
    """URL lists per page, drawn from the built data (runs in the Django child process)."""
    import django

    django.setup()
    from gongkai.agencies.models import Agency
    from gongkai.publishing.models import Column, Item

    rng = random.Random(7)
    last_agency = Agency.objects.order_by("-id").values_list("id", flat=True).first() or 1
    last_item = Item.objects.order_by("-id").values_list("id", flat=True).first() or 1
    item_ids = rng.sample(range(1, last_item + 1), min(20_000, last_item))
    items = Item.objects.filter(pk__in=item_ids).values_list("pk", "agency__slug")
    columns = list(
        Column.objects.filter(
            agency_id__in=rng.sample(range(1, last_agency + 1), min(2_000, last_agency)),
            slug__in=["gsgg", "gzdt", "zcwj", "rsxx", "fdzdgknr"],
        ).values_list("agency__slug", "slug")
    )
    districts = [f"a{pk}" for pk in range(2, DISTRICTS + 2)]
    searches: list[str] = []
    for _ in range(2_000):
        group = rng.choices(["1", "2", "3+"], [2, 4, 4])[0]
        query = rng.choice(QUERIES[group])
        url = f"/search/?q={urllib.parse.quote(query)}"
        roll = rng.random()
        if roll < 0.2:
            url += f"&agency={rng.choice(districts)}"
        elif roll < 0.3:
            url += f"&agency=a{rng.randint(DISTRICTS + 2, last_agency)}"
        elif roll < 0.4:
            url += f"&year={rng.randint(2019, 2026)}"
        searches.append(url)
    return {
        "minimal": ["/bench/minimal/"],
        "home": ["/"],
        "column": [f"/agency/{a}/gk/{c}/" for a, c in columns[:5_000]],
        "item": [f"/agency/{slug}/info/{pk}/" for pk, slug in items],
        "search": searches,
    }


# --- profile in-process ---------------------------------------------------------------------------


def profile(urls: dict[str, list[str]], count: int, dump: bool) -> str:
    """CPU time per request in this process (time.process_time, not wall time: the machine is
    shared), through Django's WSGI handler as gunicorn calls it (a connection per request unless
    CONN_MAX_AGE keeps it): `count` URLs drawn from each page's list, with the page cache emptied before each
    request ("first visit"), then the same URLs again ("cached"). With `dump`, a cProfile of the
    first visits per page is written to DATA/profile-<page>.prof and its top lines printed."""
    import cProfile
    import io
    import pstats
    import statistics

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()

    def get(path: str) -> int:
        target, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": urllib.parse.unquote(target),
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        status: list[str] = []
        body = handler(environ, lambda s, h: status.append(s))
        b"".join(body)
        getattr(body, "close", lambda: None)()
        return int(status[0].split()[0])

    queries = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    lines = [
        f"in-process CPU per request, {count} URLs per page (ms; median / mean), queries per "
        "first visit",
        "",
        "| page | first visit (median) | first visit (mean) | first visit, wall (median) | "
        "cached (median) | queries |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("minimal", "home", "column", "item", "search"):
        pool = urls[name]
        paths = random.Random(1).sample(pool, count) if len(pool) >= count else pool * count
        get(paths[0])  # warm: imports, template loading
        first: list[float] = []
        wall: list[float] = []
        profiler = cProfile.Profile() if dump else None
        queries[0] = 0
        with connection.execute_wrapper(counter):
            for path in paths:
                cache.clear()
                started, clock = time.process_time(), time.perf_counter()
                if profiler is not None:
                    profiler.enable()
                code = get(path)
                if profiler is not None:
                    profiler.disable()
                first.append(1000 * (time.process_time() - started))
                wall.append(1000 * (time.perf_counter() - clock))
                if code != 200:
                    raise RuntimeError(f"{path}: {code}")
        per_request = queries[0] / len(paths)
        cached: list[float] = []
        for path in paths:
            get(path)
            started = time.process_time()
            get(path)
            cached.append(1000 * (time.process_time() - started))
        lines.append(
            f"| {name} | {statistics.median(first):.1f} | {statistics.mean(first):.1f} | "
            f"{statistics.median(wall):.1f} | {statistics.median(cached):.1f} | "
            f"{per_request:.1f} |"
        )
        if profiler is not None:
            profiler.dump_stats(DATA / f"profile-{name}.prof")
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
            print(f"--- {name}\n{out.getvalue()}", file=sys.stderr)
    return "\n".join(lines)


# --- measure --------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (apt-get install wrk)", file=sys.stderr)
    apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, env=apt, timeout=600)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed")
    return found


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # noqa: S310
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def run_wrk(
    wrk: str,
    url: str,
    paths: list[str],
    name: str,
    clients: int,
    seconds: int,
    mode: str = "uniform",
    zipf_s: float = 1.0,
) -> dict[str, Any]:
    listing = DATA / f"urls-{name}.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = DATA / "pick.lua"
    script.write_text(WRK_SCRIPT)
    before = load_average()
    out = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
            "--",
            str(listing),
            mode,
            str(zipf_s),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    after = load_average()
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["throughput"] = result["requests"] / (result["duration_us"] / 1e6)
    result["load"] = f"{before} → {after}"
    return result


def _read_files(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with path.open("rb") as handle:
            while chunk := handle.read(16 * 1024 * 1024):
                total += len(chunk)
    return total


def warm_os_cache(database: str) -> None:
    """Read the database's files once, so that they sit in the OS page cache as on a server that
    has been up for a while (a just-built data set of several GB may not be; random reads from
    disk would then measure the disk). PostgreSQL's files need read access to its data directory
    (the bench runs as root here); without it the step is skipped."""
    if database == "sqlite":
        files = [p for p in DATA.glob("portal.sqlite3*") if p.is_file()]
    else:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/{DATABASE}") as conn:
            directory = conn.execute("SHOW data_directory").fetchone()[0]  # type: ignore[index]
            oid = conn.execute(
                "SELECT oid FROM pg_database WHERE datname = current_database()"
            ).fetchone()[0]  # type: ignore[index]
        base = Path(directory) / "base" / str(oid)
        try:
            files = [p for p in base.iterdir() if p.is_file()]
        except OSError:
            print("PostgreSQL's files are not readable: OS cache not warmed", file=sys.stderr)
            return
    started = time.monotonic()
    total = _read_files(files)
    print(
        f"{database}: read {total / 1e9:.1f} GB into the OS cache in "
        f"{time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )


def warm_up(url: str, paths: list[str], passes: int) -> None:
    """Request every path `passes` times (untimed, 16 at a time): the caches of a site whose
    pages have been visited since the last change. Without a shared cache each app process keeps
    its own, and a request lands on either, hence more than one pass."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path: str) -> None:
        try:
            with urllib.request.urlopen(url + path, timeout=60) as response:  # noqa: S310
                response.read()
        except urllib.error.URLError:
            pass

    with ThreadPoolExecutor(16) as pool:
        for _ in range(passes):
            list(pool.map(fetch, paths))


# Pages whose URL lists are long enough for the URL mix to matter: measured in each mode.
MIXED_PAGES = ("column", "item", "search")


def measure(
    database: str,
    clients: int,
    seconds: int,
    workers: int,
    urls: dict[str, list[str]],
    threads: int = 2,
    *,
    pages: list[str],
    modes: list[str],
    zipf_s: float,
    warm_passes: int = 2,
    repeat: int = 3,
) -> dict[str, Any]:
    """wrk per page: {row name: result}; a page of MIXED_PAGES gets a row per mode."""
    wrk = ensure_wrk()
    warm_os_cache(database)
    if REDIS:
        import redis

        redis.Redis.from_url(REDIS).flushdb()  # start cold, like a fresh process cache
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (DATA / f"gunicorn-{database}.log").open("w")
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=environment(database),
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    results: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + 120
        while not healthy(url):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"gunicorn did not start; see {DATA}/gunicorn-{database}.log")
            time.sleep(0.5)
        # Untimed: every worker process imports and connects before the first measured row.
        run_wrk(wrk, url, urls["minimal"], "minimal", clients, 3)
        runs = [(name, "uniform") for name in pages if name not in MIXED_PAGES]
        runs += [(name, mode) for mode in modes for name in pages if name in MIXED_PAGES]
        if "minimal" in pages:
            runs.append(("minimal", "again"))  # the baseline at the start and at the end
        for name, mode in runs:
            row = name if name not in MIXED_PAGES else f"{name} ({mode})"
            if mode == "again":
                row = "minimal (again)"
            if mode == "warm":
                print(f"{database}: warming {name} ({warm_passes} passes)", file=sys.stderr)
                warm_up(url, urls[name], warm_passes)
            print(f"{database}: {row} for {seconds} s with {clients} clients", file=sys.stderr)
            # Each row `repeat` times (new connections each time: how wrk's keep-alive
            # connections fall across the worker processes swings a run by up to 2×); the run
            # with the median throughput is reported, with the range.
            trials = sorted(
                (
                    run_wrk(
                        wrk,
                        url,
                        urls[name],
                        name,
                        clients,
                        seconds,
                        mode="uniform" if mode in ("warm", "again") else mode,
                        zipf_s=zipf_s,
                    )
                    for _ in range(repeat)
                ),
                key=lambda r: r["throughput"],
            )
            median = dict(trials[len(trials) // 2])
            median["range"] = f"{trials[0]['throughput']:.0f}–{trials[-1]['throughput']:.0f}"
            # The tail from the worst run, not the median one: a slow run must show.
            median["p95_us"] = max(t["p95_us"] for t in trials)
            median["p99_us"] = max(t["p99_us"] for t in trials)
            median["requests"] = sum(t["requests"] for t in trials)
            median["errors"] = sum(t["errors"] for t in trials)
            median["load"] = (
                f"{trials[0]['load'].split(' → ')[0]} → {trials[-1]['load'].split(' → ')[1]}"
            )
            results[row] = median
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return results


def table(database: str, info: dict[str, Any], results: dict[str, Any], zipf_s: float = 1.0) -> str:
    # The baseline: the minimal page's mean over its two runs (first and last row).
    baselines = [results[k]["throughput"] for k in ("minimal", "minimal (again)") if k in results]
    minimal = sum(baselines) / len(baselines) if baselines else float("nan")
    lines = [
        f"{database}: {info['items']:,} items, {info['agencies']:,} agencies "
        f"(built {info['built']} in {info['build_seconds']} s: {info['timings']})",
        "",
        "URL mix — uniform: every URL of the page's list equally likely (mostly first visits: "
        f"the page cache rarely answers); zipf: the k-th URL with probability ∝ 1/k^{zipf_s:g} "
        "(popular pages repeat, as in real traffic).",
        "",
        "Each row: req/s and p50 of the median run by throughput, the range of the runs' req/s, "
        "p95 and p99 of the worst run, requests and errors of all runs.",
        "",
        "| page | requests | req/s | range | % of minimal | p50 (ms) | p95 (ms) | p99 (ms) | errors | load average before → after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        lines.append(
            f"| {name} | {row['requests']:,} | {row['throughput']:.0f} | {row.get('range', '')} | "
            f"{100 * row['throughput'] / minimal:.0f} % | {row['p50_us'] / 1000:.1f} | "
            f"{row['p95_us'] / 1000:.1f} | {row['p99_us'] / 1000:.1f} | {row['errors']} | {row['load']} |"
        )
    return "\n".join(lines)


def child(args: argparse.Namespace) -> None:
    """The Django part (build, URL sample, profile), in a process whose environment names the
    bench database."""
    info_file = DATA / f"ready-{args.database}.json"
    if args.child == "profile":
        urls = json.loads((DATA / f"urls-{args.database}.json").read_text())
        print(profile(urls, args.profile, args.profile_dump))
        return
    if args.child == "build":
        info = build(args.database, args.agencies, args.items)
        info_file.write_text(json.dumps(info))
    else:
        # --reuse: bring the schema up to date (an index added since the build).
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("portal_render", "--missing")
    urls = sample_urls(args.database)
    (DATA / f"urls-{args.database}.json").write_text(json.dumps(urls))


def child_command(args: argparse.Namespace, step: str) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--database",
        args.database,
        "--agencies",
        str(args.agencies),
        "--items",
        str(args.items),
        "--data-dir",
        str(DATA),
        "--db-name",
        DATABASE,
        "--profile",
        str(args.profile),
        *(["--profile-dump"] if args.profile_dump else []),
        "--child",
        step,
    ]


def main() -> None:
    global DATA, DATABASE, REDIS
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--agencies", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="measure on the data set built before")
    parser.add_argument("--seconds", type=int, default=20, help="load per page")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 2) * 2 + 1,
        help="gunicorn workers (default: production's 2 × cores + 1, deploy/gunicorn.conf.py)",
    )
    parser.add_argument(
        "--threads", type=int, default=2, help="threads per worker (default: production's 2)"
    )
    parser.add_argument(
        "--pages",
        default="minimal,home,column,item,search",
        help="comma-separated pages to load (default: all)",
    )
    parser.add_argument(
        "--modes",
        default="uniform,zipf",
        help="URL mixes for the column, item and search pages: uniform, zipf, warm (uniform after "
        "requesting every URL --warm-passes times, untimed); default uniform,zipf",
    )
    parser.add_argument(
        "--warm-passes", type=int, default=2, help="requests per URL before a warm run"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per row; the median is reported (default 3)"
    )
    parser.add_argument("--zipf-s", type=float, default=1.0, help="exponent of the zipf mix")
    parser.add_argument("--data-dir", type=Path, default=DATA, help=f"default {DATA}")
    parser.add_argument(
        "--db-name", default=DATABASE, help=f"PostgreSQL database (default {DATABASE})"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="instead of the load test: CPU time per request in-process on N URLs per page "
        "(needs a built data set)",
    )
    parser.add_argument(
        "--profile-dump", action="store_true", help="with --profile: cProfile each page"
    )
    parser.add_argument(
        "--redis",
        default="",
        help="cache in Redis, shared by the app processes, as in production "
        "(e.g. redis://127.0.0.1:6379/7; that Redis database is emptied first)",
    )
    parser.add_argument("--child", choices=["build", "sample", "profile"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    DATA, DATABASE, REDIS = args.data_dir, args.db_name, args.redis
    if args.child:
        child(args)
        return
    DATA.mkdir(exist_ok=True)
    info_file = DATA / f"ready-{args.database}.json"
    reuse = (args.reuse or args.profile > 0) and info_file.exists()
    if not reuse:
        info_file.unlink(missing_ok=True)
        reset_database(args.database)
        print(f"building {args.items:,} items across {args.agencies:,} agencies", file=sys.stderr)
    step = "sample" if reuse else "build"
    env = environment(args.database)
    if not (args.profile and reuse and (DATA / f"urls-{args.database}.json").exists()):
        subprocess.run(child_command(args, step), cwd=ROOT, env=env, check=True, timeout=7200)
    if args.profile:
        subprocess.run(child_command(args, "profile"), cwd=ROOT, env=env, check=True, timeout=7200)
        return
    info = json.loads(info_file.read_text())
    urls = json.loads((DATA / f"urls-{args.database}.json").read_text())
    pages = [page for page in args.pages.split(",") if page]
    modes = [mode for mode in args.modes.split(",") if mode]
    results = measure(
        args.database,
        args.clients,
        args.seconds,
        args.workers,
        urls,
        pages=pages,
        modes=modes,
        zipf_s=args.zipf_s,
        warm_passes=args.warm_passes,
        threads=args.threads,
        repeat=args.repeat,
    )
    print(table(args.database, info, results, args.zipf_s))


if __name__ == "__main__":
    main()
