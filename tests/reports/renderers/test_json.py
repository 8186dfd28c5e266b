"""JSON: the renderer writes the canonical JSON of spec §5."""

import json
from dataclasses import replace

from gongkai.reports.renderers.json import render_json
from gongkai.reports.value import AnnualReport
from tests.reports.factories import township_report


def test_render_json_writes_readable_canonical_json():
    text = render_json(township_report())
    assert '"name": "威海市文登区宋村镇人民政府"' in text  # UTF-8, not \\u escapes
    assert json.loads(text)["table2"]["fees_wan_yuan"] == "1.2345"
    assert text.endswith("}\n")


def test_rendered_json_reads_back_to_the_same_report_less_the_preamble():
    report = township_report()
    without_preamble = replace(
        report, sections={k: v for k, v in report.sections.items() if k != "0"}
    )
    assert AnnualReport.from_json(render_json(report)) == without_preamble
    assert AnnualReport.from_json_dict(report.to_storage_dict()) == report


def test_canonical_json_has_exactly_the_six_sections_of_the_spec():
    data = json.loads(render_json(township_report()))
    assert list(data) == [
        "format",
        "agency",
        "year",
        "published_on",
        "sections",
        "table2",
        "table3",
        "table4",
    ]
    assert sorted(data["sections"]) == ["1", "2", "3", "4", "5", "6"]
    # The platform's own storage keeps the preamble as well.
    assert township_report().to_storage_dict()["sections"]["0"] == township_report().preamble
