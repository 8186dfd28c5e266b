"""Background jobs (huey): the DOCX and PDF files of annual reports.

Rendering one report takes about a second, too long to hold a web request. A download asks for a
`RenderedFile` (`rendered_file_request`): if the file exists it is served at once, otherwise a row is
created and `render_report_file` is queued after the commit; the page polls until the file is there.
Published versions are rendered ahead of time (`prerender_version`, queued by `report_publish`).

These rows are derived data (a cache of renderer output), not records: they are written without
an audit event, and deleting one only costs a new rendering.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from huey.contrib.djhuey import db_task

from gongkai.core import clock
from gongkai.core.storage import StorageUnavailable, save_file
from gongkai.reports.models import RenderedFile, RenderState, ReportRecord, ReportVersion
from gongkai.reports.renderers.docx import render_docx
from gongkai.reports.renderers.pdf import render_pdf
from gongkai.reports.value import AnnualReport

logger = logging.getLogger(__name__)

FILE_FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# A job queued or started this long ago without finishing is taken as lost (a worker killed,
# a queue emptied): the page then offers to try again.
STALE_AFTER = dt.timedelta(minutes=10)
RENDER_FAILED = "生成文件时出错，请重试；如仍不成功，请联系网站管理员。"
STORAGE_FAILED = "服务器存储空间不足或暂时无法写入，文件未能生成，请稍后重试。"
LOST = "生成任务未能按时完成，请重试。"


def _digest(report: dict[str, Any]) -> str:
    canonical = json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def is_stale(rendered: RenderedFile) -> bool:
    if rendered.state == RenderState.PENDING:
        since = rendered.requested_at
    elif rendered.state == RenderState.RENDERING:
        since = rendered.started_at or rendered.requested_at
    else:
        return False
    return clock.now() - since > STALE_AFTER


def is_ready(rendered: RenderedFile) -> bool:
    return (
        rendered.state == RenderState.DONE
        and bool(rendered.file)
        and rendered.file.storage.exists(str(rendered.file.name))
    )


def failure_message(rendered: RenderedFile) -> str:
    """The Chinese message for a failed or lost job, or "" while it may still finish."""
    if rendered.state == RenderState.FAILED:
        return rendered.error or RENDER_FAILED
    if is_stale(rendered):
        return LOST
    return ""


def _enqueue(rendered_id: int) -> None:
    transaction.on_commit(lambda: render_report_file(rendered_id))


def rendered_file_request(
    *,
    record: ReportRecord,
    version: ReportVersion | None,
    value: AnnualReport,
    file_format: str,
) -> RenderedFile:
    """The file of `value` in `file_format`: existing, or newly queued for rendering.

    `version` is None for a working draft; a draft's earlier files of the same format are dropped
    when it changed, so drafts do not pile up on the storage.
    """
    if file_format not in FILE_FORMATS:
        raise ValueError(file_format)
    report = value.to_storage_dict()
    digest = _digest(report)
    rendered = RenderedFile.objects.filter(digest=digest, file_format=file_format).first()
    if rendered is not None:
        if rendered.state == RenderState.DONE and not is_ready(rendered):
            # The row says done but the file is gone (storage restored without it): render again.
            return _requeue(rendered, from_states=[RenderState.DONE])
        return rendered
    try:
        with transaction.atomic():
            rendered = RenderedFile.objects.create(
                record=record,
                version=version,
                file_format=file_format,
                digest=digest,
                report=report,
            )
            _enqueue(rendered.pk)
    except IntegrityError:
        # Another request asked for the same file a moment ago; its job renders it.
        return RenderedFile.objects.get(digest=digest, file_format=file_format)
    if version is None:
        _drop_old_drafts(record, file_format, keep=rendered.pk)
    rendered.refresh_from_db()  # with huey in immediate mode the job has run already
    return rendered


def _drop_old_drafts(record: ReportRecord, file_format: str, keep: int) -> None:
    old = RenderedFile.objects.filter(
        record=record,
        version__isnull=True,
        file_format=file_format,
        state__in=[RenderState.DONE, RenderState.FAILED],
    ).exclude(pk=keep)
    for rendered in old:
        if rendered.file:
            rendered.file.delete(save=False)
        rendered.delete()


def _requeue(rendered: RenderedFile, *, from_states: list[str]) -> RenderedFile:
    with transaction.atomic():
        claimed = RenderedFile.objects.filter(pk=rendered.pk, state__in=from_states).update(
            state=RenderState.PENDING,
            requested_at=clock.now(),
            started_at=None,
            finished_at=None,
            error="",
        )
        if claimed:
            _enqueue(rendered.pk)
    rendered.refresh_from_db()
    return rendered


def rendered_file_retry(rendered: RenderedFile) -> RenderedFile:
    """Queue a failed or lost job again; a job still running in time is left alone."""
    if rendered.state == RenderState.FAILED or is_stale(rendered):
        return _requeue(rendered, from_states=[rendered.state])
    return rendered


def prerender_version(version_id: int) -> None:
    """Queue the DOCX and PDF of a newly published version (called after the publication commits)."""
    version = ReportVersion.objects.select_related("record").filter(pk=version_id).first()
    if version is None:
        return
    value = AnnualReport.from_json_dict(version.report)
    for file_format in FILE_FORMATS:
        rendered_file_request(
            record=version.record, version=version, value=value, file_format=file_format
        )


def render_now(rendered_id: int) -> str:
    """Render one queued file (the job's body). Returns the state it ended in."""
    now = clock.now()
    claimed = RenderedFile.objects.filter(pk=rendered_id, state=RenderState.PENDING).update(
        state=RenderState.RENDERING, started_at=now
    )
    if not claimed:
        return "skipped"  # done already, or another worker has it
    rendered = RenderedFile.objects.get(pk=rendered_id)
    try:
        value = AnnualReport.from_json_dict(rendered.report)
        content = render_docx(value) if rendered.file_format == "docx" else render_pdf(value)
        name = save_file(
            rendered.file.storage,
            f"reports/rendered/{rendered.digest}.{rendered.file_format}",
            ContentFile(content),
            max_length=200,
        )
    except StorageUnavailable:
        return _fail(rendered_id, STORAGE_FAILED)
    except Exception:
        logger.exception("rendering report file %s failed", rendered_id)
        return _fail(rendered_id, RENDER_FAILED)
    finished = RenderedFile.objects.filter(pk=rendered_id, state=RenderState.RENDERING).update(
        state=RenderState.DONE, file=name, finished_at=clock.now(), error=""
    )
    if not finished:
        rendered.file.storage.delete(name)  # reset meanwhile; the next job writes its own file
        return "skipped"
    return RenderState.DONE


def _fail(rendered_id: int, message: str) -> str:
    RenderedFile.objects.filter(pk=rendered_id, state=RenderState.RENDERING).update(
        state=RenderState.FAILED, error=message, finished_at=clock.now()
    )
    return RenderState.FAILED


@db_task()
def render_report_file(rendered_id: int) -> str:
    return render_now(rendered_id)
