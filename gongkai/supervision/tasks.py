"""Background jobs (huey): the weekly notification digest."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.supervision.digest import send_digests


@db_periodic_task(crontab(day_of_week="1", hour="8", minute="0"))
def weekly_digest() -> int:
    """Monday 08:00: generate notifications and e-mail every agency its digest."""
    return send_digests().sent
