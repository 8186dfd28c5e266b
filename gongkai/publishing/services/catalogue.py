"""Writes to the catalogue: columns, items and their versions, attachments, scanner findings.

Every function is keyword-only with an explicit `actor` (None = the system), one transaction, the
rows it reads-then-writes locked, and an audit row. Raw personal data never reaches the audit log:
findings are described by kind and masked form only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import nh3
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.agencies.models import Agency, Department
from gongkai.agencies.permissions import can_manage_agency
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.calendar import load_calendar
from gongkai.core.exceptions import DomainError, PermissionDeniedError
from gongkai.core.storage import save_field_file
from gongkai.core.uploads import Kind, validate_upload
from gongkai.publishing import deadlines, search
from gongkai.publishing.columns import DEFAULT_COLUMNS
from gongkai.publishing.exceptions import InvalidTransition, PublishingError
from gongkai.publishing.extract import MIB, FileTooLargeError, scan_file, sniff
from gongkai.publishing.models import (
    Attachment,
    Column,
    Disclosure,
    DocKind,
    FindingField,
    FindingStatus,
    IndexCounter,
    IndexPattern,
    InterpretationLink,
    Item,
    ItemStatus,
    ItemVersion,
    RetiredColumnSlug,
    ScanFinding,
    Validity,
)
from gongkai.publishing.permissions import can_edit_items, can_override_finding
from gongkai.publishing.scanner import FindingKind, mask_text, scan_text
from gongkai.publishing.signals import public_content_changed
from gongkai.publishing.states import is_editable

# Text fields scanned on every save, with the location label a finding carries.
SCANNED_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("title", FindingField.TITLE, "名称"),
    ("summary", FindingField.SUMMARY, "内容概述"),
    ("body", FindingField.BODY, "正文"),
)

EDITABLE_FIELDS = frozenset(
    {
        "column",
        "department",
        "title",
        "summary",
        "body",
        "written_on",
        "formed_on",
        "doc_number",
        "topic",
        "article20_item",
        "disclosure",
        "disclosure_reason",
        "doc_kind",
        "validity",
    }
)


def attachment_max_bytes() -> int:
    return int(getattr(settings, "GONGKAI_ATTACHMENT_MAX_BYTES", 20 * MIB))


def check_attachment_size(name: str, size: int) -> None:
    limit = attachment_max_bytes()
    if size > limit:
        raise FileTooLargeError(
            f"附件“{name}”超过大小上限 {limit // MIB} MB，请压缩或拆分后再上传。"
        )


def _require_editor(actor: Any, agency: Agency) -> None:
    if actor is not None and not can_edit_items(actor, agency):
        raise PermissionDeniedError("您不是该机关的工作人员，不能编辑公开信息。")


def sanitise_body(body: str) -> str:
    """Rich text from the editor, reduced to safe HTML (no scripts, styles or event handlers)."""
    return nh3.clean(body or "")


def _index_numbers(agency: Agency, year: int, count: int) -> list[str]:
    """`统一社会信用代码/YYYY-NNNNN` (platform.md §3), from a locked per-agency-per-year counter that
    only ever goes up, so that a number is never given twice even when its item is deleted."""
    IndexCounter.objects.get_or_create(agency=agency, year=year)
    counter = IndexCounter.objects.select_for_update().get(agency=agency, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    pattern = index_pattern_for(agency)
    return [pattern.render(agency.credit_code, year, n) for n in range(first, first + count)]


def index_pattern_for(agency: Agency) -> IndexPattern:
    """The nearest pattern up the agency tree (the agency's own first), else the default."""
    ids = [int(p) for p in agency.path.strip("/").split("/") if p] or [agency.pk]
    patterns = {p.agency_id: p for p in IndexPattern.objects.filter(agency_id__in=ids)}
    for pk in reversed(ids):
        if pk in patterns:
            return patterns[pk]
    return IndexPattern(agency=agency)


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def index_pattern_set(*, actor: Any, agency: Agency, pattern: str, digits: int = 5) -> IndexPattern:
    """Set the 索引号 pattern of a jurisdiction (the agency and its subtree). Numbers already given
    keep their form; only new numbers follow the new pattern."""
    if not can_manage_agency(actor, agency):
        raise PermissionDeniedError("只有公开办管理员可以设置索引号格式。")
    pattern = pattern.strip()
    placeholders = set(_PLACEHOLDER.findall(pattern))
    if placeholders != {"{code}", "{year}", "{seq}"} or pattern.count("{") != 3:
        raise PublishingError(
            "索引号格式须且只能包含 {code}（统一社会信用代码）、{year}（年份）和 {seq}（序号）各一次，"
            "以保证索引号唯一。"
        )
    if not 3 <= digits <= 8:
        raise PublishingError("序号位数应为3到8位。")
    if len(pattern) > 60:
        raise PublishingError("索引号格式过长。")
    with transaction.atomic():
        row = IndexPattern.objects.select_for_update().filter(agency=agency).first()
        previous = (row.pattern, row.digits) if row else None
        if row is None:
            row = IndexPattern(agency=agency)
        row.pattern = pattern
        row.digits = digits
        row.updated_at = clock.now()
        row.save()
        audit_record(
            actor=actor,
            verb="publishing.index_pattern_set",
            target=row,
            agency_id=agency.pk,
            data={"from": previous, "to": [pattern, digits]},
        )
    return row


def _snapshot(item: Item, actor: Any, note: str = "") -> ItemVersion:
    return ItemVersion.objects.create(
        item=item,
        number=item.version,
        title=item.title,
        summary=item.summary,
        body=item.body,
        metadata=_metadata(item),
        saved_by=actor if actor is not None and actor.is_authenticated else None,
        saved_at=clock.now(),
        note=note,
    )


def _metadata(item: Item) -> dict[str, Any]:
    return {
        "column": item.column_id,
        "department": item.department_id,
        "written_on": item.written_on.isoformat() if item.written_on else None,
        "formed_on": item.formed_on.isoformat(),
        "doc_number": item.doc_number,
        "topic": item.topic,
        "article20_item": item.article20_item,
        "disclosure": item.disclosure,
        "disclosure_reason": item.disclosure_reason,
        "doc_kind": item.doc_kind,
        "validity": item.validity,
    }


def _rescan_text(item: Item) -> int:
    """Replace the item's open text findings by a fresh scan. A finding a reviewer has accepted
    (overridden) stays accepted when the same value is found again."""
    accepted = {
        (f.field, f.kind, f.masked)
        for f in item.findings.filter(attachment=None, status=FindingStatus.OVERRIDDEN)
    }
    item.findings.filter(attachment=None, status=FindingStatus.OPEN).delete()
    rows = []
    for attr, field, label in SCANNED_FIELDS:
        text = getattr(item, attr) or ""
        for found in scan_text(text, location=label, number_lines=attr == "body"):
            if (field, str(found.kind), found.masked) in accepted:
                continue
            rows.append(
                ScanFinding(
                    item=item,
                    field=field,
                    kind=found.kind,
                    masked=found.masked[:300],
                    location=found.location[:200],
                    start=found.start,
                    end=found.end,
                )
            )
    ScanFinding.objects.bulk_create(rows)
    return len(rows)


def _validate(fields: dict[str, Any], agency: Agency) -> None:
    column = fields.get("column")
    if column is not None and column.agency_id != agency.pk:
        raise PublishingError("所选栏目不属于本机关。")
    department = fields.get("department")
    if department is not None and department.agency_id != agency.pk:
        raise PublishingError("所选科室不属于本机关。")
    if not (fields.get("title") or "").strip():
        raise PublishingError("请填写信息名称。")
    if (
        fields.get("disclosure") in (Disclosure.ON_REQUEST, Disclosure.WITHHELD)
        and not (fields.get("disclosure_reason") or "").strip()
    ):
        raise PublishingError("公开属性为依申请公开或不予公开时，请填写理由。")
    if fields.get("doc_kind") in (DocKind.REGULATION, DocKind.NORMATIVE):
        if not fields.get("validity"):
            fields["validity"] = Validity.VALID
    else:
        fields["validity"] = ""


def _set_interpreted(item: Item, policies: Sequence[Item] | None, actor: Any) -> None:
    """Replace the policy documents a 政策解读 interprets (None: keep them). Each must be a
    published policy document of this installation, other than the item itself; an item that is
    not (or no longer) a 政策解读 interprets nothing."""
    if not item.is_interpretation:
        if policies:
            raise PublishingError("只有文件类别为“政策解读”的信息可以关联被解读的文件。")
        policies = []
    if policies is None:
        return
    wanted = {p.pk for p in policies}
    if item.pk in wanted:
        raise PublishingError("政策解读不能关联它自身。")
    found = {p.pk: p for p in Item.objects.select_related("column").filter(pk__in=wanted)}
    if set(found) != wanted:
        raise PublishingError("所选的被解读文件不存在。")
    for policy in found.values():
        if not policy.is_policy:
            raise PublishingError(
                f"“{policy.title}”不是政策文件（规章、规范性文件或政策类栏目中的信息），"
                "不能作为被解读的文件。"
            )
        if policy.status != ItemStatus.PUBLISHED:
            raise PublishingError(f"“{policy.title}”尚未发布或已撤稿，不能作为被解读的文件。")
    current = set(
        InterpretationLink.objects.filter(interpretation=item).values_list("policy_id", flat=True)
    )
    if current == wanted:
        return
    InterpretationLink.objects.filter(interpretation=item).exclude(policy_id__in=wanted).delete()
    InterpretationLink.objects.bulk_create(
        InterpretationLink(interpretation=item, policy_id=pk) for pk in sorted(wanted - current)
    )
    if item.status in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN):
        # bulk_create sends no post_save: both sides' pages show the links.
        public_content_changed(items={item.pk, *wanted})
    audit_record(
        actor=actor,
        verb="publishing.interpretation_links_set",
        target=item,
        agency_id=item.agency_id,
        data={"from": sorted(current), "to": sorted(wanted)},
    )


def item_create(
    *,
    actor: Any,
    agency: Agency,
    column: Column,
    title: str,
    formed_on: dt.date,
    summary: str = "",
    body: str = "",
    department: Department | None = None,
    written_on: dt.date | None = None,
    doc_number: str = "",
    topic: str = "",
    article20_item: int | None = None,
    disclosure: str = Disclosure.ACTIVE,
    disclosure_reason: str = "",
    doc_kind: str = DocKind.OTHER,
    validity: str = "",
    interprets: Sequence[Item] = (),
) -> Item:
    """A new draft with its 索引号, version 1 and a first scan of its text. A 政策解读 names the
    policy documents it interprets (`interprets`)."""
    _require_editor(actor, agency)
    fields: dict[str, Any] = {
        "column": column,
        "department": department,
        "title": title.strip(),
        "summary": summary,
        "body": sanitise_body(body),
        "written_on": written_on,
        "formed_on": formed_on,
        "doc_number": doc_number.strip(),
        "topic": topic.strip(),
        "article20_item": article20_item or column.article20_item,
        "disclosure": disclosure,
        "disclosure_reason": disclosure_reason.strip(),
        "doc_kind": doc_kind,
        "validity": validity,
    }
    _validate(fields, agency)
    calendar = load_calendar()
    with transaction.atomic():
        (index_no,) = _index_numbers(agency, clock.today().year, 1)
        item = Item.objects.create(
            agency=agency,
            author=actor if actor is not None and actor.is_authenticated else None,
            index_no=index_no,
            publish_due=deadlines.publish_due(calendar, formed_on),
            **fields,
        )
        _snapshot(item, actor, "新建")
        found = _rescan_text(item)
        _set_interpreted(item, interprets, actor)
        audit_record(
            actor=actor,
            verb="publishing.item_created",
            target=item,
            agency_id=agency.pk,
            data={"index_no": index_no, "findings": found},
        )
    return item


def item_update(
    *, actor: Any, item: Item, interprets: Sequence[Item] | None = None, **changes: Any
) -> Item:
    """Save a new version of a draft or returned item and scan it again. `interprets` (None:
    unchanged) replaces the policy documents a 政策解读 interprets."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise PublishingError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    _require_editor(actor, item.agency)
    calendar = load_calendar()
    with transaction.atomic():
        item = Item.objects.select_for_update().select_related("agency").get(pk=item.pk)
        if not is_editable(item.status):
            raise InvalidTransition(
                f"信息当前为“{item.get_status_display()}”状态，不能修改。已发布的信息请撤稿后重新起草。"
            )
        if "body" in changes:
            changes["body"] = sanitise_body(changes["body"])
        merged = {name: getattr(item, name) for name in EDITABLE_FIELDS}
        merged.update(changes)
        _validate(merged, item.agency)
        changed = sorted(name for name in EDITABLE_FIELDS if merged[name] != getattr(item, name))
        for name in changed:
            setattr(item, name, merged[name])
        if "formed_on" in changed:
            item.publish_due = deadlines.publish_due(calendar, item.formed_on)
        item.version += 1
        item.updated_at = clock.now()
        item.save()
        _snapshot(item, actor, "修改")
        found = _rescan_text(item)
        _set_interpreted(item, interprets, actor)
        audit_record(
            actor=actor,
            verb="publishing.item_updated",
            target=item,
            agency_id=item.agency_id,
            data={"version": item.version, "fields": changed, "findings": found},
        )
    return item


def item_set_validity(
    *, actor: Any, item: Item, validity: str, changed_on: dt.date | None = None
) -> Item:
    """有效性 of a 规章 or 规范性文件 (a repeal is recorded with its date for table 2)."""
    _require_editor(actor, item.agency)
    if validity not in Validity.values:
        raise PublishingError("有效性只能为有效、失效或废止。")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if not item.has_validity:
            raise PublishingError("只有规章和行政规范性文件需要标注有效性。")
        if validity != Validity.VALID and changed_on is None:
            raise PublishingError("请填写失效或废止的日期。")
        previous = item.validity
        item.validity = validity
        item.validity_changed_on = None if validity == Validity.VALID else changed_on
        item.updated_at = clock.now()
        item.save(update_fields=["validity", "validity_changed_on", "updated_at"])
        audit_record(
            actor=actor,
            verb="publishing.item_validity_set",
            target=item,
            agency_id=item.agency_id,
            data={"from": previous, "to": validity, "on": changed_on},
        )
    return item


def attachment_add(
    *,
    actor: Any,
    item: Item,
    name: str,
    data: bytes,
    replaces: Attachment | None = None,
) -> Attachment:
    """Attach a file (type sniffed from its content, size limited) and scan it. Uploading a new
    version of an attachment resolves the old version's findings: the new one is scanned afresh."""
    _require_editor(actor, item.agency)
    check_attachment_size(name, len(data))
    # The shared upload check refuses unknown binaries and zip bombs; the extractor then decides
    # which of the known kinds it can scan (with its own messages, e.g. for .doc).
    validate_upload(
        data, name=name, allowed=frozenset(Kind), max_bytes=attachment_max_bytes(), label="附件"
    )
    file_type = sniff(data, name)
    findings = scan_file(data, name)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if not is_editable(item.status):
            raise InvalidTransition("只有草稿或已退回的信息可以上传附件。")
        if replaces is not None:
            replaces = Attachment.objects.select_for_update().get(pk=replaces.pk)
            if replaces.item_id != item.pk or not replaces.is_current:
                raise PublishingError("要替换的附件不存在或已被替换。")
            replaces.is_current = False
            replaces.save(update_fields=["is_current"])
            replaces.findings.filter(status=FindingStatus.OPEN).update(
                status=FindingStatus.MASKED,
                resolution="已上传新版本附件",
                resolved_by=actor if actor is not None and actor.is_authenticated else None,
                resolved_at=clock.now(),
            )
        attachment = Attachment(
            item=item,
            name=name[:200],
            file_type=file_type,
            size=len(data),
            replaces=replaces,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        # A full disk: StorageUnavailable, no partial file; the rollback undoes the rest.
        save_field_file(attachment.file, name, ContentFile(data, name=name))
        attachment.save()
        ScanFinding.objects.bulk_create(
            ScanFinding(
                item=item,
                attachment=attachment,
                field=FindingField.ATTACHMENT,
                kind=found.kind,
                masked=found.masked[:300],
                location=found.location[:200],
                start=found.start,
                end=found.end,
            )
            for found in findings
        )
        audit_record(
            actor=actor,
            verb="publishing.attachment_added",
            target=attachment,
            agency_id=item.agency_id,
            data={
                "item": item.pk,
                "name": attachment.name,
                "type": file_type,
                "size": len(data),
                "replaces": replaces.pk if replaces else None,
                "findings": len(findings),
            },
        )
    return attachment


def attachment_strike(*, actor: Any, attachment: Attachment) -> Attachment:
    """Remove an attachment from the item (the file is kept for the record)."""
    _require_editor(actor, attachment.item.agency)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=attachment.item_id)
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if not is_editable(item.status):
            raise InvalidTransition("只有草稿或已退回的信息可以删除附件。")
        if not attachment.is_current:
            raise PublishingError("该附件已被替换或删除。")
        attachment.is_current = False
        attachment.struck = True
        attachment.save(update_fields=["is_current", "struck"])
        resolved = attachment.findings.filter(status=FindingStatus.OPEN).update(
            status=FindingStatus.MASKED,
            resolution="附件已删除",
            resolved_by=actor if actor is not None and actor.is_authenticated else None,
            resolved_at=clock.now(),
        )
        audit_record(
            actor=actor,
            verb="publishing.attachment_struck",
            target=attachment,
            agency_id=item.agency_id,
            data={"item": item.pk, "findings_resolved": resolved},
        )
    return attachment


def finding_mask(*, actor: Any, finding: ScanFinding) -> Item:
    """The one-click mask of a text finding: the field is saved as a new version with the masked
    form in place of the value, then scanned again."""
    with transaction.atomic():
        item = Item.objects.select_for_update().select_related("agency").get(pk=finding.item_id)
        _require_editor(actor, item.agency)
        finding = ScanFinding.objects.select_for_update().get(pk=finding.pk)
        if finding.status != FindingStatus.OPEN:
            raise PublishingError("该发现已处理。")
        if not is_editable(item.status):
            raise InvalidTransition("只有草稿或已退回的信息可以遮盖。")
        if finding.attachment_id is not None:
            raise PublishingError(
                "附件中的个人信息需在原文件中遮盖：请上传遮盖后的新版本附件，或删除该附件。"
            )
        if finding.kind == FindingKind.CLASSIFICATION:
            raise PublishingError(
                "密级标志不能以遮盖代替保密审查：涉密信息不得公开，请删除相关内容或由审核人确认。"
            )
        attr = {field: attr for attr, field, _ in SCANNED_FIELDS}[finding.field]
        text = getattr(item, attr)
        current = [
            found
            for found in scan_text(text)
            if found.kind == finding.kind
            and found.masked == finding.masked
            and found.start == finding.start
        ]
        if not current:
            raise PublishingError("内容已变化，请刷新页面后重试。")
        setattr(item, attr, mask_text(text, current))
        item.version += 1
        item.updated_at = clock.now()
        item.save(update_fields=[attr, "version", "updated_at"])
        _snapshot(item, actor, "一键遮盖")
        finding.status = FindingStatus.MASKED
        finding.resolution = "一键遮盖"
        finding.resolved_by = actor if actor is not None and actor.is_authenticated else None
        finding.resolved_at = clock.now()
        finding.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        remaining = _rescan_text(item)
        audit_record(
            actor=actor,
            verb="publishing.finding_masked",
            target=finding,
            agency_id=item.agency_id,
            data={
                "item": item.pk,
                "kind": finding.kind,
                "masked": finding.masked,
                "version": item.version,
                "remaining": remaining,
            },
        )
    return item


def finding_override(*, actor: Any, finding: ScanFinding, reason: str) -> ScanFinding:
    """A reviewer accepts a finding as publishable (e.g. the office's own published phone number)."""
    reason = (reason or "").strip()
    if not reason:
        raise PublishingError("请填写确认可以公开的理由。")
    with transaction.atomic():
        item = Item.objects.select_for_update().select_related("agency").get(pk=finding.item_id)
        if not can_override_finding(actor, item.agency):
            raise PermissionDeniedError(
                "只有审核人员（科室负责人、保密审查员、分管领导）可以确认。"
            )
        finding = ScanFinding.objects.select_for_update().get(pk=finding.pk)
        if finding.status != FindingStatus.OPEN:
            raise PublishingError("该发现已处理。")
        finding.status = FindingStatus.OVERRIDDEN
        finding.resolution = reason[:300]
        finding.resolved_by = actor
        finding.resolved_at = clock.now()
        finding.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            verb="publishing.finding_overridden",
            target=finding,
            agency_id=item.agency_id,
            data={"item": item.pk, "kind": finding.kind, "reason": finding.resolution},
        )
    return finding


def columns_ensure_default(*, actor: Any, agency: Agency) -> list[Column]:
    """Create the default columns (columns.DEFAULT_COLUMNS) the agency lacks. Idempotent."""
    _require_editor(actor, agency)
    created: list[Column] = []
    with transaction.atomic():
        existing = {c.slug: c for c in Column.objects.select_for_update().filter(agency=agency)}
        # A default site column the agency deleted stays deleted (and its slug unused).
        retired = set(
            RetiredColumnSlug.objects.filter(agency=agency).values_list("slug", flat=True)
        )
        for order, spec in enumerate(DEFAULT_COLUMNS, 1):
            if spec.slug in existing or spec.slug in retired:
                continue
            column = Column.objects.create(
                agency=agency,
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                column_type=spec.column_type,
                article20_item=spec.article20_item,
                parent=existing.get(spec.parent) if spec.parent else None,
                order=order * 10,
            )
            existing[spec.slug] = column
            created.append(column)
        if created:
            audit_record(
                actor=actor,
                verb="publishing.columns_created",
                agency_id=agency.pk,
                data={"columns": [c.slug for c in created]},
            )
    return created


def column_set_intro(*, actor: Any, column: Column, intro: str) -> Column:
    """The editable text of a column (the 指南's own prose); the 公开办管理员 maintains it."""
    if actor is not None and not can_manage_agency(actor, column.agency):
        raise PermissionDeniedError("只有公开办管理员可以修改栏目说明。")
    with transaction.atomic():
        column = Column.objects.select_for_update().get(pk=column.pk)
        column.intro = sanitise_body(intro)
        column.updated_at = clock.now()
        column.save(update_fields=["intro", "updated_at"])
        audit_record(
            actor=actor,
            verb="publishing.column_intro_set",
            target=column,
            agency_id=column.agency_id,
        )
    return column


@dataclass(frozen=True)
class PublishedRow:
    """One already-published item for `items_import_published` (a legacy catalogue)."""

    column: Column
    title: str
    published_at: dt.datetime
    summary: str = ""
    body: str = ""
    formed_on: dt.date | None = None
    written_on: dt.date | None = None
    department: Department | None = None
    doc_number: str = ""
    doc_kind: str = DocKind.OTHER
    validity: str = ""
    # A 政策解读: the published policy documents it interprets (as `item_create`'s `interprets`).
    interprets: tuple[Item, ...] = ()


def items_import_published(
    *, actor: Any, agency: Agency, rows: Sequence[PublishedRow]
) -> list[Item]:
    """Bulk-load items that were reviewed and published before this platform (a legacy catalogue,
    and the demo). Each gets its 索引号 (year of publication), version 1 and one audit row; a
    政策解读 is linked to the documents it interprets, checked as in `item_create`. Text with scanner
    findings is refused: nothing unscanned becomes public this way."""
    if actor is not None and not can_edit_items(actor, agency):
        raise PermissionDeniedError()
    for row in rows:
        if row.column.agency_id != agency.pk:
            raise PublishingError("所选栏目不属于本机关。")
        for attr, _, label in SCANNED_FIELDS:
            if scan_text(getattr(row, attr) or ""):
                raise PublishingError(
                    f"“{row.title}”的{label}含有个人信息或密级标志，不能直接导入。"
                )
    calendar = load_calendar()
    with transaction.atomic():
        by_year: dict[int, list[PublishedRow]] = {}
        for row in rows:
            by_year.setdefault(clock.civil_date(row.published_at).year, []).append(row)
        items: list[Item] = []
        ordered: list[PublishedRow] = []
        for year, year_rows in sorted(by_year.items()):
            ordered += year_rows
            numbers = _index_numbers(agency, year, len(year_rows))
            for index_no, row in zip(numbers, year_rows, strict=True):
                formed_on = row.formed_on or clock.civil_date(row.published_at)
                has_validity = row.doc_kind in (DocKind.REGULATION, DocKind.NORMATIVE)
                items.append(
                    Item(
                        agency=agency,
                        department=row.department,
                        column=row.column,
                        index_no=index_no,
                        title=row.title,
                        summary=row.summary,
                        body=sanitise_body(row.body),
                        written_on=row.written_on,
                        formed_on=formed_on,
                        publish_due=deadlines.publish_due(calendar, formed_on),
                        published_at=row.published_at,
                        doc_number=row.doc_number,
                        article20_item=row.column.article20_item,
                        doc_kind=row.doc_kind,
                        validity=(row.validity or Validity.VALID) if has_validity else "",
                        status=ItemStatus.PUBLISHED,
                    )
                )
        Item.objects.bulk_create(items)
        # bulk_create sends no post_save (publishing.signals)
        public_content_changed(
            agencies={item.agency_id for item in items}, items={item.pk for item in items}
        )
        now = clock.now()
        ItemVersion.objects.bulk_create(
            ItemVersion(
                item=item,
                number=1,
                title=item.title,
                summary=item.summary,
                body=item.body,
                metadata=_metadata(item),
                saved_at=now,
                note="导入",
            )
            for item in items
        )
        for item in items:
            audit_record(
                actor=actor,
                verb="publishing.item_imported",
                target=item,
                agency_id=agency.pk,
                data={"index_no": item.index_no, "published_at": item.published_at},
            )
        for item, row in zip(items, ordered, strict=True):
            if row.interprets:
                _set_interpreted(item, row.interprets, actor)
        search.documents_add(items)
    return items


def _rescan_attachment(item: Item, attachment: Attachment) -> int:
    attachment.findings.filter(status=FindingStatus.OPEN).delete()
    accepted = {
        (f.kind, f.masked) for f in attachment.findings.filter(status=FindingStatus.OVERRIDDEN)
    }
    with attachment.file.open("rb") as handle:
        data = handle.read()
    rows = [
        ScanFinding(
            item=item,
            attachment=attachment,
            field=FindingField.ATTACHMENT,
            kind=found.kind,
            masked=found.masked[:300],
            location=found.location[:200],
            start=found.start,
            end=found.end,
        )
        for found in scan_file(data, attachment.name)
        if (str(found.kind), found.masked) not in accepted
    ]
    ScanFinding.objects.bulk_create(rows)
    return len(rows)


def rescan_item(item: Item, actor: Any) -> int:
    """Scan an item's text and current attachments again, inside the caller's transaction (the
    item locked). An unreadable stored attachment is audited, not fatal. Returns the open findings
    the scan left."""
    found = _rescan_text(item)
    for attachment in item.attachments.filter(is_current=True):
        try:
            found += _rescan_attachment(item, attachment)
        except (DomainError, OSError):
            audit_record(
                actor=actor,
                verb="publishing.attachment_rescan_failed",
                target=attachment,
                agency_id=item.agency_id,
                data={"item": item.pk},
            )
    return found


def items_rescan_published(*, actor: Any, agency: Agency | None = None) -> int:
    """事后监督检查: scan every published item and its current attachments again (the scanner's
    rules improve; old items were published before them). New findings are left open for the
    agency to act on (override with a reason, or withdraw); each item with findings gets an audit
    row. Returns the number of open findings."""
    items = Item.objects.filter(status=ItemStatus.PUBLISHED)
    if agency is not None:
        items = items.filter(agency=agency)
    total = 0
    for pk in items.values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            item = Item.objects.select_for_update().get(pk=pk)
            found = _rescan_text(item)
            for attachment in item.attachments.filter(is_current=True):
                try:
                    found += _rescan_attachment(item, attachment)
                except (DomainError, OSError):
                    # An unreadable stored file is itself a finding for the office to look at.
                    audit_record(
                        actor=actor,
                        verb="publishing.attachment_rescan_failed",
                        target=attachment,
                        agency_id=item.agency_id,
                        data={"item": item.pk},
                    )
            if found:
                audit_record(
                    actor=actor,
                    verb="publishing.item_rescanned",
                    target=item,
                    agency_id=item.agency_id,
                    data={"findings": found},
                )
            total += found
    return total


UNPUBLISHED = (ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.IN_REVIEW, ItemStatus.SCHEDULED)


def publish_due_recompute(*, years: frozenset[int], actor: Any) -> int:
    """Calendar recompute hook: the 20-working-day deadline of every unpublished item whose period
    touches a changed year (formed that year or late in the year before)."""
    calendar = load_calendar()
    changed = 0
    affected = set(years) | {y - 1 for y in years}
    for item in Item.objects.select_for_update().filter(
        status__in=UNPUBLISHED, formed_on__year__in=sorted(affected)
    ):
        due = deadlines.publish_due(calendar, item.formed_on)
        if due == item.publish_due:
            continue
        previous = item.publish_due
        item.publish_due = due
        item.save(update_fields=["publish_due"])
        audit_record(
            actor=actor,
            verb="publishing.publish_due_recomputed",
            target=item,
            agency_id=item.agency_id,
            data={"from": previous, "to": due},
        )
        changed += 1
    return changed
