"""Tolerant matching of the official labels (from `format.py`) against what a document prints.

The renderers print labels exactly; published documents do not. A label is compared after
folding full-width forms, dropping whitespace and every character that is neither a letter nor a
digit, so `（一）予以公开`, `(一)予以公开` and `(一) 予以 公开` are one label, and `1.属于国家秘密`,
`1、属于国家秘密` and `（1）属于国家秘密` another. A label printed without its parenthetical
remark (`（二）部分公开`) still matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from gongkai.reports import format as fmt
from gongkai.reports.rules.folding import nfkc

# What `str.isalnum` rejects: `\w` is exactly the characters it accepts, and the underscore.
_NOT_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=65_536)
def norm(text: str) -> str:
    """The comparison key of a label: NFKC, letters and digits only."""
    return _NOT_ALNUM.sub("", nfkc(text))


class Kind(StrEnum):
    HEADER = "header"  # a column header or group header: part of the table, holds no value
    ROW = "row"  # a row that holds values (table 2 items, table 3 rows)
    GROUP = "group"  # a table 3 label that spans rows and holds no value of its own
    BARE = "bare"  # a table 3 sub-row label printed without its number: needs the group
    T4_GROUP = "t4_group"
    T4_COLUMN = "t4_column"


@dataclass(frozen=True)
class Label:
    table: str  # table2 / table3 / table4
    kind: Kind
    key: str  # row/item/column/group key, or the label itself for headers


_PARENTHETICAL = re.compile(r"[（(][^（）()]*[）)]$")
_LEADING_NUMBER = re.compile(r"^\d+")

# The longest label in fragments: PDF text splits table 3's notes into many short lines.
MAX_JOIN = 8


def _index() -> dict[str, list[Label]]:
    index: dict[str, list[Label]] = {}

    def add(text: str, label: Label) -> None:
        key = norm(text)
        if key and label not in index.setdefault(key, []):
            index[key].append(label)
        bare = _PARENTHETICAL.sub("", text)
        if bare != text and norm(bare):
            add(bare, label)

    for group in fmt.T2_GROUPS:
        add(group.header, Label("table2", Kind.HEADER, group.header))
        for column_label in group.column_labels:
            add(column_label, Label("table2", Kind.HEADER, column_label))
        for item in group.items:
            add(item.label, Label("table2", Kind.ROW, item.key))
    # The 2019 trial format's row name; read tolerantly (OLD-FORMAT reports the layout itself).
    add(fmt.OLD_FORMAT_BARE_ROW.text, Label("table2", Kind.ROW, "normative_documents"))

    for text in (fmt.T3_CORNER_LABEL, fmt.T3_HEADER_LABEL, fmt.T3_ORGANISATION_GROUP_LABEL):
        add(text, Label("table3", Kind.HEADER, text))
    for column in fmt.T3_COLUMNS:
        add(column.label, Label("table3", Kind.HEADER, column.key))
    for row in fmt.T3_ROWS:
        if row.level2 is None:
            add(row.level1, Label("table3", Kind.ROW, row.key))
            continue
        add(row.level1, Label("table3", Kind.GROUP, row.level1))
        if row.level3 is None:
            add(row.level2, Label("table3", Kind.ROW, row.key))
            continue
        add(row.level2, Label("table3", Kind.GROUP, row.level2))
        add(row.level3, Label("table3", Kind.ROW, row.key))
        add(_LEADING_NUMBER.sub("", norm(row.level3)), Label("table3", Kind.BARE, row.key))

    for t4_group in fmt.T4_GROUPS:
        add(t4_group.label, Label("table4", Kind.HEADER, t4_group.label))
        if t4_group.sublabel is None:
            add(t4_group.label, Label("table4", Kind.T4_GROUP, t4_group.key))
        else:
            add(t4_group.sublabel, Label("table4", Kind.T4_GROUP, t4_group.key))
    for t4_column in fmt.T4_COLUMNS:
        add(t4_column.label, Label("table4", Kind.T4_COLUMN, t4_column.key))
    return index


LABELS: dict[str, list[Label]] = _index()


def _by_table() -> dict[str, dict[str, list[Label]]]:
    out: dict[str, dict[str, list[Label]]] = {"table2": {}, "table3": {}, "table4": {}}
    for key, labels in LABELS.items():
        for label in labels:
            out[label.table].setdefault(key, []).append(label)
    return out


_BY_TABLE = _by_table()
_NONE: list[Label] = []


def labels_for(key: str, table: str) -> list[Label]:
    """The labels of `table` whose comparison key is `key` (do not modify the list)."""
    return _BY_TABLE[table].get(key, _NONE)


def labels_by_key(table: str) -> Mapping[str, list[Label]]:
    """Every label of `table` by comparison key (do not modify the lists)."""
    return MappingProxyType(_BY_TABLE[table])


# Prefixes of every label of each table, for joining fragments ("商业" + "企业").
def _prefixes() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {"table2": set(), "table3": set(), "table4": set()}
    for key, labels in LABELS.items():
        for label in labels:
            for end in range(1, len(key)):
                out[label.table].add(key[:end])
    return {table: frozenset(values) for table, values in out.items()}


PREFIXES: dict[str, frozenset[str]] = _prefixes()

# The level-1 labels of table 3 also start with 一、二、三、四: they are never section headings.
T3_LEVEL1_KEYS: tuple[str, ...] = tuple(dict.fromkeys(norm(row.level1) for row in fmt.T3_ROWS))
