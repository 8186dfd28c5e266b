import datetime as dt

import pytest

from gongkai.applications.permissions import can_approve_extension, can_handle, can_view
from tests.applications.factories import online

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "view", "handle", "approve"),
    [
        ("songcun_clerk", True, True, False),
        ("songcun_head", True, True, False),
        ("songcun_leader", True, True, True),
        ("songcun_admin", True, True, True),
        ("wendeng_supervisor", True, False, False),
        ("gaocun_admin", False, False, False),
        ("wendeng_admin", False, False, False),
    ],
)
def test_who_may_see_handle_and_approve(username, view, handle, approve, district, user_named):
    application = online(district["songcun"], dt.date(2024, 2, 5))
    user = user_named(username)
    assert can_view(user, application) is view
    assert can_handle(user, application) is handle
    assert can_approve_extension(user, application.agency) is approve
