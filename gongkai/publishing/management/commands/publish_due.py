"""`gongkai publish_due`: publish approved items whose scheduled time has come (cron-friendly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.publishing.services import publish_scheduled


class Command(BaseCommand):
    help = "发布已审核通过且定时发布时间已到的公开信息。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = publish_scheduled()
        self.stdout.write(f"已发布{count}条定时发布的信息。")
