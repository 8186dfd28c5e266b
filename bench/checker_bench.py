"""Throughput of the report checker (`gongkai.reports.checker`).

Run from the project root:

    .venv/bin/python -m bench.checker_bench --reuse                 # 10,000 HTML reports
    .venv/bin/python -m bench.checker_bench --reports 2000 --reuse  # a quicker run
    .venv/bin/python -m bench.checker_bench --reports 2000 --reuse --sample 500 --no-batch

`--reuse` keeps the rendered corpus under /tmp/bench-checker/ so a later run (on an idle machine)
skips the generation. Generates synthetic, consistent reports (our own prose: stock sentences every
report shares plus sentences from a phrase bank; 5 % are another agency's prose with the name
changed and up to three sentences rewritten, so SIMILAR-TEXT has work to do), renders them as HTML
pages with the project's renderer, then measures on one core:

1. read + check per document (`read_report` + `check_parsed`), in reports per second of CPU time
   (`time.process_time()`, robust to other processes on a shared machine) and of wall time, with
   the three stages apart;
2. the whole batch through `check_batch`, SIMILAR-TEXT (MinHash/LSH) included, in seconds;
3. SIMILAR-TEXT alone: LSH candidate pairs, exact comparisons, and how many of the planted copies
   at or above the threshold it finds.

The load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pickle
import random
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from gongkai.reports import format as fmt  # noqa: E402
from gongkai.reports.checker.check import (  # noqa: E402
    Input,
    check_batch,
    check_parsed,
    prose_document,
    read_report,
)
from gongkai.reports.checker.parse import parse_document  # noqa: E402
from gongkai.reports.checker.readers import read_document  # noqa: E402
from gongkai.reports.renderers.html import render_document  # noqa: E402
from gongkai.reports.similarity import THRESHOLD, find_similar, jaccard, prose_shingles  # noqa: E402
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
# The stock sentences nearly every real report carries (legal basis, statistics period, the
# lead-ins of the tables): they make every pair of reports share a good part of their prose,
# which is what SIMILAR-TEXT must see through.
STOCK = {
    "1": (
        "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        "的要求，编制本报告。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        "本年度，{name}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
        "不公开为例外，全面推进决策、执行、管理、服务、结果公开。"
    ),
    "4": "本年度因政府信息公开工作被申请行政复议、提起行政诉讼的情况见下表。",
    "5": "对照政府信息公开工作要点，本机关政府信息公开工作仍存在一些不足。",
    "6": (
        "本年度未收取信息处理费。依据《政府信息公开信息处理费管理办法》，"
        "本机关未发生收取信息处理费的情况。本报告的电子版可在本机关门户网站政府信息公开专栏下载。"
        "如对本报告有任何疑问，请与本机关政府信息公开工作机构联系。"
    ),
}
TOWN_SUFFIXES = ["镇人民政府", "乡人民政府", "街道办事处"]
DEPARTMENTS = ["市场监督管理局", "自然资源局", "教育局", "民政局", "住房和城乡建设局"]


def _prose(rng: random.Random, name: str) -> dict[str, str]:
    def sentence() -> str:
        parts = (rng.choice(SUBJECTS), rng.choice(ACTIONS), rng.choice(OBJECTS))
        qualifier = rng.choice(QUALIFIERS).format(n=rng.randint(1, 30))
        return "".join(parts) + "，" + qualifier + "。"

    stock = {key: text.format(year=2023, name=name) for key, text in STOCK.items()}
    return {
        "0": f"本报告依据《中华人民共和国政府信息公开条例》编制。如有疑问请与{name}办公室联系。",
        "1": stock["1"] + "\n" + "\n".join("".join(sentence() for _ in range(3)) for _ in range(4)),
        "4": stock["4"],
        "5": stock["5"] + "".join(sentence() for _ in range(4)),
        "6": stock["6"] + sentence(),
        "2": "",
        "3": "",
    }


def _copy(rng: random.Random, sections: dict[str, str], old: str, new: str) -> dict[str, str]:
    """Another agency's prose with the name changed and 0–3 of its sentences rewritten."""
    copied = {key: text.replace(old, new) for key, text in sections.items()}
    for _ in range(rng.randint(0, 3)):
        key = rng.choice(["1", "5"])
        sentences = copied[key].split("。")
        at = rng.randrange(len(sentences))
        sentences[at] = _prose(rng, new)["5"].split("。")[0]
        copied[key] = "。".join(sentences)
    return copied


def _report(rng: random.Random, index: int, copy_from: AnnualReport | None) -> AnnualReport:
    if index % 3 == 0:
        name = f"示例市第{index}区{rng.choice(DEPARTMENTS)}"
        level = fmt.AgencyLevel.DEPARTMENT
    else:
        name = f"示例市清河区第{index}{rng.choice(TOWN_SUFFIXES)}"
        level = fmt.AgencyLevel.TOWNSHIP
    year = 2023
    if copy_from is not None:
        sections = _copy(rng, dict(copy_from.sections), copy_from.agency.name, name)
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


Corpus = tuple[list[tuple[str, bytes]], list[tuple[int, int]]]


def corpus(size: int, seed: int = 2024) -> Corpus:
    """The rendered reports, and the planted copies as (copy, original) indexes."""
    rng = random.Random(seed)
    reports: list[AnnualReport] = []
    planted: list[tuple[int, int]] = []
    for index in range(size):
        original = rng.randrange(len(reports)) if reports and rng.random() < 0.05 else None
        if original is not None:
            planted.append((index, original))
        reports.append(_report(rng, index, None if original is None else reports[original]))
    documents = [(f"r{index}.html", render_document(r).encode()) for index, r in enumerate(reports)]
    return documents, planted


DATA_DIR = Path("/tmp/bench-checker")  # noqa: S108 - a bench data set, rebuilt at will
CORPUS_VERSION = 2  # bump when the generator changes: a reused corpus must match it


def load_corpus(size: int, *, reuse: bool, data_dir: Path = DATA_DIR) -> Corpus:
    """The corpus of `size` reports; with `reuse`, read from (or written to) `data_dir`."""
    path = data_dir / f"corpus-v{CORPUS_VERSION}-{size}.pickle"
    if reuse and path.exists():
        with path.open("rb") as stream:
            built: Corpus = pickle.load(stream)  # noqa: S301 - our own file
        print(f"读取已生成的 {len(built[0])} 份 HTML 报告：{path}", flush=True)
        return built
    started = time.perf_counter()
    built = corpus(size)
    print(f"生成 {len(built[0])} 份 HTML 报告：{time.perf_counter() - started:.1f} 秒", flush=True)
    if reuse:
        data_dir.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as stream:
            pickle.dump(built, stream)
    return built


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"负载 {one:.2f} / {five:.2f} / {fifteen:.2f}"


def measure_one_by_one(sample: list[tuple[str, bytes]]) -> None:
    """Read + check one document at a time, in CPU time (robust to other processes) and wall
    time, with the stages apart: reading the bytes, parsing into the value, the rules."""
    for name, data in sample[:20]:  # warm the caches (label index, compiled patterns)
        check_parsed(read_report(data, name))
    print(f"开始逐份计时（{_load()}）", flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    for name, data in sample:
        check_parsed(read_report(data, name))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"读取+检查（单核，逐份）：{len(sample)} 份，墙钟 {elapsed:.2f} 秒、CPU {cpu:.2f} 秒；"
        f"按 CPU 时间 {len(sample) / cpu:.0f} 份/秒/核（{cpu / len(sample) * 1000:.2f} 毫秒/份），"
        f"按墙钟 {len(sample) / elapsed:.0f} 份/秒（{_load()}）",
        flush=True,
    )
    stages = {"读取网页": 0.0, "解析为报告值": 0.0, "规则检查": 0.0}
    for name, data in sample:
        at = time.process_time()
        document = read_document(data, name)
        read_at = time.process_time()
        parsed = parse_document(document)
        parsed_at = time.process_time()
        check_parsed(parsed)
        stages["读取网页"] += read_at - at
        stages["解析为报告值"] += parsed_at - read_at
        stages["规则检查"] += time.process_time() - parsed_at
    print(
        "分阶段（CPU，毫秒/份）："
        + "，".join(f"{stage} {total / len(sample) * 1000:.2f}" for stage, total in stages.items())
    )


def measure_batch(documents: list[tuple[str, bytes]], planted: list[tuple[int, int]]) -> None:
    print(f"开始整批检查（{_load()}）", flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    results = check_batch([Input(name, data) for name, data in documents])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    similar = sum(1 for r in results if any(f.rule.value == "SIMILAR-TEXT" for f in r.findings))
    errors = sum(1 for r in results if r.has_errors)
    print(
        f"整批检查（含 SIMILAR-TEXT）：{len(results)} 份，墙钟 {elapsed:.1f} 秒、CPU {cpu:.1f} 秒；"
        f"SIMILAR-TEXT 命中 {similar} 份，含错误 {errors} 份（{_load()}）",
        flush=True,
    )

    # SIMILAR-TEXT alone, on the same prose: its cost, the LSH candidates, and the planted copies.
    prose = [
        prose_document(str(index), result.parsed.report)
        for index, result in enumerate(results)
        if result.parsed is not None
    ]
    cpu = time.process_time()
    pairs, stats = find_similar(prose)
    cpu = time.process_time() - cpu
    found = {(pair.first, pair.second) for pair in pairs}
    by_key = {document.key: document for document in prose}
    above = [
        (str(copy), str(original))
        for copy, original in planted
        if jaccard(
            prose_shingles(by_key[str(copy)].text), prose_shingles(by_key[str(original)].text)
        )
        >= THRESHOLD
    ]
    recalled = sum(1 for pair in above if tuple(sorted(pair)) in found)
    possible = stats.documents * (stats.documents - 1) // 2
    print(
        f"SIMILAR-TEXT：{stats.documents} 份正文，CPU {cpu:.1f} 秒；LSH 候选对 {stats.candidates}"
        f"（占全部 {possible} 对的 {stats.candidates / max(possible, 1):.4%}），精确比较 "
        f"{stats.compared} 对，相似对 {stats.found}；植入的抄袭 {len(planted)} 对，其中相似度"
        f"≥{THRESHOLD:.0%} 的 {len(above)} 对，找到 {recalled} 对"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=1_000, help="documents timed one by one")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"keep the generated reports under {DATA_DIR} and reuse them on the next run",
    )
    parser.add_argument("--no-batch", action="store_true", help="time one by one only")
    arguments = parser.parse_args()

    documents, planted = load_corpus(arguments.reports, reuse=arguments.reuse)
    measure_one_by_one(documents[: arguments.sample])
    if not arguments.no_batch:
        measure_batch(documents, planted)
    print(f"CPU 核数：{os.cpu_count()}；{_load()}")


if __name__ == "__main__":
    main()
