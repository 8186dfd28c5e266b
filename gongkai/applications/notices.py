"""The written reply (告知书/答复书) of an application, as a Word document (procedures.md §4).

It states the applicant, the request, the decision, its legal basis, the remedies (行政复议 within 60
days, 行政诉讼 within 6 months: 行政复议法第二十条, 行政诉讼法第四十六条) and the office's seal line.
The wording is ours; offices edit the document in Word before sealing it.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.applications.models import Application
from gongkai.applications.states import ENDING_NAMES

REMEDIES = (
    "如对本答复不服，可以自收到本告知书之日起60日内依法申请行政复议，"
    "或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。"
)


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reply_notice_docx(application: Application) -> bytes:
    """The 告知书 of a finished application (replied, lapsed, withdrawn)."""
    if application.outcome_on is None:
        raise ValueError("the application has no reply yet")
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")

    agency = application.agency
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(agency.name)
    run.bold = True
    run.font.size = Pt(18)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("政府信息公开申请答复告知书")
    run.bold = True
    run.font.size = Pt(18)
    number = document.add_paragraph(f"查询码：{application.tracking_code}")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    document.add_paragraph(f"{application.applicant_name}：")
    document.add_paragraph(
        f"本机关于{_cn_date(application.received_on)}收到您（单位）提出的政府信息公开申请，"
        f"申请获取“{application.description}”。"
    )
    name = application.reply_type_name or ENDING_NAMES.get(application.outcome, "")
    document.add_paragraph(f"答复类型：{name}。")
    if application.reply_text:
        document.add_paragraph(application.reply_text)
    if application.transferred_to is not None:
        other = application.transferred_to
        contact = "，".join(
            p
            for p in (
                f"地址：{other.address}" if other.address else "",
                f"电话：{other.phone}" if other.phone else "",
            )
            if p
        )
        document.add_paragraph(
            f"负责公开该政府信息的机关：{other.name}" + (f"（{contact}）" if contact else "") + "。"
        )
    if application.reply_basis:
        document.add_paragraph(f"依据：{application.reply_basis}。")
    document.add_paragraph(REMEDIES)
    if agency.phone:
        document.add_paragraph(f"联系电话：{agency.phone}")

    for text in (agency.office_name or agency.name, "（盖章）", _cn_date(application.outcome_on)):
        line = document.add_paragraph(text)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
