"""政策解读 links (catalogue.item_create / item_update `interprets`): validated, audited, shown
both ways by `interpretation_links_for`."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core.exceptions import DomainError
from gongkai.publishing.models import DocKind, InterpretationLink
from gongkai.publishing.selectors import interpretation_links_for, policy_items_linkable
from gongkai.publishing.services import item_submit_for_review, item_update, item_withdraw
from tests.publishing.test_services import approve_all


@pytest.fixture
def publish(user_named):
    def do(item):
        approve_all(
            item_submit_for_review(actor=user_named("songcun_clerk"), item=item), user_named
        )
        item.refresh_from_db()
        return item

    return do


@pytest.fixture
def policy(make_item, publish):
    return publish(
        make_item(
            title="宋村镇农村道路管理办法",
            doc_kind=DocKind.NORMATIVE,
            doc_number="宋政发〔2026〕3号",
        )
    )


def test_an_interpretation_links_to_the_policy_and_both_sides_see_it(
    make_item, policy, publish, songcun
):
    assert list(policy_items_linkable(songcun)) == [policy]
    reading = make_item(
        title="《宋村镇农村道路管理办法》政策解读",
        doc_kind=DocKind.INTERPRETATION,
        interprets=[policy],
    )
    assert InterpretationLink.objects.get().policy == policy
    event = AuditEvent.objects.get(verb="publishing.interpretation_links_set")
    assert event.data == {"from": [], "to": [policy.pk]}
    # Staff see the draft interpretation; the public only once it is published.
    assert interpretation_links_for(policy, public=False)["interpretations"] == [reading]
    assert interpretation_links_for(policy, public=True)["interpretations"] == []
    publish(reading)
    assert interpretation_links_for(policy, public=True)["interpretations"] == [reading]
    assert interpretation_links_for(reading, public=True)["interprets"] == [policy]
    # An interpretation is not itself a policy document to interpret.
    assert list(policy_items_linkable(songcun)) == [policy]


def test_links_are_validated(make_item, policy, user_named):
    with pytest.raises(DomainError, match="只有文件类别为“政策解读”"):
        make_item(doc_kind=DocKind.OTHER, interprets=[policy])
    notice = make_item(title="道路维修通告")
    with pytest.raises(DomainError, match="不是政策文件"):
        make_item(doc_kind=DocKind.INTERPRETATION, interprets=[notice])
    draft_policy = make_item(doc_kind=DocKind.NORMATIVE)
    with pytest.raises(DomainError, match="尚未发布或已撤稿"):
        make_item(doc_kind=DocKind.INTERPRETATION, interprets=[draft_policy])
    reading = make_item(doc_kind=DocKind.INTERPRETATION)
    with pytest.raises(DomainError, match="不能关联它自身"):
        item_update(actor=user_named("songcun_clerk"), item=reading, interprets=[reading])
    assert not InterpretationLink.objects.exists()


def test_update_replaces_links_and_clears_them_when_no_longer_an_interpretation(
    make_item, policy, user_named
):
    clerk = user_named("songcun_clerk")
    reading = make_item(doc_kind=DocKind.INTERPRETATION, interprets=[policy])
    item_update(actor=clerk, item=reading, title="新标题")  # links unchanged
    assert InterpretationLink.objects.filter(interpretation=reading).count() == 1
    item_update(actor=clerk, item=reading, interprets=[])
    assert not InterpretationLink.objects.exists()
    item_update(actor=clerk, item=reading, interprets=[policy])
    item_update(actor=clerk, item=reading, doc_kind=DocKind.OTHER)
    assert not InterpretationLink.objects.exists()
    assert AuditEvent.objects.filter(verb="publishing.interpretation_links_set").count() == 4


def test_a_withdrawn_policy_leaves_the_public_links(make_item, policy, publish, user_named):
    reading = publish(make_item(doc_kind=DocKind.INTERPRETATION, interprets=[policy]))
    item_withdraw(actor=user_named("songcun_leader"), item=policy, reason="已被新办法替代")
    assert interpretation_links_for(reading, public=True)["interprets"] == []
    assert interpretation_links_for(reading, public=False)["interprets"] == [policy]


def test_an_imported_interpretation_is_linked_and_checked(policy, column, songcun, make_item):
    import datetime as dt

    from gongkai.core import clock
    from gongkai.publishing.services import PublishedRow, items_import_published

    at = dt.datetime(2026, 11, 24, 10, tzinfo=clock.SHANGHAI)
    (reading,) = items_import_published(
        actor=None,
        agency=songcun,
        rows=[
            PublishedRow(
                column=column,
                title="《宋村镇农村道路管理办法》解读",
                published_at=at,
                doc_kind=DocKind.INTERPRETATION,
                interprets=(policy,),
            )
        ],
    )
    assert interpretation_links_for(policy, public=True)["interpretations"] == [reading]
    event = AuditEvent.objects.get(verb="publishing.interpretation_links_set")
    assert event.data == {"from": [], "to": [policy.pk]}
    draft = make_item(doc_kind=DocKind.NORMATIVE, doc_number="宋政发〔2026〕9号")
    row = PublishedRow(
        column=column,
        title="未发布文件的解读",
        published_at=at,
        doc_kind=DocKind.INTERPRETATION,
        interprets=(draft,),
    )
    with pytest.raises(DomainError, match="尚未发布或已撤稿"):
        items_import_published(actor=None, agency=songcun, rows=[row])
    assert InterpretationLink.objects.count() == 1
