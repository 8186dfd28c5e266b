"""Background jobs (huey): the weekly notification digest and the self-inspection's link check."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gongkai.supervision.digest import send_digests
from gongkai.supervision.linkruns import link_check_execute


@db_periodic_task(crontab(day_of_week="1", hour="8", minute="0"))
def weekly_digest() -> int:
    """Monday 08:00: generate notifications and e-mail every agency its digest."""
    return send_digests().sent


@db_task()
def link_check_job(run_id: int) -> str:
    """Check the links of one agency's published items (queued by `link_check_request`)."""
    run = link_check_execute(run_id=run_id)
    return run.status if run is not None else "skipped"
