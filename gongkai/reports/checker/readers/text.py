"""Scraped and pasted text: one cell per line, `|`- or tab-separated rows, or plain prose.

Scrapers write table cells one per line. Some separate every line with a blank line (then a
blank *cell* shows as extra blank lines); others write one line per cell and an empty line for an
empty cell. Which of the two a document uses is decided from the whole document.
"""

from __future__ import annotations

import re

from gongkai.reports.checker.document import Line, SourceDocument, grid_line, text_line
from gongkai.reports.checker.readers.encoding import decode

_SEPARATORS = re.compile(r"\s*[|\t｜]\s*")


def read_text(data: bytes) -> SourceDocument:
    return SourceDocument("text", tuple(text_lines(decode(data))))


def text_lines(text: str) -> list[Line]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").split("\n")
    raw = [line.rstrip() for line in raw]
    rows = sum(1 for line in raw if "|" in line or "\t" in line.strip() or "｜" in line)
    use_rows = rows >= 3
    double_spaced = _double_spaced(raw)
    lines: list[Line] = []
    blanks = 0
    for line in raw:
        if not line.strip():
            blanks += 1
            continue
        if blanks:
            lines.extend(text_line("") for _ in range(blanks // 2 if double_spaced else blanks))
            blanks = 0
        if use_rows and ("|" in line or "\t" in line.strip() or "｜" in line):
            cells = [
                cell.strip() for cell in _SEPARATORS.split(line.strip().removeprefix("|").lstrip())
            ]
            while cells and not cells[-1]:  # padding after the last cell of a spanned row
                cells.pop()
            if cells:
                lines.append(grid_line(cells))
        else:
            lines.append(text_line(line.strip()))
    return lines


def _double_spaced(raw: list[str]) -> bool:
    """Whether (nearly) every non-blank line is followed by a blank line."""
    filled = [index for index, line in enumerate(raw[:-1]) if line.strip()]
    if len(filled) < 4:
        return False
    followed = sum(1 for index in filled if not raw[index + 1].strip())
    return followed >= 0.7 * len(filled)
