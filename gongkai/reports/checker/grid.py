"""Tables with merged cells → a plain grid: every slot a merged cell covers holds its text.

HTML `rowspan`/`colspan`, Word's `gridSpan`/`vMerge` and Excel's merged ranges all become the same
thing: row after row of cell texts, with the text of a merged cell repeated in each slot, so the
parser reads a row left to right the way a person does.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

# A colspan/rowspan above this is a broken or hostile page; real tables stay far below it.
MAX_SPAN = 100
MAX_COLUMNS = 200


class SpanCell(NamedTuple):
    text: str
    rowspan: int = 1
    colspan: int = 1


class PlainRow(tuple[str, ...]):
    """A row none of whose cells spans rows or columns, as bare texts: the common row of a real
    table, passed to `expand` without a `SpanCell` per cell."""

    __slots__ = ()


@lru_cache(maxsize=1024)
def span(value: str | None) -> int:
    """An HTML span attribute as an integer in 1..MAX_SPAN (browsers read junk as 1)."""
    if value is None:
        return 1
    try:
        number = int((value or "1").strip().split(".")[0] or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_SPAN)


def _take(carry: dict[int, tuple[str, int]], below: dict[int, tuple[str, int]], at: int) -> str:
    """The text a rowspan carries into column `at` of this row; it goes on below if it covers
    more rows."""
    text, left = carry.pop(at)
    if left > 1:
        below[at] = (text, left - 1)
    return text


def expand(rows: Iterable[Iterable[SpanCell | str]]) -> list[list[str]]:
    """Place cells with spans on a grid (as a browser does) and repeat each merged cell's text.

    A cell is a `SpanCell`, or its bare text when it spans nothing; a `PlainRow` holds only such
    texts. A cell spanning rows reserves its columns in the rows below; the cells of those rows
    flow around it. Rows that a rowspan reaches past the last row are not added (nor do browsers).
    """
    out: list[list[str]] = []
    carry: dict[int, tuple[str, int]] = {}  # column → (text, rows it still covers)
    for row in rows:
        if type(row) is PlainRow and not carry:
            if row:
                out.append(list(row[:MAX_COLUMNS]))
            continue
        cells = list(row)
        if not carry and all(
            isinstance(cell, str) or (cell.rowspan == 1 and cell.colspan == 1) for cell in cells
        ):
            # The common row: nothing merged into it, nothing merged out of it.
            if cells:
                out.append(
                    [cell if isinstance(cell, str) else cell.text for cell in cells[:MAX_COLUMNS]]
                )
            continue
        line: list[str] = []
        append = line.append
        below: dict[int, tuple[str, int]] = {}
        column = 0

        for cell in cells:
            while column in carry:
                append(_take(carry, below, column))
                column += 1
            if column >= MAX_COLUMNS:
                break
            if isinstance(cell, str):
                append(cell)
                column += 1
                continue
            text, rowspan, colspan = cell
            if colspan == 1:
                append(text)
                if rowspan > 1:
                    below[column] = (text, rowspan - 1)
                column += 1
                continue
            width = min(colspan, MAX_COLUMNS - column)
            line.extend([text] * width)
            if rowspan > 1:
                for offset in range(width):
                    below[column + offset] = (text, rowspan - 1)
            column += width
        for at in sorted(carry):
            if at < column:  # overlapped by a cell of this row: it still covers the rows below
                _take(carry, below, at)
                continue
            line.extend([""] * (at - column))
            append(_take(carry, below, at))
            column = at + 1
        carry = below
        if line:
            out.append(line)
    return out
