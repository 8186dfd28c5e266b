"""The portal's content version follows every change to what the portal shows, by itself.

The anonymous portal pages are cached under `search.public_version()`. Instead of each service
remembering to bump it, receivers on the public-facing models (`PUBLIC_MODELS`, connected in
`PublishingConfig.ready`) note a change whenever such a row is saved or deleted — by a service, the
demo loader, the admin or a shell — and the version is bumped once, when the transaction commits:

- once per transaction: a service that saves ten columns bumps once;
- on commit: a rolled-back transaction (or savepoint) bumps nothing, and the version row is locked
  only for the moment of the bump, not for the whole writing transaction;
- outside a transaction (autocommit) the bump runs at once.

Receivers rather than a decorator on the services: a new service, a loader or an admin action that
saves a public row is covered without anyone remembering anything. Rows of items the portal does
not show are left out (a draft item, its attachments, a draft 政策解读's links). Django sends no
signal for `bulk_create`, `bulk_update` or `QuerySet.update`: code that writes public rows that
way calls `public_content_changed(agencies=…, items=…)` itself (grep for them when adding one),
naming what it wrote: `content_written` then tells the portal's stored pages (`portal/pages.py`).

In tests the test's own transaction never commits: wrap the change in pytest-django's
`django_capture_on_commit_callbacks(execute=True)` to see the bump.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from gongkai.publishing import search
from gongkai.publishing.models import (
    Attachment,
    Column,
    InterpretationLink,
    Item,
    ItemStatus,
    RetiredColumnSlug,
)

# Statuses whose items the portal shows, or showed until this very save (a withdrawal).
_VISIBLE_STATUSES = frozenset({ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN})


# Bumps run per connection (one per thread): how many this connection has run after a commit.
_bumps_run: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


class _BumpOnCommit:
    """A bump that runs after the commit, unless another bump of the same commit ran first.

    A transaction may register several (one per nested block that changed public rows); each
    remembers how many bumps its connection had run when it was registered, and only the first to
    run after the commit bumps.
    """

    def __init__(self, connection: Any) -> None:
        self.generation = _bumps_run.get(connection, 0)
        self.savepoints = frozenset(connection.savepoint_ids)
        # Django names a failing robust callback by its __qualname__.
        self.__qualname__ = "publishing.signals.public_version_bump_on_commit"

    def __call__(self) -> None:
        connection = transaction.get_connection()
        if _bumps_run.get(connection, 0) != self.generation:
            return  # this commit's bump has run
        _bumps_run[connection] = self.generation + 1
        # After the commit, in autocommit mode: the bump locks the version row in its own
        # transaction.
        with transaction.atomic():
            search.public_version_bump()


# Sent, in the writing transaction, by `public_content_changed` for public rows written without
# model signals (bulk_create, bulk_update, QuerySet.update): `agencies` whose columns or items were
# written in bulk, `items` written one by one. The portal's stored pages listen.
content_written = Signal()


def public_content_changed(*, agencies: Iterable[int] = (), items: Iterable[int] = ()) -> None:
    """Bump the portal's content version once the current transaction commits (now, outside one).

    Code that wrote public rows without model signals names what it wrote: `agencies` whose
    columns or lists changed, `items` written. The bump is registered before `content_written` is
    sent, so that its receivers' own after-commit work runs after the bump.
    """
    _bump_on_commit()
    agencies, items = set(agencies), set(items)
    if agencies or items:
        content_written.send(sender=None, agencies=agencies, items=items)


def _bump_on_commit() -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        with transaction.atomic():
            search.public_version_bump()
        return
    # Consecutive changes in the same block register one bump. Django drops the callbacks of a
    # rolled-back savepoint, so a rolled-back change leaves no bump behind.
    # Other callbacks (the portal's page renders) may have been registered since the last bump:
    # look back to it.
    pending = next(
        (
            callback
            for _, callback, _ in reversed(connection.run_on_commit)
            if isinstance(callback, _BumpOnCommit)
        ),
        None,
    )
    if (
        pending is not None
        and pending.generation == _bumps_run.get(connection, 0)
        and pending.savepoints == frozenset(connection.savepoint_ids)
    ):
        return
    # Robust: the change itself is committed by then; a failed bump only leaves cached pages to
    # expire (page_cache.PAGE_SECONDS) and must not turn the saved change into an error.
    transaction.on_commit(_BumpOnCommit(connection), robust=True)


def _item_changed(instance: Item, **kwargs: Any) -> None:
    if instance.status in _VISIBLE_STATUSES:
        public_content_changed()


def _attachment_changed(instance: Attachment, **kwargs: Any) -> None:
    if Item.objects.filter(pk=instance.item_id, status__in=_VISIBLE_STATUSES).exists():
        public_content_changed()


def _link_changed(instance: InterpretationLink, **kwargs: Any) -> None:
    # A link shows on both items' pages once the 政策解读 is published.
    if Item.objects.filter(pk=instance.interpretation_id, status__in=_VISIBLE_STATUSES).exists():
        public_content_changed()


def _always_changed(**kwargs: Any) -> None:
    public_content_changed()


PUBLIC_MODELS: dict[type[Any], Any] = {
    Item: _item_changed,
    Attachment: _attachment_changed,
    InterpretationLink: _link_changed,
    Column: _always_changed,
    RetiredColumnSlug: _always_changed,
}


def connect() -> None:
    """Connect the receivers (from `PublishingConfig.ready`; connecting twice is harmless)."""
    for model, receiver in PUBLIC_MODELS.items():
        uid = f"publishing.public_content:{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}:delete")
