"""`gongkai applications_digest`: send today's deadline digest by hand (the huey job's work)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.selectors import agencies_public
from gongkai.applications.digest import send_application_digests
from gongkai.core import clock


class Command(BaseCommand):
    help = "向各机关信息员发送依申请公开期限提醒邮件（每个机关每天一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--agency", action="append", default=[], help="只处理这些机关（网址标识）"
        )
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD，默认今天，不能晚于今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = agencies_public()
        if options["agency"]:
            agencies = agencies.filter(slug__in=options["agency"])
            missing = set(options["agency"]) - set(agencies.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"没有这些机关：{'、'.join(sorted(missing))}")
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式不正确，请按“2024-02-05”的格式填写。") from None
            if day > clock.today():
                raise CommandError("日期不能晚于今天。")
        result = send_application_digests(agencies=agencies, day=day)
        self.stdout.write(
            f"已检查{result.agencies}个机关：发送邮件{result.sent}封，"
            f"今日已发送而跳过{result.already_sent}个，发送失败{result.failed}个。"
        )
