"""PDF rendering: the HTML document through WeasyPrint with a print stylesheet.

The page follows the 公文 layout of GB/T 9704-2012 (A4; margins 37/26/35/28 mm; body in 仿宋 三号,
page numbers "— 1 —" centred at the foot). The official faces (方正小标宋简体, 仿宋_GB2312, 黑体)
are named first and the Noto CJK faces shipped with the server follow them, so a machine without the
official faces still prints every glyph. WeasyPrint embeds the subset of each face it uses.
"""

from __future__ import annotations

from weasyprint import HTML

from gongkai.reports.renderers.html import render_document
from gongkai.reports.value import AnnualReport

PRINT_STYLESHEET = """
@page {
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center {
    content: "— " counter(page) " —";
    font-family: "宋体", "SimSun", "Noto Serif CJK SC", serif;
    font-size: 14pt;
  }
}
html { font-family: "仿宋_GB2312", "FangSong", "Noto Serif CJK SC", serif; font-size: 16pt;
  line-height: 28pt; color: #000; }
h1 { font-family: "方正小标宋简体", "Noto Serif CJK SC", serif; font-weight: bold; font-size: 22pt;
  line-height: 1.4; text-align: center; margin: 0 0 28pt; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-weight: normal;
  font-size: 16pt; margin: 0; text-indent: 2em; break-after: avoid; }
p { margin: 0; text-indent: 2em; text-align: justify; orphans: 2; widows: 2; }
.gk-table { border-collapse: collapse; table-layout: fixed; width: 100%; margin: 8pt 0 14pt;
  font-size: 9pt; line-height: 1.25; break-inside: avoid; }
.gk-table caption { display: none; }
.gk-table thead { display: table-header-group; }
.gk-table tr { page-break-inside: avoid; }
.gk-table th, .gk-table td { border: 0.75pt solid #000; padding: 1.5pt 2pt; text-align: center;
  vertical-align: middle; font-weight: normal; }
.gk-table th.gk-row { text-align: left; }
.gk-table td.gk-note { font-size: 8pt; }
.gk-table4 { font-size: 8.5pt; }
.gk-signature { margin-top: 28pt; text-align: right; }
.gk-signature p { text-indent: 0; text-align: right; }
"""


def render_pdf(report: AnnualReport) -> bytes:
    """The report as a PDF document (A4, fonts embedded)."""
    document = render_document(report, stylesheet=PRINT_STYLESHEET)
    pdf = HTML(string=document).write_pdf()
    if pdf is None:  # write_pdf returns None only when given a target to write to
        raise RuntimeError("WeasyPrint produced no PDF")
    return bytes(pdf)
