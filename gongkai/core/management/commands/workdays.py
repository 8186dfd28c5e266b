"""`gongkai workdays add DATE N [--explain] [--strict]` and `gongkai workdays import FILE`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.calendar import load_calendar
from gongkai.core.exceptions import DomainError
from gongkai.core.services import calendar_import
from gongkai.core.workdays import CalendarInputError, add_workdays, provisional_warning


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CalendarInputError(f"日期格式不正确：“{value}”，应为 YYYY-MM-DD。") from None


class Command(BaseCommand):
    help = "工作日计算：add 计算某日后第N个工作日；import 导入节假日调整"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="DATE 之后第 N 个工作日（DATE 当日不计入）")
        add.add_argument("date")
        add.add_argument("days")
        add.add_argument("--explain", action="store_true", help="输出推算过程")
        add.add_argument("--strict", action="store_true", help="暂定日期时以状态码 3 退出")
        imp = sub.add_parser(
            "import", help="导入节假日调整（每行“2027-02-06 休”或“2027-02-14 班”）"
        )
        imp.add_argument("file")
        imp.add_argument("--source", default="", help="依据，如国务院办公厅通知文号")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "add":
                self._add(options)
            else:
                self._import(options)
        except (DomainError, CalendarInputError) as exc:
            self.stderr.write(f"错误：{getattr(exc, 'message', exc)}")
            sys.exit(2)

    def _add(self, options: dict[str, Any]) -> None:
        start = parse_date(options["date"])
        try:
            days = int(options["days"])
        except ValueError:
            raise CalendarInputError(f"工作日天数应为整数：“{options['days']}”。") from None
        period = add_workdays(load_calendar(), start, days)
        self.stdout.write(period.due.isoformat())
        if options["explain"]:
            for line in period.explanation:
                self.stdout.write(line)
        if period.provisional:
            self.stderr.write("警告：" + provisional_warning(period.provisional_years))
            if options["strict"]:
                sys.exit(3)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CalendarInputError(f"无法读取文件 {path}：{exc}") from None
        result = calendar_import(actor=None, text=text, source=options["source"] or path.name)
        years = "、".join(f"{y}年" for y in result.years)
        self.stdout.write(
            f"已导入 {years} 的节假日调整：新增 {result.created} 条，修改 {result.changed} 条，"
            f"未变 {result.unchanged} 条；重新计算期限 {result.deadlines_recomputed} 个。"
        )
