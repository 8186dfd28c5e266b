"""`gongkai deadline`: the reply deadline of an application, from the command line.

The same computation as for a case (`applications.deadlines.public_calculator`), with the calendar
as stored (the administrators' overrides win over the package). Exit codes: 0 done; 1 the stored
calendar cannot be read; 2 bad input (a Chinese message on stderr, never a traceback); 3 the result
is provisional and `--strict` was given.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from gongkai.applications.deadlines import Deadlines, public_calculator
from gongkai.core.calendar import load_calendar
from gongkai.core.exceptions import ValidationFailed
from gongkai.core.workdays import CalendarInputError, WorkdayCalendar

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_PROVISIONAL = 3

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str, option: str) -> dt.date:
    text = value.strip()
    if not _ISO_DATE.match(text):
        raise ValidationFailed(
            f"{option} 的日期格式不正确：“{value}”。请按 YYYY-MM-DD 填写，例如 2024-02-05。"
        )
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"{option} 的日期不存在：“{value}”。") from None


def parse_consultation(value: str) -> tuple[dt.date, dt.date]:
    start, sep, end = value.partition(":")
    if not sep:
        raise ValidationFailed(
            f"--consultation 的格式不正确：“{value}”。请按 开始日期:结束日期 填写，"
            "例如 2024-03-01:2024-03-15。"
        )
    return parse_date(start, "--consultation"), parse_date(end, "--consultation")


def as_json(result: Deadlines) -> str:
    payload = {
        "due_date": result.reply_due.isoformat() if result.reply_due else None,
        "correction_notice_due": result.correction_notice_due.isoformat(),
        "extension_notice_due": (
            result.extension_notice_due.isoformat() if result.extension_notice_due else None
        ),
        "provisional": result.provisional,
        "provisional_years": list(result.provisional_years),
        "explanation": list(result.explanation),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


class Command(BaseCommand):
    help = (
        "计算政府信息公开申请的答复期限：收到申请后20个工作日（条例第三十三条），"
        "补正后重新起算（第三十条），征求意见期间不计入，可延长20个工作日。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--received", metavar="DATE", help="收到申请之日（YYYY-MM-DD）")
        parser.add_argument(
            "--correction-requested", metavar="DATE", help="发出补正通知之日（YYYY-MM-DD）"
        )
        parser.add_argument(
            "--correction-received", metavar="DATE", help="收到补正之日（YYYY-MM-DD）"
        )
        parser.add_argument(
            "--consultation",
            action="append",
            default=[],
            metavar="START:END",
            help="征求第三方或其他机关意见的期间，首尾两日都含在内，其中的工作日不计入；可重复",
        )
        parser.add_argument("--extended", action="store_true", help="经负责人同意延长20个工作日")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--strict", action="store_true", help="结果为暂定日期时以退出码3结束")

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(f"错误：{message}")
        raise SystemExit(EXIT_BAD_INPUT)

    def calendar(self) -> WorkdayCalendar:
        try:
            return load_calendar()
        except DatabaseError:
            # Not bad input: the stored calendar cannot be read, so no deadline can be trusted.
            self.stderr.write(
                "错误：无法读取节假日调整表，请确认数据库已初始化（gongkai migrate）后重试。"
            )
            raise SystemExit(EXIT_FAILURE) from None

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if not options["received"]:
                raise ValidationFailed("请用 --received 填写收到申请之日（YYYY-MM-DD）。")
            received = parse_date(options["received"], "--received")
            requested = options["correction_requested"]
            fixed = options["correction_received"]
            result = public_calculator(
                received,
                parse_date(requested, "--correction-requested") if requested else None,
                parse_date(fixed, "--correction-received") if fixed else None,
                [parse_consultation(value) for value in options["consultation"]],
                bool(options["extended"]),
                calendar=self.calendar(),
            )
        except (ValidationFailed, CalendarInputError) as error:
            self.fail(str(error))

        if options["json"]:
            self.stdout.write(as_json(result))
        else:
            due = result.reply_due
            self.stdout.write(due.isoformat() if due else "")
            for line in result.explanation:
                self.stdout.write(line)
        if result.provisional:
            self.stderr.write(f"警告：{result.warning}")
            if options["strict"]:
                raise SystemExit(EXIT_PROVISIONAL)
