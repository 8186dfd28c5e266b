"""HTML pages: the article's paragraphs as lines, its data tables as grid rows.

Tables are expanded (rowspan/colspan) into grids; a cell's nested `<p>`/`<span>`/`&nbsp;` become
plain text. A table used for page layout (one column, or cells holding other tables) is read as
ordinary content. Scripts, styles and the page `<head>` are skipped, except `<title>`.
"""

from __future__ import annotations

import re

from lxml import etree

from gongkai.reports.checker.document import (
    Line,
    SourceDocument,
    UnreadableError,
    grid_line,
    text_line,
)
from gongkai.reports.checker.grid import PlainRow, SpanCell, expand, span
from gongkai.reports.checker.readers.encoding import decode_noting_utf8

_SKIP = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "svg", "select", "button"}
)
_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
        "header", "footer", "main", "nav", "aside", "blockquote", "pre", "dl", "dt", "dd",
        "center", "form", "figure", "figcaption", "caption", "address", "hr", "table", "tr",
        "td", "th", "tbody", "thead", "tfoot", "title", "body",
    }
)  # fmt: skip
# The text is decoded first (encoding.py decides the encoding, not a <meta charset>), then handed
# to libxml2 as UTF-8 bytes: its native input, about twice as fast to parse as a Python str.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def read_html(data: bytes) -> SourceDocument:
    text, as_utf8 = decode_noting_utf8(data)
    declaration = _XML_DECLARATION.match(text)
    if declaration is not None:
        text, as_utf8 = text[declaration.end() :], False
    if not text.strip():
        raise UnreadableError("网页内容为空")
    # A UTF-8 page is handed over as it came: encoding the decoded text would give the same bytes.
    markup = data if as_utf8 else text.encode("utf-8", "replace")
    try:
        # The plain etree HTML parser: no Python element classes, much faster than lxml.html.
        root = etree.fromstring(markup, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise UnreadableError(f"网页无法解析：{error}") from error
    if root is None:
        raise UnreadableError("网页内容为空")
    etree.strip_elements(root, *_SKIP, with_tail=False)
    reader = _Reader()
    for title in root.iter("title"):
        reader.block(title)
        break
    body = root.find("body")
    reader.walk(body if body is not None else root)
    reader.flush()
    return SourceDocument("html", tuple(reader.lines))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(element: etree._Element) -> str:
    return str(etree.tostring(element, method="text", encoding="unicode", with_tail=False))


class _Reader:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        if not self.buffer:  # between two blocks: nothing to flush (the common call)
            return
        text = _clean("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.lines.append(text_line(text))

    def block(self, element: etree._Element) -> None:
        self.flush()
        self.buffer.append(_text(element))
        self.flush()

    def walk(self, element: etree._Element) -> None:
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions
            return
        if not tag.islower():  # the HTML parser lower-cases tags already; namespaced ones?
            tag = tag.lower()
        if tag in _SKIP or tag == "head":
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            rows = self._rows(element)
            if self._is_data_table(element, rows):
                self.flush()
                self._table(rows)
                return
        block = tag in _BLOCK
        if block:
            self.flush()
        # Each `.text`/`.tail` read decodes the node's text anew: read it once.
        text = element.text
        if text:
            self.buffer.append(text)
        for child in element:
            self.walk(child)
            tail = child.tail
            if tail:
                self.buffer.append(tail)
        if block:
            self.flush()

    @staticmethod
    def _rows(table: etree._Element) -> list[etree._Element]:
        """The table's own rows (not those of tables nested in its cells)."""
        rows = []
        for child in table:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag == "tr":
                rows.append(child)
            elif tag in ("thead", "tbody", "tfoot"):
                rows.extend(
                    row for row in child if isinstance(row.tag, str) and row.tag.lower() == "tr"
                )
        return rows

    @staticmethod
    def _is_data_table(table: etree._Element, rows: list[etree._Element]) -> bool:
        if not rows:
            return False
        for _ in table.iterdescendants("table"):  # holds another table: a page layout
            return False
        for row in rows:
            width = 0
            for cell in row.iterchildren("td", "th"):
                colspan = cell.get("colspan")
                width += 1 if colspan is None else span(colspan)
                if width >= 2:
                    return True
        return False

    def _table(self, table_rows: list[etree._Element]) -> None:
        rows: list[PlainRow | list[SpanCell | str]] = []
        cleaned = _CLEANED
        for row in table_rows:
            texts: list[str] = []
            append = texts.append
            spans: list[tuple[int, int, int]] = []  # (position, rowspan, colspan)
            for cell in row.iterchildren("td", "th"):
                # The cell's text, cleaned; without child elements `.text` is all there is.
                # (Inline: this loop runs for every cell of every report.)
                if len(cell):
                    append(" ".join(_text(cell).split()))
                else:
                    raw = cell.text
                    if raw:
                        # The same labels and small figures recur in every table.
                        text = cleaned.get(raw)
                        if text is None:
                            text = " ".join(raw.split())
                            if len(cleaned) < 65_536:
                                cleaned[raw] = text
                        append(text)
                    else:
                        append("")
                # Most cells span nothing: skip the attribute parsing for them.
                rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
                if rowspan is not None or colspan is not None:
                    spans.append(
                        (
                            len(texts) - 1,
                            1 if rowspan is None else span(rowspan),
                            1 if colspan is None else span(colspan),
                        )
                    )
            if spans:
                cells: list[SpanCell | str] = list(texts)
                for position, rowspan, colspan in spans:
                    cells[position] = SpanCell(texts[position], rowspan, colspan)
                rows.append(cells)
            else:
                rows.append(PlainRow(texts))
        lines = self.lines
        for texts in expand(rows):
            if any(texts):
                lines.append(grid_line(texts))


# Cell text → the text with its whitespace runs collapsed (bounded; see `_table`).
_CLEANED: dict[str, str] = {}
