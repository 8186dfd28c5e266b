"""Demo annual reports: 宋村镇's 2023 report, generated from the demo records and published on
25 January 2024; 高村镇's 2023 report, submitted and waiting for the district's review.

The figures come from the records the earlier demo loaders wrote; the prose that only an agency
can write (the 【待填写】 prompts of the draft) is written here for the demo, never copied from a
real report. Idempotent: a report already past a step is left where it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.core import clock
from gongkai.reports.generator import has_prompt
from gongkai.reports.models import ReportRecord
from gongkai.reports.selectors import record_value
from gongkai.reports.services import (
    report_approve,
    report_draft_get_or_create,
    report_publish,
    report_save_draft,
    report_submit,
)
from gongkai.reports.states import Status

YEAR = 2023

# What the agency writes in place of each prompt, by the paragraph's opening words.
_PARAGRAPHS: dict[str, dict[str, str]] = {
    "1": {
        "（一）": "（一）主动公开情况。本年度按照政府信息公开目录及时发布工作动态、公示公告和财政信息。",
        "（二）": "（二）依申请公开情况。本年度按照《条例》规定的程序和期限办理政府信息公开申请。",
        "（三）": "（三）政府信息管理情况。坚持“先审查、后公开”，信息发布前由经办科室初审、"
        "党政办公室复核、分管领导签发，全年未发生泄密和错发信息的情况。",
        "（四）": "（四）政府信息公开平台建设情况。依托区政府门户网站政府信息公开专栏发布信息，"
        "微信公众号同步推送惠民政策和办事指南，做到内容一致、更新及时。",
        "（五）": "（五）监督保障情况。将政务公开纳入镇机关科室年度考核，每季度通报信息发布情况，"
        "组织全体信息员参加业务培训两次。",
    },
    "5": {
        "": "本年度工作中仍有不足：一是部分科室报送信息不够及时，二是政策解读以文字为主、形式较少。"
        "下一步，我镇将建立信息报送提醒机制，并增加图解、问答等解读形式，提高政策信息的可读性。",
    },
    "6": {
        "（一）": "（一）信息处理费收取情况。本年度未收取信息处理费。",
        "（二）": "（二）人大代表建议和政协提案办理情况。本年度未承办人大代表建议和政协提案。",
        "（三）": "（三）本年度政务公开工作要点落实情况。对照区政务公开工作要点，"
        "逐项明确责任科室和完成时限，各项任务均已按期落实。",
    },
}


def _finished_text(number: str, text: str) -> str:
    """Replace each paragraph that still holds a prompt by the demo's own paragraph."""
    replacements = _PARAGRAPHS.get(number, {})
    lines = []
    replaced: set[str] = set()
    for line in text.splitlines():
        if not has_prompt(line):
            lines.append(line)
            continue
        opening = next(
            (key for key in replacements if key and line.startswith(key)),
            "" if "" in replacements else None,
        )
        if opening is None or opening in replaced:
            continue
        replaced.add(opening)
        lines.append(replacements[opening])
    return "\n".join(lines)


def _draft(agency: Any, clerk: Any) -> ReportRecord:
    record, _ = report_draft_get_or_create(actor=clerk, agency=agency, year=YEAR)
    if record.status not in (Status.DRAFT, Status.RETURNED):
        return record
    value = record_value(record)
    sections = {
        number: _finished_text(number, text)
        for number, text in value.sections.items()
        if has_prompt(text)
    }
    if sections:
        record = report_save_draft(actor=clerk, record=record, sections=sections)
    return record


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def load(agencies: dict[str, Any]) -> None:
    supervisor = _user("wendeng_supervisor")

    songcun = agencies["songcun"]
    with clock.frozen(dt.datetime(2024, 1, 15, 9, 30, tzinfo=clock.SHANGHAI)):
        record = _draft(songcun, _user("songcun_clerk"))
        if record.status in (Status.DRAFT, Status.RETURNED):
            record = report_submit(actor=_user("songcun_admin"), record=record)
    with clock.frozen(dt.datetime(2024, 1, 22, 15, 0, tzinfo=clock.SHANGHAI)):
        if record.status == Status.SUBMITTED:
            record = report_approve(
                actor=supervisor, record=record, comment="数据核对无误，同意发布。"
            )
    with clock.frozen(dt.datetime(2024, 1, 25, 16, 46, tzinfo=clock.SHANGHAI)):
        if record.status == Status.APPROVED:
            report_publish(actor=_user("songcun_leader"), record=record)

    gaocun = agencies["gaocun"]
    with clock.frozen(dt.datetime(2024, 1, 18, 10, 0, tzinfo=clock.SHANGHAI)):
        record = _draft(gaocun, _user("gaocun_clerk"))
        if record.status in (Status.DRAFT, Status.RETURNED):
            report_submit(actor=_user("gaocun_admin"), record=record)
