"""`gongkai supervision_digest`: generate notifications and e-mail each agency its digest."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.selectors import agencies_public
from gongkai.supervision.digest import send_digests


class Command(BaseCommand):
    help = "检查各机关的政务公开问题，生成提醒并发送邮件摘要"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--agency", action="append", default=[], help="只处理这些机关（网址标识）"
        )
        parser.add_argument("--no-generate", action="store_true", help="只发送已有的未读提醒")

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = agencies_public()
        if options["agency"]:
            agencies = agencies.filter(slug__in=options["agency"])
            missing = set(options["agency"]) - set(agencies.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"没有这些机关：{'、'.join(sorted(missing))}")
        result = send_digests(agencies=agencies, generate=not options["no_generate"])
        self.stdout.write(
            f"已检查{result.agencies}个机关，新增提醒{result.created}条，发送邮件{result.sent}封。"
        )
