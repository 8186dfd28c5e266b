"""The permission predicates as a matrix: every demo role against own, sibling and parent agencies."""

import pytest

from gongkai.agencies import permissions as p

pytestmark = pytest.mark.django_db

# (username, agency slug) → expected (view, work, review, manage, supervise)
MATRIX = [
    ("songcun_clerk", "songcun", (True, True, False, False, False)),
    ("songcun_clerk", "gaocun", (False, False, False, False, False)),
    ("songcun_clerk", "wendeng", (False, False, False, False, False)),
    ("songcun_head", "songcun", (True, True, True, False, False)),
    ("songcun_secrecy", "songcun", (True, True, True, False, False)),
    ("songcun_leader", "songcun", (True, True, True, False, False)),
    ("songcun_admin", "songcun", (True, True, False, True, False)),
    ("songcun_admin", "zeku", (False, False, False, False, False)),
    ("wendeng_supervisor", "songcun", (True, False, False, False, True)),
    ("wendeng_supervisor", "minzheng", (True, False, False, False, True)),
    ("wendeng_supervisor", "wendeng", (True, False, False, False, True)),
    ("wendeng_admin", "wendeng", (True, True, False, True, False)),
    ("wendeng_admin", "songcun", (False, False, False, False, False)),
    ("minzheng_clerk", "songcun", (False, False, False, False, False)),
]


@pytest.mark.parametrize(("username", "slug", "expected"), MATRIX)
def test_permission_matrix(district, user_named, username, slug, expected):
    user, agency = user_named(username), district[slug]
    actual = (
        p.can_view_agency(user, agency),
        p.can_work_in(user, agency),
        p.can_review(user, agency),
        p.can_manage_agency(user, agency),
        p.can_supervise(user, agency),
    )
    assert actual == expected


def test_anonymous_users_have_no_rights(district):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    agency = district["songcun"]
    assert not p.can_view_agency(anonymous, agency)
    assert not p.can_work_in(anonymous, agency)
    assert not p.can_edit_calendar(anonymous)


def test_calendar_is_edited_by_jurisdiction_admins_only(district, user_named):
    assert p.can_edit_calendar(user_named("wendeng_admin"))
    assert not p.can_edit_calendar(user_named("songcun_admin"))
    assert not p.can_edit_calendar(user_named("wendeng_supervisor"))


def test_second_factor_is_for_administrators(district, user_named):
    assert p.must_use_second_factor(user_named("songcun_admin"))
    assert not p.must_use_second_factor(user_named("songcun_clerk"))


def test_superuser_may_view_and_manage_everything(district, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x-very-long-password")
    assert p.can_view_agency(root, district["zeku"]) and p.can_manage_agency(root, district["zeku"])
