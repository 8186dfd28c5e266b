"""`gongkai report build --agency NAME_OR_SLUG --year YEAR --format json|html|docx|pdf|xlsx -o FILE`.

Which report: the latest published version if there is one, else the agency's current draft, else
a report freshly generated from the records (nothing is saved). Exit status 0 on success, 2 on bad
input (unknown agency, bad year, unwritable file), 1 when rendering fails. Messages are Chinese and
the command never prints a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from django.db.models import Q

from gongkai.agencies.models import Agency
from gongkai.reports.generator import generate_report
from gongkai.reports.models import FIRST_YEAR, LAST_YEAR
from gongkai.reports.renderers.docx import render_docx
from gongkai.reports.renderers.html import render_document
from gongkai.reports.renderers.json import render_json
from gongkai.reports.renderers.pdf import render_pdf
from gongkai.reports.renderers.xlsx import render_xlsx
from gongkai.reports.selectors import (
    latest_version,
    previous_published_value,
    record_value,
    report_record_find,
    version_value,
)
from gongkai.reports.value import AnnualReport

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

HELP = "生成政府信息公开工作年度报告文件（已发布版本、工作稿或由业务记录生成）"

RENDERERS: dict[str, Callable[[AnnualReport], str | bytes]] = {
    "json": render_json,
    "html": render_document,
    "docx": render_docx,
    "pdf": render_pdf,
    "xlsx": render_xlsx,
}
TEXT_FORMATS = frozenset({"json", "html"})


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"“{text}”不是年份") from error
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"年度应在{FIRST_YEAR}年至{LAST_YEAR}年之间")
    return year


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--agency",
        dest="build_agency",
        required=True,
        metavar="NAME_OR_SLUG",
        help="机关全称、简称或网址标识",
    )
    parser.add_argument("--year", dest="build_year", required=True, type=_year, help="报告年度")
    parser.add_argument(
        "--format",
        dest="build_format",
        choices=sorted(RENDERERS),
        default="json",
        help="输出格式（默认 json）",
    )
    parser.add_argument(
        "-o",
        "--output",
        dest="build_output",
        required=True,
        metavar="FILE",
        help="输出文件；json 和 html 可用 - 表示标准输出",
    )


def _find_agency(name: str) -> Agency | None:
    matches = list(
        Agency.objects.filter(Q(slug=name) | Q(name=name) | Q(short_name=name)).order_by("id")[:2]
    )
    return matches[0] if len(matches) == 1 else None


def build_value(agency: Agency, year: int) -> tuple[AnnualReport, str]:
    """The report to write, and where it came from (for the message)."""
    record = report_record_find(agency, year)
    if record is not None:
        version = latest_version(record)
        if version is not None:
            return version_value(version), f"已发布的第{version.number}版"
        return record_value(record), f"工作稿（{record.get_status_display()}）"
    generated = generate_report(agency, year, previous=previous_published_value(agency, year))
    return generated.report, "由业务记录生成（未保存）"


def run_build(options: dict[str, Any], stdout: TextIO, stderr: TextIO) -> int:
    name = str(options["build_agency"]).strip()
    year = int(options["build_year"])
    output_format = str(options.get("build_format") or "json")
    target = str(options["build_output"])
    agency = _find_agency(name)
    if agency is None:
        stderr.write(f"错误：找不到机关“{name}”（请使用机关全称、简称或网址标识）。\n")
        return EXIT_BAD_INPUT
    if output_format not in RENDERERS:
        stderr.write(f"错误：不支持的输出格式“{output_format}”。\n")
        return EXIT_BAD_INPUT
    if target == "-" and output_format not in TEXT_FORMATS:
        stderr.write(f"错误：{output_format} 是二进制格式，请用 -o 指定输出文件。\n")
        return EXIT_BAD_INPUT
    try:
        report, origin = build_value(agency, year)
        content = RENDERERS[output_format](report)
    except Exception as error:  # the command must never print a traceback
        stderr.write(f"错误：生成{agency.name}{year}年度报告失败：{error}\n")
        return EXIT_FAILED
    if target == "-":
        stdout.write(content if isinstance(content, str) else content.decode())
        return EXIT_OK
    path = Path(target)
    data = content.encode() if isinstance(content, str) else content
    try:
        path.write_bytes(data)
    except OSError as error:
        stderr.write(f"错误：无法写入文件“{target}”：{error.strerror or error}\n")
        return EXIT_BAD_INPUT
    stderr.write(f"已生成{report.title}（{origin}）：{path}\n")
    return EXIT_OK


# The `gongkai report` dispatcher's interface.
add_arguments = add_build_arguments
run = run_build
