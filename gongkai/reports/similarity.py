"""SIMILAR-TEXT: find reports whose prose is copied (spec §6).

A supervising office collects hundreds of reports a year; many are last year's text with the year
changed, or a neighbour's with the name changed. Comparing every pair in full is quadratic, so:

1. each report's prose is normalised (full-width forms folded, punctuation and whitespace dropped,
   each run of digits replaced by "#", so that a changed year or figure does not hide a copy) and
   stripped of boilerplate — the format's own labels and headings (`format.py`) and the stock
   legal phrases every report carries (`STOCK_PHRASES`) — which leaves the text in pieces;
2. each piece gives its character 5-gram shingles (none across a cut), hashed with CRC-32;
3. each shingle set gets a MinHash signature — one-permutation MinHash (Li, Owen & Zhang 2012)
   with rotation densification (Shrivastava & Li 2014): the minimum hash per bin;
4. LSH banding (`BANDS` bands of `ROWS_PER_BAND` values) puts documents that agree on a whole band
   in one bucket: with 30 bands of 6, a pair with Jaccard similarity 0.8 shares a bucket with
   probability ≈ 0.9999, at 0.5 ≈ 0.38, at 0.3 ≈ 0.02, at 0.15 (two unrelated reports once the
   boilerplate is gone) ≈ 0.0003;
5. only those candidate pairs are compared exactly (Jaccard similarity of the shingle sets), and a
   pair at or above 0.80 is reported.

Without step 1's stripping, two unrelated reports share a third of their shingles (the legal basis,
the statistics period, the tables' lead-ins) and LSH lets far more pairs through; see
docs/checker.md for the measurements behind the parameters.

Eligible pairs: reports of different agencies (any year), or the same agency in consecutive years.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from gongkai.reports import format as fmt
from gongkai.reports.rules import Finding, Rule, finding
from gongkai.reports.rules.folding import nfkc
from gongkai.reports.value import AnnualReport

SHINGLE_SIZE = 5
BANDS = 30
ROWS_PER_BAND = 6
SIGNATURE_SIZE = BANDS * ROWS_PER_BAND
THRESHOLD = 0.80

_HASH_SPACE = 1 << 32  # CRC-32
_DIGIT_RUN = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[^\w#]+|_+")
# Not official labels but the wording nearly every report uses: the legal basis, the statistics
# period, where the report can be downloaded, whom to ask. Shared by copied and original reports
# alike, so it says nothing about copying.
STOCK_PHRASES: tuple[str, ...] = (
    "《中华人民共和国政府信息公开工作年度报告格式》",
    "中华人民共和国",
    "以公开为常态、不公开为例外",
    "决策、执行、管理、服务、结果公开",
    "政府信息公开信息处理费管理办法",
    "国务院办公厅关于印发",
    "的要求，编制本报告",
    "编制本报告",
    "本报告所列数据的统计期限自",
    "本报告中所列数据的统计期限自",
    "年1月1日起至",
    "年12月31日止",
    "本报告的电子版可在",
    "门户网站",
    "如对本报告有任何疑问",
    "政府信息公开工作机构",
    "政府信息公开专栏",
    "未收取信息处理费",
    "信息处理费",
    "被申请行政复议、提起行政诉讼",
    "提起行政诉讼",
    "认真贯彻落实",
    "党中央、国务院",
    "政府信息公开工作",
    "政府信息公开",
    "依申请公开",
    "主动公开",
)
# Phrases shorter than this (after normalising) are ordinary words, not boilerplate.
_MIN_PHRASE = 4
_CUT = "|"  # never in normalised text (letters, digits and "#" only)


@dataclass(frozen=True)
class ProseDocument:
    """One report's prose in a batch. `key` is the caller's identifier (a database id, a URL)."""

    key: str
    agency: str
    year: int
    text: str
    sections: tuple[str, ...] = ()  # the section numbers the text comes from, for the finding


@dataclass(frozen=True)
class SimilarPair:
    first: str
    second: str
    similarity: float  # exact Jaccard similarity of the two shingle sets, 0–1


def report_prose(report: AnnualReport) -> ProseDocument:
    """The prose of sections 一 to 六 (not the preamble, whose wording the law itself suggests)."""
    numbers = tuple(n for n in fmt.SECTION_NUMBERS if report.section(n))
    text = "\n".join(report.sections[n] for n in numbers)
    key = f"{report.agency.name}:{report.year}"
    return ProseDocument(key, report.agency.name, report.year, text, numbers)


def normalise(text: str) -> str:
    """Fold full-width forms, keep letters and digits only, and turn each digit run into "#"."""
    folded = _DIGIT_RUN.sub("#", nfkc(text))
    flat = _NOT_WORD.sub("", folded)  # what is left is letters, "#" and rare other numerics
    if flat.replace("#", "").isalpha() or not flat:
        return flat
    return "".join(char for char in flat if char == "#" or char.isalpha())


def _format_phrases() -> list[str]:
    phrases = [fmt.REGULATION_TITLE, fmt.FORMAT_TITLE, fmt.TITLE_SUFFIX, fmt.T2_ITEM_LABEL_HEADER]
    phrases += [section.heading for section in fmt.SECTIONS]
    for group in fmt.T2_GROUPS:
        phrases += [group.header, *group.column_labels, *(item.label for item in group.items)]
    phrases += [fmt.T3_CORNER_LABEL, fmt.T3_HEADER_LABEL, fmt.T3_ORGANISATION_GROUP_LABEL]
    phrases += [column.label for column in fmt.T3_COLUMNS]
    phrases += [label for row in fmt.T3_ROWS for label in row.labels]
    for t4_group in fmt.T4_GROUPS:
        phrases += [t4_group.label, t4_group.sublabel or ""]
    phrases += [column.label for column in fmt.T4_COLUMNS]
    return phrases


def _boilerplate() -> tuple[str, ...]:
    """The normalised boilerplate phrases, longest first (so a longer one wins over its parts)."""
    phrases = {normalise(phrase) for phrase in (*_format_phrases(), *STOCK_PHRASES)}
    # A label's "（一）" prefix normalises to "一": strip the numbering off as well.
    phrases |= {phrase.lstrip("一二三四五六七八九十#") for phrase in phrases}
    kept = (phrase for phrase in phrases if len(phrase) >= _MIN_PHRASE)
    return tuple(sorted(kept, key=lambda phrase: (-len(phrase), phrase)))


BOILERPLATE: tuple[str, ...] = _boilerplate()


def strip_boilerplate(flat: str) -> list[str]:
    """The pieces of normalised text left between the boilerplate phrases."""
    for phrase in BOILERPLATE:
        if phrase in flat:
            flat = flat.replace(phrase, _CUT)
    return [piece for piece in flat.split(_CUT) if piece]


def _hashed(grams: Iterable[str]) -> frozenset[int]:
    # CRC-32: stable from process to process (unlike hash()) and computed in C.
    return frozenset(map(zlib.crc32, map(str.encode, grams)))


def _grams(flat: str, size: int) -> list[str]:
    return [flat[i : i + size] for i in range(len(flat) - size + 1)]


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """The hashed character `size`-grams of the normalised text (one shingle if it is shorter)."""
    flat = normalise(text)
    if not flat:
        return frozenset()
    if len(flat) <= size:
        return _hashed([flat])
    return _hashed(set(_grams(flat, size)))


def prose_shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """The hashed `size`-grams of what is left of the normalised text once the boilerplate is
    stripped: grams never span a cut; a piece shorter than `size` gives no gram unless it is all
    there is."""
    pieces = strip_boilerplate(normalise(text))
    grams: set[str] = set()
    for piece in pieces:
        grams.update(_grams(piece, size))
    if not grams and pieces:
        grams.update(pieces)
    return _hashed(grams)


def signature(shingle_set: Iterable[int], size: int = SIGNATURE_SIZE) -> tuple[int, ...]:
    """A one-permutation MinHash signature of `size` values (empty set: all values equal)."""
    bin_width = _HASH_SPACE // size + 1
    # Walking the hashes from the largest down, the last one stored in a bin is its minimum.
    smallest = {shingle // bin_width: shingle for shingle in sorted(shingle_set, reverse=True)}
    if not smallest:
        return (bin_width,) * size
    bins: list[int | None] = [None] * size
    for index, shingle in smallest.items():
        bins[index] = shingle - index * bin_width
    # Rotation densification: an empty bin borrows the value of the next filled bin to its right,
    # shifted by the distance so that a borrowed value never equals a genuine one. Walking the
    # circle backwards twice lets every empty bin see its nearest filled neighbour.
    result = [0] * size
    nearest = 0
    distance = 0
    for step in range(2 * size - 1, -1, -1):
        found = bins[step % size]
        if found is None:
            distance += 1
        else:
            nearest, distance = found, 0
        if step < size:
            result[step] = nearest + distance * bin_width
    return tuple(result)


def candidate_pairs(
    signatures: Mapping[str, Sequence[int]],
    bands: int = BANDS,
    rows: int = ROWS_PER_BAND,
) -> set[tuple[str, str]]:
    """Pairs of keys whose signatures agree on at least one whole band (LSH banding)."""
    buckets: defaultdict[tuple[int, tuple[int, ...]], list[str]] = defaultdict(list)
    for key, values in signatures.items():
        for band in range(bands):
            buckets[(band, tuple(values[band * rows : (band + 1) * rows]))].append(key)
    pairs: set[tuple[str, str]] = set()
    for keys in buckets.values():
        for first, second in combinations(sorted(set(keys)), 2):
            pairs.add((first, second))
    return pairs


def jaccard(first: frozenset[int], second: frozenset[int]) -> float:
    if not first and not second:
        return 0.0
    common = len(first & second)
    return common / (len(first) + len(second) - common)


def _eligible(first: ProseDocument, second: ProseDocument) -> bool:
    if first.agency != second.agency:
        return True
    return abs(first.year - second.year) == 1


@dataclass(frozen=True)
class SimilarityStats:
    """What a run did: how many documents had prose left, the candidate pairs LSH let through,
    how many of those were eligible and compared exactly, and how many were reported."""

    documents: int
    candidates: int
    compared: int
    found: int


def find_similar(
    documents: Sequence[ProseDocument], threshold: float = THRESHOLD
) -> tuple[list[SimilarPair], SimilarityStats]:
    """Eligible pairs whose prose is at least `threshold` similar (most similar first), and the
    run's counts."""
    by_key = {document.key: document for document in documents}
    if len(by_key) != len(documents):
        raise ValueError("documents must have distinct keys")
    shingle_sets = {document.key: prose_shingles(document.text) for document in documents}
    signatures = {key: signature(values) for key, values in shingle_sets.items() if values}
    candidates = candidate_pairs(signatures)
    found = []
    compared = 0
    for first, second in candidates:
        if not _eligible(by_key[first], by_key[second]):
            continue
        compared += 1
        similarity = jaccard(shingle_sets[first], shingle_sets[second])
        if similarity >= threshold:
            found.append(SimilarPair(first, second, similarity))
    found.sort(key=lambda pair: (-pair.similarity, pair.first, pair.second))
    return found, SimilarityStats(len(signatures), len(candidates), compared, len(found))


def similar_pairs(
    documents: Sequence[ProseDocument], threshold: float = THRESHOLD
) -> list[SimilarPair]:
    """Eligible pairs whose prose is at least `threshold` similar, most similar first."""
    return find_similar(documents, threshold)[0]


def similar_text_findings(
    documents: Sequence[ProseDocument], threshold: float = THRESHOLD
) -> dict[str, list[Finding]]:
    """SIMILAR-TEXT warnings for each document key that has a near-copy in the batch."""
    by_key = {document.key: document for document in documents}
    found: dict[str, list[Finding]] = defaultdict(list)
    for pair in similar_pairs(documents, threshold):
        for own, other in ((pair.first, pair.second), (pair.second, pair.first)):
            document, twin = by_key[own], by_key[other]
            whose = "本机关" if twin.agency == document.agency else twin.agency
            found[own].append(
                finding(
                    Rule.SIMILAR_TEXT,
                    [f"section.{number}" for number in document.sections],
                    f"本报告正文与{whose}{twin.year}年度报告的相似度为{pair.similarity:.0%}"
                    f"（达到{threshold:.0%}），请核实是否照搬了其他报告的内容",
                )
            )
    return dict(found)
