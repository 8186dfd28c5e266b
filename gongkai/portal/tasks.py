"""Background jobs (huey) for the stored public pages (`portal/pages.py`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gongkai.portal import pages

# Pages the periodic job renders per run at most (about a minute of one worker's time).
PERIODIC_MAX_ITEMS = 20_000


@db_task(retries=2, retry_delay=30)
def render_pages_job(
    items: list[int], lists: list[int], agencies: list[int], columns: list[int] | None = None
) -> int:
    """Render again the pages a large change deleted (an import, a renamed column or agency)."""
    return pages.render_pages(items=items, lists=lists, agencies=agencies, columns=columns or [])


@db_periodic_task(crontab(minute="*/10"))
def render_missing_pages() -> int:
    """Every ten minutes: render pages not stored yet, or stored by an older version of the code
    (after an upgrade), a bounded number per run."""
    return pages.render_all(missing_only=True, limit=PERIODIC_MAX_ITEMS)
