"""`gongkai rescan_published [--agency SLUG]`: scan published items and attachments again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.models import Agency
from gongkai.publishing.services import items_rescan_published


class Command(BaseCommand):
    help = "重新扫描已发布的信息及其附件（事后监督检查），发现的问题留待处理。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", help="只扫描该机关（网址标识）")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = None
        if options.get("agency"):
            agency = Agency.objects.filter(slug=options["agency"]).first()
            if agency is None:
                raise CommandError("没有找到这个机关。")
        found = items_rescan_published(actor=None, agency=agency)
        self.stdout.write(f"复查完成：发现{found}处待处理的疑似个人信息或密级标志。")
