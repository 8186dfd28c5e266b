"""Writes of the self-inspection's link check, which runs as a huey job (`tasks.link_check_job`).

- `link_check_request`: the agency's staff ask for a run; one run per agency is queued or running
  at a time (a partial unique constraint); the job is enqueued after the transaction commits.
- `link_check_execute`: the job. It claims the run with a compare-and-set update (queued →
  running), fetches outside any transaction (the site's home page, the agency's public page, every
  link in its published items: `linkcheck.check_links`, bounded concurrency and time), then stores
  the result and its audit row in one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError
from gongkai.supervision import sources
from gongkai.supervision.exceptions import SupervisionError
from gongkai.supervision.inspection import links_in
from gongkai.supervision.linkcheck import SITE_TIMEOUT_SECONDS, check_links, check_one
from gongkai.supervision.models import ACTIVE_LINK_CHECK, LinkCheckRun, LinkCheckStatus
from gongkai.supervision.permissions import can_update_work

log = logging.getLogger(__name__)

# A run still queued or running after this long was lost (worker stopped): a new request replaces it.
ABANDONED_AFTER = dt.timedelta(minutes=10)


def _enqueue(run_id: int) -> None:
    from gongkai.supervision.tasks import link_check_job

    link_check_job(run_id)


def link_check_request(*, actor: Any, agency: Agency, base_url: str) -> LinkCheckRun:
    """Queue a link check of the agency's published items against the site at `base_url`."""
    if actor is not None and not can_update_work(actor, agency):
        raise PermissionDeniedError("只有本机关的工作人员可以发起链接检查。")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SupervisionError("网站地址不正确，无法检查链接。")
    now = clock.now()
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        active = LinkCheckRun.objects.filter(agency=agency, status__in=ACTIVE_LINK_CHECK).first()
        if active is not None:
            if active.created_at > now - ABANDONED_AFTER:
                raise SupervisionError("本机关的链接检查正在进行，请等待完成后再查看结果。")
            active.status = LinkCheckStatus.FAILED
            active.error = "检查超时未完成，已由新的检查取代。"
            active.finished_at = now
            active.updated_at = now
            active.save(update_fields=["status", "error", "finished_at", "updated_at"])
            audit_record(
                actor=actor,
                verb="supervision.link_check_abandoned",
                target=active,
                agency_id=agency.pk,
            )
        run = LinkCheckRun.objects.create(
            agency=agency,
            requested_by=actor if actor is not None and actor.is_authenticated else None,
            base_url=base_url,
        )
        audit_record(
            actor=actor,
            verb="supervision.link_check_requested",
            target=run,
            agency_id=agency.pk,
            data={"base_url": base_url},
        )
        run_id = run.pk
        transaction.on_commit(lambda: _enqueue(run_id))
    return run


def _claim(run_id: int) -> bool:
    now = clock.now()
    with transaction.atomic():
        claimed = LinkCheckRun.objects.filter(pk=run_id, status=LinkCheckStatus.QUEUED).update(
            status=LinkCheckStatus.RUNNING, started_at=now, updated_at=now
        )
        if claimed:
            run = LinkCheckRun.objects.get(pk=run_id)
            audit_record(
                actor=None,
                verb="supervision.link_check_started",
                target=run,
                agency_id=run.agency_id,
            )
    return bool(claimed)


def _finish(run_id: int, **fields: Any) -> LinkCheckRun:
    now = clock.now()
    with transaction.atomic():
        run = LinkCheckRun.objects.select_for_update().get(pk=run_id)
        for name, value in fields.items():
            setattr(run, name, value)
        run.finished_at = now
        run.updated_at = now
        run.save(update_fields=[*fields, "finished_at", "updated_at"])
        audit_record(
            actor=None,
            verb="supervision.link_check_finished",
            target=run,
            agency_id=run.agency_id,
            data={
                "status": run.status,
                "links_checked": run.links_checked,
                "broken": len(run.broken),
                "site_status": run.site_status,
            },
        )
    return run


def link_check_execute(*, run_id: int) -> LinkCheckRun | None:
    """Run a queued check (the huey job). Returns None when another worker has it already."""
    if not _claim(run_id):
        return None
    run = LinkCheckRun.objects.select_related("agency").get(pk=run_id)
    try:
        own_host = urlsplit(run.base_url).netloc
        site = check_one(0, run.base_url, SITE_TIMEOUT_SECONDS, own_host=own_host)
        page_url = urljoin(run.base_url, sources.agency_public_path(run.agency))
        page = check_one(0, page_url, SITE_TIMEOUT_SECONDS, own_host=own_host)
        items = sources.public_items_of(run.agency, with_body=True)
        targets = [(item.pk, url) for item in items for url in links_in(item.body)]
        results = check_links(targets, base_url=run.base_url)
    except Exception as error:  # the run must end, whatever the network or the data did
        log.exception("link check %s failed", run_id)
        return _finish(
            run_id, status=LinkCheckStatus.FAILED, error=f"检查未能完成（{type(error).__name__}）。"
        )
    return _finish(
        run_id,
        status=LinkCheckStatus.DONE,
        site_status=site.status,
        page_status=page.status,
        links_found=len(targets),
        links_checked=len(results),
        broken=[
            {"item": r.item_pk, "url": r.url, "status": r.status, "error": r.error}
            for r in results
            if not r.ok
        ],
    )
