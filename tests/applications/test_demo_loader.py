"""gongkai/demo/applications.py (kept here: tests/demo/ belongs to the demo area)."""

import pytest

from gongkai.applications.models import Application
from gongkai.applications.selectors import table3_counts
from gongkai.applications.table3 import table3_identity_failures
from gongkai.core import clock
from gongkai.demo import applications as demo
from gongkai.remedies.models import Case
from gongkai.remedies.selectors import table4_counts

pytestmark = pytest.mark.django_db


def test_demo_covers_the_main_paths_and_is_idempotent(district):
    demo.load(district)
    count = Application.objects.count()
    demo.load(district)
    assert Application.objects.count() == count == 8
    assert not Application.objects.filter(agency=district["songcun"]).exists()
    outcomes = set(Application.objects.values_list("outcome", flat=True))
    assert {
        "granted",
        "partial",
        "denied_third_party",
        "unable_not_held",
        "other_no_correction",
        "",
    } <= outcomes
    assert Application.objects.filter(extended=True).count() == 1
    assert Application.objects.filter(events__kind="correction_received").count() == 1
    assert Application.objects.filter(status="in_progress").count() == 1
    assert Case.objects.get().outcome == "upheld"
    year = clock.today().year - 1
    zeku = table3_counts(district["zeku"], year)
    assert zeku["denied_third_party"]["total"] == 1 and zeku["granted"]["total"] == 1
    for slug in ("gaocun", "zeku", "minzheng"):
        assert table3_identity_failures(table3_counts(district[slug], year)) == []
    assert table4_counts(district["zeku"], year)["review"]["upheld"] == 1
