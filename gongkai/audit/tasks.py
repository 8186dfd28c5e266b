"""Background jobs (huey): anchor the audit chain's head outside the database every hour."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.audit.services import audit_anchor


@db_periodic_task(crontab(minute="7"))
def anchor_audit_chain() -> int:
    """Hourly: append the chain's head to GONGKAI_AUDIT_ANCHOR_FILE; returns the row count."""
    return audit_anchor().count
