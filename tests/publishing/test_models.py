"""Model-level invariants that live in the database and single-row properties."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from gongkai.publishing.models import (
    ARTICLE20_CHOICES,
    Column,
    ColumnKind,
    Item,
    RegisterYear,
    ScanFinding,
)


def test_article20_choices_cover_the_fifteen_items_and_article_21():
    labels = dict(ARTICLE20_CHOICES)
    assert len(labels) == 16
    assert labels[1] == "第二十条第（一）项"
    assert labels[15] == "第二十条第（十五）项"
    assert labels[16] == "第二十一条"


def test_column_article20_item_is_checked_in_the_database(songcun):
    with pytest.raises(IntegrityError), transaction.atomic():
        Column.objects.create(
            agency=songcun,
            name="错误栏目",
            slug="bad",
            kind=ColumnKind.STATUTORY,
            article20_item=17,
        )


def test_column_slug_is_unique_per_agency(songcun, district):
    with pytest.raises(IntegrityError), transaction.atomic():
        Column.objects.create(agency=songcun, name="重复", slug="gsgg", kind=ColumnKind.SITE)
    Column.objects.create(agency=district["gaocun"], name="公示公告", slug="gsgg", kind="site")


def test_a_published_item_must_have_a_publication_date(make_item):
    item = make_item()
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(status="published")


def test_meta_column_type_and_validity_flag(songcun, make_item):
    assert Column.objects.get(agency=songcun, slug="jgzn").meta_column_type == "政府信息公开"
    assert Column.objects.get(agency=songcun, slug="gzdt").meta_column_type == "工作动态"
    item = make_item(doc_kind="normative_document")
    assert item.has_validity
    assert item.validity == "valid"
    assert not make_item().has_validity


def test_finding_label_and_register_yuan(make_item, songcun):
    from tests.publishing.conftest import planted_id

    finding: ScanFinding = make_item(body=planted_id()).findings.get()
    assert finding.label == "身份证号码"
    register = RegisterYear(agency=songcun, year=2023, fees_fen=123_405)
    assert register.fees_yuan == "1234.05"
