"""Fault tests against real app servers on this machine (loopback only, bounded in count and time).

    .venv/bin/python bench/fault_test.py [--database sqlite|postgres] [--count 1000]
        [--scenarios burst,down,disk,render]

1. kill -9 during a burst: gunicorn serves the API; N online applications are sent from 16 threads;
   after a third of them have been acknowledged the whole server (master and workers) is killed with
   SIGKILL and started again, and the burst goes on. Every request is sent once and never retried, so
   a duplicate could only come from the server. Checked afterwards: every acknowledged tracking code is
   stored exactly once; no application is stored twice.
2. Database down: the app server reaches PostgreSQL through a TCP relay on loopback, which the script
   cuts. While it is cut, pages answer a Chinese 503 and /healthz answers 503; submissions are refused
   with a Chinese 503, not half-written. After the relay is restored, everything acknowledged before is
   still there.
3. Disk full during an upload: an app server whose media root is a 256 KiB tmpfs (mounted here, as
   root, and unmounted afterwards) receives applications through the portal form (CSRF token and
   cookie as a browser sends them) with a 1 MB attachment (held in memory) and a 3 MB one (spooled to
   a temporary file first): each is refused with a clear Chinese message, and neither an application
   row nor a partial file is left. A 20 KB attachment is then accepted as usual.
4. Slow renders: with no worker running, asking for a report's PDF answers at once with the
   "正在生成" page (202); a huey worker (`gongkai run_huey`) is then started and the page, polled as
   htmx does, offers the file once it is rendered.

Figures are printed as a Markdown table for docs/performance.md. Nothing here talks to any address
other than 127.0.0.1.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
POSTGRES_ADMIN_URL = os.environ.get(
    "GONGKAI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"
)
TIME_LIMIT_SECONDS = 1500  # under a load of 20 (shared machine) a full run takes 15 minutes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http(
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the fault test only talks to loopback")
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


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
        timeout=900,
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


def _detail(body: str) -> str:
    """The message of a JSON error answer (its Chinese is \\u-escaped in the raw body)."""
    try:
        return str(json.loads(body).get("detail", ""))
    except (ValueError, AttributeError):
        return body[:200]


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
    submit_status, submitted = http("POST", server.url("/api/v1/applications"), payload(999_999))
    relay.restore()
    time.sleep(0.5)
    after_status, _ = http("GET", server.url("/healthz"))
    return {
        "health_before": before_status,
        "page_while_down": page_status,
        "page_is_chinese_503": page_status == 503 and "系统暂时无法访问" in page,
        "health_while_down": health_status,
        "submit_while_down": submit_status,
        "submit_is_chinese_503": submit_status == 503 and "本次提交未被保存" in _detail(submitted),
        "submit_message": _detail(submitted),
        "health_after": after_status,
    }


# --- Disk full during an upload ------------------------------------------------------------------

SMALL_MEDIA = "size=256k,mode=0755"
DISK_MARKER = "磁盘已满测试"


def _multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = f"gongkai-fault-{os.getpid()}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def apply_with_attachment(server: Server, label: str, size: int) -> tuple[int, str, float]:
    """One application through the portal form, as a browser sends it (CSRF cookie and token)."""
    url = server.url("/agency/gaocun/apply/")
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url, timeout=60) as page:  # loopback only (server.url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    if token is None:
        raise RuntimeError("no CSRF token on the form")
    fields = {
        "csrfmiddlewaretoken": token.group(1),
        "applicant_type": "natural_person",
        "applicant_name": f"{DISK_MARKER}{label}",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13800000000",
        "description": f"{DISK_MARKER}：请提供2023年村级道路维修资料（附件{label}）",
        "form_wanted": "electronic",
        "delivery": "online",
        "website": "",
    }
    head = b"%PDF-1.4\n% fault test attachment\n"
    body, content_type = _multipart(fields, "证明材料.pdf", head + b"0" * (size - len(head)))
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 (loopback)
    request.add_header("Content-Type", content_type)
    started = time.monotonic()
    try:
        with opener.open(request, timeout=60) as response:
            status, html = response.status, response.read().decode(errors="replace")
            if response.url.endswith("/apply/done/"):
                status = 302  # followed the redirect to the confirmation
    except urllib.error.HTTPError as error:
        status, html = error.code, error.read().decode(errors="replace")
    return status, html, time.monotonic() - started


def disk_marked(env: dict[str, str]) -> dict[str, int]:
    script = (
        "import json; from gongkai.applications.models import Application as A; "
        f"q = A.objects.filter(applicant_name__startswith='{DISK_MARKER}'); "
        "print(json.dumps({'rows': q.count(), "
        "'attachments': sum(a.attachments.count() for a in q)}))"
    )
    return json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])


def disk_full(env: dict[str, str], tmp: str) -> dict[str, Any]:
    mount = Path(tmp) / "small-media"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", SMALL_MEDIA, "tmpfs", str(mount)], check=True)
    figures: dict[str, Any] = {"media root": "tmpfs, 256 KiB"}
    try:
        server = Server({**env, "GONGKAI_MEDIA_ROOT": str(mount)}, free_port())
        server.start()
        try:
            for label, size in (("1MB", 1_000_000), ("3MB", 3_000_000)):
                print(f"disk full: {label} attachment", file=sys.stderr)
                status, html, seconds = apply_with_attachment(server, label, size)
                clear = "服务器存储空间不足" in html and "本次提交未被保存" in html
                figures[f"{label} upload: answer"] = (
                    f"{status}, {'clear Chinese error' if clear else 'NO clear error'}"
                    f" ({seconds:.2f} s)"
                )
                figures[f"{label} upload: clear error"] = clear
            after_failures = disk_marked(env)
            figures["rows stored by the refused uploads"] = after_failures["rows"]
            figures["files left in the media root after them"] = sum(
                1 for p in mount.rglob("*") if p.is_file()
            )
            status, _, seconds = apply_with_attachment(server, "20KB", 20_000)
            figures["20 KB upload afterwards"] = f"{status} ({seconds:.2f} s)"
            stored = disk_marked(env)
            files = [p for p in mount.rglob("*") if p.is_file()]
            figures["stored afterwards (rows, attachments, files)"] = (
                f"{stored['rows']}, {stored['attachments']}, {len(files)}"
            )
            figures["nothing half-written"] = (
                after_failures == {"rows": 0, "attachments": 0}
                and stored == {"rows": 1, "attachments": 1}
                and [p.stat().st_size for p in files] == [20_000]
            )
        finally:
            server.stop()
    finally:
        subprocess.run(["umount", str(mount)], check=False)
    return figures


# --- Slow renders as background jobs --------------------------------------------------------------


def background_render(env: dict[str, str]) -> dict[str, Any]:
    # As for a report whose files were never rendered: the demo loader queued them (with its clock
    # frozen in 2024, so they would count as lost jobs); those queued jobs then find no row and skip.
    manage(
        env,
        "shell",
        "-c",
        "from gongkai.reports.models import RenderedFile as R; R.objects.all().delete()",
    )
    server = Server(env, free_port())
    server.start()
    path = "/agency/songcun/reports/2023/pdf/"
    worker = None
    try:
        http("GET", server.url("/agency/songcun/reports/2023/"))  # warm the worker up
        started = time.monotonic()
        status, page = http("GET", server.url(path))
        first = time.monotonic() - started
        print("slow renders: starting a worker", file=sys.stderr)
        worker = subprocess.Popen(
            [str(VENV / "gongkai"), "run_huey", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        worker_started = time.monotonic()
        polls, slowest, ready = 0, 0.0, False
        while time.monotonic() - worker_started < 180:
            begun = time.monotonic()
            poll_status, partial = http("GET", server.url(path), headers={"HX-Request": "true"})
            slowest = max(slowest, time.monotonic() - begun)
            polls += 1
            if poll_status == 200 and "已生成" in partial:
                ready = True
                break
            time.sleep(0.5)
        until_ready = time.monotonic() - worker_started
        file_status, content = http("GET", server.url(path))
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        server.stop()
    return {
        "first request, no worker": f"{status} in {first * 1000:.0f} ms",
        "says 正在生成": status == 202 and "正在生成" in page,
        "polls until ready (slowest poll)": f"{polls} ({slowest * 1000:.0f} ms)",
        "file ready after the worker started (s)": round(until_ready, 1) if ready else "not ready",
        "download afterwards": f"{file_status}, PDF: {content.startswith('%PDF')}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--scenarios",
        default="burst,down,disk,render",
        help="comma-separated subset of burst,down,disk,render (down needs PostgreSQL; disk mounts "
        "a tmpfs and needs root)",
    )
    options = parser.parse_args()
    signal.alarm(TIME_LIMIT_SECONDS)  # the whole run is bounded

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "GONGKAI_VAR_DIR": tmp,
            "GONGKAI_APPLY_PER_HOUR": "1000000",
            "GONGKAI_DEBUG": "1",
            # Jobs go to the queue as in production; the render scenario starts the worker.
            "GONGKAI_HUEY_IMMEDIATE": "0",
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
        scenarios = set(options.scenarios.split(","))
        results: dict[str, Any] = {}
        load = {"start": load_average()}
        try:
            run_scenarios(env, tmp, options, scenarios, results)
        finally:
            if options.database == "postgres":
                import psycopg

                with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        load["end"] = load_average()
    print(
        f"## Fault test ({options.database}, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"load average {load['start']} at the start, {load['end']} at the end)\n"
    )
    for scenario, figures in results.items():
        print(f"**{scenario}**\n")
        print("| figure | value |\n|---|---|")
        for key, value in figures.items():
            print(f"| {key} | {value} |")
        print()
    ok = True
    if "kill -9 during burst" in results:
        burst = results["kill -9 during burst"]
        ok = burst["acknowledged_missing"] == 0 and burst["stored_twice"] == 0
    if "database down" in results:
        down = results["database down"]
        ok = ok and down["page_is_chinese_503"] and down["health_while_down"] == 503
        ok = ok and down["submit_is_chinese_503"]
    if "disk full during an upload" in results:
        ok = ok and results["disk full during an upload"]["nothing half-written"]
    if "slow renders" in results:
        ok = ok and results["slow renders"]["says 正在生成"]
    return 0 if ok else 1


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_scenarios(
    env: dict[str, str],
    tmp: str,
    options: argparse.Namespace,
    scenarios: set[str],
    results: dict[str, Any],
) -> None:
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "demo")
    if "burst" in scenarios:
        server = Server(env, free_port())
        server.start()
        try:
            results["kill -9 during burst"] = burst_with_kill(server, env, options.count)
        finally:
            server.stop()
    if "down" in scenarios and options.database == "postgres":
        name = env["GONGKAI_DATABASE_URL"].rsplit("/", 1)[-1]
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
    if "disk" in scenarios:
        results["disk full during an upload"] = disk_full(env, tmp)
    if "render" in scenarios:
        results["slow renders"] = background_render(env)


if __name__ == "__main__":
    sys.exit(main())
