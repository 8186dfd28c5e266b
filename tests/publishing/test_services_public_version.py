"""The portal's content version follows every public change by itself (publishing/signals.py):
publish, withdraw, republish, 有效性, column edits and 政策解读 links each bump it once, when the
transaction commits; drafts, non-public registers and rolled-back work bump nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from gongkai.publishing import search
from gongkai.publishing.models import Column, ColumnKind, DocKind, InterpretationLink, ItemStatus
from gongkai.publishing.services import (
    channel_create,
    channel_stat_set,
    column_add,
    column_delete,
    column_move,
    column_restore,
    column_set_intro,
    column_update,
    item_reopen,
    item_set_validity,
    item_submit_for_review,
    item_update,
    item_withdraw,
)
from tests.publishing.test_services import approve_all

Counted = Callable[[Callable[[], Any]], int]


@pytest.fixture
def bumps(monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> Counted:
    """bumps(change) → how many times the change bumped the version once its transaction
    committed (the test's own transaction never commits: the on-commit callbacks are run here)."""
    calls: list[int] = []
    real_bump = search.public_version_bump

    def counting_bump() -> None:
        calls.append(1)
        real_bump()

    monkeypatch.setattr(search, "public_version_bump", counting_bump)

    def count(change: Callable[[], Any]) -> int:
        calls.clear()
        before = search.public_version()
        with django_capture_on_commit_callbacks(execute=True):
            change()
            assert calls == []  # nothing before the commit
        if calls:
            assert search.public_version() > before
        return len(calls)

    return count


@pytest.fixture
def admin(user_named: Any) -> Any:
    return user_named("songcun_admin")


@pytest.fixture
def publish(user_named: Any) -> Callable[[Any], Any]:
    def do(item: Any) -> Any:
        approve_all(
            item_submit_for_review(actor=user_named("songcun_clerk"), item=item), user_named
        )
        item.refresh_from_db()
        assert item.status == ItemStatus.PUBLISHED
        return item

    return do


def test_publish_withdraw_and_republish_each_bump_once(
    bumps: Counted, make_item: Any, publish: Any, user_named: Any
) -> None:
    clerk, leader = user_named("songcun_clerk"), user_named("songcun_leader")
    item = make_item()
    # Drafting and reviewing do not change what the portal shows.
    assert bumps(lambda: item_update(actor=clerk, item=item, title="宋村镇道路维修通告")) == 0
    assert bumps(lambda: item_submit_for_review(actor=clerk, item=item)) == 0
    item.refresh_from_db()
    assert bumps(lambda: approve_all(item.reviews.get(), user_named)) == 1
    assert bumps(lambda: item_withdraw(actor=leader, item=item, reason="日期有误")) == 1
    item.refresh_from_db()
    # Reopened, the withdrawn item is a draft again: still not on the portal.
    assert bumps(lambda: item_reopen(actor=clerk, item=item, reason="更正后重新发布")) == 0
    item.refresh_from_db()
    assert bumps(lambda: publish(item)) == 1


def test_validity_of_a_published_document_bumps(
    bumps: Counted, make_item: Any, publish: Any, user_named: Any
) -> None:
    policy = publish(make_item(doc_kind=DocKind.NORMATIVE, doc_number="宋政发〔2026〕3号"))
    change = lambda: item_set_validity(  # noqa: E731
        actor=user_named("songcun_clerk"),
        item=policy,
        validity="repealed",
        changed_on=dt.date(2026, 11, 25),
    )
    assert bumps(change) == 1


def test_every_column_edit_bumps_once(bumps: Counted, songcun: Any, admin: Any) -> None:
    added: list[Column] = []
    assert (
        bumps(lambda: added.append(column_add(actor=admin, agency=songcun, name="专题专栏"))) == 1
    )
    column = added[0]
    assert bumps(lambda: column_update(actor=admin, column=column, name="专题")) == 1
    # A move rewrites the order of every sibling: still one bump.
    assert bumps(lambda: column_move(actor=admin, column=column, direction="up")) == 1
    guide = Column.objects.get(agency=songcun, kind=ColumnKind.GUIDE)
    assert bumps(lambda: column_set_intro(actor=admin, column=guide, intro="<p>指南</p>")) == 1
    # Deleting an empty column retires its slug and deletes the row: one bump.
    assert bumps(lambda: column_delete(actor=admin, column=column)) == 1


def test_archiving_and_restoring_a_column_bump(
    bumps: Counted, admin: Any, column: Any, make_item: Any
) -> None:
    make_item()
    assert bumps(lambda: column_delete(actor=admin, column=column)) == 1
    assert bumps(lambda: column_restore(actor=admin, column=column)) == 1


def test_links_bump_once_the_interpretation_is_published(
    bumps: Counted, make_item: Any, publish: Any, user_named: Any
) -> None:
    policy = publish(make_item(doc_kind=DocKind.NORMATIVE, doc_number="宋政发〔2026〕3号"))
    other = publish(make_item(doc_kind=DocKind.NORMATIVE, doc_number="宋政发〔2026〕4号"))
    reading = make_item(doc_kind=DocKind.INTERPRETATION)
    clerk = user_named("songcun_clerk")
    # A draft interpretation's links are not shown.
    assert bumps(lambda: item_update(actor=clerk, item=reading, interprets=[policy])) == 0
    assert bumps(lambda: publish(reading)) == 1
    # A link written outside the services (the demo loader, the admin) is seen as well.
    assert (
        bumps(lambda: InterpretationLink.objects.create(interpretation=reading, policy=other)) == 1
    )
    assert bumps(lambda: InterpretationLink.objects.filter(policy=other).delete()) == 1


def test_channel_statistics_are_not_public_and_do_not_bump(
    bumps: Counted, songcun: Any, admin: Any
) -> None:
    channel = channel_create(actor=admin, agency=songcun, kind="website", name="宋村镇门户网站")
    change = lambda: channel_stat_set(  # noqa: E731
        actor=admin, channel=channel, year=2026, month=10, items=12, reads=3400
    )
    assert bumps(change) == 0


def test_several_changes_in_one_transaction_bump_once(
    bumps: Counted, songcun: Any, admin: Any
) -> None:
    def two_columns() -> None:
        with transaction.atomic():
            column_add(actor=admin, agency=songcun, name="专题专栏")
            column_add(actor=admin, agency=songcun, name="便民服务")

    assert bumps(two_columns) == 1


def test_a_rolled_back_transaction_does_not_bump(bumps: Counted, songcun: Any, admin: Any) -> None:
    class Abandoned(Exception):
        pass

    def rolled_back() -> None:
        try:
            with transaction.atomic():
                column_add(actor=admin, agency=songcun, name="专题专栏")
                raise Abandoned
        except Abandoned:
            pass

    assert bumps(rolled_back) == 0
    assert not Column.objects.filter(agency=songcun, name="专题专栏").exists()

    def part_rolled_back() -> None:
        with transaction.atomic():
            rolled_back()
            column_add(actor=admin, agency=songcun, name="便民服务")

    assert bumps(part_rolled_back) == 1


def test_a_real_commit_bumps_and_autocommit_bumps_at_once(
    transactional_db: Any, songcun: Any, admin: Any
) -> None:
    """Without the test's wrapping transaction: the bump follows the service's own commit, and a
    save in autocommit mode (a shell, a loader) bumps at once."""
    before = search.public_version()
    column = column_add(actor=admin, agency=songcun, name="专题专栏")
    after_commit = search.public_version()
    assert after_commit == before + 1
    Column.objects.filter(pk=column.pk).update(name="专题")  # no signal for QuerySet.update
    assert search.public_version() == after_commit
    column.refresh_from_db()
    column.hidden = True
    column.save(update_fields=["hidden"])  # autocommit
    assert search.public_version() == after_commit + 1
