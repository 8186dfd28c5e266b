"""Precision and recall of the personal-information scanner on the synthetic corpus, per kind.

Run from the project root:

    .venv/bin/python -m bench.scanner_eval                # 400 text documents, 40 of each file form
    .venv/bin/python -m bench.scanner_eval --markdown     # the table for docs/scanner.md

Matching: in text a finding is a true positive when it overlaps a labelled span of its kind; in
DOCX and XLSX findings and labels are counted per part (`表格1 第3行 第2列`, `名单!C4`); in PDF
they are counted per document, since the page and line a row lands on depend on the layout.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bench.scanner_corpus import KINDS, Document, make_corpus, to_docx, to_pdf, to_text, to_xlsx
from gongkai.publishing.extract import scan_file
from gongkai.publishing.scanner import scan_text

TARGETED = ("id_number", "mobile", "bank_card")


@dataclass
class Tally:
    labelled: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        found = self.tp + self.fp
        return self.tp / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.labelled if self.labelled else 1.0

    def add(self, other: Tally) -> None:
        self.labelled += other.labelled
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


Scores = dict[str, Tally]


def _empty() -> Scores:
    return {kind: Tally() for kind in KINDS}


def _count(scores: Scores, expected: Counter[tuple[str, str]], found: Counter[tuple[str, str]]):
    for key in expected.keys() | found.keys():
        kind = key[1]
        hits = min(expected[key], found[key])
        scores[kind].labelled += expected[key]
        scores[kind].tp += hits
        scores[kind].fn += expected[key] - hits
        scores[kind].fp += found[key] - hits


def evaluate_text(documents: Iterable[Document]) -> Scores:
    scores = _empty()
    for document in documents:
        text, spans = to_text(document)
        findings = scan_text(text)
        matched: set[int] = set()
        for finding in findings:
            hit = next(
                (
                    index
                    for index, span in enumerate(spans)
                    if span.kind == finding.kind
                    and index not in matched
                    and finding.start < span.end
                    and span.start < finding.end
                ),
                None,
            )
            if hit is None:
                scores[finding.kind].fp += 1
            else:
                matched.add(hit)
                scores[finding.kind].tp += 1
        for index, span in enumerate(spans):
            scores[span.kind].labelled += 1
            if index not in matched:
                scores[span.kind].fn += 1
    return scores


def _evaluate_parts(
    documents: Iterable[Document],
    render: Callable[[Document], tuple[bytes, Counter[tuple[str, str]]]],
    suffix: str,
) -> Scores:
    scores = _empty()
    for document in documents:
        data, expected = render(document)
        name = document.name + suffix
        found: Counter[tuple[str, str]] = Counter(
            (finding.location.removeprefix(f"{name} "), str(finding.kind))
            for finding in scan_file(data, name)
        )
        _count(scores, expected, found)
    return scores


def evaluate_docx(documents: Iterable[Document]) -> Scores:
    return _evaluate_parts(documents, to_docx, ".docx")


def evaluate_xlsx(documents: Iterable[Document]) -> Scores:
    return _evaluate_parts(documents, to_xlsx, ".xlsx")


def evaluate_pdf(documents: Iterable[Document]) -> Scores:
    scores = _empty()
    for document in documents:
        data, expected = to_pdf(document)
        name = document.name + ".pdf"
        found = Counter(str(finding.kind) for finding in scan_file(data, name))
        _count(
            scores,
            Counter({(name, kind): count for kind, count in expected.items()}),
            Counter({(name, kind): count for kind, count in found.items()}),
        )
    return scores


def evaluate(
    text_documents: int = 400, file_documents: int = 40, seed: int = 20240501
) -> dict[str, Scores]:
    """Scores per form and in total. File forms use the first `file_documents` documents."""
    corpus = make_corpus(seed, max(text_documents, file_documents))
    files = corpus[:file_documents]
    results = {
        "text": evaluate_text(corpus[:text_documents]),
        "docx": evaluate_docx(files),
        "xlsx": evaluate_xlsx(files),
        "pdf": evaluate_pdf(files),
    }
    total = _empty()
    for scores in results.values():
        for kind, tally in scores.items():
            total[kind].add(tally)
    results["total"] = total
    return results


def lookalike_counts(text_documents: int = 400, seed: int = 20240501) -> Counter[str]:
    counts: Counter[str] = Counter()
    for document in make_corpus(seed, text_documents):
        counts.update(document.lookalikes)
    return counts


def markdown(results: dict[str, Scores]) -> str:
    lines = [
        "| 类型 (kind) | 标注数 | 命中 | 误报 | 漏报 | 精确率 | 召回率 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, tally in results["total"].items():
        lines.append(
            f"| `{kind}` | {tally.labelled} | {tally.tp} | {tally.fp} | {tally.fn} "
            f"| {tally.precision:.4f} | {tally.recall:.4f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="扫描器在合成语料上的精确率和召回率")
    parser.add_argument("--documents", type=int, default=400, help="文本文档数")
    parser.add_argument("--files", type=int, default=40, help="每种文件格式的文档数")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--markdown", action="store_true", help="只输出总表（Markdown）")
    options = parser.parse_args()
    started = time.perf_counter()
    results = evaluate(options.documents, options.files, options.seed)
    elapsed = time.perf_counter() - started
    if options.markdown:
        print(markdown(results))
        return
    for form, scores in results.items():
        print(f"[{form}]")
        for kind, tally in scores.items():
            flag = ""
            if kind in TARGETED and (tally.precision < 0.95 or tally.recall < 0.99):
                flag = "  <-- below target"
            print(
                f"  {kind:15} labelled={tally.labelled:5} tp={tally.tp:5} fp={tally.fp:4} "
                f"fn={tally.fn:4} precision={tally.precision:.4f} recall={tally.recall:.4f}{flag}"
            )
    print(
        "look-alikes in the text corpus:", dict(lookalike_counts(options.documents, options.seed))
    )
    print(f"{elapsed:.1f} s")


if __name__ == "__main__":
    main()
