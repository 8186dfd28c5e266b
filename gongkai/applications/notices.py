"""The written reply (告知书/答复书) of an application, as Word and as PDF (procedures.md §4).

One content, two renderings: `notice_content` fills the per-type template
`applications/notices/<type>.txt` (the reply type, or for a lapse or withdrawal the outcome key;
`default.txt` otherwise) and adds the parts every notice has: the office, the title, the applicant,
the remedies (行政复议 within 60 days, 行政诉讼 within 6 months: 行政复议法第二十条, 行政诉讼法第四十六条)
and the seal line. `reply_notice_docx` and `reply_notice_pdf` lay that content out. The templates
are plain text, one paragraph per non-empty line; an installation edits a type's wording
by placing its own `applications/notices/<type>.txt` under `gongkai/templates/`, which is searched
first. The wording shipped here is ours; offices may still edit the Word file before sealing it.

The fee notice (缴费通知书, `fee_notice_content`) is made the same way from `fee_notice.txt`.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.template.loader import select_template
from django.utils.html import escape
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.applications.models import Application
from gongkai.applications.states import ENDING_NAMES, EventKind

REMEDIES = (
    "如对本答复不服，可以自收到本告知书之日起60日内依法申请行政复议，"
    "或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。"
)
TITLE = "政府信息公开申请答复告知书"
FEE_TITLE = "政府信息公开信息处理费缴费通知书"


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Notice:
    """What a 告知书 says, independent of its file format."""

    agency_name: str
    title: str
    reference: str
    salutation: str
    paragraphs: tuple[str, ...]
    signature: tuple[str, ...]
    template: str


def notice_template_names(application: Application) -> list[str]:
    key = application.reply_type or application.outcome
    return [f"applications/notices/{key}.txt", "applications/notices/default.txt"]


def notice_content(application: Application) -> Notice:
    """The 告知书 of a finished application (replied, transferred, lapsed, withdrawn)."""
    if application.outcome_on is None:
        raise ValueError("the application has no reply yet")
    agency = application.agency
    other = application.transferred_to
    other_contact = ""
    if other is not None:
        other_contact = "，".join(
            part
            for part in (
                f"地址：{other.address}" if other.address else "",
                f"电话：{other.phone}" if other.phone else "",
            )
            if part
        )
    template = select_template(notice_template_names(application))
    body = template.render(
        {
            "application": application,
            "agency": agency,
            "received": _cn_date(application.received_on),
            "type_name": application.reply_type_name or ENDING_NAMES.get(application.outcome, ""),
            "other_agency": other,
            "other_contact": other_contact,
        }
    )
    # One paragraph per non-empty line (the reply text keeps the applicant-facing line breaks).
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    paragraphs.append(REMEDIES)
    if agency.phone:
        paragraphs.append(f"联系电话：{agency.phone}")
    return Notice(
        agency_name=agency.name,
        title=TITLE,
        reference=f"查询码：{application.tracking_code}",
        salutation=f"{application.applicant_name}：",
        paragraphs=tuple(paragraphs),
        signature=(agency.office_name or agency.name, "（盖章）", _cn_date(application.outcome_on)),
        template=str(template.origin.template_name),
    )


def fee_notice_content(application: Application) -> Notice:
    """The 收费通知 of the latest fee notice (条例第四十二条, 国办函〔2020〕109号): the amount with
    its calculation, the payment deadline and what happens without payment. Template
    `applications/notices/fee_notice.txt`."""
    event = (
        application.events.filter(kind=EventKind.FEE_NOTIFIED).order_by("-on_date", "-id").first()
    )
    if event is None:
        raise ValueError("no fee notice was sent for this application")
    agency = application.agency
    template = select_template(["applications/notices/fee_notice.txt"])
    body = template.render(
        {
            "application": application,
            "agency": agency,
            "received": _cn_date(application.received_on),
            "amount": event.data.get("amount"),
            "calculation": [line for line in event.reason.splitlines() if line.strip()],
            "fee_due": _cn_date(application.fee_due) if application.fee_due else "",
        }
    )
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    if agency.phone:
        paragraphs.append(f"联系电话：{agency.phone}")
    return Notice(
        agency_name=agency.name,
        title=FEE_TITLE,
        reference=f"查询码：{application.tracking_code}",
        salutation=f"{application.applicant_name}：",
        paragraphs=tuple(paragraphs),
        signature=(agency.office_name or agency.name, "（盖章）", _cn_date(event.on_date)),
        template=str(template.origin.template_name),
    )


def reply_notice_docx(application: Application) -> bytes:
    """The 告知书 as a Word document, for the office to check, seal and send."""
    return notice_docx(notice_content(application))


def reply_notice_pdf(application: Application) -> bytes:
    """The 告知书 as a PDF (A4, fonts embedded)."""
    return notice_pdf(notice_content(application))


def reply_notice_html(application: Application) -> str:
    """The 告知书 as a standalone HTML document (the source of the PDF)."""
    return notice_html(notice_content(application))


def fee_notice_docx(application: Application) -> bytes:
    return notice_docx(fee_notice_content(application))


def fee_notice_pdf(application: Application) -> bytes:
    return notice_pdf(fee_notice_content(application))


def notice_docx(notice: Notice) -> bytes:
    """A notice as a Word document."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")

    for text in (notice.agency_name, notice.title):
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = heading.add_run(text)
        run.bold = True
        run.font.size = Pt(18)
    number = document.add_paragraph(notice.reference)
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(notice.salutation)
    for text in notice.paragraphs:
        document.add_paragraph(text)
    for text in notice.signature:
        line = document.add_paragraph(text)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# GB/T 9704-2012 layout as in reports/renderers/pdf.py: A4, margins 37/26/35/28 mm, body in 仿宋 三号;
# the Noto CJK faces shipped with the server (fonts-noto-cjk) stand in for the official ones.
PDF_STYLESHEET = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
html { font-family: "仿宋_GB2312", "FangSong", "Noto Serif CJK SC", serif; font-size: 16pt;
  line-height: 28pt; color: #000; }
h1 { font-family: "方正小标宋简体", "Noto Serif CJK SC", serif; font-weight: bold; font-size: 22pt;
  line-height: 1.4; text-align: center; margin: 0; }
.reference { text-align: right; margin: 12pt 0 16pt; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.salutation { text-indent: 0; }
.signature { margin-top: 28pt; }
.signature p { text-indent: 0; text-align: right; }
"""


def notice_html(notice: Notice) -> str:
    """A notice as a standalone HTML document (the source of the PDF)."""
    body = "\n".join(f"<p>{escape(text)}</p>" for text in notice.paragraphs)
    signature = "\n".join(f"<p>{escape(text)}</p>" for text in notice.signature)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(notice.title)}</title><style>{PDF_STYLESHEET}</style></head><body>"
        f"<h1>{escape(notice.agency_name)}</h1><h1>{escape(notice.title)}</h1>"
        f'<p class="reference">{escape(notice.reference)}</p>'
        f'<p class="salutation">{escape(notice.salutation)}</p>{body}'
        f'<div class="signature">{signature}</div></body></html>'
    )


def notice_pdf(notice: Notice) -> bytes:
    """A notice as a PDF (A4, fonts embedded), rendered by WeasyPrint."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    pdf = HTML(string=notice_html(notice)).write_pdf()
    if pdf is None:  # write_pdf returns None only when given a target to write to
        raise RuntimeError("WeasyPrint produced no PDF")
    return bytes(pdf)
