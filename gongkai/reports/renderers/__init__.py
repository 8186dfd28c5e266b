"""Renderers: each takes an `AnnualReport` and nothing else (style §3).

`html.render_document` / `html.render_tables` (str), `pdf.render_pdf`, `docx.render_docx`,
`xlsx.render_xlsx` (bytes) and `json.render_json` (str). The tables' layout, merged cells
included, is decided once in `layout.py`.
"""
