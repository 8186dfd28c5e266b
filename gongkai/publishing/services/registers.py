"""Channel statistics (section 一 of the annual report) and the table-2 registers.

CSV import of channel statistics — UTF-8 (a BOM is accepted), comma-separated, one header row,
columns by name (English or Chinese header), in any order:

    channel  / 渠道名称   the channel's name, e.g. 历史风韵 文化宋村
    kind     / 渠道类型   website | wechat | other (or 政府网站 | 微信公众号 | 其他渠道); needed only
                          for a channel not yet known, which is then created
    year     / 年份       e.g. 2023
    month    / 月份       1–12
    items    / 发布条数   integer ≥ 0
    reads    / 阅读量     integer ≥ 0 (empty = 0)

A row for a (channel, year, month) that exists replaces its figures. The whole file is checked
first; any error refuses the whole file, naming the line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError
from gongkai.publishing.exceptions import PublishingError, StatsImportError
from gongkai.publishing.models import Channel, ChannelKind, ChannelMonthlyStat, RegisterYear
from gongkai.publishing.permissions import can_manage_registers

CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "channel": ("channel", "渠道名称"),
    "kind": ("kind", "渠道类型"),
    "year": ("year", "年份"),
    "month": ("month", "月份"),
    "items": ("items", "发布条数"),
    "reads": ("reads", "阅读量"),
}
KIND_NAMES = {label: value for value, label in ChannelKind.choices}
MAX_COUNT = 100_000_000


def _require_manager(actor: Any, agency: Agency) -> None:
    if actor is not None and not can_manage_registers(actor, agency):
        raise PermissionDeniedError("只有信息员或公开办管理员可以录入统计数据。")


def _check_count(value: int, label: str) -> None:
    if not 0 <= value <= MAX_COUNT:
        raise PublishingError(f"{label}应为0到{MAX_COUNT}之间的整数。")


def channel_create(*, actor: Any, agency: Agency, kind: str, name: str, order: int = 0) -> Channel:
    _require_manager(actor, agency)
    name = name.strip()
    if kind not in ChannelKind.values:
        raise PublishingError("渠道类型只能为政府网站、微信公众号或其他渠道。")
    if not name:
        raise PublishingError("请填写渠道名称。")
    with transaction.atomic():
        if Channel.objects.filter(agency=agency, name=name).exists():
            raise PublishingError(f"渠道“{name}”已存在。")
        channel = Channel.objects.create(agency=agency, kind=kind, name=name, order=order)
        audit_record(
            actor=actor,
            verb="publishing.channel_created",
            target=channel,
            agency_id=agency.pk,
            data={"kind": kind, "name": name},
        )
    return channel


def _upsert_stat(channel: Channel, year: int, month: int, items: int, reads: int) -> bool:
    """True when a new row was created."""
    stat = (
        ChannelMonthlyStat.objects.select_for_update()
        .filter(channel=channel, year=year, month=month)
        .first()
    )
    if stat is None:
        ChannelMonthlyStat.objects.create(
            channel=channel, year=year, month=month, items=items, reads=reads
        )
        return True
    stat.items = items
    stat.reads = reads
    stat.updated_at = clock.now()
    stat.save(update_fields=["items", "reads", "updated_at"])
    return False


def channel_stat_set(
    *, actor: Any, channel: Channel, year: int, month: int, items: int, reads: int
) -> ChannelMonthlyStat:
    _require_manager(actor, channel.agency)
    if not 1 <= month <= 12:
        raise PublishingError("月份应为1到12。")
    if not 2000 <= year <= 2100:
        raise PublishingError("年份不正确。")
    _check_count(items, "发布条数")
    _check_count(reads, "阅读量")
    with transaction.atomic():
        created = _upsert_stat(channel, year, month, items, reads)
        audit_record(
            actor=actor,
            verb="publishing.channel_stat_set",
            target=channel,
            agency_id=channel.agency_id,
            data={"year": year, "month": month, "items": items, "reads": reads, "new": created},
        )
    return ChannelMonthlyStat.objects.get(channel=channel, year=year, month=month)


@dataclass(frozen=True)
class StatsImportResult:
    created: int
    updated: int
    channels_created: int


@dataclass(frozen=True)
class _Row:
    line: int
    channel: str
    kind: str
    year: int
    month: int
    items: int
    reads: int


def _parse_int(raw: str, label: str, line: int, *, empty_ok: bool = False) -> int:
    raw = (raw or "").strip().replace(",", "")
    if not raw and empty_ok:
        return 0
    try:
        value = int(raw)
    except ValueError:
        raise StatsImportError(f"第{line}行：{label}“{raw}”不是整数。") from None
    if not 0 <= value <= MAX_COUNT:
        raise StatsImportError(f"第{line}行：{label}超出范围。")
    return value


def parse_stats_csv(text: str) -> list[_Row]:
    """Rows of a channel-statistics CSV (see the module docstring), or a StatsImportError."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise StatsImportError("文件是空的。") from None
    positions: dict[str, int] = {}
    for key, names in CSV_COLUMNS.items():
        for index, title in enumerate(header):
            if title.lower() in names:
                positions[key] = index
    missing = [
        CSV_COLUMNS[k][1] for k in ("channel", "year", "month", "items") if k not in positions
    ]
    if missing:
        raise StatsImportError(f"表头缺少列：{'、'.join(missing)}。")
    rows: list[_Row] = []
    for line, record in enumerate(reader, 2):
        if not any(cell.strip() for cell in record):
            continue

        def cell(key: str, record: list[str] = record) -> str:
            index = positions.get(key)
            return record[index].strip() if index is not None and index < len(record) else ""

        channel = cell("channel")
        if not channel:
            raise StatsImportError(f"第{line}行：缺少渠道名称。")
        kind = cell("kind")
        kind = KIND_NAMES.get(kind, kind)
        if kind and kind not in ChannelKind.values:
            raise StatsImportError(f"第{line}行：渠道类型“{kind}”不正确。")
        year = _parse_int(cell("year"), "年份", line)
        month = _parse_int(cell("month"), "月份", line)
        if not 2000 <= year <= 2100:
            raise StatsImportError(f"第{line}行：年份不正确。")
        if not 1 <= month <= 12:
            raise StatsImportError(f"第{line}行：月份应为1到12。")
        rows.append(
            _Row(
                line=line,
                channel=channel,
                kind=kind,
                year=year,
                month=month,
                items=_parse_int(cell("items"), "发布条数", line),
                reads=_parse_int(cell("reads"), "阅读量", line, empty_ok=True),
            )
        )
    if not rows:
        raise StatsImportError("文件中没有数据行。")
    return rows


def channel_stats_import(*, actor: Any, agency: Agency, text: str) -> StatsImportResult:
    """Import monthly channel statistics from CSV text (format in the module docstring)."""
    _require_manager(actor, agency)
    rows = parse_stats_csv(text)
    with transaction.atomic():
        channels = {c.name: c for c in Channel.objects.select_for_update().filter(agency=agency)}
        created = updated = channels_created = 0
        for row in rows:
            channel = channels.get(row.channel)
            if channel is None:
                if not row.kind:
                    raise StatsImportError(
                        f"第{row.line}行：渠道“{row.channel}”尚未建立，请填写渠道类型。"
                    )
                channel = Channel.objects.create(agency=agency, kind=row.kind, name=row.channel)
                channels[row.channel] = channel
                channels_created += 1
            if _upsert_stat(channel, row.year, row.month, row.items, row.reads):
                created += 1
            else:
                updated += 1
        result = StatsImportResult(created, updated, channels_created)
        audit_record(
            actor=actor,
            verb="publishing.channel_stats_imported",
            agency_id=agency.pk,
            data={
                "rows": len(rows),
                "created": created,
                "updated": updated,
                "channels_created": channels_created,
            },
        )
    return result


def register_set(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    licensing: int,
    punishment: int,
    coercion: int,
    fees_fen: int,
) -> RegisterYear:
    """Table 2's yearly counts of 行政许可、行政处罚、行政强制 decisions and 行政事业性收费 (分)."""
    _require_manager(actor, agency)
    if not 2000 <= year <= 2100:
        raise PublishingError("年份不正确。")
    for value, label in (
        (licensing, "行政许可"),
        (punishment, "行政处罚"),
        (coercion, "行政强制"),
    ):
        _check_count(value, label)
    if fees_fen < 0:
        raise PublishingError("收费金额不能为负数。")
    with transaction.atomic():
        register = RegisterYear.objects.select_for_update().filter(agency=agency, year=year).first()
        previous: dict[str, int] = {}
        if register is None:
            register = RegisterYear(agency=agency, year=year)
        else:
            previous = {
                "licensing": register.licensing,
                "punishment": register.punishment,
                "coercion": register.coercion,
                "fees_fen": register.fees_fen,
            }
        register.licensing = licensing
        register.punishment = punishment
        register.coercion = coercion
        register.fees_fen = fees_fen
        register.updated_at = clock.now()
        register.save()
        audit_record(
            actor=actor,
            verb="publishing.register_set",
            target=register,
            agency_id=agency.pk,
            data={
                "year": year,
                "from": previous,
                "to": {
                    "licensing": licensing,
                    "punishment": punishment,
                    "coercion": coercion,
                    "fees_fen": fees_fen,
                },
            },
        )
    return register
