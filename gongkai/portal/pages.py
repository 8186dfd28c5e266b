"""Public pages rendered when their content changes, not when someone visits them (发布即生成).

The 政府信息公开 pages a visitor lands on — an item page, a column's first page, an agency's
政府信息公开 page — are rendered ahead of any visit and stored in `RenderedPage`, as the CMSs behind
most government sites publish static pages. A visit reads one row and puts its parts into the
site's layout: no template is rendered and no catalogue query runs on the visitor's request, so a
page seen for the first time costs about what a cached one does. Anything else (a later page of a
column, a filter, a page not rendered yet) is rendered on the visit as before (`page_cache`).

- **Parts and shell.** A stored page holds only its own parts — the blocks of `parts.html`, in
  `PARTS` order: title, meta tags, body class, main class, content, scripts — rendered from the
  page's own template with `base_template="portal/parts.html"`. The layout around them (header,
  footer, 关怀模式) is rendered once per process from `shell.html`, with a slot where each part
  goes and one for the visitor's path, and in both modes (`Shell`). Rendering a stored page
  and serving it gives the same bytes as rendering it on the visit (tested).
- **Fingerprint.** Each row records the fingerprint of the templates, the portal's code and the
  site settings it was rendered with; only rows with the running code's fingerprint are served.
  After an upgrade the old rows are ignored (pages render on visits) until `gongkai portal_render`
  or the periodic job has rendered them again.
- **Invalidation, in the changing transaction.** Receivers on the public rows (items, attachments,
  政策解读 links, columns, agencies) delete the affected rows in the same transaction as the
  change, so a committed change is never shown stale: an item's page and those of the items
  linked to it, its agency's column and section pages; everything of an agency when its columns or
  profile change. Bulk writes say what they changed through `publishing.signals.content_written`.
- **Rendering again, after the commit.** The affected pages are rendered again once the change has
  committed (and the content version been bumped): at once for a few pages (a publication), by a
  background job for more (`RENDER_INLINE_MAX`). A job that read the content before a change and
  writes after it is refused by the content-version check in `_store`, and retried.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template import loader
from django.template.defaultfilters import urlencode
from django.utils.html import conditional_escape

from gongkai.agencies.models import Agency
from gongkai.core import clock
from gongkai.portal.models import PageKind, RenderedPage
from gongkai.portal.page_cache import ELDERLY_COOKIE, cacheable
from gongkai.portal.publishing_context import (
    column_context,
    item_context,
    section_context,
)
from gongkai.publishing import search
from gongkai.publishing.models import (
    Attachment,
    Column,
    ColumnKind,
    InterpretationLink,
    Item,
    ItemStatus,
    SearchIndexState,
)
from gongkai.publishing.selectors import PUBLIC_STATUSES, item_years_public, items_public
from gongkai.publishing.signals import public_content_changed

logger = logging.getLogger(__name__)

PARTS = ("title", "meta", "body_class", "main_class", "content", "scripts")
PART_SEPARATOR = "<!--gk:part-->"
PARTS_TEMPLATE = "portal/parts.html"
SHELL_TEMPLATE = "portal/shell.html"
# Where the visitor's path goes in the shell (the 关怀模式 link's `next`): a value that the
# `urlencode` filter and autoescaping leave as it is.
PATH_SLOT = "/gk-slot-path/"
_SLOTS = re.compile(r"<!--gk:slot:(\w+)-->|" + re.escape(PATH_SLOT))
# Bump when what a stored page shows changes in a way the fingerprinted files do not see.
RENDER_VERSION = 1
# Columns whose address shows another page (the guide, the reports area): not stored.
_UNSTORED_KINDS = (ColumnKind.GUIDE, ColumnKind.ANNUAL_REPORT)
# A change touching at most this many pages renders them at once, after its commit; more go to
# the background job.
RENDER_INLINE_MAX = 40
# Rows written per transaction by a bulk render.
BATCH = 200
_VISIBLE = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)

_PACKAGE = Path(__file__).resolve().parents[1]


# The parts of the package a stored page's bytes can depend on: its templates, the portal, the
# catalogue's models, selectors and labels, agencies, and core (context processors, clock).
_DEPENDENCIES = ("templates", "portal", "publishing", "agencies", "core", "__init__.py")


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The code, templates and site settings a stored page depends on, hashed (once per process).

    Every Python file and template of `_DEPENDENCIES`, not only the page templates: a page shows
    display labels, selectors' choices and context processors' values from across them, and an
    upgrade of any must not leave old pages served. A deployment that changes them renders the
    pages again (`render_missing_pages`, `gongkai portal_render --missing`).
    """
    digest = hashlib.sha256(f"v{RENDER_VERSION} django {django.get_version()}".encode())
    for name in _DEPENDENCIES:
        root = _PACKAGE / name
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.suffix in (".py", ".html", ".txt", ".xml") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_PACKAGE)).encode())
                digest.update(path.read_bytes())
    for name in (
        "GONGKAI_SITE_NAME",
        "GONGKAI_SITE_DOMAIN",
        "GONGKAI_SITE_ID_CODE",
        "GONGKAI_ICP",
        "GONGKAI_PSB",
        "STATIC_URL",
        "TIME_ZONE",
        "LANGUAGE_CODE",
    ):
        digest.update(f"{name}={getattr(settings, name, '')}".encode())
    return digest.hexdigest()[:16]


# --- the shell and serving ------------------------------------------------------------------------


def _render_request(path: str, *, elderly: bool = False) -> HttpRequest:
    """A bare anonymous GET for rendering outside a visit (no session, no messages)."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80", "QUERY_STRING": ""}
    request.COOKIES = {ELDERLY_COOKIE: "1"} if elderly else {}
    return request


@dataclass(frozen=True)
class Shell:
    """The site's layout, cut at its slots: literal, slot name, literal, …, literal."""

    literals: tuple[str, ...]
    slots: tuple[str, ...]

    @classmethod
    def render(cls, *, elderly: bool) -> Shell:
        html = loader.render_to_string(
            SHELL_TEMPLATE, {}, _render_request(PATH_SLOT, elderly=elderly)
        )
        literals: list[str] = []
        slots: list[str] = []
        position = 0
        for match in _SLOTS.finditer(html):
            literals.append(html[position : match.start()])
            slots.append(match.group(1) or "path")
            position = match.end()
        literals.append(html[position:])
        missing = set(PARTS) - set(slots)
        if missing:
            raise RuntimeError(f"shell.html has no slot for {sorted(missing)}")
        return cls(tuple(literals), tuple(slots))

    def fill(self, parts: dict[str, str]) -> str:
        out = [self.literals[0]]
        for slot, literal in zip(self.slots, self.literals[1:], strict=True):
            out.append(parts[slot])
            out.append(literal)
        return "".join(out)


_shells: dict[tuple[str, bool], Shell] = {}
_shells_lock = threading.Lock()


def shell(*, elderly: bool) -> Shell:
    key = (fingerprint(), elderly)
    found = _shells.get(key)
    if found is None:
        found = Shell.render(elderly=elderly)
        with _shells_lock:
            _shells[key] = found
    return found


def compose(stored: bytes, request: HttpRequest) -> bytes | None:
    """The whole page for this visit from a stored row's parts (None if the row is unreadable)."""
    values = zlib.decompress(stored).decode().split(PART_SEPARATOR)
    if len(values) != len(PARTS):
        return None
    parts = dict(zip(PARTS, values, strict=True))
    parts["path"] = str(conditional_escape(urlencode(request.get_full_path())))
    elderly = request.COOKIES.get(ELDERLY_COOKIE) == "1"
    return shell(elderly=elderly).fill(parts).encode()


def stored_parts(path: str) -> bytes | None:
    """The stored parts of the page at `path`, if rendered with the running code's fingerprint."""
    # Raw SQL: the ORM's query building would cost as much as the rest of the visit. The table
    # is RenderedPage's (its Meta names it).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT parts FROM portal_renderedpage WHERE path = %s AND fingerprint = %s",
            [path, fingerprint()],
        )
        row = cursor.fetchone()
    return None if row is None else bytes(row[0])


View = Callable[..., HttpResponse]


def stored_page(view: View) -> View:
    """Answer an anonymous visit without a query string from the stored page, when there is one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if cacheable(request) and not request.META.get("QUERY_STRING"):
            stored = stored_parts(request.path)
            page = compose(stored, request) if stored is not None else None
            if page is not None:
                return HttpResponse(page, content_type="text/html; charset=utf-8")
        return view(request, *args, **kwargs)

    return wrapper


# --- rendering ------------------------------------------------------------------------------------


def item_path(agency_slug: str, pk: int) -> str:
    return f"/agency/{agency_slug}/info/{pk}/"


def column_path(agency_slug: str, column_slug: str) -> str:
    return f"/agency/{agency_slug}/gk/{column_slug}/"


def section_path(agency_slug: str) -> str:
    return f"/agency/{agency_slug}/gk/"


def render_parts(template: str, context: dict[str, Any], path: str) -> bytes | None:
    """A page's parts, joined and compressed (None if a part holds the separator itself)."""
    html = loader.get_template(template).render(
        {**context, "base_template": PARTS_TEMPLATE}, _render_request(path)
    )
    if html.count(PART_SEPARATOR) != len(PARTS) - 1:
        logger.warning("page %s not stored: a part holds the part separator", path)
        return None
    return zlib.compress(html.encode(), 6)


@dataclass
class _Rendered:
    rows: list[RenderedPage] = field(default_factory=list)

    def add(self, path: str, kind: str, agency_id: int, item_id: int | None, parts: bytes | None):
        if parts is not None:
            self.rows.append(
                RenderedPage(
                    path=path,
                    kind=kind,
                    agency_id=agency_id,
                    item_id=item_id,
                    parts=parts,
                    fingerprint=fingerprint(),
                    rendered_at=clock.now(),
                )
            )


def _render_items(ids: Sequence[int], out: _Rendered) -> None:
    """The pages of these items (those still public), their attachments and links read in bulk."""
    items = list(
        items_public()
        .select_related("agency__parent", "column__parent")
        .filter(pk__in=ids)
        .order_by()
    )
    if not items:
        return
    found = [item.pk for item in items]
    attachments: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in Attachment.objects.filter(item_id__in=found, is_current=True):
        attachments[attachment.item_id].append(attachment)
    linked = _linked_items(found)
    no_links: dict[str, list[Item]] = {"interprets": [], "interpretations": []}
    for item in items:
        path = item_path(item.agency.slug, item.pk)
        context = item_context(
            item,
            attachments=attachments.get(item.pk, []),
            links=None if item.pk in linked else no_links,
        )
        parts = render_parts("portal/publishing/item.html", context, path)
        out.add(path, PageKind.ITEM, item.agency_id, item.pk, parts)


def _render_lists(agency_ids: Iterable[int], out: _Rendered) -> None:
    """The section page and every stored column's first page of these agencies."""
    ids = list(agency_ids)
    children = Column.objects.filter(parent=OuterRef("pk"))
    columns: dict[int, list[Any]] = defaultdict(list)
    for column in (
        Column.objects.filter(agency_id__in=ids)
        .exclude(kind__in=_UNSTORED_KINDS)
        .select_related("agency__parent", "parent")
        .annotate(has_children=Exists(children))
        .order_by("agency_id", "order", "id")
    ):
        columns[column.agency_id].append(column)
    for agency in Agency.objects.filter(pk__in=ids).select_related("parent"):
        path = section_path(agency.slug)
        parts = render_parts("portal/publishing/section.html", section_context(agency), path)
        out.add(path, PageKind.SECTION, agency.pk, None, parts)
        years = item_years_public(agency)
        for column in columns.get(agency.pk, []):
            column.agency = agency
            path = column_path(agency.slug, column.slug)
            context = column_context(column, QueryDict(), years=years)
            parts = render_parts("portal/publishing/column.html", context, path)
            out.add(path, PageKind.COLUMN, agency.pk, None, parts)


def _store(rows: list[RenderedPage], version: int) -> bool:
    """Write the rows unless the content changed since they were read (then False: render again).

    The version is read after the writes, in their transaction, with the row lock every bump
    takes: a change whose bump committed before is seen and the rows are dropped; a bump waits for
    this commit, and its change's own after-commit step then deletes and renders its pages again.
    On PostgreSQL the transaction gives up after half a second of waiting for a lock (and is
    retried): a clerk's publishing transaction that deletes the same rows never waits on a render,
    nor dies in a deadlock with one.
    """
    if not rows:
        return True
    rows = sorted(rows, key=lambda row: row.path)
    # Only in a transaction of its own: SET LOCAL would outlive a savepoint in a caller's one.
    bounded = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        with transaction.atomic():
            if bounded:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '500ms'")
            RenderedPage.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["path"],
                update_fields=["kind", "agency", "item", "parts", "fingerprint", "rendered_at"],
            )
            current = (
                SearchIndexState.objects.select_for_update()
                .filter(pk=1)
                .values_list("version", flat=True)
                .first()
            )
            if int(current or 0) != version:
                transaction.set_rollback(True)
                return False
    except OperationalError as exc:
        if _lock_not_granted(exc):
            return False  # render again
        raise
    return True


def _lock_not_granted(exc: OperationalError) -> bool:
    """A lock wait given up (PostgreSQL's lock_timeout) or SQLite's busy database: retryable.
    Anything else (a lost connection) is not."""
    cause = exc.__cause__
    if cause is not None and type(cause).__name__ == "LockNotAvailable":
        return True
    return "database is locked" in str(exc)


def _version_now() -> int:
    with transaction.atomic():  # inside a transaction public_version reads the database
        return search.public_version()


def render_pages(
    *,
    items: Iterable[int] = (),
    lists: Iterable[int] = (),
    agencies: Iterable[int] = (),
    columns: Iterable[int] = (),
) -> int:
    """Render and store the pages of these items, the list pages (section and columns) of the
    agencies in `lists`, every page of the agencies in `agencies`, and the item pages of the
    `columns`. Returns the pages stored."""
    item_ids = set(items)
    list_ids = set(lists) | set(agencies)
    item_ids |= _public_item_ids("column_id", columns) | _public_item_ids("agency_id", agencies)
    stored = 0
    ordered = sorted(item_ids)
    batches: list[tuple[str, list[int]]] = [
        ("items", ordered[i : i + BATCH]) for i in range(0, len(ordered), BATCH)
    ]
    agencies_list = sorted(list_ids)
    batches += [("lists", agencies_list[i : i + 5]) for i in range(0, len(agencies_list), 5)]
    for kind, ids in batches:
        for _attempt in range(5):
            try:
                version = _version_now()
            except OperationalError as exc:
                if not _lock_not_granted(exc):
                    raise
                continue
            out = _Rendered()
            if kind == "items":
                _render_items(ids, out)
            else:
                _render_lists(ids, out)
            if _store(out.rows, version):
                stored += len(out.rows)
                break
        else:
            # The content kept changing under this batch: its pages render on visits until the
            # next change or the periodic job stores them.
            logger.warning("stored pages not written after 5 attempts: %s %s", kind, ids[:5])
    return stored


def render_all(
    *,
    agency: Agency | None = None,
    missing_only: bool = False,
    shard: tuple[int, int] = (0, 1),
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Render every stored page (of one agency, or all); `missing_only` skips pages already stored
    with the running fingerprint; `shard` (k, n) takes the k-th of n parts, for parallel runs;
    `limit` stops after about that many pages (the periodic job)."""
    index, parts = shard
    agencies = Agency.objects.order_by("id")
    if agency is not None:
        agencies = agencies.filter(pk=agency.pk)
    current = RenderedPage.objects.filter(fingerprint=fingerprint())
    agency_ids = [pk for pk in agencies.values_list("id", flat=True) if pk % parts == index]
    stored = 0
    items = Item.objects.filter(status__in=PUBLIC_STATUSES)
    if agency is not None:
        items = items.filter(agency=agency)
    if missing_only:
        items = items.exclude(Exists(current.filter(item_id=OuterRef("pk"), kind=PageKind.ITEM)))
    last = 0
    while True:
        chunk = list(
            items.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[: BATCH * parts]
        )
        if not chunk:
            break
        last = chunk[-1]
        mine = [pk for pk in chunk if pk % parts == index]
        stored += render_pages(items=mine)
        if progress:
            progress(stored)
        if limit is not None and stored >= limit:
            return stored
    if missing_only:
        done = set(
            current.filter(kind=PageKind.SECTION, agency_id__in=agency_ids).values_list(
                "agency_id", flat=True
            )
        )
        agency_ids = [pk for pk in agency_ids if pk not in done]
    for start in range(0, len(agency_ids), 100):
        stored += render_pages(lists=agency_ids[start : start + 100])
        if progress:
            progress(stored)
        if limit is not None and stored >= limit:
            break
    return stored


# --- invalidation ---------------------------------------------------------------------------------


@dataclass
class _Pending:
    """Pages deleted by the current transaction, to render again after its commit."""

    owner: Any = None  # the outermost atomic block they were deleted in
    items: set[int] = field(default_factory=set)
    lists: set[int] = field(default_factory=set)
    agencies: set[int] = field(default_factory=set)
    columns: set[int] = field(default_factory=set)

    def size(self) -> int:
        return (
            len(self.items) + 20 * len(self.lists) + 1000 * (len(self.agencies) + len(self.columns))
        )

    def arguments(self) -> dict[str, list[int]]:
        return {
            "items": sorted(self.items),
            "lists": sorted(self.lists),
            "agencies": sorted(self.agencies),
            "columns": sorted(self.columns),
        }


_pending = threading.local()


def _pending_for_transaction() -> _Pending:
    """This thread's pending pages, for its current outermost transaction: what an earlier
    transaction left (rolled back, so never taken by a commit) is dropped."""
    atomic_blocks = transaction.get_connection().atomic_blocks
    owner = atomic_blocks[0] if atomic_blocks else None
    found: _Pending | None = getattr(_pending, "value", None)
    if found is None or found.owner is not owner:
        found = _pending.value = _Pending(owner=owner)
    return found


def _render_after_commit() -> None:
    pending: _Pending | None = getattr(_pending, "value", None)
    _pending.value = None
    if pending is None or not pending.size():
        return  # an earlier callback of the same commit took them
    # Forget once more, now that the content version has been bumped (the bump's callback was
    # registered first): a render that read the old content and wrote before the bump is undone.
    _delete(pending.items, pending.lists, pending.agencies, pending.columns)
    if pending.size() <= RENDER_INLINE_MAX:
        render_pages(**pending.arguments())
        return
    from gongkai.portal.tasks import render_pages_job

    render_pages_job(**pending.arguments())


def _delete(
    items: Iterable[int], lists: Iterable[int], agencies: Iterable[int], columns: Iterable[int]
) -> None:
    items, lists, agencies, columns = list(items), list(lists), list(agencies), list(columns)
    condition = Q(pk__in=[])
    if items:
        condition |= Q(item_id__in=items)
    if lists:
        condition |= Q(agency_id__in=lists, item__isnull=True)
    if agencies:
        condition |= Q(agency_id__in=agencies)
    if columns:
        condition |= Q(item__column_id__in=columns)
    RenderedPage.objects.filter(condition).delete()


def forget(
    *,
    items: Iterable[int] = (),
    lists: Iterable[int] = (),
    agencies: Iterable[int] = (),
    columns: Iterable[int] = (),
    bump: bool = True,
) -> None:
    """Delete these pages now (in the caller's transaction) and render them again after it
    commits: items' pages, agencies' list pages (`lists`), all of an agency's pages, the item
    pages of columns. With `bump`, the content version is bumped at the same commit, first
    (callers whose change publishing.signals bumps for already pass False)."""
    items, lists, agencies, columns = set(items), set(lists), set(agencies), set(columns)
    if not (items or lists or agencies or columns):
        return
    if bump:
        public_content_changed()
    _delete(items, lists, agencies, columns)
    pending = _pending_for_transaction()
    pending.items |= items
    pending.lists |= lists
    pending.agencies |= agencies
    pending.columns |= columns
    # Robust: the change itself is committed by then; a failed render leaves the pages to be
    # rendered on visits (and by the periodic job), never a stale page.
    transaction.on_commit(_render_after_commit, robust=True)


def _link_ends(condition: Q) -> set[int]:
    """Both items of every 政策解读 link matching the condition."""
    found: set[int] = set()
    for pair in InterpretationLink.objects.filter(condition).values_list(
        "interpretation_id", "policy_id"
    ):
        found.update(pair)
    return found


def _linked_items(ids: Iterable[int]) -> set[int]:
    """The items linked to these (and these, where they have links), 500 ids per query."""
    ids = sorted(set(ids))
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found |= _link_ends(Q(interpretation_id__in=chunk) | Q(policy_id__in=chunk))
    return found


def _public_item_ids(field: str, values: Iterable[int]) -> set[int]:
    """The public items whose `field` (column_id, agency_id) is one of the values, 50 per query."""
    values = sorted(set(values))
    found: set[int] = set()
    for start in range(0, len(values), 50):
        chunk = values[start : start + 50]
        found.update(
            items_public().filter(**{f"{field}__in": chunk}).order_by().values_list("id", flat=True)
        )
    return found


# What a stored page shows of an agency and of a column (the crumbs, the metadata, the links);
# other fields of theirs (an agency's phone number, a column's order or intro) change list pages
# at most.
_AGENCY_SHOWN = ("name", "short_name", "slug")
_COLUMN_SHOWN = ("name", "slug", "parent_id")


def _remember_shown(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """pre_save: note what the row showed before this save (one query; none for a new row)."""
    shown = _AGENCY_SHOWN if sender is Agency else _COLUMN_SHOWN
    instance._portal_shown = None
    if instance.pk is None or (
        update_fields is not None
        and not {f.removesuffix("_id") for f in shown}
        & {f.removesuffix("_id") for f in update_fields}
    ):
        return
    instance._portal_shown = sender.objects.filter(pk=instance.pk).values_list(*shown).first()


def _shown_changed(instance: Any, shown: tuple[str, ...]) -> bool:
    before = getattr(instance, "_portal_shown", None)
    return before is not None and before != tuple(getattr(instance, f) for f in shown)


# Item, attachment, link and column receivers: publishing.signals (connected first) registers the
# content version's bump for the same saves, before these register their render.


def _item_changed(instance: Item, **kwargs: Any) -> None:
    # As publishing.signals: a public item, or one withdrawn by this save (PUBLISHED only ever
    # becomes WITHDRAWN, states.TRANSITIONS).
    if instance.status in _VISIBLE:
        forget(
            items={instance.pk} | _linked_items([instance.pk]),
            lists={instance.agency_id},
            bump=False,
        )


def _attachment_changed(instance: Attachment, **kwargs: Any) -> None:
    forget(items={instance.item_id}, bump=False)


def _link_changed(instance: InterpretationLink, **kwargs: Any) -> None:
    forget(items={instance.interpretation_id, instance.policy_id}, bump=False)


def _column_changed(instance: Column, **kwargs: Any) -> None:
    columns: set[int] = set()
    if _shown_changed(instance, _COLUMN_SHOWN):
        # Its items' pages show its name, address and type; its sub-columns' items its name.
        columns = {
            instance.pk,
            *Column.objects.filter(parent=instance).values_list("id", flat=True),
        }
    forget(lists={instance.agency_id}, columns=columns, bump=False)


def _retired_slug_changed(instance: Any, **kwargs: Any) -> None:
    forget(lists={instance.agency_id}, bump=False)


def _agency_changed(instance: Agency, **kwargs: Any) -> None:
    if kwargs.get("signal") is post_delete or _shown_changed(instance, _AGENCY_SHOWN):
        # Its name and address show on all its pages, and on the pages linked to its items.
        linked = _link_ends(Q(interpretation__agency=instance) | Q(policy__agency=instance))
        forget(agencies={instance.pk}, items=linked)


def _content_written(
    sender: Any, *, agencies: Iterable[int], items: Iterable[int], **kwargs: Any
) -> None:
    items = set(items)
    # public_content_changed, which sent this, has registered the bump.
    forget(lists=agencies, items=items | _linked_items(items), bump=False)


def connect() -> None:
    """Connect the receivers (from `PortalConfig.ready`; connecting twice is harmless)."""
    from gongkai.publishing.models import RetiredColumnSlug
    from gongkai.publishing.signals import content_written

    receivers: dict[type[Any], Callable[..., None]] = {
        Item: _item_changed,
        Attachment: _attachment_changed,
        InterpretationLink: _link_changed,
        Column: _column_changed,
        RetiredColumnSlug: _retired_slug_changed,
        Agency: _agency_changed,
    }
    for model, receiver in receivers.items():
        uid = f"portal.pages:{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}:delete")
    for model in (Agency, Column):
        pre_save.connect(
            _remember_shown, sender=model, dispatch_uid=f"portal.pages:{model._meta.label}:pre"
        )
    content_written.connect(_content_written, dispatch_uid="portal.pages:content_written")
