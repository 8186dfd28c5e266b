"""JSON: the renderer writes the canonical JSON of spec §5."""

import json

from gongkai.reports.renderers.json import render_json
from gongkai.reports.value import AnnualReport
from tests.reports.factories import township_report


def test_render_json_writes_readable_canonical_json():
    text = render_json(township_report())
    assert '"name": "威海市文登区宋村镇人民政府"' in text  # UTF-8, not \\u escapes
    assert json.loads(text)["table2"]["fees_wan_yuan"] == "1.2345"
    assert text.endswith("}\n")


def test_rendered_json_reads_back_to_the_same_report():
    assert AnnualReport.from_json(render_json(township_report())) == township_report()
