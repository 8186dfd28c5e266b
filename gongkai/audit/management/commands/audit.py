"""`gongkai audit verify`: check the audit log's hash chain."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.audit.services import audit_verify


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链是否完整"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(f"审计链完整：共校验 {result.checked} 条记录。")
            return
        where = f"第 {result.broken_id} 号记录" if result.broken_id is not None else "链尾"
        self.stderr.write(
            f"审计链已损坏：{where}：{result.reason}（此前 {result.checked} 条完好）。"
        )
        sys.exit(1)
