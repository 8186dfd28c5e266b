"""Locust scenario for the portal: people browsing, searching and applying online.

    .venv/bin/pip install -e .[bench]       # locust is an optional extra
    .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8001

`bench/load_test.py` runs it headless against gunicorn with one and with two app processes. Each
simulated visitor waits 1–3 s between pages. The mix, per 20 requests: home 2, agency page 3,
column list 3, item page 5, annual report page 1, search 4, and one online application (the form
page, then the POST with its CSRF token, answered by a redirect to the confirmation).

The per-address limit on applications (`GONGKAI_APPLY_PER_HOUR`) must be raised for a run: every
simulated visitor comes from 127.0.0.1. The runner sets it.

`GONGKAI_LOAD_NO_WAIT=1` drops the pause between pages: every simulated visitor asks for the next page
as soon as the last one has arrived, which finds the saturation throughput (`load_test.py --no-wait`).
"""

from __future__ import annotations

import os
import random
import re
import threading
from typing import ClassVar

import requests
from locust import HttpUser, between, constant, task

SEARCH_WORDS = [
    "道路",
    "低保",
    "预算",
    "政府信息公开",
    "通知",
    "养老",
    "补贴",
    "招聘",
    "规划",
    "年度报告",
    "村",
    "2023",
]
AGENCY_LINK = re.compile(r'href="/agency/([a-z0-9-]+)/"')
COLUMN_LINK = re.compile(r'href="(/agency/[a-z0-9-]+/gk/[a-z0-9-]+/)"')
ITEM_LINK = re.compile(r'href="(/agency/[a-z0-9-]+/info/\d+/)"')
REPORT_LINK = re.compile(r'href="(/agency/[a-z0-9-]+/reports/\d{4}/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Site:
    """Links discovered once per locust process from the pages themselves."""

    lock = threading.Lock()
    agencies: ClassVar[list[str]] = []
    columns: ClassVar[list[str]] = []
    items: ClassVar[list[str]] = []
    reports: ClassVar[list[str]] = []

    @classmethod
    def discover(cls, host: str) -> None:
        """Once per process, outside locust's statistics (plain `requests`, not the user's client)."""
        with cls.lock:
            if cls.agencies:
                return

            def get(path: str) -> str:
                return requests.get(host + path, timeout=60).text

            home = get("/")
            cls.agencies = sorted(set(AGENCY_LINK.findall(home))) or ["songcun"]
            for slug in cls.agencies:
                cls.columns += sorted(set(COLUMN_LINK.findall(get(f"/agency/{slug}/gk/"))))
            for column in cls.columns[:20]:
                cls.items += sorted(set(ITEM_LINK.findall(get(column))))
            cls.reports = sorted(set(REPORT_LINK.findall(get("/reports/"))))


class Visitor(HttpUser):
    wait_time = constant(0) if os.environ.get("GONGKAI_LOAD_NO_WAIT") == "1" else between(1, 3)

    def on_start(self) -> None:
        Site.discover(self.host)

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def agency(self) -> None:
        self.client.get(f"/agency/{random.choice(Site.agencies)}/", name="agency page")

    @task(3)
    def column(self) -> None:
        if Site.columns:
            self.client.get(random.choice(Site.columns), name="column list")

    @task(5)
    def item(self) -> None:
        if Site.items:
            self.client.get(random.choice(Site.items), name="item page")

    @task(1)
    def report(self) -> None:
        if Site.reports:
            self.client.get(random.choice(Site.reports), name="年报 page")

    @task(4)
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(SEARCH_WORDS)}, name="search")

    @task(1)
    def apply(self) -> None:
        slug = random.choice(Site.agencies)
        url = f"/agency/{slug}/apply/"
        form = self.client.get(url, name="apply form")
        token = CSRF.search(form.text)
        if token is None:
            return
        n = random.randrange(10**8)
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "applicant_type": "natural_person",
            "applicant_name": f"压测申请人{n}",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": f"139{n:08d}",
            "description": f"负载测试第{n}号：请提供本单位2023年道路维修资金使用情况",
            "form_wanted": "electronic",
            "delivery": "online",
            "website": "",
        }
        # The CSRF cookie is Secure in production; over plain loopback HTTP it is sent explicitly.
        cookie = form.cookies.get("csrftoken") or self.client.cookies.get("csrftoken")
        cookies = {"csrftoken": cookie} if cookie else {}
        with self.client.post(
            url,
            data=data,
            cookies=cookies,
            headers={"Referer": self.host + url},
            allow_redirects=False,
            name="apply submit",
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(
                "/apply/done/"
            ):
                response.success()
            else:
                response.failure(f"not accepted: {response.status_code}")
