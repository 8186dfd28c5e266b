"""Throughput of the report checker (`gongkai.reports.checker`).

Run from the project root:

    .venv/bin/python -m bench.checker_bench                 # 10,000 HTML reports
    .venv/bin/python -m bench.checker_bench --reports 2000  # a quicker run

Generates synthetic, consistent reports (our own prose from a phrase bank; 5 % are another
agency's prose with the name changed, so SIMILAR-TEXT has work to do), renders them as HTML pages
with the project's renderer, then measures on one core:

1. read + check per document (`read_report` + `check_parsed`), in reports per second;
2. the whole batch through `check_batch`, SIMILAR-TEXT (MinHash/LSH) included, in seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from gongkai.reports import format as fmt  # noqa: E402
from gongkai.reports.checker.check import Input, check_batch, check_parsed, read_report  # noqa: E402
from gongkai.reports.renderers.html import render_document  # noqa: E402
from gongkai.reports.value import (  # noqa: E402
    Agency,
    AnnualReport,
    Table2,
    table3_from_counts,
    table4_from_counts,
)

# Sentences are put together from these parts, so that two agencies' prose shares no more than
# real reports do (common phrases, different combinations).
SUBJECTS = [
    "本机关", "我单位", "各科室", "办公室", "信息公开工作小组", "分管负责同志", "各村（社区）",
    "业务股室", "信息员队伍", "机关党支部", "综合执法队", "便民服务中心",
]  # fmt: skip
ACTIONS = [
    "持续完善", "认真梳理", "逐项落实", "定期更新", "全面排查", "规范整理", "及时发布", "深入推进",
    "统筹开展", "细化明确", "动态调整", "严格执行", "系统总结", "集中清理",
]  # fmt: skip
OBJECTS = [
    "政府信息公开目录", "主动公开事项清单", "依申请公开办理流程", "保密审查制度", "政策解读材料",
    "政务新媒体栏目", "重点领域信息", "财政预决算信息", "办事指南", "公开专栏内容", "信息发布台账",
    "群众留言答复", "基层公开标准目录", "规范性文件清理结果", "行政执法公示信息", "政务服务事项",
]  # fmt: skip
QUALIFIERS = [
    "确保内容准确完整", "做到应公开尽公开", "回应群众关切", "提升公开实效", "防止泄密和侵权",
    "形成长效机制", "方便群众查阅", "压实工作责任", "减少重复发布", "提高更新频率",
    "全年共{n}次", "涉及{n}项内容", "覆盖{n}个村（社区）",
]  # fmt: skip
TOWN_SUFFIXES = ["镇人民政府", "乡人民政府", "街道办事处"]
DEPARTMENTS = ["市场监督管理局", "自然资源局", "教育局", "民政局", "住房和城乡建设局"]


def _prose(rng: random.Random, name: str) -> dict[str, str]:
    def sentence() -> str:
        parts = (rng.choice(SUBJECTS), rng.choice(ACTIONS), rng.choice(OBJECTS))
        qualifier = rng.choice(QUALIFIERS).format(n=rng.randint(1, 30))
        return "".join(parts) + "，" + qualifier + "。"

    return {
        "0": f"本报告依据《中华人民共和国政府信息公开条例》编制。如有疑问请与{name}办公室联系。",
        "1": "\n".join("".join(sentence() for _ in range(3)) for _ in range(5)),
        "4": "本年度的行政复议和行政诉讼情况见下表。",
        "5": "".join(sentence() for _ in range(4)),
        "6": "本年度未收取信息处理费。" + sentence(),
        "2": "",
        "3": "",
    }


def _report(rng: random.Random, index: int, copy_from: AnnualReport | None) -> AnnualReport:
    if index % 3 == 0:
        name = f"示例市第{index}区{rng.choice(DEPARTMENTS)}"
        level = fmt.AgencyLevel.DEPARTMENT
    else:
        name = f"示例市清河区第{index}{rng.choice(TOWN_SUFFIXES)}"
        level = fmt.AgencyLevel.TOWNSHIP
    year = 2023
    if copy_from is not None:
        sections = {
            key: text.replace(copy_from.agency.name, name)
            for key, text in copy_from.sections.items()
        }
    else:
        sections = _prose(rng, name)
    applicants = [column.key for column in fmt.T3_APPLICANT_COLUMNS]
    counts: dict[str, dict[str, int]] = {}
    for row in rng.sample(fmt.T3_RESULT_ROWS, 4):
        counts[row] = {rng.choice(applicants): rng.randint(0, 20)}
    processed = {
        c: sum(counts.get(r, {}).get(c, 0) for r in fmt.T3_RESULT_ROWS) for c in applicants
    }
    forward = {c: rng.randint(0, 2) for c in applicants}
    counts["carried_forward"] = forward
    counts["carried_over"] = dict.fromkeys(applicants, 0)
    counts["new_received"] = {c: processed[c] + forward[c] for c in applicants}
    return AnnualReport(
        format=fmt.ReportFormat.F2021,
        agency=Agency(name, level),
        year=year,
        published_on=dt.date(year + 1, 1, rng.randint(5, 31)),
        sections=sections,
        table2=Table2.build(
            normative_documents=(rng.randint(0, 9), rng.randint(0, 3), rng.randint(0, 40)),
            licensing=rng.randint(0, 3000),
            punishment=rng.randint(0, 500),
            coercion=rng.randint(0, 20),
            fees_yuan=rng.randint(0, 500_000),
        ),
        table3=table3_from_counts(counts),
        table4=table4_from_counts({"review": {"upheld": rng.randint(0, 3)}}),
    )


def corpus(size: int, seed: int = 2024) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    reports: list[AnnualReport] = []
    for index in range(size):
        copy_from = rng.choice(reports) if reports and rng.random() < 0.05 else None
        reports.append(_report(rng, index, copy_from))
    return [(f"r{index}.html", render_document(r).encode()) for index, r in enumerate(reports)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=1_000, help="documents timed one by one")
    arguments = parser.parse_args()

    started = time.perf_counter()
    documents = corpus(arguments.reports)
    print(f"生成 {len(documents)} 份 HTML 报告：{time.perf_counter() - started:.1f} 秒", flush=True)

    sample = documents[: arguments.sample]
    started, cpu = time.perf_counter(), time.process_time()
    for name, data in sample:
        check_parsed(read_report(data, name))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"读取+检查（单核，逐份）：{len(sample)} 份，墙钟 {elapsed:.2f} 秒、CPU {cpu:.2f} 秒；"
        f"按 CPU 时间 {len(sample) / cpu:.0f} 份/秒（{cpu / len(sample) * 1000:.2f} 毫秒/份），"
        f"按墙钟 {len(sample) / elapsed:.0f} 份/秒"
    )

    started, cpu = time.perf_counter(), time.process_time()
    results = check_batch([Input(name, data) for name, data in documents])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    similar = sum(1 for r in results if any(f.rule.value == "SIMILAR-TEXT" for f in r.findings))
    errors = sum(1 for r in results if r.has_errors)
    print(
        f"整批检查（含 SIMILAR-TEXT）：{len(results)} 份，墙钟 {elapsed:.1f} 秒、CPU {cpu:.1f} 秒；"
        f"SIMILAR-TEXT 命中 {similar} 份，含错误 {errors} 份"
    )
    print(f"负载（1/5/15 分钟平均）：{os.getloadavg()}，CPU 核数：{os.cpu_count()}")


if __name__ == "__main__":
    main()
