"""SIMILAR-TEXT: shingling, MinHash signatures, LSH candidates and the findings (spec §6)."""

import random

import pytest

from gongkai.reports import similarity
from gongkai.reports.rules import Rule, Severity
from gongkai.reports.similarity import (
    ProseDocument,
    candidate_pairs,
    jaccard,
    normalise,
    report_prose,
    shingles,
    signature,
    similar_pairs,
    similar_text_findings,
)
from tests.reports.factories import SECTIONS, township_report

TOWNSHIP_TEXT = "\n".join(SECTIONS[number] for number in ("1", "4", "5", "6"))

DEPARTMENT_TEXT = (
    "2023年，区市场监督管理局坚持把政务公开作为转变政府职能、优化营商环境的重要抓手，"
    "围绕市场主体登记、食品安全抽检、特种设备监管等重点领域，及时发布监管信息和执法结果。"
    "全年办理行政许可事项数百件，公开双随机抽查结果，推动行政执法公示制度落地见效。"
    "局机关完善了信息发布协调机制，明确各科室信息报送责任，建立周调度、月通报工作制度。"
    "在平台建设方面，局门户栏目按照标准目录重新梳理，新增企业年报公示专题，优化检索功能。"
    "存在的问题主要是部分基层所队公开意识不强，信息更新不及时，解读材料形式较为单一。"
    "下一步将开展全系统业务培训，推行图解、视频等多样化解读，提升公开的针对性和实效性。"
)


def copy_of(text: str, old_name: str, new_name: str) -> str:
    return text.replace(old_name, new_name).replace("2023", "2024").replace("120", "98")


def test_normalise_folds_width_drops_punctuation_and_masks_digits():
    assert normalise("２０２３年，我镇（一）公开 465 篇！") == "#年我镇一公开#篇"


def test_shingles_are_five_character_grams_of_the_normalised_text():
    assert len(shingles("一二三四五六")) == 2
    assert shingles("一二三") == shingles("一，二 三")
    assert shingles("") == frozenset()
    assert shingles("2023年我镇") == shingles("2024年我镇")


def test_signatures_are_stable_and_sized():
    first = signature(shingles(TOWNSHIP_TEXT))
    assert len(first) == similarity.SIGNATURE_SIZE == similarity.BANDS * similarity.ROWS_PER_BAND
    assert first == signature(shingles(TOWNSHIP_TEXT))
    assert first != signature(shingles(DEPARTMENT_TEXT))


def test_signature_agreement_estimates_jaccard_similarity():
    a, b = shingles(TOWNSHIP_TEXT), shingles(copy_of(TOWNSHIP_TEXT, "我镇", "我乡"))
    exact = jaccard(a, b)
    sig_a, sig_b = signature(a), signature(b)
    estimate = sum(x == y for x, y in zip(sig_a, sig_b, strict=True)) / len(sig_a)
    assert 0.75 < exact < 1
    assert abs(estimate - exact) < 0.15


def test_jaccard_of_known_sets():
    assert jaccard(frozenset({1, 2, 3}), frozenset({2, 3, 4})) == 0.5
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_lsh_pairs_documents_that_share_a_band_only():
    size, rows = similarity.SIGNATURE_SIZE, similarity.ROWS_PER_BAND
    signatures = {"a": (1,) * size, "b": (1,) * (size - rows) + (2,) * rows, "c": (3,) * size}
    assert candidate_pairs(signatures) == {("a", "b")}


def test_a_neighbours_copy_is_found_and_reported_on_both_reports():
    documents = [
        ProseDocument("songcun", "宋村镇人民政府", 2023, TOWNSHIP_TEXT, ("1", "5")),
        ProseDocument(
            "zhangjia", "张家产镇人民政府", 2023, copy_of(TOWNSHIP_TEXT, "我镇", "本镇"), ("1",)
        ),
        ProseDocument("scjg", "区市场监督管理局", 2023, DEPARTMENT_TEXT),
    ]
    pairs = similar_pairs(documents)
    assert [(pair.first, pair.second) for pair in pairs] == [("songcun", "zhangjia")]
    assert pairs[0].similarity >= 0.8
    findings = similar_text_findings(documents)
    assert set(findings) == {"songcun", "zhangjia"}
    (finding,) = findings["songcun"]
    assert finding.rule is Rule.SIMILAR_TEXT
    assert finding.severity is Severity.WARNING
    assert finding.cells == ("section.1", "section.5")
    percent = f"{pairs[0].similarity:.0%}"
    assert finding.message == (
        f"本报告正文与张家产镇人民政府2023年度报告的相似度为{percent}（达到80%），"
        "请核实是否照搬了其他报告的内容"
    )


def test_last_years_text_reused_by_the_same_agency_is_reported():
    documents = [
        ProseDocument("2022", "宋村镇人民政府", 2022, TOWNSHIP_TEXT),
        ProseDocument("2023", "宋村镇人民政府", 2023, copy_of(TOWNSHIP_TEXT, "我镇", "我镇")),
    ]
    findings = similar_text_findings(documents)
    assert findings["2023"][0].message.startswith("本报告正文与本机关2022年度报告的相似度为")


def test_the_same_agency_two_years_apart_is_not_compared():
    documents = [
        ProseDocument("2021", "宋村镇人民政府", 2021, TOWNSHIP_TEXT),
        ProseDocument("2023", "宋村镇人民政府", 2023, TOWNSHIP_TEXT),
    ]
    assert similar_pairs(documents) == []


def test_different_reports_are_not_reported():
    documents = [
        ProseDocument("a", "宋村镇人民政府", 2023, TOWNSHIP_TEXT),
        ProseDocument("b", "区市场监督管理局", 2023, DEPARTMENT_TEXT),
        ProseDocument("c", "空白镇", 2023, ""),
    ]
    assert similar_text_findings(documents) == {}


def test_duplicate_keys_are_refused():
    document = ProseDocument("a", "宋村镇人民政府", 2023, TOWNSHIP_TEXT)
    with pytest.raises(ValueError, match="distinct keys"):
        similar_pairs([document, document])


def test_only_lsh_candidates_are_compared_exactly(monkeypatch):
    pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你"
    rng = random.Random(7)
    documents = [
        ProseDocument(str(i), f"机关{i}", 2023, "".join(rng.choice(pool) for _ in range(1500)))
        for i in range(40)
    ]
    documents.append(ProseDocument("copy", "机关copy", 2023, documents[0].text + "附言"))
    compared = []
    real_jaccard = similarity.jaccard

    def counting_jaccard(first, second):
        compared.append(1)
        return real_jaccard(first, second)

    monkeypatch.setattr(similarity, "jaccard", counting_jaccard)
    pairs = similar_pairs(documents)
    assert [(pair.first, pair.second) for pair in pairs] == [("0", "copy")]
    assert len(compared) < 10  # out of 820 possible pairs


def test_report_prose_takes_the_six_sections_without_the_preamble():
    document = report_prose(township_report())
    assert document.key == "威海市文登区宋村镇人民政府:2023"
    assert document.sections == ("1", "4", "5", "6")
    assert "2023年，我镇认真贯彻《条例》" in document.text
    assert "根据《中华人民共和国政府信息公开条例》" not in document.text


# Boilerplate: the format's labels and the stock legal phrases say nothing about copying.

STOCK_OPENING = (
    "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
    "的要求，编制本报告。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
    "本年度未收取信息处理费。如对本报告有任何疑问，请与本机关政府信息公开工作机构联系。"
)


def test_the_format_labels_and_stock_phrases_are_boilerplate():
    assert normalise("中华人民共和国政府信息公开条例") in similarity.BOILERPLATE
    assert normalise("五、存在的主要问题及改进情况") in similarity.BOILERPLATE
    assert normalise("如对本报告有任何疑问") in similarity.BOILERPLATE
    assert all(len(phrase) >= 4 for phrase in similarity.BOILERPLATE)
    lengths = [len(phrase) for phrase in similarity.BOILERPLATE]
    assert lengths == sorted(lengths, reverse=True)  # longer phrases are cut out first


def test_stripping_leaves_the_prose_between_the_phrases():
    pieces = similarity.strip_boilerplate(
        normalise("我镇认真贯彻落实条例，主动公开惠农补贴发放名单。")
    )
    assert pieces == ["我镇", "条例", "惠农补贴发放名单"]
    assert similarity.strip_boilerplate(normalise(STOCK_OPENING)) == [
        "根据",
        "和",
        "#",
        "#",
        "本年度",
        "请与本机关",
        "联系",
    ]


def test_prose_shingles_never_span_a_cut_and_skip_boilerplate():
    text = "惠农补贴发放名单政府信息公开工作年终考核"
    grams = similarity.prose_shingles(text)
    # "年终考核" is shorter than a shingle: only the four grams of "惠农补贴发放名单" are left.
    assert grams == similarity.prose_shingles("惠农补贴发放名单")
    assert len(grams) == 4
    # Of the stock opening one shingle is left ("请与本机关"); without stripping, 94.
    assert len(similarity.prose_shingles(STOCK_OPENING)) == 1
    assert len(shingles(STOCK_OPENING)) > 90
    assert similarity.prose_shingles("政府信息公开") == frozenset()
    assert similarity.prose_shingles("年终考核") == similarity.prose_shingles("年终，考核")


def test_reports_sharing_only_boilerplate_are_not_similar():
    documents = [
        ProseDocument("a", "宋村镇人民政府", 2023, STOCK_OPENING + TOWNSHIP_TEXT),
        ProseDocument("b", "区市场监督管理局", 2023, STOCK_OPENING + DEPARTMENT_TEXT),
    ]
    # Without stripping, the shared opening alone makes them look alike.
    raw = jaccard(shingles(documents[0].text), shingles(documents[1].text))
    stripped = jaccard(
        similarity.prose_shingles(documents[0].text), similarity.prose_shingles(documents[1].text)
    )
    assert stripped < raw
    pairs, stats = similarity.find_similar(documents)
    assert pairs == []
    assert stats.documents == 2


def test_lsh_finds_every_planted_copy_among_boilerplate_heavy_reports():
    """Reports built from shared stock sentences and a phrase pool; every copy at or above the
    threshold is found, and LSH lets through only a small share of the possible pairs."""
    rng = random.Random(11)
    pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你"

    def prose() -> str:
        own = "".join(rng.choice(pool) for _ in range(600))
        return STOCK_OPENING + own[:300] + "。" + STOCK_OPENING + own[300:]

    documents = [ProseDocument(str(i), f"机关{i}", 2023, prose()) for i in range(150)]
    planted = []
    for index in range(10):
        original = documents[index * 7]
        sentences = original.text.split("。")
        sentences[3] = sentences[3][:250] + "本机关新增了公共企事业单位办事公开目录"  # an edit
        key = f"copy{index}"
        documents.append(ProseDocument(key, f"抄写机关{index}", 2023, "。".join(sentences)))
        planted.append((original.key, key))
    pairs, stats = similarity.find_similar(documents)
    found = {(pair.first, pair.second) for pair in pairs}
    expected = {
        tuple(sorted(pair))
        for pair in planted
        if jaccard(
            similarity.prose_shingles(documents[int(pair[0])].text),
            similarity.prose_shingles(next(d.text for d in documents if d.key == pair[1])),
        )
        >= similarity.THRESHOLD
    }
    assert len(expected) >= 8
    assert expected <= found
    possible = len(documents) * (len(documents) - 1) // 2
    assert stats.candidates < possible * 0.05
