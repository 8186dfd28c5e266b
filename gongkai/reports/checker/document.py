"""What a reader hands to the parser: the document as lines, some of them table rows."""

from __future__ import annotations

from dataclasses import dataclass


class UnreadableError(Exception):
    """The input cannot be read as a document at all; `message` is for people (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Line:
    """One line of text, or one row of a table.

    A `grid` line is a row of a real table (HTML, DOCX, XLSX, `|`-separated text) with merged cells
    repeated in every slot they cover; its cells belong to that row only. Any other line holds one
    cell: a paragraph, a heading, or — in scraped text and PDF — one table cell in reading order.
    """

    cells: tuple[str, ...]
    grid: bool = False

    @property
    def text(self) -> str:
        return " | ".join(self.cells) if self.grid else self.cells[0]


@dataclass(frozen=True)
class SourceDocument:
    kind: str  # html / text / docx / pdf / xlsx
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        """The raw text: one line per line, table cells separated by `|`."""
        return "\n".join(line.text for line in self.lines)


def text_line(text: str) -> Line:
    return Line((text,), False)


def grid_line(cells: list[str] | tuple[str, ...]) -> Line:
    return Line(tuple(cells), True)
