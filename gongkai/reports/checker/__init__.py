"""The report checker: read any published annual report and find what is missing, inconsistent,
late, outdated or copied.

`readers` turn a document (HTML, scraped text, `|` rows, DOCX, PDF, XLSX, canonical JSON) into
lines and table rows; `parse` turns those into the canonical `AnnualReport` value plus the raw
text of every cell; `check` runs the shared rules of `gongkai.reports.rules` on it and adds the
document-level and batch findings (UNREADABLE, CARRYOVER-MISMATCH, SIMILAR-TEXT); `cli` is the
`gongkai report check` command.
"""
