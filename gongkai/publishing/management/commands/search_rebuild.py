"""`gongkai search_rebuild`: rebuild the whole-site search index from the published items (after
a bulk load outside the services, or a change of the index's rules). Safe to run at any time: it
runs in one transaction, so searches see the old index until it commits."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from gongkai.publishing.search import rebuild


class Command(BaseCommand):
    help = "重建全站搜索索引（已发布信息的字符和相邻字符对）。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        step = {"next": 100_000}

        def progress(done: int) -> None:
            if done >= step["next"] and options["verbosity"] > 1:
                self.stdout.write(f"已索引 {done} 条……")
                step["next"] += 100_000

        total = rebuild(progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"已重建搜索索引：{total} 条信息，用时 {elapsed:.1f} 秒。")
        )
