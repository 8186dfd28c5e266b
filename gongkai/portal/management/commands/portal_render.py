"""`gongkai portal_render`: render the stored public pages (portal/pages.py) of every agency, or
of one. After an upgrade (new templates: the old pages are no longer served), a bulk load outside
the services, or to fill in what the periodic job has not reached yet. Safe at any time: pages
are written in small transactions, and a page whose content changes meanwhile is rendered again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.models import Agency
from gongkai.portal.pages import render_all


def _shard(value: str) -> tuple[int, int]:
    try:
        index, parts = (int(v) for v in value.split("/"))
    except ValueError as exc:
        raise CommandError("--shard 的格式是 K/N，例如 0/2。") from exc
    if not 0 <= index < parts:
        raise CommandError("--shard K/N 要求 0 ≤ K < N。")
    return index, parts


class Command(BaseCommand):
    help = "预生成政府信息公开页面（信息页、栏目首页、政府信息公开首页）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", metavar="SLUG", help="只生成这个机关的页面")
        parser.add_argument(
            "--missing", action="store_true", help="只生成尚未生成或由旧版本生成的页面"
        )
        parser.add_argument(
            "--shard", default="0/1", metavar="K/N", help="分 N 份并行时，本进程处理第 K 份"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(slug=options["agency"]).first()
            if agency is None:
                raise CommandError(f"没有网址标识为“{options['agency']}”的机关。")
        started = time.monotonic()
        step = {"next": 50_000}

        def progress(done: int) -> None:
            if done >= step["next"] and options["verbosity"] > 1:
                self.stdout.write(f"已生成 {done} 页……")
                step["next"] += 50_000

        total = render_all(
            agency=agency,
            missing_only=options["missing"],
            shard=_shard(options["shard"]),
            progress=progress,
        )
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"已生成 {total} 个页面，用时 {elapsed:.1f} 秒。"))
