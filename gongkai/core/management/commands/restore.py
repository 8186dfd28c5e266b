"""`gongkai restore FILE --yes`: replace this installation's data with a backup's."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.audit.services import audit_verify
from gongkai.core.backup import backup_restore, read_manifest
from gongkai.core.exceptions import DomainError


class Command(BaseCommand):
    help = "从备份文件恢复（会清空当前数据库和上传文件）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="确认清空当前数据后恢复")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        try:
            manifest = read_manifest(source)
            if not options["yes"]:
                self.stderr.write(
                    f"备份时间 {manifest['created_at']}，共 {sum(manifest['rows'].values())} 行。"
                    "恢复会清空当前数据库和上传文件；确认请加 --yes。"
                )
                sys.exit(2)
            counts = backup_restore(source)
        except DomainError as exc:
            self.stderr.write(f"恢复失败：{exc.message}")
            sys.exit(2)
        # The anchors are not checked: an older backup is legitimately behind later anchors.
        result = audit_verify(anchors=False)
        self.stdout.write(f"已恢复 {sum(counts.values())} 行数据。")
        if not result.ok:
            self.stderr.write(f"警告：恢复后的审计链校验未通过：{result.reason}")
            sys.exit(1)
        self.stdout.write(
            f"审计链完整：共校验 {result.checked} 条记录（恢复时不核对锚点文件；"
            "请按 docs/security.md 把旧锚点文件移走并重新锚定）。"
        )
