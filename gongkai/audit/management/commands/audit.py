"""`gongkai audit verify`: check the audit log's hash chain and its anchors.
`gongkai audit anchor`: append the chain's head to the anchor file (outside the database)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.audit.anchor import anchor_file
from gongkai.audit.services import VerifyResult, audit_anchor, audit_verify


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链和锚点；anchor 把当前链头写入锚点文件（数据库之外）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            self._anchor()
            return
        self._report(audit_verify())

    def _anchor(self) -> None:
        path = anchor_file()
        try:
            anchor = audit_anchor(path=path)
        except OSError as exc:
            self.stderr.write(f"无法写入锚点文件 {path}：{exc.strerror or exc}")
            sys.exit(1)
        # The line itself on stdout, so that a cron job or systemd unit can ship it elsewhere too.
        self.stdout.write(anchor.to_json_line())
        self.stderr.write(f"已写入锚点：共 {anchor.count} 条记录（{path}）。")

    def _report(self, result: VerifyResult) -> None:
        if result.anchors is None:
            anchors = f"没有锚点文件（{result.anchor_file}），未核对锚点。"
        else:
            anchors = f"已核对 {result.anchors} 个锚点（{result.anchor_file}）。"
        if result.ok:
            self.stdout.write(f"审计链完整：共校验 {result.checked} 条记录。{anchors}")
            return
        if result.anchor_failure:
            self.stderr.write(f"审计日志锚点核对未通过：{result.reason.rstrip('。')}。")
            sys.exit(1)
        where = f"第 {result.broken_id} 号记录" if result.broken_id is not None else "链尾"
        self.stderr.write(
            f"审计链已损坏：{where}：{result.reason}（此前 {result.checked} 条完好）。"
        )
        sys.exit(1)
