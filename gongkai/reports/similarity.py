"""SIMILAR-TEXT: find reports whose prose is copied (spec §6).

A supervising office collects hundreds of reports a year; many are last year's text with the year
changed, or a neighbour's with the name changed. Comparing every pair in full is quadratic, so:

1. each report's prose becomes a set of character 5-gram shingles (after folding full-width forms,
   dropping punctuation and whitespace and replacing each run of digits by "#", so that a changed
   year or figure does not hide a copy);
2. each set gets a MinHash signature — one-permutation MinHash (Li, Owen & Zhang 2012) with rotation
   densification (Shrivastava & Li 2014): one 64-bit hash per shingle, binned, the minimum per bin;
3. LSH banding (20 bands of 6 values) puts documents that agree on a whole band in one bucket:
   a pair with Jaccard similarity 0.8 shares a bucket with probability ≈ 0.998, at 0.5 ≈ 0.27;
4. only those candidate pairs are compared exactly (Jaccard similarity of the shingle sets), and a
   pair at or above 0.80 is reported.

Eligible pairs: reports of different agencies (any year), or the same agency in consecutive years.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from gongkai.reports import format as fmt
from gongkai.reports.rules import Finding, Rule, finding
from gongkai.reports.value import AnnualReport

SHINGLE_SIZE = 5
BANDS = 20
ROWS_PER_BAND = 6
SIGNATURE_SIZE = BANDS * ROWS_PER_BAND
THRESHOLD = 0.80

_HASH_SPACE = 1 << 64
_DIGIT_RUN = re.compile(r"\d+")


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
    folded = _DIGIT_RUN.sub("#", unicodedata.normalize("NFKC", text))
    return "".join(char for char in folded if char == "#" or unicodedata.category(char)[0] == "L")


def _hash64(shingle: str) -> int:
    # A keyed-free, stable hash: Python's hash() of str changes from process to process.
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """The hashed character `size`-grams of the normalised text (one shingle if it is shorter)."""
    flat = normalise(text)
    if not flat:
        return frozenset()
    if len(flat) <= size:
        return frozenset({_hash64(flat)})
    return frozenset(_hash64(flat[i : i + size]) for i in range(len(flat) - size + 1))


def signature(shingle_set: Iterable[int], size: int = SIGNATURE_SIZE) -> tuple[int, ...]:
    """A one-permutation MinHash signature of `size` values (empty set: all values equal)."""
    bin_width = _HASH_SPACE // size + 1
    bins: list[int | None] = [None] * size
    for shingle in shingle_set:
        index, offset = divmod(shingle, bin_width)
        current = bins[index]
        if current is None or offset < current:
            bins[index] = offset
    if all(value is None for value in bins):
        return (bin_width,) * size
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
    return len(first & second) / len(first | second)


def _eligible(first: ProseDocument, second: ProseDocument) -> bool:
    if first.agency != second.agency:
        return True
    return abs(first.year - second.year) == 1


def similar_pairs(
    documents: Sequence[ProseDocument], threshold: float = THRESHOLD
) -> list[SimilarPair]:
    """Eligible pairs whose prose is at least `threshold` similar, most similar first."""
    by_key = {document.key: document for document in documents}
    if len(by_key) != len(documents):
        raise ValueError("documents must have distinct keys")
    shingle_sets = {document.key: shingles(document.text) for document in documents}
    signatures = {key: signature(values) for key, values in shingle_sets.items() if values}
    found = []
    for first, second in candidate_pairs(signatures):
        if not _eligible(by_key[first], by_key[second]):
            continue
        similarity = jaccard(shingle_sets[first], shingle_sets[second])
        if similarity >= threshold:
            found.append(SimilarPair(first, second, similarity))
    return sorted(found, key=lambda pair: (-pair.similarity, pair.first, pair.second))


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
