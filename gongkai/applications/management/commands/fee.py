"""`gongkai fee`: the 信息处理费 for N applications in a month, or N pages in one application.

Prints the amount in yuan (an integer) on the first line, then the explanation. Bad input: a Chinese
message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from gongkai.applications.fees import FeeQuote, quote_by_count, quote_by_pages
from gongkai.core.exceptions import ValidationFailed

EXIT_BAD_INPUT = 2

_INTEGER = re.compile(r"^[+-]?\d+$")


def parse_count(value: str, noun: str) -> int:
    text = value.strip()
    if not _INTEGER.match(text):
        raise ValidationFailed(f"{noun}必须是整数，收到的是“{value}”。")
    return int(text)


class Command(BaseCommand):
    help = "计算信息处理费（条例第四十二条、国办函〔2020〕109号）：按件计收或按量计收，二者选一。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--applications", metavar="N", help="按件计收：同一申请人本自然月内的申请件数"
        )
        parser.add_argument("--pages", metavar="N", help="按量计收：同一申请的页数")

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(f"错误：{message}")
        raise SystemExit(EXIT_BAD_INPUT)

    def handle(self, *args: Any, **options: Any) -> None:
        applications, pages = options["applications"], options["pages"]
        # 国办函〔2020〕109号: a fee is charged by one of the two methods, never both.
        if (applications is None) == (pages is None):
            self.fail("请在 --applications（按件计收）和 --pages（按量计收）中选择一项填写。")
        try:
            quote: FeeQuote = (
                quote_by_count(parse_count(applications, "申请件数"))
                if applications is not None
                else quote_by_pages(parse_count(pages, "页数"))
            )
        except ValidationFailed as error:
            self.fail(str(error))
        self.stdout.write(str(quote.amount))
        for line in quote.explanation:
            self.stdout.write(line)
