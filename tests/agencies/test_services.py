import pytest

from gongkai.agencies.exceptions import AgencyError
from gongkai.agencies.models import Agency, Level, Role
from gongkai.agencies.selectors import agencies_for_user, report_deadline
from gongkai.agencies.services import agency_create, agency_update_profile, membership_grant
from gongkai.audit.models import AuditEvent
from gongkai.core.exceptions import PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_demo_district_builds_the_tree_with_paths(district):
    wendeng, songcun = district["wendeng"], district["songcun"]
    assert songcun.parent == wendeng
    assert songcun.path == f"/{wendeng.pk}/{songcun.pk}/"
    assert songcun.address == "威海市文登区宋村镇昌阳路10号"
    assert songcun.wechat_account == "历史风韵 文化宋村"
    assert Agency.objects.count() == 5


def test_demo_is_idempotent(district):
    from gongkai.demo.district import ensure_district

    events = AuditEvent.objects.count()
    ensure_district()
    assert AuditEvent.objects.count() == events


def test_a_bad_credit_code_is_refused_with_a_chinese_message():
    with pytest.raises(AgencyError, match="校验位不正确"):
        agency_create(
            actor=None,
            name="测试机关",
            short_name="测试",
            slug="t",
            level=Level.TOWNSHIP,
            credit_code="11441700007280420X",
        )
    assert not Agency.objects.exists()


def test_profile_update_is_audited_with_before_and_after(district, user_named):
    admin = user_named("songcun_admin")
    agency_update_profile(actor=admin, agency=district["songcun"], phone="0631—1234567")
    event = AuditEvent.objects.filter(verb="agency.profile_updated").get()
    assert event.data == {"phone": {"from": "0631—8898088", "to": "0631—1234567"}}
    assert event.actor == admin and event.agency_id == district["songcun"].pk


def test_only_the_agencys_admin_may_update_its_profile(district, user_named):
    with pytest.raises(PermissionDeniedError):
        agency_update_profile(
            actor=user_named("gaocun_admin"), agency=district["songcun"], phone="1"
        )
    with pytest.raises(PermissionDeniedError):
        membership_grant(
            actor=user_named("songcun_clerk"),
            user=user_named("songcun_clerk"),
            agency=district["songcun"],
            role=Role.LEADER,
        )


def test_supervisor_sees_the_whole_subtree_and_clerk_only_their_agency(district, user_named):
    assert {a.slug for a in agencies_for_user(user_named("wendeng_supervisor"))} == {
        "wendeng",
        "songcun",
        "gaocun",
        "zeku",
        "minzheng",
    }
    assert [a.slug for a in agencies_for_user(user_named("songcun_clerk"))] == ["songcun"]


def test_report_deadline_defaults_to_31_january_and_inherits_the_jurisdictions(district):
    import datetime as dt

    assert report_deadline(district["songcun"], 2023) == dt.date(2024, 1, 31)
    # A county-level government publishes its consolidated report by 31 March; its departments
    # by 31 January (条例第四十九条).
    assert report_deadline(district["wendeng"], 2023) == dt.date(2024, 3, 31)
    assert report_deadline(district["minzheng"], 2023) == dt.date(2024, 1, 31)
    wendeng = district["wendeng"]
    wendeng.report_deadline_month, wendeng.report_deadline_day = 1, 20
    wendeng.save()
    assert report_deadline(district["songcun"], 2023) == dt.date(2024, 1, 20)
