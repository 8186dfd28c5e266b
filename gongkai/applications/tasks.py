"""Background jobs (huey): the daily deadline digest to each office."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.applications.digest import send_application_digests


@db_periodic_task(crontab(hour="7", minute="30"))
def daily_deadline_digest() -> int:
    """Every day at 07:30: e-mail each agency's clerks its overdue and due-soon applications
    (once per agency and day, however often the job runs)."""
    return send_application_digests().sent
