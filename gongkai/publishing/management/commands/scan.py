"""`gongkai scan FILE... [--json]`: scan attachments for personal information before publishing.

Output never shows personal data unmasked: only the kind, the masked form and the location.
Exit codes: 0 no findings; 1 findings; 2 at least one file could not be read (the others are
still reported; an unreadable file gets an error entry, never a traceback).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.publishing.extract import DEFAULT_LIMITS, MIB, ExtractionLimits, scan_file
from gongkai.publishing.scanner import KIND_LABELS, Finding, FindingKind

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


def display_width(text: str) -> int:
    """Terminal columns taken by `text`: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def table(rows: list[tuple[str, str, str]]) -> list[str]:
    header = ("类型", "遮盖后内容", "位置")
    widths = [max(display_width(row[index]) for row in [header, *rows]) for index in range(2)]
    lines = []
    for row in [header, *rows]:
        lines.append(f"  {pad(row[0], widths[0])}  {pad(row[1], widths[1])}  {row[2]}".rstrip())
    return lines


class Command(BaseCommand):
    help = (
        "扫描待公开的附件（Word .docx、Excel .xlsx、PDF、文本/网页）中的个人信息和密级标志："
        "身份证号码、手机号码、固定电话、银行卡号、电子邮箱、详细住址、密级标志。输出只显示遮盖后的内容。"
        "退出码：0 未发现；1 有发现；2 有文件无法读取。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="要扫描的文件")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（每个文件一项）")
        parser.add_argument(
            "--max-mb",
            type=float,
            default=DEFAULT_LIMITS.max_bytes / MIB,
            metavar="MB",
            help=f"单个文件的大小上限，单位 MB（默认 {DEFAULT_LIMITS.max_bytes // MIB}）",
        )

    def scan_one(self, path: str, limits: ExtractionLimits) -> dict[str, Any]:
        name = Path(path).name
        try:
            findings: list[Finding] = scan_file(path, name, limits=limits)
        except Exception as error:
            # Every failure — our own refusals and any parser's surprise — becomes an entry, never a
            # traceback. The message of a DomainError is written for users; other errors say only
            # that reading failed.
            message = getattr(error, "message", None) or f"文件“{name}”无法读取。"
            return {"file": path, "error": message, "findings": []}
        return {
            "file": path,
            "findings": [
                {"kind": str(item.kind), "masked": item.masked, "location": item.location}
                for item in findings
            ],
        }

    def handle(self, *args: Any, **options: Any) -> None:
        limits = ExtractionLimits(max_bytes=max(1, int(options["max_mb"] * MIB)))
        results = [self.scan_one(path, limits) for path in options["files"]]
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            self.write_report(results)
        self.stdout.flush()
        if any("error" in result for result in results):
            raise SystemExit(EXIT_UNREADABLE)
        if any(result["findings"] for result in results):
            raise SystemExit(EXIT_FINDINGS)

    def write_report(self, results: list[dict[str, Any]]) -> None:
        total = 0
        for result in results:
            self.stdout.write(f"文件：{result['file']}")
            if "error" in result:
                self.stdout.write(f"  无法读取：{result['error']}")
            elif not result["findings"]:
                self.stdout.write("  未发现个人信息或密级标志。")
            else:
                rows = [
                    (KIND_LABELS[FindingKind(item["kind"])], item["masked"], item["location"])
                    for item in result["findings"]
                ]
                for line in table(rows):
                    self.stdout.write(line)
                self.stdout.write(f"  共 {len(rows)} 处。")
                total += len(rows)
            self.stdout.write("")
        unreadable = sum(1 for result in results if "error" in result)
        summary = f"共扫描 {len(results)} 个文件，发现 {total} 处疑似个人信息或密级标志"
        if unreadable:
            summary += f"，{unreadable} 个文件无法读取"
        if total:
            summary += "。发布前请逐项遮盖，或由审核人员确认并记录理由"
        self.stdout.write(summary + "。")
