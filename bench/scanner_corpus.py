"""A labelled, synthetic corpus for the personal-information scanner (`gongkai.publishing.scanner`).

Everything here is generated from a seed — no real person's data. Documents imitate what county
sites publish: 公示名单 and 花名册 (rosters with ID numbers, mobiles, bank cards, addresses),
notices in prose, procurement notices; and they carry look-alikes the scanner must not report:
ID-shaped numbers with a wrong check digit, 20-digit order numbers, 16–19 digit numbers failing
Luhn, 统一社会信用代码, 索引号, 文号, 11-digit numbers starting 10/12, dates, amounts, postcodes,
prose about 国家秘密.

The labels are computed here, independently of the scanner (own check-digit and Luhn code), so
that the evaluation does not grade the scanner with its own answers.

Each document renders as plain text, DOCX, XLSX and PDF; `expected_*` give the labels in the
form's terms (spans for text, per-part counts for DOCX/XLSX, per-document counts for PDF).
"""

from __future__ import annotations

import io
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

KINDS = ("id_number", "mobile", "landline", "bank_card", "email", "address", "classification")

# --- independent check digits ---------------------------------------------------------------------

_ID_WEIGHTS = [2 ** (17 - index) % 11 for index in range(17)]  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, …
_ID_CHECK = "10X98765432"


def id_check(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def luhn_digit(body: str) -> str:
    """The digit that completes `body` to pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(body)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_check(body: str) -> str:
    weights = [3**index % 31 for index in range(17)]
    total = sum(_CREDIT_CHARS.index(char) * w for char, w in zip(body, weights, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


# --- building blocks ------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志成海波文斌"
# Administrative division codes (public, not personal): the first six digits of an ID number.
REGIONS = {
    "110101": "北京市东城区",
    "310104": "上海市徐汇区",
    "440305": "广东省深圳市南山区",
    "371081": "山东省威海市文登区",
    "350102": "福建省福州市鼓楼区",
    "510104": "四川省成都市锦江区",
    "420106": "湖北省武汉市武昌区",
    "610113": "陕西省西安市雁塔区",
    "230102": "黑龙江省哈尔滨市道里区",
    "650102": "新疆维吾尔自治区乌鲁木齐市天山区",
    "810000": "",
}
TOWNS = ["米山镇", "龙山街道", "天福街道", "张家产镇", "高村镇", "泽头镇", "大水泊镇", "侯家镇"]
VILLAGES = ["幸福村", "东山村", "南河村", "李家庄", "西营村", "后岛村", "北埠村", "前进社区"]
ROADS = ["米山路", "世纪大道", "峰山路", "文山路", "香山街", "龙山路", "抱龙河路", "昆嵛路"]
COMPOUNDS = ["香山小区", "金都花园", "阳光家园", "锦绣新村", "文昌小区"]
CARD_BINS = [
    *("622202", "621700", "622848", "621661", "622588", "622700", "621226", "623058", "625965"),
    *("436742", "456351", "518710", "524091", "955880", "356833", "817199"),
]
MOBILE_PREFIXES = ["130", "135", "138", "139", "150", "158", "166", "177", "186", "189", "199"]
AREA_CODES = ["010", "021", "0631", "0755", "0591", "0531", "028"]
MAIL_DOMAINS = ["163.com", "qq.com", "126.com", "sina.com", "example.gov.cn"]
PINYIN = ["zhang", "wang", "li", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu"]
AGENCIES = ["文登区民政局", "文登区人力资源和社会保障局", "文登区农业农村局", "米山镇人民政府"]
ORDER_LABELS = ["订单号", "流水号", "交易流水号", "合同编号", "批次号", "项目编号"]


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int


@dataclass
class Unit:
    """A paragraph or table cell: its text and the personal items (positives) in it."""

    text: str = ""
    spans: list[Span] = field(default_factory=list)

    def add(self, text: str, kind: str | None = None) -> Unit:
        if kind is not None:
            self.spans.append(Span(kind, len(self.text), len(self.text) + len(text)))
        self.text += text
        return self

    def counts(self) -> Counter[str]:
        return Counter(span.kind for span in self.spans)


@dataclass
class Document:
    name: str
    paragraphs: list[Unit]
    columns: list[str]
    rows: list[list[Unit]]
    footer: list[Unit]
    header: list[Unit]
    lookalikes: Counter[str] = field(default_factory=Counter)


class Generator:
    """Seeded generator of values, positives and look-alikes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.lookalikes: Counter[str] = Counter()

    def digits(self, count: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(count))

    def name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self.rng.choice(SURNAMES) + given

    def birth(self, start: int = 1940, end: int = 2012) -> date:
        first = date(start, 1, 1)
        return first + timedelta(days=self.rng.randrange((date(end, 12, 31) - first).days))

    # positives
    def id18(self) -> str:
        body = self.rng.choice(list(REGIONS)) + self.birth().strftime("%Y%m%d") + self.digits(3)
        check = id_check(body)
        return body + (check.lower() if check == "X" and self.rng.random() < 0.3 else check)

    def id15(self) -> str:
        born = self.birth(1930, 1998)
        return self.rng.choice(list(REGIONS)) + born.strftime("%y%m%d") + self.digits(3)

    def id_number(self) -> str:
        value = self.id15() if self.rng.random() < 0.08 else self.id18()
        if len(value) == 18 and self.rng.random() < 0.05:
            value = f"{value[:6]} {value[6:14]} {value[14:]}"
        return value

    def mobile(self) -> str:
        number = self.rng.choice(MOBILE_PREFIXES) + self.digits(8)
        style = self.rng.random()
        if style < 0.6:
            return number
        if style < 0.72:
            return f"{number[:3]}-{number[3:7]}-{number[7:]}"
        if style < 0.82:
            return f"{number[:3]} {number[3:7]} {number[7:]}"
        if style < 0.92:
            return self.rng.choice(("+86 ", "+86-", "+86", "(+86)")) + number
        return number.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})

    def bank_card(self) -> str:
        length = self.rng.choice((16, 16, 19, 19, 19, 17, 18))
        body = self.rng.choice(CARD_BINS) + self.digits(length - 7)
        number = body + luhn_digit(body)
        if self.rng.random() < 0.3:
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def landline(self) -> str:
        area = self.rng.choice(AREA_CODES)
        local = self.rng.choice("2345678") + self.digits(7 if len(area) == 3 else 6)
        sep = self.rng.choice(("-", "-", "—", "－", " "))
        if self.rng.random() < 0.2:
            return f"（{area}）{local}"
        return f"{area}{sep}{local}"

    def email(self) -> str:
        local = self.rng.choice(PINYIN) + self.rng.choice(("", ".", "_")) + self.rng.choice(PINYIN)
        if self.rng.random() < 0.4:
            local += self.digits(self.rng.randint(2, 4))
        return f"{local}@{self.rng.choice(MAIL_DOMAINS)}"

    def address(self) -> str:
        prefix = self.rng.choice(("", "文登区", "威海市文登区", "山东省威海市文登区"))
        town = self.rng.choice(TOWNS)
        if self.rng.random() < 0.5:
            return f"{prefix}{town}{self.rng.choice(VILLAGES)}{self.rng.randint(1, 300)}号"
        compound = self.rng.choice(COMPOUNDS)
        return (
            f"{prefix}{town}{compound}{self.rng.randint(1, 40)}号楼"
            f"{self.rng.randint(1, 6)}单元{self.rng.randint(1, 18)}0{self.rng.randint(1, 4)}室"
        )

    def marking(self) -> str:
        return self.rng.choice(
            ("机密★1年", "秘密★6个月", "绝密★长期", "秘密★", "内部资料 注意保存", "内部资料")
        )

    # look-alikes
    def bad_id(self) -> str:
        self.lookalikes["id_wrong_check"] += 1
        value = self.id18()
        wrong = [char for char in "0123456789X" if char != value[17].upper()]
        return value[:17] + self.rng.choice(wrong)

    def order_number(self) -> str:
        self.lookalikes["order_20_digits"] += 1
        return self.rng.choice("123456789") + self.digits(19)

    def bad_card(self) -> str:
        self.lookalikes["card_fails_luhn"] += 1
        length = self.rng.randint(16, 19)
        body = self.rng.choice([*CARD_BINS, "1", "8", "9", "3"]) + self.digits(length)
        body = body[: length - 1]
        good = luhn_digit(body)
        return body + self.rng.choice([d for d in "0123456789" if d != good])

    def serial(self) -> str:
        """An unconstrained 16–19 digit record number (passes Luhn one time in ten)."""
        self.lookalikes["serial_16_19_labelled"] += 1
        return self.rng.choice("123456789") + self.digits(self.rng.randint(15, 18))

    def archive_number(self) -> str:
        """An unconstrained 16–19 digit number with no label of its own (a table column's)."""
        self.lookalikes["archive_16_19_unlabelled"] += 1
        return self.rng.choice("123456789") + self.digits(self.rng.randint(15, 18))

    def credit_code(self) -> str:
        self.lookalikes["credit_code"] += 1
        head = self.rng.choice(("91", "12", "11", "52", "93")) + self.rng.choice(list(REGIONS))
        org = "".join(self.rng.choice(_CREDIT_CHARS) for _ in range(9))
        if self.rng.random() < 0.3:
            org = self.digits(9)
        body = head + org
        return body + credit_check(body)

    def index_number(self) -> str:
        self.lookalikes["index_number"] += 1
        year = self.rng.randint(2015, 2024)
        return f"{self.credit_code()}/{year}-{self.rng.randint(1, 99999):05d}"

    def not_mobile(self) -> str:
        self.lookalikes["eleven_digits_10_12"] += 1
        return self.rng.choice(("10", "12")) + self.digits(9)

    def document_number(self) -> str:
        self.lookalikes["document_number"] += 1
        agency = self.rng.choice(("文政发", "文政办字", "威政发", "鲁政办发", "文民发"))
        return f"{agency}〔{self.rng.randint(2015, 2024)}〕{self.rng.randint(1, 120)}号"

    def a_date(self) -> str:
        self.lookalikes["date"] += 1
        day = self.birth(2015, 2024)
        return self.rng.choice(
            (
                day.strftime("%Y-%m-%d"),
                day.strftime("%Y%m%d"),
                f"{day.year}年{day.month}月{day.day}日",
            )
        )

    def amount(self) -> str:
        self.lookalikes["amount"] += 1
        value = self.rng.randint(100, 99_999_999) + self.rng.randint(0, 99) / 100
        return self.rng.choice((f"{value:,.2f}元", f"{value:.2f}元", f"{int(value)}元"))


PROSE_NEGATIVE = [
    "各单位要严格遵守《中华人民共和国保守国家秘密法》，切实做好保守国家秘密工作。",
    "公开前应当依法进行保密审查，涉及国家秘密、商业秘密和个人隐私的信息不予公开。",
    "会议要求，坚持“谁公开谁审查、谁审查谁负责”，防止失泄密。",
    "请于5个工作日内将材料报送至区政务服务中心3楼窗口。",
    "统一服务热线12345，24小时受理群众诉求。",
    "本通知自印发之日起施行，有效期5年。",
    "地铁1号线及公交10路、15路均可到达。",
    "根据《中华人民共和国政府信息公开条例》（国务院令第711号）第二十条规定予以公开。",
    "群众满意度评价：★★★★★",
    "★ 重点任务：推进基层政务公开标准化规范化。",
    "本项目位于经济开发区，占地约120亩，总投资3.5亿元。",
]


def _lookalike_sentence(gen: Generator) -> Unit:
    unit = Unit()
    pick = gen.rng.randrange(12)
    if pick == 0:
        unit.add(f"{gen.rng.choice(ORDER_LABELS)}：{gen.order_number()}，请妥善保管。")
    elif pick == 1:
        unit.add(f"统一社会信用代码：{gen.credit_code()}。")
    elif pick == 2:
        unit.add(f"索引号：{gen.index_number()}  文号：{gen.document_number()}")
    elif pick == 3:
        unit.add(f"发布日期：{gen.a_date()}，成文日期：{gen.a_date()}。")
    elif pick == 4:
        unit.add(f"本年度共发放资金{gen.amount()}，较上年增加{gen.amount()}。")
    elif pick == 5:
        unit.add(f"{gen.rng.choice(ORDER_LABELS)}{gen.serial()}，状态：已完成。")
    elif pick == 6:
        unit.add(f"系统编码{gen.bad_card()}已作废，旧编码{gen.bad_id()}停止使用。")
    elif pick == 7:
        unit.add(f"设备识别码 {gen.not_mobile()}，备用码 {gen.not_mobile()}。")
    elif pick == 8:
        gen.lookalikes["postcode"] += 1
        unit.add(f"邮编：2644{gen.digits(2)}，{gen.document_number()}同时废止。")
    elif pick == 9:
        unit.add(f"凭证号{gen.bad_card()}，{gen.order_number()}号订单已退款。")
    else:
        gen.lookalikes["prose"] += 1
        unit.add(gen.rng.choice(PROSE_NEGATIVE))
    return unit


def _personal_sentence(gen: Generator) -> Unit:
    unit = Unit()
    pick = gen.rng.randrange(5)
    name = gen.name()[0] + "某某"
    if pick == 0:
        unit.add(f"经核查，申请人{name}（身份证号码：").add(gen.id_number(), "id_number")
        unit.add("，联系电话：").add(gen.mobile(), "mobile").add("）符合条件。")
    elif pick == 1:
        unit.add(f"{name}，住").add(gen.address(), "address").add("，手机")
        unit.add(gen.mobile(), "mobile").add("。")
    elif pick == 2:
        unit.add(f"请{name}于{gen.a_date()}前携带身份证（").add(gen.id_number(), "id_number")
        unit.add("）和银行卡（卡号").add(gen.bank_card(), "bank_card").add("）办理。")
    elif pick == 3:
        unit.add("如有疑问请发邮件至").add(gen.email(), "email").add("或致电")
        unit.add(gen.mobile(), "mobile").add("。")
    else:
        unit.add("补贴资金已打入").add(gen.bank_card(), "bank_card")
        unit.add(f"账户，金额{gen.amount()}。")
    return unit


ROSTERS = {
    "subsidy": (
        "关于{year}年度困难群众救助资金发放对象的公示",
        ["序号", "姓名", "身份证号码", "联系电话", "家庭住址", "银行卡号", "金额（元）"],
    ),
    "roster": (
        "{year}年公益性岗位人员花名册",
        ["序号", "姓名", "性别", "身份证号", "手机号", "所在村（社区）", "备注"],
    ),
    "license": (
        "{year}年度行政许可结果公示",
        ["序号", "许可证编号", "申请单位", "统一社会信用代码", "批准日期", "订单号", "档案编号"],
    ),
}


def _roster_row(gen: Generator, kind: str, index: int) -> list[Unit]:
    name = gen.name()
    if kind == "subsidy":
        return [
            Unit(str(index)),
            Unit(name),
            Unit().add(gen.id_number(), "id_number"),
            Unit().add(gen.mobile(), "mobile"),
            Unit().add(gen.address(), "address"),
            Unit().add(gen.bank_card(), "bank_card"),
            Unit(gen.amount()),
        ]
    if kind == "roster":
        remark = Unit()
        if gen.rng.random() < 0.2:
            remark.add("紧急联系人电话").add(gen.mobile(), "mobile")
        elif gen.rng.random() < 0.2:
            remark.add("原证号").add(gen.bad_id()).add("有误已更正")
        return [
            Unit(str(index)),
            Unit(name),
            Unit(gen.rng.choice("男女")),
            Unit().add(gen.id_number(), "id_number"),
            Unit().add(gen.mobile(), "mobile"),
            Unit(gen.rng.choice(TOWNS) + gen.rng.choice(VILLAGES)),
            remark,
        ]
    return [
        Unit(str(index)),
        Unit(f"文登许{gen.rng.randint(2015, 2024)}{gen.digits(4)}号"),
        Unit(gen.rng.choice(AGENCIES[:2]) + "下属单位"),
        Unit(gen.credit_code()),
        Unit(gen.a_date()),
        Unit(gen.rng.choice((gen.order_number, gen.bad_card, gen.bad_id))()),
        Unit(gen.archive_number()),
    ]


def make_document(gen: Generator, number: int) -> Document:
    """One document: a title, prose mixing positives and look-alikes, maybe a roster, a footer."""
    kind = gen.rng.choice(("subsidy", "roster", "license", "notice"))
    year = gen.rng.randint(2018, 2024)
    paragraphs: list[Unit] = []
    header: list[Unit] = []
    if gen.rng.random() < 0.1:
        header.append(Unit().add(gen.marking(), "classification"))
    if kind == "notice":
        paragraphs.append(Unit(f"{gen.rng.choice(AGENCIES)}关于做好{year}年政务公开工作的通知"))
    else:
        paragraphs.append(Unit(ROSTERS[kind][0].format(year=year)))
    for _ in range(gen.rng.randint(2, 6)):
        paragraphs.append(_lookalike_sentence(gen))
        if gen.rng.random() < 0.5:
            paragraphs.append(_personal_sentence(gen))
    if gen.rng.random() < 0.15:
        paragraphs.append(Unit().add(gen.marking(), "classification"))
    columns: list[str] = []
    rows: list[list[Unit]] = []
    if kind != "notice":
        columns = ROSTERS[kind][1]
        rows = [_roster_row(gen, kind, index) for index in range(1, gen.rng.randint(4, 16))]
    footer = [
        Unit("监督电话：").add(gen.landline(), "landline"),
        Unit("办公地址：").add(
            f"文登区{gen.rng.choice(ROADS)}{gen.rng.randint(1, 200)}号", "address"
        ),
    ]
    if gen.rng.random() < 0.5:
        footer.append(Unit("电子邮箱：").add(gen.email(), "email"))
    lookalikes, gen.lookalikes = gen.lookalikes, Counter()
    return Document(f"附件{number:04d}", paragraphs, columns, rows, footer, header, lookalikes)


def make_corpus(seed: int = 20240501, documents: int = 400) -> list[Document]:
    gen = Generator(seed)
    return [make_document(gen, number) for number in range(1, documents + 1)]


# --- forms ----------------------------------------------------------------------------------------


def _all_units(document: Document) -> list[Unit]:
    units = [*document.header, *document.paragraphs]
    for row in document.rows:
        units.extend(row)
    return [*units, *document.footer]


def to_text(document: Document) -> tuple[str, list[Span]]:
    """Plain text: one line per paragraph and per roster row (cells separated by two spaces)."""
    lines: list[list[Unit]] = [[unit] for unit in [*document.header, *document.paragraphs]]
    if document.columns:
        lines.append([Unit("  ".join(document.columns))])
        lines.extend(document.rows)
    lines.extend([unit] for unit in document.footer)
    text = ""
    spans: list[Span] = []
    for line in lines:
        for position, unit in enumerate(line):
            if position:
                text += "  "
            spans.extend(Span(s.kind, s.start + len(text), s.end + len(text)) for s in unit.spans)
            text += unit.text
        text += "\n"
    return text, spans


def to_docx(document: Document) -> tuple[bytes, Counter[tuple[str, str]]]:
    """DOCX with the roster as a table, the footer in the page footer, the marking in the header."""
    import docx

    expected: Counter[tuple[str, str]] = Counter()
    word = docx.Document()
    for index, unit in enumerate(document.paragraphs, 1):
        word.add_paragraph(unit.text)
        for kind, count in unit.counts().items():
            expected[(f"段落{index}", kind)] += count
    if document.columns:
        table = word.add_table(rows=1 + len(document.rows), cols=len(document.columns))
        for column, title in enumerate(document.columns):
            table.cell(0, column).text = title
        for row_index, row in enumerate(document.rows, 1):
            for column, unit in enumerate(row):
                table.cell(row_index, column).text = unit.text
                for kind, count in unit.counts().items():
                    expected[(f"表格1 第{row_index + 1}行 第{column + 1}列", kind)] += count
    section = word.sections[0]
    for part, units, label in ((section.header, document.header, "页眉"),
                               (section.footer, document.footer, "页脚")):  # fmt: skip
        if not units:
            continue
        part.paragraphs[0].text = units[0].text
        for unit in units[1:]:
            part.add_paragraph(unit.text)
        for index, unit in enumerate(units, 1):
            for kind, count in unit.counts().items():
                expected[(f"{label} 段落{index}", kind)] += count
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue(), expected


def to_xlsx(document: Document) -> tuple[bytes, Counter[tuple[str, str]]]:
    """XLSX: the roster on sheet 名单 (plain mobiles as numbers), other text on sheet 说明."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    expected: Counter[tuple[str, str]] = Counter()
    book = Workbook()
    notes = book.worksheets[0]
    notes.title = "说明"
    other = [*document.header, *document.paragraphs, *document.footer]
    for row_index, unit in enumerate(other, 1):
        notes.cell(row=row_index, column=1, value=unit.text)
        for kind, count in unit.counts().items():
            expected[(f"说明!A{row_index}", kind)] += count
    if document.columns:
        roster = book.create_sheet("名单")
        roster.append(document.columns)
        for row_index, row in enumerate(document.rows, 2):
            for column, unit in enumerate(row, 1):
                value: str | int = unit.text
                if unit.text.isdigit() and len(unit.text) == 11 and unit.text.startswith("1"):
                    value = int(unit.text)
                roster.cell(row=row_index, column=column, value=value)
                for kind, count in unit.counts().items():
                    expected[(f"名单!{get_column_letter(column)}{row_index}", kind)] += count
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), expected


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_pdf(document: Document) -> tuple[bytes, Counter[str]]:
    """PDF through WeasyPrint (HTML with a table); labels are counted per document."""
    from weasyprint import HTML

    body = [f"<p>{_escape(unit.text)}</p>" for unit in [*document.header, *document.paragraphs]]
    if document.columns:
        body.append("<table><tr>")
        body.extend(f"<th>{_escape(title)}</th>" for title in document.columns)
        body.append("</tr>")
        for row in document.rows:
            body.append("<tr>" + "".join(f"<td>{_escape(u.text)}</td>" for u in row) + "</tr>")
        body.append("</table>")
    body.extend(f"<p>{_escape(unit.text)}</p>" for unit in document.footer)
    html = (
        "<html><head><meta charset='utf-8'><style>"
        "@page { size: A4 landscape; margin: 1cm }"
        "body { font-family: 'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif; font-size: 7pt }"
        "td, th { border: 1px solid #999; padding: 1pt 3pt; white-space: nowrap }"
        "</style></head><body>" + "".join(body) + "</body></html>"
    )
    expected: Counter[str] = Counter()
    for unit in _all_units(document):
        expected.update(unit.counts())
    return HTML(string=html).write_pdf(), expected
