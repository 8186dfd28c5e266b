"""`gongkai report check FILE... [--format json|table|html] [--previous FILE]
[--published-on YYYY-MM-DD] [--deadline YYYY-MM-DD] [--max-size MB]`.

Exit status: 0 when no input has an error-level finding, 1 when some has, 2 when an input could
not be read at all (it is still listed, with one UNREADABLE finding, and the others are checked).
The command never prints a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any, TextIO

from gongkai.reports.checker import output
from gongkai.reports.checker.check import MAX_BYTES, CheckResult, Input, check_batch, unreadable
from gongkai.reports.checker.document import UnreadableError

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2

HELP = "检查已发布的政府信息公开工作年度报告（HTML、文本、DOCX、PDF、XLSX、JSON）"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 格式的日期") from error


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字") from error
    if value <= 0:
        raise argparse.ArgumentTypeError("文件大小上限必须大于 0")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="要检查的报告文件")
    parser.add_argument(
        "--format",
        dest="output_format",
        choices=("json", "table", "html"),
        default="table",
        help="输出格式（默认 table）",
    )
    parser.add_argument("--previous", metavar="FILE", help="同一机关上一年度的报告（核对结转数）")
    parser.add_argument(
        "--published-on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="报告的发布日期（覆盖从文件中识别的日期）",
    )
    parser.add_argument(
        "--deadline",
        type=_date,
        metavar="YYYY-MM-DD",
        help="本辖区规定的发布期限（默认按条例：部门和乡镇为次年1月31日，县级以上政府为3月31日）",
    )
    parser.add_argument(
        "--max-size",
        type=_megabytes,
        default=MAX_BYTES / 1024 / 1024,
        metavar="MB",
        help="单个文件大小上限（默认 20 MB）",
    )


def load(path: str, limit: int) -> Input:
    """A file's bytes, or why it cannot be read (missing, a directory, too large)."""
    try:
        size = os.stat(path).st_size
        if Path(path).is_dir():
            return Input(path, None, "这是一个目录，不是文件")
        if size > limit:
            return Input(
                path,
                None,
                f"文件过大（{size / 1024 / 1024:.1f} MB），超过 {limit / 1024 / 1024:g} MB 的上限，"
                "未予读取；请拆分文件或只提交报告正文",
            )
        return Input(path, Path(path).read_bytes())
    except FileNotFoundError:
        return Input(path, None, "文件不存在")
    except PermissionError:
        return Input(path, None, "没有读取该文件的权限")
    except OSError as error:
        return Input(path, None, f"文件无法读取：{error.strerror or error}")


def run(options: dict[str, Any], stdout: TextIO, stderr: TextIO) -> int:
    """Check the files and write the results; returns the exit status."""
    limit = int(options.get("max_size", MAX_BYTES / 1024 / 1024) * 1024 * 1024)
    files: list[str] = list(options["files"])
    inputs = [load(path, limit) for path in files]
    previous = load(options["previous"], limit) if options.get("previous") else None
    status = EXIT_OK
    arguments: dict[str, Any] = {
        "published_on": options.get("published_on"),
        "deadline": options.get("deadline"),
    }
    try:
        try:
            results = check_batch(inputs, previous=previous, **arguments)
        except UnreadableError as error:
            # The other reports are still checked, without last year's.
            stderr.write(error.message + "；已在不核对上年结转数的情况下检查其余报告\n")
            status = EXIT_UNREADABLE
            results = check_batch(inputs, **arguments)
    except Exception as error:  # never a traceback
        stderr.write(f"检查失败：{type(error).__name__}: {error}\n")
        results = [unreadable(item.name, "检查时出错，未能完成") for item in inputs]
    write(results, options.get("output_format", "table"), stdout)
    return max(status, exit_status(results))


def write(results: list[CheckResult], output_format: str, stdout: TextIO) -> None:
    if output_format == "json":
        stdout.write(output.to_json(results))
    elif output_format == "html":
        stdout.write(output.to_html(results))
    else:
        stdout.write(output.to_table(results))


def exit_status(results: list[CheckResult]) -> int:
    if any(result.unreadable for result in results):
        return EXIT_UNREADABLE
    if any(result.has_errors for result in results):
        return EXIT_ERRORS
    return EXIT_OK
