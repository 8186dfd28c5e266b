"""PDF: A4 pages, embedded CJK fonts, and every official label in the extractable text."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from gongkai.reports.renderers.pdf import render_pdf
from tests.reports.factories import official_labels, township_report


@pytest.fixture(scope="module")
def reader():
    return PdfReader(BytesIO(render_pdf(township_report())))


@pytest.fixture(scope="module")
def flat_text(reader):
    # Table cells wrap their labels over several lines; compare without whitespace.
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_pages_are_a4(reader):
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_every_official_label_is_in_the_text(flat_text):
    assert [label for label in official_labels() if label not in flat_text] == []


def test_title_figures_and_signature_are_in_the_text(flat_text):
    assert "威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告" in flat_text
    assert "1.2345" in flat_text
    assert "2024年1月25日" in flat_text


def test_pages_are_numbered_in_the_footer(reader):
    assert "— 1 —" in reader.pages[0].extract_text()
    assert f"— {len(reader.pages)} —" in reader.pages[-1].extract_text()


def test_the_cjk_fonts_are_embedded(reader):
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"} <= embedded
