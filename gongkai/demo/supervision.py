"""Demo data of the supervising office: the district's 2023 政务公开工作要点 with tasks across the
agencies, the 人大代表建议 and 政协委员提案 handled by 区民政局 in 2023, and a 2023 assessment sheet.

宋村镇 received no 建议 or 提案 in 2023 (its published report, section 六（二）), so it has none here.
Every title and text is written for the demo; proposers are not named. Everything goes through the
supervision services (actor None = the system), with the clock set to the dates the records carry.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gongkai.core import clock
from gongkai.supervision.models import (
    AssessmentScore,
    AssessmentSheet,
    Proposal,
    TaskStatus,
    WorkPlan,
)
from gongkai.supervision.services import (
    assessment_compute,
    assessment_score_set,
    assessment_sheet_create,
    plan_task_add,
    plan_task_update,
    proposal_register,
    proposal_update,
    work_plan_create,
)

YEAR = 2023
PLAN_TITLE = "2023年威海市文登区政务公开重点工作及责任分工"

# (agency slug, department or None, task, due date, status, evidence, completed on)
TASKS: tuple[tuple[str, str | None, str, dt.date, str, str, dt.date | None], ...] = (
    (
        "wendeng",
        "政务公开科",
        "组织全区政务公开业务培训，覆盖各镇街和区直部门信息公开工作人员。",
        dt.date(2023, 6, 30),
        TaskStatus.DONE,
        "6月举办全区政务公开业务培训班1期，各镇街、区直部门信息员参加。",
        dt.date(2023, 6, 16),
    ),
    (
        "songcun",
        None,
        "规范政府信息公开目录和指南，确保“法定主动公开内容”栏目无空白、无长期不更新。",
        dt.date(2023, 6, 30),
        TaskStatus.DONE,
        "完成目录梳理，更新政府信息公开指南，明确1名工作人员专职负责信息发布。",
        dt.date(2023, 6, 20),
    ),
    (
        "songcun",
        None,
        "加大政策类信息公开力度，对群众关心的惠民政策做好解读。",
        dt.date(2023, 12, 31),
        TaskStatus.IN_PROGRESS,
        "",
        None,
    ),
    (
        "gaocun",
        None,
        "推进基层政务公开标准化规范化建设，完善农业农村领域公开事项清单。",
        dt.date(2023, 9, 30),
        TaskStatus.IN_PROGRESS,
        "",
        None,
    ),
    (
        "zeku",
        None,
        "做好惠民惠农财政补贴资金信息公开，按季度更新发放情况。",
        dt.date(2023, 10, 31),
        TaskStatus.NOT_STARTED,
        "",
        None,
    ),
    (
        "minzheng",
        "社会救助科",
        "做好社会救助、养老服务领域信息公开，按月公开低保、特困供养资金发放情况。",
        dt.date(2023, 11, 30),
        TaskStatus.DONE,
        "按月在“重点领域信息公开”栏目发布救助资金发放情况，全年12期。",
        dt.date(2023, 11, 28),
    ),
    (
        "minzheng",
        "办公室",
        "做好人大代表建议和政协委员提案办理复文公开。",
        dt.date(2023, 10, 31),
        TaskStatus.DONE,
        "承办建议提案均已按期答复，答复全文已公开。",
        dt.date(2023, 9, 15),
    ),
)

# (kind, number, title, received on, replied on, published)
PROPOSALS: tuple[tuple[str, str, str, dt.date, dt.date | None, bool], ...] = (
    (
        "npc",
        "2023-031",
        "关于加快农村互助养老服务设施建设的建议",
        dt.date(2023, 3, 20),
        dt.date(2023, 6, 8),
        True,
    ),
    (
        "npc",
        "2023-057",
        "关于提高困难老年人居家养老服务补贴的建议",
        dt.date(2023, 3, 20),
        dt.date(2023, 6, 15),
        True,
    ),
    (
        "cppcc",
        "2023-018",
        "关于完善困难群众临时救助机制的提案",
        dt.date(2023, 3, 24),
        dt.date(2023, 6, 20),
        True,
    ),
)

CRITERIA: list[tuple[str, int, str]] = [
    ("信息按时公开", 15, "timely_publication"),
    ("栏目及时更新", 15, "stale_columns"),
    ("无空白栏目", 10, "empty_columns"),
    ("依申请公开按期答复", 15, "overdue_applications"),
    ("年度报告按时发布", 10, "report_on_time"),
    ("年度报告质量", 10, "report_errors"),
    ("工作要点任务落实", 15, "plan_tasks"),
    ("政务公开培训和宣传", 10, ""),
]


# The manual criterion (政务公开培训和宣传), scored by the district office with its evidence.
TRAINING: dict[str, tuple[Decimal, str]] = {
    "songcun": (Decimal(8), "组织镇村干部政务公开培训2次，参加全区培训1次。"),
    "minzheng": (Decimal(9), "开展社会救助政策解读进社区活动3次，参加全区培训1次。"),
}


def _department(agency: Any, name: str | None) -> Any:
    if name is None:
        return None
    return agency.departments.filter(name=name).first()


def _load_plan(agencies: dict[str, Any]) -> None:
    district = agencies["wendeng"]
    if WorkPlan.objects.filter(agency=district, year=YEAR).exists():
        return
    with clock.frozen(dt.date(YEAR, 3, 1)):
        plan = work_plan_create(
            actor=None,
            agency=district,
            year=YEAR,
            title=PLAN_TITLE,
            source_document="文政办字〔2023〕（演示）",
        )
        tasks = []
        for slug, department, text, due_on, *_ in TASKS:
            agency = agencies[slug]
            tasks.append(
                plan_task_add(
                    actor=None,
                    plan=plan,
                    text=text,
                    responsible_agency=agency,
                    responsible_department=_department(agency, department),
                    due_on=due_on,
                )
            )
    for task, (_, _, _, _, status, evidence, completed_on) in zip(tasks, TASKS, strict=True):
        if status == TaskStatus.NOT_STARTED:
            continue
        with clock.frozen(completed_on or dt.date(YEAR, 8, 1)):
            plan_task_update(
                actor=None, task=task, status=status, evidence=evidence, completed_on=completed_on
            )


def _reply_item(agency: Any, title: str, replied_on: dt.date) -> Any:
    """The published reply (答复全文) in the agency's 公示公告 column."""
    from gongkai.publishing.models import Column
    from gongkai.publishing.services import (
        PublishedRow,
        columns_ensure_default,
        items_import_published,
    )

    column = Column.objects.filter(agency=agency, slug="gsgg").first()
    if column is None:
        columns_ensure_default(actor=None, agency=agency)
        column = Column.objects.get(agency=agency, slug="gsgg")
    published_at = dt.datetime.combine(replied_on, dt.time(15, 0), tzinfo=clock.SHANGHAI)
    (item,) = items_import_published(
        actor=None,
        agency=agency,
        rows=[
            PublishedRow(
                column=column,
                title=f"对{title}的答复",
                published_at=published_at,
                summary="建议提案办理答复全文。",
                body="<p>本局高度重视，结合工作实际认真研究办理，现将办理情况答复如下。（演示内容）</p>",
                formed_on=replied_on,
            )
        ],
    )
    return item


def _load_proposals(agencies: dict[str, Any]) -> None:
    agency = agencies["minzheng"]
    for kind, number, title, received_on, replied_on, published in PROPOSALS:
        if Proposal.objects.filter(kind=kind, year=YEAR, number=number).exists():
            continue
        with clock.frozen(received_on):
            proposal = proposal_register(
                actor=None,
                agency=agency,
                kind=kind,
                year=YEAR,
                number=number,
                title=title,
                proposer="区人大代表" if kind == "npc" else "区政协委员",
                received_on=received_on,
            )
        if replied_on is None:
            continue
        with clock.frozen(replied_on):
            item = _reply_item(agency, title, replied_on) if published else None
            proposal_update(
                actor=None,
                proposal=proposal,
                status="replied",
                replied_on=replied_on,
                reply_published=published,
                reply_item=item,
            )


def _load_assessment(agencies: dict[str, Any]) -> None:
    district = agencies["wendeng"]
    if AssessmentSheet.objects.filter(agency=district, year=YEAR).exists():
        return
    with clock.frozen(dt.date(YEAR + 1, 2, 20)):
        sheet = assessment_sheet_create(
            actor=None,
            agency=district,
            year=YEAR,
            title="2023年度全区政务公开工作考核评分表",
            criteria=CRITERIA,
        )
        assessment_compute(actor=None, sheet=sheet)
        manual = AssessmentScore.objects.filter(
            assessment__sheet=sheet, criterion__metric=""
        ).select_related("assessment__agency", "criterion")
        for score in manual:
            points, evidence = TRAINING.get(
                score.assessment.agency.slug, (Decimal(6), "参加全区培训1次。")
            )
            assessment_score_set(actor=None, score=score, value=points, evidence=evidence)


def load(agencies: dict[str, Any]) -> None:
    """Idempotent: creates only what is missing."""
    _load_plan(agencies)
    _load_proposals(agencies)
    _load_assessment(agencies)
