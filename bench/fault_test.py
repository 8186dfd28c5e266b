"""Fault tests against real app servers on this machine (loopback only, bounded in count and time).

    .venv/bin/python bench/fault_test.py [--database sqlite|postgres] [--count 1000]

1. kill -9 during a burst: gunicorn serves the API; N online applications are sent from 16 threads;
   after a third of them have been acknowledged the whole server (master and workers) is killed with
   SIGKILL and started again, and the burst goes on. Every request is sent once and never retried, so
   a duplicate could only come from the server. Checked afterwards: every acknowledged tracking code is
   stored exactly once; no application is stored twice.
2. Database down: the app server reaches PostgreSQL through a TCP relay on loopback, which the script
   cuts. While it is cut, pages answer a Chinese 503 and /healthz answers 503; submissions are refused,
   not half-written. After the relay is restored, everything acknowledged before is still there.

Figures are printed as a Markdown table for docs/performance.md. Nothing here talks to any address
other than 127.0.0.1.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
POSTGRES_ADMIN_URL = os.environ.get(
    "GONGKAI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"
)
TIME_LIMIT_SECONDS = 600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http(method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the fault test only talks to loopback")
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Relay:
    """A TCP relay 127.0.0.1:listen → 127.0.0.1:target that can be cut and restored."""

    def __init__(self, listen_port: int, target_port: int) -> None:
        self.listen_port, self.target_port = listen_port, target_port
        self.open = threading.Event()
        self.open.set()
        self.sockets: list[socket.socket] = []
        self.server = socket.create_server(("127.0.0.1", listen_port), reuse_port=False)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> None:
        self.open.clear()
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        self.sockets.clear()

    def restore(self) -> None:
        self.open.set()


class Server:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port, self.process = env, port, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(VENV / "gunicorn"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "30",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if http("GET", self.url("/healthz"))[0] in (200, 503):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def kill9(self) -> None:
        if self.process is None:
            raise RuntimeError("server not started")
        os.killpg(self.process.pid, signal.SIGKILL)  # master and workers, no clean-up
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(VENV / "gongkai"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return result.stdout


def payload(i: int) -> dict[str, str]:
    return {
        "agency": "gaocun",
        "applicant_type": "natural_person",
        "applicant_name": f"测试申请人{i}",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": f"138{i:08d}",
        "description": f"故障测试申请第{i}号：请提供2023年村级道路维修资料",
        "form_wanted": "electronic",
        "delivery": "online",
    }


def stored_counts(env: dict[str, str]) -> dict[str, int]:
    script = (
        "import json; from collections import Counter; "
        "from gongkai.applications.models import Application as A; "
        "print(json.dumps(Counter(A.objects.values_list('tracking_code', flat=True))))"
    )
    return json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])


def burst_with_kill(server: Server, env: dict[str, str], count: int) -> dict[str, Any]:
    acknowledged: dict[str, str] = {}
    failures = 0
    lock = threading.Lock()
    killed = threading.Event()
    restarted = threading.Event()

    def send(i: int) -> None:
        nonlocal failures
        if killed.is_set():
            restarted.wait(60)
        try:
            status, body = http("POST", server.url("/api/v1/applications"), payload(i))
        except OSError:
            status, body = 0, ""
        with lock:
            if status == 201:
                acknowledged[json.loads(body)["tracking_code"]] = str(i)
                if len(acknowledged) == count // 3 and not killed.is_set():
                    killed.set()
                    threading.Thread(target=restart, daemon=True).start()
            else:
                failures += 1

    def restart() -> None:
        server.kill9()
        server.start()
        restarted.set()

    print(f"burst: sending {count} applications", file=sys.stderr)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(send, range(count)))
    elapsed = time.monotonic() - started
    stored = stored_counts(env)
    missing = [code for code in acknowledged if code not in stored]
    doubled = [code for code, n in stored.items() if n > 1]
    return {
        "sent": count,
        "acknowledged": len(acknowledged),
        "failed_or_cut": failures,
        "stored": sum(stored.values()),
        "acknowledged_missing": len(missing),
        "stored_twice": len(doubled),
        "seconds": round(elapsed, 1),
    }


def database_down(server: Server, relay: Relay) -> dict[str, Any]:
    print("database down: cutting the relay", file=sys.stderr)
    before_status, _ = http("GET", server.url("/healthz"))
    relay.cut()
    time.sleep(0.5)
    print("  page", file=sys.stderr)
    page_status, page = http("GET", server.url("/"))
    print("  health", file=sys.stderr)
    health_status, _ = http("GET", server.url("/healthz"))
    print("  submit", file=sys.stderr)
    submit_status, _ = http("POST", server.url("/api/v1/applications"), payload(999_999))
    relay.restore()
    time.sleep(0.5)
    after_status, _ = http("GET", server.url("/healthz"))
    return {
        "health_before": before_status,
        "page_while_down": page_status,
        "page_is_chinese_503": page_status == 503 and "系统暂时无法访问" in page,
        "health_while_down": health_status,
        "submit_while_down": submit_status,
        "health_after": after_status,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--count", type=int, default=1000)
    options = parser.parse_args()
    signal.alarm(TIME_LIMIT_SECONDS)  # the whole run is bounded

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "GONGKAI_VAR_DIR": tmp,
            "GONGKAI_APPLY_PER_HOUR": "1000000",
            "GONGKAI_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        if options.database == "postgres":
            import psycopg

            name = f"gongkai_fault_{os.getpid()}"
            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            env["GONGKAI_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
            env["GONGKAI_DB_CONN_MAX_AGE"] = "0"
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "demo")
        server = Server(env, free_port())
        server.start()
        results: dict[str, Any] = {}
        try:
            results["kill -9 during burst"] = burst_with_kill(server, env, options.count)
        finally:
            server.stop()
        if options.database == "postgres":
            # A second app server reaches the same database through a relay that can be cut.
            relay_port = free_port()
            relay = Relay(relay_port, 5432)
            relayed = {
                **env,
                "GONGKAI_DATABASE_URL": f"postgres://postgres@127.0.0.1:{relay_port}/{name}",
            }
            down_server = Server(relayed, free_port())
            down_server.start()
            try:
                results["database down"] = database_down(down_server, relay)
            finally:
                down_server.stop()
        if options.database == "postgres":
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"## Fault test ({options.database}, {time.strftime('%Y-%m-%d')})\n")
    for scenario, figures in results.items():
        print(f"**{scenario}**\n")
        print("| figure | value |\n|---|---|")
        for key, value in figures.items():
            print(f"| {key} | {value} |")
        print()
    burst = results["kill -9 during burst"]
    ok = burst["acknowledged_missing"] == 0 and burst["stored_twice"] == 0
    if "database down" in results:
        down = results["database down"]
        ok = ok and down["page_is_chinese_503"] and down["health_while_down"] == 503
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
