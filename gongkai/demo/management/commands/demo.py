"""`gongkai demo`: load the demo district (idempotent) and print the demo logins."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from gongkai.demo.district import demo_logins, ensure_district
from gongkai.demo.loaders import LOADERS


class Command(BaseCommand):
    help = "载入演示数据（威海市文登区及宋村镇等），可重复执行"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--logins-only", action="store_true", help="只打印演示账号")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.GONGKAI_PRODUCTION:
            self.stderr.write("生产环境（GONGKAI_DEBUG=0）不能载入演示数据和演示密码。")
            sys.exit(2)
        if not options["logins_only"]:
            agencies = ensure_district()
            for loader in LOADERS:
                loader(agencies)
            self.stdout.write("演示数据已就绪：威海市文登区、宋村镇、高村镇、泽库镇、区民政局。")
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {settings.GONGKAI_DEMO_PASSWORD}）：")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<22} {login.role:<8} {login.agency}")
