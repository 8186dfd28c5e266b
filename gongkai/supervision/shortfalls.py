"""An agency's current shortfalls, as notification-ready values (kind, stable key, text, link).

The key names the shortfall (a column, an item, a task …) so that a notice still unread is not
repeated; a new shortfall of the same kind gets its own key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from gongkai.agencies.models import Agency
from gongkai.supervision import sources
from gongkai.supervision.inspection import RuleKey
from gongkai.supervision.models import (
    NotificationKind,
    PlanTask,
    Proposal,
    ProposalStatus,
    TaskStatus,
)
from gongkai.supervision.overview import agency_overview


@dataclass(frozen=True)
class Shortfall:
    kind: str
    key: str
    text: str
    link: str = ""


def _url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


RULE_KIND = {
    RuleKey.HOME_STALE: NotificationKind.STALE_COLUMN,
    RuleKey.STALE_COLUMN: NotificationKind.STALE_COLUMN,
    RuleKey.STALE_COLUMNS_MANY: NotificationKind.STALE_COLUMN,
    RuleKey.STALE_NEWS_MANY: NotificationKind.STALE_COLUMN,
    RuleKey.EMPTY_COLUMN: NotificationKind.EMPTY_COLUMN,
    RuleKey.EMPTY_COLUMNS_MANY: NotificationKind.EMPTY_COLUMN,
    RuleKey.UNDATED_ITEM: NotificationKind.UNDATED_ITEM,
}


def shortfalls_for(agency: Agency, today: dt.date) -> list[Shortfall]:
    inspection_link = _url("workbench:supervision_inspection", agency.slug)
    overview = agency_overview(agency, today.year, today)
    found: list[Shortfall] = []
    for flag in overview.flags:
        kind = RULE_KIND.get(flag.rule.key)
        if kind is None:
            continue
        subject = flag.column_pk or flag.item_pk or ""
        found.append(
            Shortfall(
                kind,
                f"{flag.rule.key}:{subject}",
                f"{flag.rule.name}：{flag.subject}。{flag.detail}{flag.rule.fix}",
                inspection_link,
            )
        )
    for item in sources.unpublished_overdue_of(agency, today):
        found.append(
            Shortfall(
                NotificationKind.LATE_PUBLICATION,
                f"late_publication:{item.pk}",
                f"“{item.title}”应于{item.publish_due}前公开（条例第二十六条：20个工作日内），至今尚未发布。",
            )
        )
    if overview.open_findings:
        found.append(
            Shortfall(
                NotificationKind.OPEN_FINDING,
                "open_findings",
                f"有{overview.open_findings}处个人信息或密级标志扫描结果尚待处理，请遮盖或由审核人确认。",
            )
        )
    apps = overview.applications
    if apps is not None and apps.overdue:
        found.append(
            Shortfall(
                NotificationKind.APPLICATION_OVERDUE,
                f"applications_overdue:{today.isoformat()}",
                f"有{apps.overdue}件政府信息公开申请已超过答复期限，请立即办理。",
            )
        )
    if apps is not None and apps.due_soon:
        found.append(
            Shortfall(
                NotificationKind.APPLICATION_DUE,
                f"applications_due:{today.isoformat()}",
                f"有{apps.due_soon}件政府信息公开申请将在5个工作日内到期。",
            )
        )
    last_year = today.year - 1
    report = sources.report_status(agency, last_year)
    if report is not None and report.published_on is None and report.is_late(today):
        found.append(
            Shortfall(
                NotificationKind.REPORT_LATE,
                f"report_late:{last_year}",
                f"{last_year}年政府信息公开工作年度报告应于{report.deadline}前发布，目前状态为“{report.status_label}”。",
            )
        )
    tasks = PlanTask.objects.filter(responsible_agency=agency) | PlanTask.objects.filter(
        responsible_agency__isnull=True, responsible_department__agency=agency
    )
    for task in (
        tasks.exclude(status=TaskStatus.DONE).filter(due_on__lt=today).select_related("plan")
    ):
        found.append(
            Shortfall(
                NotificationKind.TASK_OVERDUE,
                f"task_overdue:{task.pk}",
                f"《{task.plan.title}》任务“{task.text[:60]}”应于{task.due_on}前完成，尚未完成。",
                _url("workbench:supervision_tasks", agency.slug),
            )
        )
    proposals = Proposal.objects.filter(
        agency=agency, status=ProposalStatus.REPLIED, reply_published=False
    )
    for proposal in proposals:
        found.append(
            Shortfall(
                NotificationKind.PROPOSAL_OPEN,
                f"proposal_open:{proposal.pk}",
                f"{proposal}已答复，答复全文尚未公开。",
                _url("workbench:supervision_proposals", agency.slug),
            )
        )
    return found
