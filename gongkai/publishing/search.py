"""Whole-site search of published items, for Chinese without a word segmenter.

Contract: an item matches a query when every word of the query (split on whitespace, at most five,
case-insensitive) occurs as a substring of its *searched text*: the title, the summary and the plain
text of the body (tags removed) up to `BODY_CHARS` characters. 1- and 2-character words are
therefore exact: no segmentation is involved.

The index (models `SearchDocument`, `SearchPosting`):

- one `SearchDocument` per published item: its filter fields (agency, column, result type,
  publication time) and the searched text;
- posting lists of every character and every pair of adjacent characters (runs of whitespace are
  not indexed: a query word never contains whitespace), one row per gram and block of 4,096 item
  ids, holding the sorted ids.

A word of one or two characters is looked up directly; a longer word needs all of its character
pairs, and the candidates are then verified against the text. Candidates are taken from the newest
item ids backwards, `VERIFY_CHUNK` at a time, and the search stops after `MAX_MATCHES` verified
matches: beyond that the total is an estimate (shown as “约 N 条”), extrapolated from the share of
the rarest gram's posting list that was read. When the agency, column and year filters leave at
most `SCAN_LIMIT` documents, those are verified directly and the count is exact; otherwise the
ids they leave (`_filter_ids`, cached per content version) restrict the blocks read and the
candidates. The result type is checked with the text.

Ranking: items with more query words in the title first, then the most recent. Titles and
snippets are escaped, then the matches are wrapped in <mark>.

The index is maintained by the publishing services in their transaction (`document_sync` on
every status change to or from published, `documents_add` for imported items); `gongkai
search_rebuild` rebuilds it from the catalogue. Every change bumps `SearchIndexState.version`,
which the portal's page cache keys on.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import html
import re
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.agencies.models import Agency
from gongkai.core import clock
from gongkai.publishing.models import (
    Column,
    ColumnKind,
    DocKind,
    Item,
    ItemStatus,
    SearchDocument,
    SearchIndexState,
    SearchPosting,
)

BLOCK_BITS = 12  # 4,096 item ids per posting row
BODY_CHARS = 5000  # characters of the body's plain text that are searched
MAX_WORDS = 5
MAX_WORD_CHARS = 50
MAX_MATCHES = 200  # verified matches after which the search stops and estimates the total
SCAN_LIMIT = 3000  # filtered documents verified directly, without the posting lists
VERIFY_CHUNK = 250
IN_CHUNK = 500  # values per SQL IN (…), under SQLite's parameter limit

GROUPS: dict[str, str] = {
    "policy": "政策文件",
    "statutory": "法定主动公开内容",
    "notice": "公示公告",
    "news": "工作动态",
    "other": "其他信息",
}

_BLOCK_TAGS = re.compile(
    r"</?(?:p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|section|article|pre|hr)\b[^>]*>",
    re.IGNORECASE,
)
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


# --- text -----------------------------------------------------------------------------------------


def group_for(doc_kind: str, column_kind: str, column_type: str) -> str:
    """The result group an item is shown under (a key of GROUPS)."""
    if doc_kind in (DocKind.REGULATION, DocKind.NORMATIVE) or column_type == "policy":
        return "policy"
    if column_kind in (ColumnKind.STATUTORY, ColumnKind.RULES):
        return "statutory"
    if column_type == "news":
        return "news"
    if column_type == "notice":
        return "notice"
    return "other"


def plain_text(body_html: str) -> str:
    """The body's text: block tags become spaces, other tags vanish, entities are decoded."""
    text = _TAGS.sub("", _BLOCK_TAGS.sub(" ", body_html))
    return _SPACES.sub(" ", html.unescape(text)).strip()


def searched_text(title: str, summary: str, body_html: str) -> str:
    """Title, a newline, then summary and body text: what a query word is matched against."""
    rest = _SPACES.sub(" ", f"{summary} {plain_text(body_html)[:BODY_CHARS]}").strip()
    return f"{_SPACES.sub(' ', title).strip()}\n{rest}"


def normalise(text: str) -> str:
    return text.lower()


def grams_of(text: str) -> set[str]:
    """Every character and every adjacent pair of the normalised text, within whitespace runs."""
    grams: set[str] = set()
    for run in normalise(text).split():
        grams.update(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def query_words(query: str) -> list[str]:
    words: list[str] = []
    for word in normalise(query).split():
        word = word[:MAX_WORD_CHARS]
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _word_grams(word: str) -> set[str]:
    if len(word) <= 2:
        return {word}
    return {word[i : i + 2] for i in range(len(word) - 1)}


# --- posting lists --------------------------------------------------------------------------------


def _decode(data: Any) -> array[int]:
    ids = array("I")
    ids.frombytes(bytes(data))
    if sys.byteorder != "little":
        ids.byteswap()
    return ids


def _encode(ids: Iterable[int]) -> bytes:
    packed = array("I", sorted(ids))
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def _chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _postings_change(item_id: int, grams: set[str], *, add: bool) -> None:
    """Add the id to (or remove it from) the posting rows of its grams. The caller holds the
    SearchIndexState row lock, so no other writer creates the same rows meanwhile."""
    block = item_id >> BLOCK_BITS
    existing: dict[str, SearchPosting] = {}
    for chunk in _chunks(sorted(grams)):
        for row in SearchPosting.objects.filter(block=block, gram__in=chunk):
            existing[row.gram] = row
    changed: list[SearchPosting] = []
    emptied: list[int] = []
    created: list[SearchPosting] = []
    for gram in grams:
        posting = existing.get(gram)
        ids = set(_decode(posting.ids)) if posting is not None else set()
        if add:
            ids.add(item_id)
        else:
            ids.discard(item_id)
        if posting is None:
            if ids:
                created.append(
                    SearchPosting(gram=gram, block=block, count=len(ids), ids=_encode(ids))
                )
        elif not ids:
            emptied.append(posting.pk)
        elif len(ids) != posting.count:
            posting.ids = _encode(ids)
            posting.count = len(ids)
            changed.append(posting)
    SearchPosting.objects.bulk_create(created)
    SearchPosting.objects.bulk_update(changed, ["ids", "count"], batch_size=200)
    for chunk in _chunks(emptied):
        SearchPosting.objects.filter(pk__in=chunk).delete()


def _lock_state() -> SearchIndexState:
    state = SearchIndexState.objects.select_for_update().filter(pk=1).first()
    if state is not None:
        return state
    SearchIndexState.objects.get_or_create(pk=1)
    return SearchIndexState.objects.select_for_update().get(pk=1)


# The version as this process last read it, re-read at most every VERSION_SECONDS: a cached
# page then costs no query at all (on SQLite, not even a connection). Another process's change
# shows here within that delay; this process's own changes show at once, because a bump
# invalidates the copy (when it runs, and again when its transaction commits). A reader records
# the invalidation count before it reads and keeps its copy only if no bump came in between, so
# a version read while a bump was committing is never kept. Inside a transaction (a service, a
# test) the version is always read from the database: the transaction sees its own changes.
VERSION_SECONDS = 1.0


@dataclass
class _VersionCopy:
    value: int = 0
    read_at: float = -1e9  # time.monotonic() before the read
    invalidations: int = 0


_version_copy = _VersionCopy()


def _version_invalidate() -> None:
    _version_copy.invalidations += 1
    _version_copy.read_at = -1e9


def public_version() -> int:
    """The version of the published content (the page cache's key)."""
    in_transaction = transaction.get_connection().in_atomic_block
    copy = _version_copy
    started = time.monotonic()
    if not in_transaction and started - copy.read_at < VERSION_SECONDS:
        return copy.value
    invalidations = copy.invalidations
    found = SearchIndexState.objects.filter(pk=1).values_list("version", flat=True).first()
    version = int(found or 0)
    if not in_transaction and copy.invalidations == invalidations:
        copy.value, copy.read_at = version, started
    return version


def _version_bump() -> None:
    """Bump the version; the caller holds the SearchIndexState row lock."""
    SearchIndexState.objects.filter(pk=1).update(version=F("version") + 1)
    _version_invalidate()
    transaction.on_commit(_version_invalidate)


def public_version_bump() -> None:
    """Bump the content version now, in the caller's transaction. Services do not call this:
    `publishing.signals` runs it once per transaction on commit whenever public content changes."""
    _lock_state()
    _version_bump()


def _document_for(item: Item) -> SearchDocument:
    return SearchDocument(
        item_id=item.pk,
        agency_id=item.agency_id,
        column_id=item.column_id,
        kind=group_for(item.doc_kind, item.column.kind, item.column.column_type),
        # A published item always has its date (check constraint item_published_has_date).
        published_at=item.published_at or clock.now(),
        text=searched_text(item.title, item.summary, item.body),
    )


def _remove(item_id: int) -> None:
    document = SearchDocument.objects.filter(item_id=item_id).first()
    if document is not None:
        _postings_change(item_id, grams_of(document.text), add=False)
        document.delete()


def document_sync(item: Item) -> None:
    """Bring the index in line with one item after a change (call inside the service's
    transaction): a published item is (re)indexed, any other is removed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_sync must run inside the writing transaction")
    _lock_state()
    _remove(item.pk)
    if item.status == ItemStatus.PUBLISHED:
        document = _document_for(item)
        document.save(force_insert=True)
        _postings_change(item.pk, grams_of(document.text), add=True)
    _version_bump()


def documents_add(items: Sequence[Item]) -> None:
    """Index newly published items (a bulk import), inside the caller's transaction."""
    _lock_state()
    for item in items:
        document = _document_for(item)
        document.save(force_insert=True)
        _postings_change(item.pk, grams_of(document.text), add=True)
    _version_bump()


def rebuild(*, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the published items, one block of ids at a time. Returns the
    number of documents."""
    total = 0
    with transaction.atomic():
        _lock_state()
        SearchPosting.objects.all().delete()
        SearchDocument.objects.all().delete()
        published = Item.objects.filter(status=ItemStatus.PUBLISHED)
        last = published.order_by("-id").values_list("id", flat=True).first()
        if last is not None:
            first = published.order_by("id").values_list("id", flat=True).first() or 0
            for block in range(first >> BLOCK_BITS, (last >> BLOCK_BITS) + 1):
                total += _rebuild_block(published, block)
                if progress is not None:
                    progress(total)
        _version_bump()
    return total


def _rebuild_block(published: Any, block: int) -> int:
    rows = published.filter(
        id__gte=block << BLOCK_BITS, id__lt=(block + 1) << BLOCK_BITS
    ).values_list(
        "id",
        "agency_id",
        "column_id",
        "doc_kind",
        "column__kind",
        "column__column_type",
        "published_at",
        "title",
        "summary",
        "body",
    )
    documents: list[SearchDocument] = []
    postings: dict[str, list[int]] = {}
    for (
        pk,
        agency,
        column,
        doc_kind,
        col_kind,
        col_type,
        published_at,
        title,
        summary,
        body,
    ) in rows.order_by("id"):
        text = searched_text(title, summary, body)
        documents.append(
            SearchDocument(
                item_id=pk,
                agency_id=agency,
                column_id=column,
                kind=group_for(doc_kind, col_kind, col_type),
                published_at=published_at,
                text=text,
            )
        )
        for gram in grams_of(text):
            postings.setdefault(gram, []).append(pk)
    SearchDocument.objects.bulk_create(documents, batch_size=500)
    SearchPosting.objects.bulk_create(
        (
            SearchPosting(gram=gram, block=block, count=len(ids), ids=_encode(ids))
            for gram, ids in postings.items()
        ),
        batch_size=1000,
    )
    return len(documents)


# --- queries --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    item: Item
    group: str
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchResult:
    words: list[str]
    groups: dict[str, list[Hit]] = field(default_factory=dict)
    total: int = 0
    approximate: bool = False

    @property
    def shown(self) -> int:
        return sum(len(hits) for hits in self.groups.values())


@dataclass(frozen=True)
class _Match:
    pk: int
    title_words: int
    published_at: dt.datetime
    kind: str
    text: str


def _filters(agency: Agency | None, column: Column | None, year: int | None) -> Q | None:
    """The conditions on the documents' agency, column and date (the result type is checked with
    the text, see `_verify`)."""
    conditions = Q()
    if agency is not None:
        subtree = Agency.objects.filter(path__startswith=agency.path).values("id")
        conditions &= Q(agency_id__in=subtree) if agency.path else Q(agency_id=agency.pk)
    if column is not None:
        ids = [column.pk, *Column.objects.filter(parent=column).values_list("id", flat=True)]
        conditions &= Q(column_id__in=ids)
    if year is not None:
        start = clock.start_of_day(dt.date(year, 1, 1))
        end = clock.start_of_day(dt.date(year + 1, 1, 1))
        conditions &= Q(published_at__gte=start, published_at__lt=end)
    return conditions if conditions.children else None


def _verify(
    rows: Iterable[tuple[int, dt.datetime, str, str]], words: list[str], kind: str | None
) -> list[_Match]:
    """The rows of the result type `kind` (any, None) that contain every word."""
    found: list[_Match] = []
    for pk, published_at, group, text in rows:
        if kind is not None and group != kind:
            continue
        lowered = normalise(text)
        if all(word in lowered for word in words):
            title = lowered.split("\n", 1)[0]
            in_title = sum(1 for word in words if word in title)
            found.append(_Match(pk, in_title, published_at, group, text))
    return found


_DOC_FIELDS = ("item_id", "published_at", "kind", "text")


def _scan(conditions: Q, words: list[str], kind: str | None) -> list[_Match]:
    """Verify every filtered document directly (the filters leave few)."""
    documents = SearchDocument.objects.filter(conditions)
    if kind is not None:
        documents = documents.filter(kind=kind)
    return _verify(documents.values_list(*_DOC_FIELDS).iterator(), words, kind)


# How long the ids a filter leaves are kept (they are also keyed by the content version).
FILTER_IDS_SECONDS = 600


def _filter_ids(conditions: Q) -> array[int]:
    """The sorted ids of the documents the filters leave. The same filters (a district, a year)
    come back again and again: outside a transaction the ids are cached under the content
    version, so that a search reads them once, not one filtered query per chunk of candidates."""
    sql, params = (
        SearchDocument.objects.filter(conditions).values_list("item_id").query.sql_with_params()
    )
    connection = transaction.get_connection()
    key = None
    if not connection.in_atomic_block:
        digest = hashlib.sha256(repr((public_version(), sql, params)).encode()).hexdigest()
        key = f"search:filter:{digest[:40]}"
        cached = cache.get(key)
        if cached is not None:
            return _decode(cached)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = _encode(row[0] for row in cursor.fetchall())
    if key is not None:
        cache.set(key, data, FILTER_IDS_SECONDS)
    return _decode(data)


def _in_block(ids: array[int], block: int) -> array[int]:
    """The part of the sorted `ids` that falls in the block."""
    start = bisect.bisect_left(ids, block << BLOCK_BITS)
    return ids[start : bisect.bisect_left(ids, (block + 1) << BLOCK_BITS, start)]


def _from_postings(
    words: list[str], allowed: array[int] | None, kind: str | None
) -> tuple[list[_Match], int, bool]:
    """Candidates from the posting lists, newest ids first, within the sorted ids `allowed` by the
    filters (None: no filter), of the result type `kind` (None: any). Candidates are verified
    VERIFY_CHUNK at a time, across blocks.
    Returns the matches, the total (exact or estimated) and whether it is an estimate."""
    grams = sorted(set().union(*(_word_grams(word) for word in words)))
    per_block: dict[int, dict[str, int]] = {}
    for chunk in _chunks(grams):
        pairs = SearchPosting.objects.filter(gram__in=chunk).values_list("block", "gram", "count")
        for block, gram, count in pairs:
            per_block.setdefault(block, {})[gram] = count
    totals: dict[str, int] = dict.fromkeys(grams, 0)
    for counts in per_block.values():
        for gram, count in counts.items():
            totals[gram] += count
    if not all(totals.values()):
        return [], 0, False  # some gram occurs nowhere
    driver = min(grams, key=lambda gram: totals[gram])
    blocks = sorted((b for b, counts in per_block.items() if driver in counts), reverse=True)
    in_block: dict[int, array[int]] = {}
    if allowed is not None:
        # Only the blocks holding filtered documents are read (a year's items are a few blocks).
        in_block = {block: _in_block(allowed, block) for block in blocks}
        blocks = [block for block in blocks if in_block[block]]
    driver_total = sum(per_block[block][driver] for block in blocks)
    matches: list[_Match] = []
    read = 0.0  # entries of the driver's posting list examined so far
    pending: list[int] = []  # candidates waiting to be verified
    pending_read = 0.0  # their share of the driver's entries

    def verify() -> None:
        nonlocal read, pending_read
        for chunk in _chunks(pending):
            documents = SearchDocument.objects.filter(item_id__in=chunk)
            matches.extend(_verify(documents.values_list(*_DOC_FIELDS), words, kind))
        read += pending_read
        pending.clear()
        pending_read = 0.0

    for batch in _chunks(blocks, 4):
        lists: dict[int, list[Any]] = {}
        wanted = [block for block in batch if len(per_block[block]) == len(grams)]
        for chunk in _chunks(grams):
            rows = SearchPosting.objects.filter(gram__in=chunk, block__in=wanted)
            for block, data in rows.values_list("block", "ids"):
                lists.setdefault(block, []).append(_decode(data))
        for block in batch:
            driver_size = per_block[block][driver]
            decoded = sorted(lists.get(block, []), key=len)
            candidates = set(in_block[block]) if allowed is not None else set()
            if decoded and allowed is None:
                candidates.update(decoded.pop(0))
            for other in decoded:
                candidates.intersection_update(other)
            ordered = sorted(candidates, reverse=True) if block in lists else []
            if not ordered:
                read += driver_size
                continue
            share = driver_size / len(ordered)
            start = 0
            while start < len(ordered):
                # Fill the pending chunk up to VERIFY_CHUNK; the next slice starts where this
                # one ended (candidates left over from the last block take part of the room).
                taken = ordered[start : start + VERIFY_CHUNK - len(pending)]
                start += len(taken)
                pending.extend(taken)
                pending_read += share * len(taken)
                if len(pending) < VERIFY_CHUNK:
                    continue
                verify()
                if len(matches) >= MAX_MATCHES:
                    estimate = round(len(matches) * driver_total / read)
                    return matches, max(estimate, len(matches)), estimate > len(matches)
    verify()
    return matches, len(matches), False


def _marker(words: list[str]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in ordered), re.IGNORECASE)


def highlight(text: str, words: list[str]) -> SafeString:
    """The text escaped, with every occurrence of a query word wrapped in <mark>."""
    if not words:
        return mark_safe(escape(text))  # noqa: S308 - escaped just now
    pattern = _marker(words)
    parts: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def snippet(text: str, words: list[str], width: int = 120) -> SafeString:
    """A window of the summary and body around the first match (or their start), highlighted."""
    rest = text.split("\n", 1)[1] if "\n" in text else ""
    found = _marker(words).search(rest) if words else None
    if found is None or found.start() < width // 3:
        window = rest[:width]
        prefix = ""
    else:
        start = found.start() - width // 3
        window = rest[start : start + width]
        prefix = "…"
    suffix = "…" if len(rest) > len(prefix) + len(window) and not rest.endswith(window) else ""
    return mark_safe(f"{escape(prefix)}{highlight(window, words)}{escape(suffix)}")  # noqa: S308


def search(
    query: str,
    *,
    agency: Agency | None = None,
    column: Column | None = None,
    year: int | None = None,
    kind: str | None = None,
    limit: int = 200,
) -> SearchResult:
    """Search the published items; see the module docstring for the contract."""
    words = query_words(query)
    result = SearchResult(words=words)
    if not words:
        return result
    if kind not in GROUPS:
        kind = None
    conditions = _filters(agency, column, year)
    allowed = _filter_ids(conditions) if conditions is not None else None
    if conditions is not None and allowed is not None and len(allowed) <= SCAN_LIMIT:
        matches = _scan(conditions, words, kind)
        result.total = len(matches)
    else:
        matches, result.total, result.approximate = _from_postings(words, allowed, kind)
    matches.sort(key=lambda m: (m.title_words, m.published_at, m.pk), reverse=True)
    top = matches[:limit]
    items = (
        Item.objects.select_related("agency", "column").defer("body").in_bulk([m.pk for m in top])
    )
    groups: dict[str, list[Hit]] = {key: [] for key in GROUPS}
    for match in top:
        item = items.get(match.pk)
        if item is None or item.status != ItemStatus.PUBLISHED:
            continue  # withdrawn after the index was read
        groups[match.kind].append(
            Hit(
                item=item,
                group=match.kind,
                title_html=highlight(item.title, words),
                snippet_html=snippet(match.text, words),
            )
        )
    result.groups = {key: hits for key, hits in groups.items() if hits}
    return result
