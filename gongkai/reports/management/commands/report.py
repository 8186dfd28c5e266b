"""`gongkai report <subcommand>`: the annual report's command line.

A thin dispatcher. Each subcommand lives in its own module exposing `HELP`,
`add_arguments(parser)` and `run(options, stdout, stderr) -> exit status`; list it in
`SUBCOMMANDS` to add it (`build` goes next to `check`).
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.reports import build_cli
from gongkai.reports.checker import cli as check_cli

SUBCOMMANDS: dict[str, ModuleType] = {"check": check_cli, "build": build_cli}


class Command(BaseCommand):
    help = "政府信息公开工作年度报告：check 检查任意已发布的报告；build 生成本平台机关的报告"
    # Reading files needs neither the URL configuration nor the database: a broken view elsewhere
    # must not stop the checker.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        subparsers.required = True
        for name, module in SUBCOMMANDS.items():
            subparser = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
            module.add_arguments(subparser)

    def handle(self, *args: Any, **options: Any) -> None:
        module = SUBCOMMANDS[options["subcommand"]]
        status: int = module.run(options, self.stdout, self.stderr)
        self.stdout.flush()
        if status:
            sys.exit(status)
