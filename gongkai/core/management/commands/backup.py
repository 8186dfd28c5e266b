"""`gongkai backup [-o FILE]`: the database (portable JSON) and the uploaded files, in one ZIP."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from gongkai.core import clock
from gongkai.core.backup import backup_create


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个 ZIP 文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", help="备份文件路径（默认 var/backups/gongkai-时间.zip）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["output"]:
            target = Path(options["output"])
        else:
            stamp = clock.local(clock.now()).strftime("%Y%m%d-%H%M%S")
            target = Path(settings.VAR_DIR) / "backups" / f"gongkai-{stamp}.zip"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            summary = backup_create(target)
        except OSError as exc:
            self.stderr.write(f"备份失败：{exc}")
            sys.exit(1)
        self.stdout.write(f"已备份 {summary.rows} 行数据、{summary.files} 个文件到 {summary.path}")
