"""Background jobs (huey): scheduled publication, and the nightly re-scan of published items."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.publishing.services import items_rescan_published, publish_scheduled


@db_periodic_task(crontab(minute="*/5"))
def publish_scheduled_items() -> int:
    """Every five minutes: publish approved items whose set time has come."""
    return publish_scheduled()


@db_periodic_task(crontab(hour="2", minute="30"))
def rescan_published_items() -> int:
    """Nightly 事后监督检查: scan all published items and attachments again."""
    return items_rescan_published(actor=None)
