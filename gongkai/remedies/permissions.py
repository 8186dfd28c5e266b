"""Who may record remedies cases: the working staff of the agency whose application it concerns."""

from __future__ import annotations

from typing import Any

from gongkai.agencies.permissions import can_work_in
from gongkai.applications.models import Application


def can_record_case(user: Any, application: Application) -> bool:
    return can_work_in(user, application.agency)
