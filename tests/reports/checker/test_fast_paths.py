"""The checker's fast paths give what the plain computations they replace give.

Each shortcut taken for speed (NFKC by replacing the foldable characters, label keys by one
regular expression, bare-text grid cells, handing UTF-8 pages to libxml2 as they came, the
old-format trigger lines found with `str.find`) is compared here with the straightforward
computation on generated input.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports.checker.detect import _TRIGGERS, _trigger_lines
from gongkai.reports.checker.grid import PlainRow, SpanCell, expand
from gongkai.reports.checker.labels import norm
from gongkai.reports.checker.readers.encoding import decode, decode_noting_utf8
from gongkai.reports.checker.readers.html import read_html
from gongkai.reports.rules.folding import nfkc

# Characters a Chinese report prints, and those that make NFKC hard: full-width and half-width
# forms, compatibility ideographs, enclosed and circled numbers, Kangxi radicals, Latin with
# combining marks (which compose across characters), Hangul jamo and the replacement character.
_ALPHABET = st.sampled_from(
    [
        *"0123456789 abcXYZ,.;:()|\t\n_-",
        *"规范性文件予以公开总计（）：，；。、“”《》",
        *(chr(point) for point in range(0xFF01, 0xFF5F)),
        *(chr(point) for point in range(0xFF61, 0xFFA0, 7)),
        *"\u3000\xa0\u2002\u2026①⑳㈠㈩⑴⒈Ⅳ㎡℃⽂⼀丽\uf900\ufa10︵﹐",
        *"e\u0301\u0308\u0344A\u030a\u1100\u1161\u11a8\ufffd\ue000",
    ]
)
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_nfkc_is_unicodedata_nfkc(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_label_key_keeps_exactly_the_letters_and_digits(text: str) -> None:
    folded = unicodedata.normalize("NFKC", text)
    assert norm(text) == "".join(char for char in folded if char.isalnum())


_CELL = st.one_of(
    st.sampled_from(["", "a", "0", "规章"]),
    st.builds(
        SpanCell,
        st.sampled_from(["A", "B", "合并"]),
        st.integers(min_value=1, max_value=3),
        st.integers(min_value=1, max_value=3),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=5), max_size=6))
def test_bare_text_cells_and_plain_rows_expand_like_span_cells(
    rows: list[list[SpanCell | str]],
) -> None:
    as_span_cells = [
        [SpanCell(cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    ]
    mixed = [PlainRow(row) if all(isinstance(cell, str) for cell in row) else row for row in rows]
    assert expand(mixed) == expand(as_span_cells)


def test_utf8_pages_are_handed_over_as_they_came() -> None:
    page = "<p>宋村镇２０２３年</p>"
    assert decode_noting_utf8(page.encode()) == (page, True)
    assert decode_noting_utf8(b"\xef\xbb\xbf" + page.encode()) == (page, False)
    assert decode_noting_utf8(page.encode("gb18030")) == (page, False)
    assert decode(page.encode("gb18030")) == page
    # An XML declaration is dropped before parsing, whatever the bytes.
    declared = '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>年度报告</p></body></html>'
    assert [line.text for line in read_html(declared.encode()).lines] == ["年度报告"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["数量", "增", "九", "其他处理", "规范性文件", "报告", "\n", "x"])))
def test_trigger_lines_are_the_lines_a_pattern_finds(parts: list[str]) -> None:
    text = "".join(parts)
    pattern = re.compile("|".join(_TRIGGERS))  # the filter the lines were found with before
    assert _trigger_lines(text) == [line for line in text.split("\n") if pattern.search(line)]
