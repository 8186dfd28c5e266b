"""Load test: the locust scenario (bench/locustfile.py) against gunicorn with 1, then 2 app processes
on PostgreSQL, all on loopback. Prints a Markdown table for docs/performance.md.

    .venv/bin/pip install -e .[bench]
    .venv/bin/python bench/load_test.py [--users 40] [--seconds 60] [--items 3000] [--reuse]

The data set (a PostgreSQL database `gongkai_bench_load` holding the demo district plus `--items`
published catalogue items copied from the demo's, with the search index rebuilt; media, static
files and the huey queue under /tmp/bench-load/) is built once; `--reuse` measures again on it in
minutes. The app servers are gunicorn with `deploy/gunicorn.conf.py` (gthread, 2 threads per
process, `GONGKAI_WORKERS` processes) and a 5 s keep-alive; they speak plain HTTP on loopback and the per-address limit on online applications is raised (every simulated visitor is
127.0.0.1). By default they run with `GONGKAI_DEBUG=1` (no collectstatic needed: compressing the
vendor files for the manifest storage took over 20 minutes on the shared machine); `--production`
runs them with `GONGKAI_DEBUG=0` after `collectstatic`. Bounded: each run stops after `--seconds`;
only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
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
DATA = Path("/tmp/bench-load")  # noqa: S108 (kept for --reuse, like the other benches)
DATABASE = "gongkai_bench_load"
POSTGRES = os.environ.get("GONGKAI_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

# Copies published demo items under new 索引号 and titles, then rebuilds the search index.
GENERATE = """
import random
from django.db import transaction
from gongkai.publishing.models import Item
random.seed(7)
wanted = {count}
sources = list(Item.objects.filter(status="published").order_by("pk"))
words = ["道路维修", "低保资金", "预算执行", "养老服务", "就业补贴", "乡村规划", "防汛", "教育"]
made = []
for i in range(wanted):
    src = random.choice(sources)
    copy = Item.objects.get(pk=src.pk)
    copy.pk = None
    copy.id = None
    copy.index_no = (src.index_no[:44] + f"-L{{i:06d}}")[:60]
    copy.title = (f"{{random.choice(words)}}：" + src.title)[:190] + f"（{{i}}）"
    made.append(copy)
with transaction.atomic():
    Item.objects.bulk_create(made, batch_size=500)
print(Item.objects.filter(status="published").count())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "GONGKAI_DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "GONGKAI_VAR_DIR": str(DATA / "var"),
        "GONGKAI_APPLY_PER_HOUR": "100000000",
        "GONGKAI_HUEY_IMMEDIATE": "0",
    }


def production(env: dict[str, str]) -> dict[str, str]:
    key_file = DATA / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
    return {
        **env,
        "GONGKAI_DEBUG": "0",
        "GONGKAI_SECRET_KEY": key_file.read_text(),
        "GONGKAI_ALLOWED_HOSTS": "127.0.0.1",
        "GONGKAI_SSL_REDIRECT": "0",
        "GONGKAI_HSTS_SECONDS": "0",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(VENV / "gongkai"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return result.stdout


def build(items: int) -> dict[str, Any]:
    import psycopg

    DATA.mkdir(exist_ok=True)
    (DATA / "ready.json").unlink(missing_ok=True)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    env = {**environment(), "GONGKAI_DEBUG": "1"}
    print("building: migrate, demo", file=sys.stderr)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "demo")
    print(f"building: {items} more published items, search index", file=sys.stderr)
    published = int(manage(env, "shell", "-c", GENERATE.format(count=items)).split()[-1])
    manage(env, "search_rebuild")
    info = {"published_items": published, "built": time.strftime("%Y-%m-%d %H:%M")}
    (DATA / "ready.json").write_text(json.dumps(info))
    return info


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # noqa: S310
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def measure(
    processes: int, users: int, seconds: int, debug: bool, no_wait: bool = False
) -> dict[str, Any]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            # Locust keeps connections open between a visitor's pages (1–3 s apart); with
            # gunicorn's default 2 s keep-alive the server would close some just as they are
            # reused (connection reset). Behind nginx, which retries, this does not arise.
            "--keep-alive",
            "5",
            "config.wsgi",
        ],
        cwd=ROOT,
        env={
            **({**environment(), "GONGKAI_DEBUG": "1"} if debug else production(environment())),
            "GONGKAI_BIND": f"127.0.0.1:{port}",
            "GONGKAI_WORKERS": str(processes),
        },
        stdout=subprocess.DEVNULL,
        stderr=(DATA / f"gunicorn-{processes}.log").open("w"),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not healthy(url):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start; see /tmp/bench-load/gunicorn-*.log")
            time.sleep(0.5)
        prefix = DATA / f"locust-{processes}"
        before = load_average()
        print(f"{processes} app process(es): {users} users for {seconds} s", file=sys.stderr)
        subprocess.run(
            [
                str(VENV / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(max(users // 10, 1)),
                "--run-time",
                f"{seconds}s",
                "--host",
                url,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            cwd=ROOT,
            env={**os.environ, "GONGKAI_LOAD_NO_WAIT": "1" if no_wait else "0"},
            check=False,
            timeout=seconds + 120,
            stdout=subprocess.DEVNULL,
        )
        after = load_average()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    with (Path(f"{prefix}_stats.csv")).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {"processes": processes, "rows": rows, "load_before": before, "load_after": after}


def table(result: dict[str, Any]) -> str:
    lines = [
        f"**{result['processes']} app process(es)** — load average before "
        f"{result['load_before']}, after {result['load_after']}\n",
        "| request | requests | requests/s | p50 (ms) | p95 (ms) | failures |",
        "|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        lines.append(
            f"| {name} | {row['Request Count']} | {float(row['Requests/s']):.1f} | "
            f"{row['50%']} | {row['95%']} | {row['Failure Count']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--reuse", action="store_true", help="reuse the data set if it is built")
    parser.add_argument(
        "--production", action="store_true", help="GONGKAI_DEBUG=0 (runs collectstatic first)"
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="visitors do not pause between pages: the saturation throughput",
    )
    options = parser.parse_args()
    signal.alarm(3600)  # bounded, whatever happens
    ready = DATA / "ready.json"
    if options.reuse and ready.exists():
        info = json.loads(ready.read_text())
    else:
        info = build(options.items)
    if options.production:
        manage(production(environment()), "collectstatic", "--no-input", "-v", "0")
    debug = not options.production
    results = [
        measure(n, options.users, options.seconds, debug, options.no_wait)
        for n in options.processes
    ]
    pause = "without pauses" if options.no_wait else "waiting 1–3 s"
    print(
        f"## Load test ({time.strftime('%Y-%m-%d')}, PostgreSQL, {info['published_items']} "
        f"published items, {options.users} users {pause}, {options.seconds} s per run, "
        f"GONGKAI_DEBUG={int(debug)})\n"
    )
    for result in results:
        print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
