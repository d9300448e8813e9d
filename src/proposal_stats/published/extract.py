"""From a published report's text to its claims: every printed figure, with the exact substring that
states it and what it means.

:func:`extract` reads the text a report prints (``textread.read_report`` gets it from a file) and
returns :class:`~proposal_stats.claims_format.Claims`:

- ``figures``: counts and rates with a meaning of the figure vocabulary
  (:mod:`~proposal_stats.published.vocabulary`), named by it (``filed``; ``filed_2`` for a second
  value; ``_npc`` / ``_cppcc`` when the text reports both bodies), ``text`` the exact substring of the
  input, and ``derived`` for a rate whose parts the text prints;
- ``results``, ``topics`` and ``breakdowns``: each printed breakdown (result classes, topics,
  proposer types, handling systems, satisfaction, nested "of which" breakdowns) with its base, its
  classes (code, printed label, count, printed share) and the passage it comes from;
- ``unplaced``: every number it could not place (a threshold such as 委员3人以上, a share in words
  such as 近一半, a count with no known meaning), with its text: kept, never dropped or guessed.

A count is read by the words around it: the words after it can name it (13件主办件, 9个专门委员会; its
``text`` then runs to that noun), 交办 is ``assigned``, 承办/办理 with no other subject ``to_government``
except in a handling unit's report on itself (我局, 住建局主办, or a title naming 局机关), where it and its
parts by body are ``assigned``; a count of the other body after 代表建议N件 continues the list; class-B
items of a session before the report's own are ``followed_up``. Figures of one meaning in several
bodies are named ``_npc``/``_cppcc``; in a text of several periods, every figure of a sentence that opens
with one is named by it (``_2023``, ``_term``, ``_previous``). Evaluations (满意80份) are a breakdown of the
feedback forms returned.

Text as it comes is read as printed: traditional characters (OpenCC), full-width digits and percent
signs, pinyin glosses (``規(guī)定``), Chinese numerals (cn2an: 二百六十九件, 百分之九十五), thousands
separators, ``%%`` and approximate wording (约, 近, 以上, 超过, 逾, 不到), which the audit checks as
bounds. Positions are mapped back to the input, so every ``text`` is a substring of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..claims_format import Claims
from .printed import chinese_number, parse_percent
from .vocabulary import _GLOSS, COMBINED_CODES, COUNTS, RATES, SATISFIED_INCLUSIVE, _t2s, fold_width

_CN_DIGITS = "零〇一二三四五六七八九十百千万两兩"
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?=\s*[件个家名位人项份条])|\d+)(?:\.\d+)?"
_COUNT_UNITS = "件|个|家|名|位|人次|人|项|份|条"
_MENTION = re.compile(
    rf"(?P<pct_cn>百分之(?P<pct_cn_n>[{_CN_DIGITS}点]+))"
    rf"|(?P<pct>{_NUMBER})\s*%+"
    rf"|(?P<count>{_NUMBER}|[{_CN_DIGITS}]+)\s*(?P<unit>{_COUNT_UNITS})"
    r"|(?P<half>(?:近|约|超过|过|逾|不到|不足)?一半|过半|近半|[一二三四五六七八九]成(?!员|立|为|绩|果|本|功|熟))"
)
_APPROX_BEFORE = re.compile(r"(约|大约|近|将近|接近|超过|逾|不到|不足)了?\s*$")
_APPROX_AFTER = re.compile(r"^\s*(以上|以下|左右|多|余)")
_SENTENCE = re.compile(r"[。！？；;\n]+")
_SEGMENT = re.compile(r"[，：:]|,(?!\d{3})")
_CODE = re.compile(r"(?<![A-Za-z])([A-D])\s*类|第([一二三四五1-5])类|([甲乙丙丁])类")
_CODE_NUMBERS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5"}
_RESULT_CUE = re.compile(r"解决|落实|采纳|列入.{0,6}(计划|规划)|留作参考|留做参考|供.{0,8}参考|逐步实施|不具备条件|难以|暂缓")
_PROPOSERS = (
    ("member", r"委员(个人)?(和|及|或|、)(委员)?联名|个人(和|及|或|、)联名|委员和界别|委员提案"),
    ("member_joint", r"联名"),
    ("member_individual", r"委员个人|个人提案|个人提交|个人提出|个人"),
    ("collective", r"集体"),
    ("party", r"党派|工商联"),
    ("peoples_org", r"人民团体|团体"),
    ("sector", r"界别|小组"),
    ("special_committee", r"专委会|专门委员会|专委"),
)
_SATISFACTION = (("satisfied_inclusive", SATISFIED_INCLUSIVE), ("dissatisfied", r"不满意"), ("basically_satisfied", r"基本满意"), ("satisfied", r"满意"))
_TOPIC_END = re.compile(r"([^，,、；;。：:]{1,30}?)(方面|类别|类|领域)(?:的)?(?:提案|建议|问题|议案)?(?:的)?(?:有|共|计|为|达|占)?\s*$")
_ENTITY = re.compile(r"(政府|法院|检察院|机关|组织|部门|单位|委员会|党委|人大|政协|机构)")
_ALL_REPLIED = re.compile(r"^[^，,；;。]{0,12}?(均已|全部|已全部|均)(办复|答复|办理完毕|办结|办理答复)")
_BODIES = (("npc", r"人大代表|代表建议|代表提出|议案|建议"), ("cppcc", r"政协|提案|委员"))
# The total a share is of, by its words ("占政府系统承办总数的42.16%"): a count of that meaning printed
# with a share of it below 100% is a part of it.
_TOTAL_OF_SHARE = (("to_government", r"(承办|交办)总数"), ("filed", r"立案(提案|建议)?总数"),
                   ("submitted", r"(提案|建议|收到)(的)?总数|总数$"))
_BODY_NOUNS = r"人大代表议案建议|人大代表建议|代表议案建议|代表建议|政协委员提案|政协提案|委员提案|议案建议|建议提案|建议和提案|建议、提案|提案|建议"
_BODY_COUNT = re.compile(rf"^\s*(州|县|市|区|省)?({_BODY_NOUNS})\s*$")
# A handling unit reporting on itself (我局承办, 住建局主办的38件): its intake is what was assigned to it.
_UNIT_REPORTER = r"我局|本局|我单位|本单位|局机关|我委(?!员)|我办(?!理)|[\u4e00-\u9fff]{1,6}局(主办|承办)"


@dataclass
class _Mention:
    """A number printed in the text: its place in the normalised text, value, unit, precision."""

    start: int
    end: int
    value: Decimal | None  # None: a number the converters could not read (kept unplaced)
    unit: str  # "%", a count unit, or "words" (一半, 三成)
    places: int = 0
    approx: str = ""
    used: bool = False
    share: _Mention | None = None
    threshold: bool = False
    fate: str = ""  # what became of it (see trace()): set when it is not read from the claims
    entry: dict | None = None  # its entry under ``unplaced``, if it is kept there


@dataclass
class _Class:
    family: str
    key: str
    label: str
    count: _Mention | None
    share: _Mention | None
    start: int
    end: int
    code: str = ""
    sentence: int = 0
    nested_in: _Class | None = None
    children: list = field(default_factory=list)


class _Text:
    """The input with its normalised form (glosses removed, full-width folded, simplified) and a map
    from each normalised position back to the input, so extracted ``text`` is an exact substring."""

    def __init__(self, original: str):
        self.original = original
        keep, index = [], []
        cut = {i for m in _GLOSS.finditer(original) for i in range(m.start(), m.end())}
        for i, ch in enumerate(original):
            if i not in cut:
                keep.append(ch)
                index.append(i)
        folded = fold_width("".join(keep))
        simple = _t2s().convert(folded)
        if len(simple) != len(folded):  # a phrase changed length: convert character by character
            simple = "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in folded)
        self.norm = simple
        self.index = index + [len(original)]

    def span(self, a: int, b: int) -> str:
        """The input's substring for normalised positions ``a:b``, without leading separators."""
        while a < b and self.norm[a] in "，,、；;：: \t":
            a += 1
        if b <= a:
            return ""
        return self.original[self.index[a]: self.index[b - 1] + 1]


def _value(text: str) -> Decimal | None:
    text = text.replace(",", "").replace(" ", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    return chinese_number(text)


def _mentions(t: _Text) -> list[_Mention]:
    out = []
    for m in _MENTION.finditer(t.norm):
        before = t.norm[max(0, m.start() - 5): m.start()]
        after = t.norm[m.end(): m.end() + 4]
        approx = (_APPROX_BEFORE.search(before) or _APPROX_AFTER.search(after))
        approx_word = approx.group(1) if approx else ""
        if m.group("pct_cn"):
            words = m.group("pct_cn_n")  # 百分之九十二点二: 92.2 at 1 place (a number it cannot read is kept unread, below)
            out.append(_Mention(m.start(), m.end(), chinese_number(words), "%", len(words.partition("点")[2]), approx_word))
        elif m.group("pct"):
            digits = m.group("pct").replace(",", "").replace(" ", "")
            v = Decimal(digits)
            out.append(_Mention(m.start(), m.end(), v, "%", len(digits.split(".")[1]) if "." in digits else 0, approx_word))
        elif m.group("count"):
            raw = m.group("count")
            if raw[0] in _CN_DIGITS and (raw in ("一", "几") or raw == "两" and not re.search(r"(提案|建议|议案)$", before) or re.search(r"[每第这那哪]$", before)):
                continue  # 一项重要工作, 每一件: words, not counts
            if re.search(r"[第]$", before) or re.match(r"^[\d.]", raw) and re.search(r"[\d.]$", before):
                continue
            out.append(_Mention(m.start(), m.end(), _value(raw), m.group("unit"), 0, approx_word))
        elif m.group("half"):
            word = m.group("half")
            if "成" in word:
                v = Decimal(_value(word[-2]) * 10) if _value(word[-2]) is not None else None
            else:
                v = Decimal(50)
            if v is not None:
                out.append(_Mention(m.start(), m.end(), v, "words", 0, re.sub(r"一半|过半|近半|成", "", word) or ("过" if "过半" in word else "")))
    return out


def _segment_start(t: _Text, pos: int, floor: int) -> int:
    """Start of the clause (between commas) holding ``pos``, not before ``floor``."""
    starts = [m.end() for m in _SEGMENT.finditer(t.norm, floor, pos)]
    return starts[-1] if starts else floor


_RESULT_AFTER = re.compile(r"^\s*(提案|建议|议案)?[^，,；;。]{0,4}?(所提问题|所提意见建议|所提)?[^；;。\d%]{0,40}?(解决|落实|采纳|列入.{0,6}(计划|规划)|留作参考|留做参考)[^，,；;。\d%]*")
_VERB_ONLY = re.compile(r"^[\s的]*(有|共|计|达|为|是|约|其中|达到)?[\s的]*$")


def _family(before: str, after: str, unit: str, wide: str = "", clause: str = "", earlier: bool = False) -> tuple[str, str]:
    """(family, key) of a count from its clause (``before`` it, ``after`` it, ``wide``: the clause
    before this one too; ``earlier``: the clause names a session before the report's): ``results``,
    ``proposer_types``, ``satisfaction``, ``topics``, ``handling_systems``, or ``figure`` with a
    vocabulary meaning; ``("", "")`` if none."""
    if unit in ("家", "个"):
        around = before[-12:] + after[:12]
        if re.match(r"^\s*(专门委员会|专委会)", after):
            return "figure", "committee_count"  # "9个专门委员会", "全国人大7个专门委员会负责督办"
        if re.search(r"主办单位|牵头单位|主办.{0,2}$", before[-8:]) or re.search(r"^.{0,4}(主办|牵头)", after):
            return "figure", "lead_units"
        if re.search(r"单位|部门", after[:10]) or re.search(r"(承办)?单位$|部门$", before[-6:]) or "县市" in around:
            return "figure", "handling_units"
        return "", ""
    if unit in ("名", "位", "人", "人次"):
        return ("figure", "members_proposing") if re.search(r"委员|代表", before[-10:] + after[:6]) else ("", "")
    if unit == "份":
        for key, words in _SATISFACTION:
            if re.search(words, before[-10:]):
                return "satisfaction", key
        if re.search(r"(发出|发放|寄出|下发|印发)[^，,；;。\d]{0,12}$", before):
            return "", ""  # "共发出征询意见表8份": forms sent, not the forms returned
        return ("figure", "forms_returned") if re.search(r"反馈|意见表|评价表|测评表|回执|征求|征询", before + after[:8]) else ("", "")
    if re.match(r"^\s*议案", after) or re.search(r"(?<!建)议案$", before):
        return "figure", "motions"
    named = re.match(r"^\s*(主办件|主办的?(提案|建议)|协办件|会办件|[A-D乙丙]类(件|提案|建议))", after)
    if named and named.group(1).startswith("主办"):
        return "figure", "lead_items"  # "13件主办件已办结": the words after the count name it
    if named and named.group(1)[0] in "协会":
        return "figure", "co_items"
    if named and (earlier or re.search(r"上届|上年度?|去年|往年|历年|以前|跟踪|续办|回头看", before + after[:16])):
        return "figure", "followed_up"  # "上年度23件B类件": an earlier session's class-B items, followed up
    if re.match(r"^\s*(件)?\s*(提案|建议)?\s*被?(确定为|列为|作为)重点|^\s*(件)?\s*重点", after):
        return "figure", "key_proposals"
    if re.match(r"^\s*(件)?\s*(提案|建议)?[^，,；;。\d]{0,10}[，,]?\s*予以(全部)?立案", after):
        return "figure", "filed"  # "98件提案均符合立案标准,予以全部立案"
    noun = re.match(r"^\s*(件)?\s*(代表建议|建议|提案|意见)", after)
    for m in COUNTS:
        if m.id in ("submitted_in_session", "submitted_between_sessions") and re.search(m.wordings, before[-14:]):
            return "figure", m.id  # "会议期间收到的67件建议": a part of what was submitted
    if noun and re.search(r"提出|收到|提交|征集", (clause or before)[-30:]) and not re.search(r"立案|交由|交办|承办", before[-8:]):
        return "figure", "submitted"
    if _VERB_ONLY.match(before) and wide:
        before = wide + before
    code = _CODE.search(before[-16:] + after[:6])
    cue_after = _RESULT_AFTER.match(after)
    if cue_after and re.match(r"^\s*(\d+|[一二三四五六七八九十百]+)\s*件|^\s*[\d.]+\s*%", after[cue_after.end():]):
        cue_after = None  # "…11件,已经解决或基本解决11件": the words name the count (or share) after them
    if code or _RESULT_CUE.search(before[-30:]) and not re.search(r"立案|收到|提交|提出|交办|承办", before[-8:]) or cue_after:
        return "results", ""
    for key, words in _SATISFACTION:
        if re.search(words + r"(?!率|度)", before[-10:]) and not re.search(r"满意率|满意度", before[-10:]):
            return "satisfaction", key
    for m in COUNTS:
        if m.id in ("submitted", "to_government", "replied", "handling_units", "lead_units", "members_proposing", "forms_returned", "satisfied",
                    "satisfied_inclusive", "basically_satisfied", "dissatisfied", "motions", "key_proposals"):
            continue
        if re.search(m.wordings, before[-14:]):
            return "figure", m.id
    proposer = any(re.search(words + r"[^，,；;。]{0,4}(提案|建议)共?\s*$", before[-14:]) for _, words in _PROPOSERS)  # "集体提案共329件"
    if re.search(r"(议案建议|建议提案|建议、提案|建议和提案|建议|提案)共\s*$", before) and not re.search(r"交办|承办|主办|政府", before) and not proposer:
        return "figure", "submitted"  # "议案建议共17件"
    tail = before[-14:]
    handled = re.search(rf"(共|总共)?(承办|办理|交办|接收|收到)了?的?\s*(州|县|市|区|省)?({_BODY_NOUNS}|、|和|及)*\s*(共|总共|共计)?\s*$", before[-30:])
    if handled and re.search(_UNIT_REPORTER, before[-30:]):
        return "figure", "assigned"  # "我局承办的建议、提案共15件": the items given to the reporting unit
    if re.search(r"(共|总共)(收到|提交|征集|提出|接收)|收到|征集|共有|接收", before[-40:]) and not re.search(r"期间收到|闭会", before[-12:]):
        return "figure", "to_government" if re.search(r"政府.{0,6}(共|总共)?(承办|接办|办理)", before[-24:]) else "submitted"
    if handled and handled.group(1) and handled.group(2) in ("承办", "办理"):
        return "figure", "handled"  # "共承办…88件", "共办理政协提案58件": the government's, or a unit's (decided by the report)
    for key, words in _PROPOSERS:
        if re.search(words, tail) and not re.search(r"(承办|办理)的?\s*$", before):  # "专门委员会及其他单位承办261件": a handler
            return "proposer_types", key
    if _TOPIC_END.search(before) and not re.search(r"收到|提交|提出|共有|立案|交由|交办", before[-8:]):
        return "topics", ""
    entity = re.search(r"^\s*(交|由|转)([^，,；;。]{1,14}?)(办理|承办)", after) or re.search(r"([^，,；;。]{2,14}?)(承办|办理)的?$", before[-17:])
    if entity and _ENTITY.search(entity.group(0)) and not re.search(r"^\s*(交|由|转)?(由)?\d", entity.group(0)):
        return "handling_systems", "government" if "政府" in entity.group(0) else ""
    for m in COUNTS:
        if re.search(m.wordings, before[-24:] if m.id == "to_government" else before[-14:]):
            return "figure", m.id
    if re.match(r"^\s*(交|由|转)[^，,；;。]{0,6}(政府|单位)[^，,；;。]{0,6}(办理|承办)", after):
        return "figure", "to_government"
    if re.match(r"^(其中)?\s*(市|县|区|州|省)?(人大代表建议|代表建议|建议|政协提案|委员提案|提案)\s*$", before):
        return "figure", "submitted"  # "代表建议93件": a report's count of what it covers
    if re.match(r"^\s*(件)?\s*(提案|建议)?\s*被?(确定为|列为|作为)重点|^\s*(件)?\s*重点", after):
        return "figure", "key_proposals"
    if re.match(r"^\s*(件)?\s*优秀提案", after):
        return "figure", "excellent_proposals"
    after_filing = re.match(r"^\s*(提案|建议)?[^，,；;。]{0,8}?(并案|未予?立案|不予?立案)", after)
    if after_filing:
        return "figure", {"并案": "merged"}.get(after_filing.group(2), "not_filed")
    if re.match(r"^\s*(件)?\s*(代表建议|建议|提案|意见)", after) and re.search(r"提出|收到|提交|征集", before):
        return "figure", "submitted"
    return "", ""


def _fits(count: Decimal, base: Decimal, printed) -> bool:
    """Whether count / base × 100 rounds (half-up or down) to the printed share."""
    if not base:
        return False
    exact = count * 100 / base
    unit = Decimal(1).scaleb(-printed.places)
    return printed.value - unit / 2 <= exact < printed.value + unit


_LEAD_IN = re.compile(r"^(从[^，,；;]{0,10}?(来看|看)|经[^，,；;]{0,6}?(统计|梳理|分类|汇总)|据统计|统计显示|总体(来看|看)|总的(来)?看|办理结果中|结果显示)")


def _last_clause(text: str) -> str:
    """The last clause of ``text`` that holds words (clauses split at ，,；;：: outside brackets):
    "从办理结果看,已经解决或基本解决的" → "已经解决或基本解决的"."""
    clauses, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "(（" and 1 or ch in ")）" and -1 or 0
        if depth <= 0 and ch in "，,；;：:":
            clauses.append(text[start:i])
            start = i + 1
    clauses.append(text[start:])
    worded = [c for c in clauses if re.search(r"[\u4e00-\u9fffA-Za-z]", _LEAD_IN.sub("", c.strip()))]
    return worded[-1] if worded else text


def _label(before: str) -> str:
    """A class's printed label: its clause, without lead-in and connecting words ("从办理结果看,
    已经解决或基本解决的A类提案" → "已经解决或基本解决")."""
    text = _LEAD_IN.sub("", _last_clause(before).strip())
    text = re.sub(r"^(其中|另外|此外|在此基础上|关于|有关|涉及|经审查分类|包括)+", "", text)
    text = re.sub(r"(的提案|的建议|提案|建议|议案)?(的)?(有|共|计|为|达到?|占)?\s*$", "", text)
    text = re.sub(r"^(提案|建议)?(所提问题|所提意见建议|代表委员所提问题)?(中)?", "", text)
    text = re.sub(r"[(（]属?[A-D甲乙丙丁]类[)）]|第[一二三四五]类|[A-D]类", "", text).strip(" 的()（）:：,，、;；")
    return re.sub(rf"^(其中)?(州|县|市|区|省)?({_BODY_NOUNS})$", "", text)  # "人大代表建议A类192件": the body, no label


def _scope(text: str) -> str:
    """The body the words nearest before a figure name: ``npc`` (代表建议), ``cppcc`` (政协提案), or ``""``."""
    last = max(((m.end(), name) for name, words in _BODIES for m in re.finditer(words, text)), default=(0, ""))
    return last[1]


# English and French news copies (national reports picked up by China Daily, CGTN, Xinhua French):
# a segment's first number and the words around it. Ordered: the first pattern that matches wins.
_LATIN_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?![,\d])|\d{1,3}(?:\.\d{3})+(?![.\d%])|\d+(?:[.,]\d{1,2})?)\s*(%|percent|per cent|pour cent)?", re.I)
_LATIN = (
    (r"handling rate|received feedback|were handled", "reply_rate", "%"),
    (r"solved|accepted|adopted", "results", "%"),
    (r"satisf", "satisfaction_rate", "%"),
    (r"[ée]conom|politi|social|[ée]colog|cultur", "topics", "%"),
    (r"undertaking units|handling units", "handling_units", "count"),
    (r"put on file|registered|deemed useful|officialis|were filed", "filed", "count"),
    (r"from (cppcc )?members|democratic parties|people's organi[sz]ations|sectoral groups|special committees", "proposer_types", "count"),
    (r"tabled|raised|submitted|received|propositions|proposals", "submitted", "count"),
    (r"conseillers|advisors|members", "members_proposing", "count"),
)


# Segments between commas, except a thousands comma (5,621) or a French decimal comma (34,72%).
_LATIN_SEGMENT = re.compile(r"(?:[^,，。；;\n\x00]|,(?=\d{3}(?!\d))|,(?=\d{1,2}\s*%))+")


def _latin_value(digits: str, percent: bool) -> Decimal:
    if percent or re.fullmatch(r"\d+[.,]\d{1,2}", digits):
        return Decimal(digits.replace(",", "."))
    return Decimal(digits.replace(",", "").replace(".", ""))


# 以来 after a session (县政协九届二次会议以来) is the report's own intake, not a term's running total
_LEAD_TERM = re.compile(r"(?<!会议)(?<!大会)(?<!次会)以来|[一二三四五六七八九十两\d]+年来|本届|届内|任期内|历年|累计")
_LEAD_PREVIOUS = re.compile(r"^\s*(上届|上年度?|去年|上一年)")
# a year, not a date: 截至2023年10月底 is when the figures were counted, not another period's figures
_LEAD_YEAR = re.compile(r"^\s*(?:自|从|在|截至|截止)?\s*((?:19|20)\d{2})\s*年(?!\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月|\s*[底末])")


def _period(lead: str) -> str:
    """The period a sentence's opening words set for its figures: a term or running total (五年来,
    自2016年以来 → ``term``), the year or session before (去年 → ``previous``), a year (2023年,
    → ``2023``), or ``""``."""
    if _LEAD_TERM.search(lead):
        return "term"
    if _LEAD_PREVIOUS.search(lead):
        return "previous"
    year = _LEAD_YEAR.search(lead)
    return year.group(1) if year else ""


_SESSION = re.compile(r"([一二三四五六七八九十\d]+)\s*届\s*(?:([一二三四五六七八九十\d]+)\s*次)?")


def _session(text: str) -> tuple[int, int] | None:
    """The first session a text names, as (term, sitting): 三届四次 → (3, 4), 十三届 → (13, 0)."""
    found = _SESSION.search(text)
    if not found:
        return None
    term, sitting = _value(found.group(1)), _value(found.group(2)) if found.group(2) else Decimal(0)
    return (int(term), int(sitting)) if term is not None and sitting is not None else None


_NOUN_TAIL = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?=[，,、；;。：:（()）\s]|的|提出|负责|涉及|交由|进行|均|全部|已|和|及|与|并|$)")


class _Extraction:
    def __init__(self, text: str, title: str = ""):
        self.t = _Text(text)
        self.unit_report = bool(re.search(_UNIT_REPORTER, self.t.norm + _t2s().convert(fold_width(title or ""))))
        self.session = _session(self.t.norm)
        self.mentions = _mentions(self.t)
        self.figures: dict[str, dict] = {}
        self.meanings: list[tuple[str, str, int, int]] = []  # (name, meaning, value position, end)
        self.classes: list[_Class] = []
        self.unplaced: list[dict] = []
        self.base_marks: list[tuple[int, int]] = []  # (position, count) of "N件中": a new base begins
        self.figure_spans: list[tuple[int, int, str]] = []  # (start, end, figure name) of every statement of a figure
        self.period = ""  # the period the current sentence's opening words set (see _period)
        self.bodies = {name for name, words in _BODIES[:1] if re.search(r"人大代表|代表建议|代表提出|(?<!建)议案", self.t.norm)}
        if re.search(r"政协|提案|委员", self.t.norm):
            self.bodies.add("cppcc")

    # ---- figures -------------------------------------------------------------------------------

    def add_figure(self, meaning: str, value: Decimal, a: int, b: int, scope: str = "", name: str = "") -> str:
        """A figure of ``meaning`` stated by the input's ``a:b`` (``name``: a figure with no vocabulary
        meaning, such as a combined share); its name, an earlier figure's when it is that one stated again."""
        if name:
            self.figures[name] = {"value": value, "text": self.t.span(a, b), "meaning": "", "_name": name, "_scope": scope, "_at": a, "_period": self.period}
            self.figure_spans.append((a, b, name))
            return name
        text = self.t.span(a, b)
        for name, f in self.figures.items():
            between = self.t.norm[f["_at"]: a]
            if f["meaning"] == meaning and f["value"] == value and (f["_scope"] == scope or not scope or not f["_scope"]) and f["_period"] == self.period \
                    and not re.search(r"(19|20)\d\d年", between):
                self.figure_spans.append((a, b, name))
                return name  # the same figure stated again (not a figure of another year)
        base = meaning + (f"_{scope}" if scope and len(self.bodies) > 1 else "")
        name, n = base, 2
        while name in self.figures:
            name, n = f"{base}_{n}", n + 1
        self.figures[name] = {"value": value, "text": text, "meaning": meaning, "_scope": scope, "_at": a, "_period": self.period}
        self.figure_spans.append((a, b, name))
        return name

    def earlier_session(self, words: str) -> bool:
        """Whether ``words`` name a session before the report's own (the first one its text names):
        "三届三次会议" in a report on 三届四次, "十二届" in one on 十三届."""
        here = _session(words)
        return bool(here and self.session and here < self.session)

    def keep_unplaced(self, m: _Mention, a: int, note: str) -> None:
        m.entry = {"value": m.value, "unit": m.unit, "text": self.t.span(a, m.end), "note": note, "_at": a}
        self.unplaced.append(m.entry)
        m.fate = "unplaced"

    # ---- the pass over sentences -----------------------------------------------------------------

    def run(self) -> Claims:
        norm = self.t.norm
        sentences = []
        pos = 0
        for m in _SENTENCE.finditer(norm + "\n"):
            if m.start() > pos:
                sentences.append((pos, m.start()))
            pos = m.end()
        self.marked = "".join("\x00" if self.t.original[self.t.index[i]] in "，、；" else ch for i, ch in enumerate(norm))  # full-width separators
        latin = [(seg.start(), seg.end()) for seg in _LATIN_SEGMENT.finditer(self.marked)
                 if not re.search(r"[\u4e00-\u9fff]", seg.group(0)) and re.search(r"[A-Za-z]{3}", seg.group(0))]
        for m in self.mentions:
            if any(a <= m.start < b for a, b in latin):
                m.fate = "latin"  # read by latin(), segment by segment
            elif m.value is None:
                self.keep_unplaced(m, m.start, "a number that could not be read")
        self.mentions, self.all_mentions = [m for m in self.mentions if not m.fate], self.mentions
        for n, (s, e) in enumerate(sentences):
            mentions = [m for m in self.mentions if s <= m.start < e]
            self.period = _period(norm[s: mentions[0].start] if mentions else "")
            self.sentence(n, s, e, mentions)
        self.period = ""
        self.latin()
        return self.claims()

    def latin(self) -> None:
        """Segments in English or French (no Chinese in them): their first number, by the words around it."""
        for seg in _LATIN_SEGMENT.finditer(self.marked):
            text = seg.group(0)
            if re.search(r"[\u4e00-\u9fff]", text) or not re.search(r"[A-Za-z]{3}", text):
                continue
            number = _LATIN_NUMBER.search(text)
            if number is None:
                continue
            percent = bool(number.group(2))
            meaning = next(((m, kind) for words, m, kind in _LATIN if re.search(words, text, re.I) and (kind == "%") == percent), None)
            a, b = seg.start(), seg.end()
            value = _latin_value(number.group(1), percent)
            if meaning is None:
                self.unplaced.append({"value": value, "unit": "%" if percent else "", "text": self.t.span(a, b), "note": "a number with no meaning found"})
                continue
            name, kind = meaning
            if name in ("results", "topics", "proposer_types"):
                count = None if percent else _Mention(a + number.start(), a + number.end(), value, "件")
                share = _Mention(a + number.start(), a + number.end(), value, "%") if percent else None
                self.classes.append(_Class(name, "", text.strip()[:40], count, share, a, b, sentence=10**6))
                continue
            key = self.add_figure(name, value, a, b)
            self.figures[key]["_latin"] = True

    def sentence(self, n: int, s: int, e: int, mentions: list[_Mention]) -> None:
        norm = self.t.norm
        last_count: _Mention | None = None
        last_class: _Class | None = None
        last_figure: tuple[str, _Mention] | None = None
        pending_share: _Mention | None = None
        band = ""
        for i, m in enumerate(mentions):
            seg = _segment_start(self.t, m.start, s)
            prev_end = mentions[i - 1].end if i else s
            before = norm[max(seg, prev_end): m.start]
            segment = norm[seg: m.start]
            wide = norm[max(_segment_start(self.t, max(seg - 1, s), s), prev_end): seg] if seg > s else ""
            if m.unit in ("%", "words") and not re.search(r"[\u4e00-\u9fffA-Za-z]", before) and seg > s:
                seg = _segment_start(self.t, seg - 1, s)
                before = norm[max(seg, prev_end): m.start]
            clause_before = norm[s: m.start]
            after = norm[m.end: min(e, m.end + 24)]
            start = max(seg, prev_end)
            approx_after = _APPROX_AFTER.match(after)
            tail = len(approx_after.group(0)) if approx_after else 0
            if m.unit == "words":
                self.keep_unplaced(m, max(seg, m.start - 6), "a share in words, not a printed percentage")
                continue
            if m.unit == "%":
                if re.match(r"^\s*(以上|以下)\s*的?\s*(有|共|计|为)?\s*[\d一二三四五六七八九十]", after):
                    m.threshold = True
                    band = self.t.span(max(seg, m.start - 8), m.end + tail)
                    self.keep_unplaced(m, max(seg, m.start - 8), "a threshold (以上/以下): the band of the count that follows")
                    continue
                combined = COMBINED_CODES.search(before)
                if combined and re.search(r"占|合计|共计|累计|比例|比重", before[combined.end():]):
                    # "A、B两类合计占92.4%": one share of several classes, checked against their summed counts
                    codes = [g for g in combined.groups() if g]
                    name = self.add_figure("", m.value, start + combined.start(), m.end + tail, name="_".join(codes).lower() + "_share")
                    self.figures[name]["_combined"] = codes
                    m.used = True
                    last_figure = (name, m)
                    continue
                done = re.match(r"^\s*(以上)?\s*的?(提案|建议)?\s*(已经?|均已|已全部)(办复|答复|办结|办理完毕)", after)
                rate = next((r for r in RATES if re.search(r.wordings, before)), None)
                if rate is None and re.search(r"(办复|答复|办结|办理完毕)\s*[,，]?\s*$", before):
                    rate = next(r for r in RATES if r.id == "reply_rate")  # "已经全部按规定时限办结,100%"
                if rate is None and re.match(r"^\s*[、和及与]\s*$", norm[prev_end: m.start]) and last_figure is not None and last_figure[1] is mentions[i - 1] \
                        and self.figures[last_figure[0]]["meaning"] == "previous_share":
                    rate = next(r for r in RATES if r.id == "previous_share")  # "比去年的47.47%、7.53%": the list goes on
                if done and rate is None:
                    rate = next(r for r in RATES if r.id == "reply_rate")
                    tail = done.end()
                share_of = re.search(r"占(比|到)?([^%]{0,14})$", before)
                if share_of is None and i and mentions[i - 1].fate == "base of the share it is printed in":
                    share_of = re.search(r"占[^%]*$", norm[max(s, mentions[i - 1].start - 16): m.start])
                if share_of is None and re.search(r"[^\s的]率(为|达|是|达到)?\s*$", before) and rate is None and last_class is not None and last_class.share is None:
                    share_of = True  # "…的190件,落实率为78%": the class's own rate
                if rate is not None and not (rate.id == "to_government_share" and last_count is not None):
                    name = self.add_figure(rate.id, m.value, start, m.end + tail, _scope(clause_before))
                    m.used = True
                    last_figure = (name, m)
                    continue
                if (share_of or re.match(r"^\s*[、和及与]\s*$", norm[prev_end: m.start])) and re.search(r"分别[^，,；;。]*$", norm[s: m.start]):
                    # "二百六十九件、三百一十二件,分别占五年总数的26.37%和23.01%": one share per count listed, in order;
                    # kept unplaced rather than paired with the last count
                    self.keep_unplaced(m, max(seg, m.start - 10), "a share of a list printed 分别 (respectively), one per count before it")
                    continue
                target = last_class if last_class is not None and last_class.share is None and last_class.count is not None else None
                if share_of and target is not None:
                    target.share, target.end = m, m.end + tail
                    last_count.share = m
                    continue
                if share_of and last_count is not None and last_figure is not None and last_figure[1] is last_count and last_count.share is None:
                    last_count.share = m
                    if last_count.fate == "unplaced":  # a number kept unplaced keeps its share with it
                        last_count.entry["text"] = self.t.span(last_count.entry["_at"], m.end + tail)
                        m.fate = "unplaced"
                        continue
                    f = self.figures[last_figure[0]]
                    own = next((meaning for meaning, words in _TOTAL_OF_SHARE if re.search(words, share_of.group(0) if share_of is not True else "")), "")
                    if own == f["meaning"] and m.value < 100 and f["_at"] >= s and f["value"] == last_count.value:
                        # "涉及政府系统的78件,占政府系统承办总数的42.16%": a part of that total, not the total itself
                        del self.figures[last_figure[0]]
                        self.figure_spans = [x for x in self.figure_spans if x[2] != last_figure[0]]
                        self.keep_unplaced(last_count, f["_at"], f"a part of what is {own.replace('_', ' ')} (a share of it below 100%), named by no other words")
                        last_count.entry["text"] = self.t.span(f["_at"], m.end + tail)
                        m.fate, last_figure = "unplaced", None
                        continue
                    f["text"] = self.t.span(f["_at"], m.end + tail)
                    continue
                if share_of:
                    fam, key = _family(re.sub(r"占.*$", "", before), after, "件", wide)
                    if fam in ("results", "topics", "proposer_types") and not re.search(r"\d", after[:12]):
                        cls = _Class(fam, key, _label(re.sub(r"占.*$", "", before)), None, m, start, m.end + tail, sentence=n)
                        self.classes.append(cls)
                        last_class = cls
                        continue
                    if re.match(r"^[^，,；;。%]{0,8}?(\d+|[一二三四五六七八九十百千两]+)\s*件", after) or re.match(r"^\s*[，,]\s*(共|计|有|达|为)?\s*\d+\s*件", after):
                        pending_share = m  # a share printed before its count
                        continue
                    if last_count is not None and last_count.share is not None and last_count.share.value == m.value:
                        m.fate = "the share before, printed again"
                        continue
                    if last_count is not None and last_count.fate == "unplaced" and last_count.share is None and not last_count.threshold:
                        # "镇本级办理的7件,占58.33%": the share of a count kept unplaced, kept beside it
                        last_count.share = m
                        self.keep_unplaced(m, max(seg, m.start - 8), "the share of the unplaced count before it")
                        continue
                    self.keep_unplaced(m, max(seg, m.start - 8), "a share whose count is not printed")
                    continue
                self.keep_unplaced(m, max(seg, m.start - 8), "a percentage with no meaning found")
                continue
            # a count
            if re.match(r"^\s*以上", after) and re.search(r"联名", after[:8]):
                self.keep_unplaced(m, max(seg, m.start - 4), "a threshold (以上), not a count")
                m.threshold = True
                continue
            if re.search(r"占[^，,；;。\d%]{0,14}$", before) and re.match(r"^\s*的\s*[\d.]+\s*%", after):
                # "占立案总数210件的88.10%": the base of the share, stated inside it; the share is the count's before it
                own = next((meaning for meaning, words in _TOTAL_OF_SHARE if re.search(words, before)), "")
                if own:
                    self.add_figure(own, m.value, before.rindex("占") + max(seg, prev_end) + 1, m.end, _scope(clause_before))
                m.fate = "base of the share it is printed in"
                continue
            if re.match(r"^\s*(提案|建议|建议提案|代表建议)?\s*中", after):
                self.base_marks.append((m.start, int(m.value)))  # "245件建议中": the base of what follows
                last_count, last_class, last_figure = m, None, None
                continue
            if m.approx in ("超过", "逾", "近", "将近", "接近", "约", "大约", "不到", "不足", "多", "余", "以上"):
                self.keep_unplaced(m, start, f"an approximate count ({m.approx}): a bound, not a figure")
                continue
            depth = clause_before.count("(") + clause_before.count("（") - clause_before.count(")") - clause_before.count("）")
            fam, key = _family(before, after, m.unit, wide, clause_before, self.earlier_session(clause_before[-30:]))
            if depth > 0 and (last_class is not None or last_figure is not None):
                # "38件(联名提案10件),占84.44%": a detail in brackets; the share after it is the outer count's
                parent = last_class if last_class is not None else None
                if fam and parent is not None and fam == parent.family and parent.count is not None and m.value < parent.count.value:
                    cls = _Class(fam, key, _label(before.lstrip("(（")), m, None, start, m.end, sentence=n)
                    cls.nested_in = parent
                    self.classes.append(cls)
                else:
                    outer = parent.label if parent is not None else last_figure[0]
                    self.keep_unplaced(m, start, f"a detail in brackets of {outer}")
                continue
            noun = re.match(r"^\s*(件)?\s*(代表建议|建议|提案|议案)", after)
            scope = _scope(noun.group(0) if noun else clause_before)
            if band and not fam:
                fam, key = "satisfaction_bands", ""
            body_count = bool(_BODY_COUNT.match(before))
            verb = re.match(r"^(承办|办理|交办|接办)", before)
            if re.search(rf"^([、和及与]|(承办|办理|交办|接办)了?)\s*(市|县|区|州|省)?({_BODY_NOUNS})\s*$", before) \
                    and (verb or last_figure is not None and self.figures[last_figure[0]]["meaning"] not in ("motions",)):
                same = [f for f in self.figures.values() if verb and verb.group(1) in f["text"]] if verb else [self.figures[last_figure[0]]]
                if same:
                    # "建议185件、政协提案261件", "承办…117件,…承办政协提案139件", "其中承办27件,协办4件,承办人大代表建议11件":
                    # the list goes on
                    fam, key = "figure", same[-1]["meaning"]
            elif body_count and last_figure is not None and self.figures[last_figure[0]].get("_body_noun") and scope \
                    and self.figures[last_figure[0]]["_scope"] not in ("", scope) and self.figures[last_figure[0]]["meaning"] not in ("motions",):
                fam, key = "figure", self.figures[last_figure[0]]["meaning"]  # "代表建议88件,委员提案107件": the other body's count
            if fam == "figure" and key == "handled":
                key = "assigned" if self.unit_report else "to_government"
            previous = last_class or (self.classes[-1] if self.classes and self.classes[-1].sentence >= n - 2 else None)
            if not fam and previous is not None and previous.family == "topics" and re.search(r"(的)?(提案|建议)$", before):
                fam = "topics"  # "城乡建设与基础设施的提案13件" after other topics
            if fam == "figure" and key in ("handling_units", "lead_units"):
                unit_tail = re.match(r"^[^，,；;。]{0,8}?(单位|部门)", after)
                if unit_tail:
                    m.end += unit_tail.end()
            if fam == "figure":
                tail = noun.end() if noun and key == "submitted" else 0
                if not tail and key not in ("handling_units", "lead_units"):
                    words = _NOUN_TAIL.match(after)  # "22项重点督办建议": the text runs to the noun the count counts
                    tail = words.end() if words else 0
                name = self.add_figure(key, m.value, start, m.end + tail, scope)
                self.figures[name].setdefault("_body_count", body_count)
                # a count of one body's items, plainly ("代表建议88件", "收到代表建议88件"), that a count of the other body may follow
                self.figures[name].setdefault("_body_noun", bool(re.search(rf"^([^，,；;。]{{0,8}}?(收到|承办|办理|交办|提出|接收))?\s*(州|县|市|区|省)?"
                                                                         rf"({_BODY_NOUNS})\s*$", before)))
                if key == "followed_up":
                    self.base_marks.append((m.start, int(m.value)))  # what follows is of these items
                last_count, last_figure, last_class = m, (name, m), None
                done = _ALL_REPLIED.match(after)
                if done and key in ("submitted", "to_government", "filed"):
                    self.add_figure("replied", m.value, start, m.end + done.end(), _scope(clause_before))
                if pending_share is not None:
                    m.share, pending_share = pending_share, None
                continue
            if fam:
                code = _CODE.search(before[-16:] + after[:6]) or re.match(r"^[^，,；;。\d%]{0,12}?[(（]\s*(?=[A-D]\s*类)" + _CODE.pattern, after)
                letter = ""
                if code:
                    letter = code.group(1) or _CODE_NUMBERS.get(code.group(2), code.group(2) or "") or code.group(3) or ""
                label = band if fam == "satisfaction_bands" else _label(norm[max(s, prev_end): m.start] if fam == "results" else before)
                end = m.end
                if not re.search(r"[\u4e00-\u9fffA-Za-z]", label):
                    label = ""
                if fam == "results" and not label:
                    words = _RESULT_AFTER.match(after)
                    if words:
                        label, end = _label(after[: words.end()]), m.end + words.end()
                if pending_share is not None:
                    start = min(start, _segment_start(self.t, pending_share.start, s))
                cls = _Class(fam, key, label, m, pending_share, start, end, code=letter, sentence=n)
                band, pending_share = "", None
                if cls.share is not None:
                    m.share = cls.share
                # "委员个人提案133件,其中…联名提案11件": a class inside the class before it
                if last_class is not None and last_class.family == fam and "其中" in segment and last_class.count and m.value < last_class.count.value:
                    cls.nested_in = last_class
                # "在A类提案中,属经济发展方面的96件,占A类的54.24%": a class of class A, not class A printed again
                of_class = re.search(r"在\s*([A-D甲乙丙丁])\s*类[^，,；;。]{0,8}中", norm[s: m.start]) \
                    or re.match(r"^[^；;。\d%]{0,16}?占\s*([A-D甲乙丙丁])\s*类", norm[m.end: e])
                parent = next((c for c in reversed(self.classes) if of_class and c.family == "results" and c.code == of_class.group(1)
                               and c.count is not None and c.nested_in is None), None)
                if fam == "results" and parent is not None and m.value < parent.count.value:
                    cls.code, cls.nested_in = "", parent
                if fam == "handling_systems":
                    where = re.match(r"^\s*(交|由|转)([^，,；;。]{1,14}?)(办理|承办)", after)
                    if where:
                        cls.label, cls.end = where.group(2), m.end + where.end()
                    elif re.search(r"(承办|办理)$", cls.label):
                        cls.label = re.sub(r"(承办|办理)$", "", cls.label)
                    cls.label = re.sub(r"^(交由|交给|转由|交|由|转)", "", cls.label)  # "交由县政府系统承办的220件": 县政府系统
                    if key == "government":
                        self.add_figure("to_government", m.value, start, cls.end, _scope(clause_before))
                        done = _ALL_REPLIED.match(after)
                        if done:  # "交由政府系统办理的248件提案均已办复完毕"
                            self.add_figure("replied", m.value, start, m.end + done.end(), _scope(clause_before))
                self.classes.append(cls)
                last_count, last_class, last_figure = m, cls, None
                continue
            # no meaning: a repeat of a figure, or unplaced
            done = _ALL_REPLIED.match(norm[m.end: e])
            known = next((name for name, f in self.figures.items() if f["value"] == m.value), None)
            if done:
                self.add_figure("replied", m.value, start, m.end + done.end(), _scope(clause_before))
                last_count = m
                continue
            if known:
                # the same number as a figure: most likely that figure stated again, but nothing says so
                self.keep_unplaced(m, start, f"the same number as {known}, with no words naming it")
                last_count, last_class, last_figure = m, None, (known, m)
                continue
            words = _NOUN_TAIL.match(after)
            if words:
                m.end += words.end()  # "9个专门委员会": kept with the noun it counts
            self.keep_unplaced(m, start, "a count with no meaning found")
            last_count, last_class, last_figure = m, None, None
        if pending_share is not None and pending_share.share is None and not pending_share.fate:
            self.keep_unplaced(pending_share, max(s, pending_share.start - 8), "a share printed before a count that never came")

    # ---- breakdowns ------------------------------------------------------------------------------

    def base_for(self, group: list[_Class]) -> tuple[int | None, bool]:
        """The base of a breakdown: a count the passage names ("245件建议中", "在立案的提案中",
        "占立案总数的"), else the nearest stated total equal to (or above) the classes' sum."""
        first = group[0]
        norm = self.t.norm
        sentence_start = max((m.end() for m in _SENTENCE.finditer(norm, 0, first.start)), default=0)
        lead = norm[sentence_start: first.start]
        counts = [c.count.value for c in group if c.count is not None]
        total = sum(counts) if counts else None
        marks = [value for at, value in self.base_marks if at < first.start and at >= sentence_start - 30]
        if marks:
            return marks[-1], False
        share_words = " ".join(norm[c.share.start - 14: c.share.start] for c in group if c.share is not None)
        wanted = ["forms_returned"] if first.family == "satisfaction" else []  # evaluations are of the forms returned
        if re.search(r"立案", lead[-20:]) or re.search(r"占立案", share_words):
            wanted.append("filed")
        if re.search(r"办复|答复", lead[-20:]):
            wanted.append("replied")
        if re.search(r"承办总数|交办总数", share_words):
            wanted.append("to_government")
        if re.search(r"占(全部|所有)?(提案|建议|代表建议|委员提案)(的)?总数", share_words):
            wanted.append("submitted")  # "约占提案总数的30%": of all submitted
        before = {name: f for name, f in self.figures.items() if f["_at"] < first.start and f["value"] == f["value"].to_integral()}
        for meaning in wanted:
            found = [f for f in before.values() if f["meaning"] == meaning]
            if len({f["_scope"] for f in found}) > 1:  # 承办总数 of NPC suggestions and CPPCC proposals together
                return int(sum(f["value"] for f in found)), False
            if found:
                return int(found[-1]["value"]), False
        if "to_government" in wanted or re.search(r"承办总数", share_words):
            parts = [c for c in self.classes if c.family == "handling_systems"]
            if len(parts) > 1:
                return int(sum(c.count.value for c in parts)), False
            totals = [f for f in before.values() if f["meaning"] == "to_government"]
            if len(totals) > 1:
                return int(sum(f["value"] for f in totals)), False
        totals = [f for f in before.values() if f["meaning"] in ("submitted", "filed", "to_government", "replied", "submitted_in_session")]
        if total is not None:
            equal = [f for f in totals if f["value"] == total]
            if equal:
                return int(equal[-1]["value"]), False
            # the stated total the printed shares are of, when they say so ("占比60%、共30件" of 50)
            with_shares = [(c.count.value, parse_percent(self.t.span(c.share.start, c.share.end))) for c in group if c.count is not None and c.share is not None]
            if with_shares and totals:
                score = {id(f): sum(_fits(k, f["value"], p) for k, p in with_shares if p is not None) for f in totals}
                best = max(totals, key=lambda f: (score[id(f)], totals.index(f)))
                if 2 * score[id(best)] >= len(with_shares):
                    return int(best["value"]), False
        overlapping = bool(re.search(r"(包括|含|包含).{0,4}(会同|协办|会办|联合)", norm[first.start: group[-1].end + 12]))
        if totals:
            last = totals[-1]
            if total is None or last["value"] >= total or overlapping:
                return int(last["value"]), False
        if total is not None:
            return int(total), False
        return None, True

    def breakdown(self, family: str, group: list[_Class], base: int | None) -> dict:
        norm = self.t.norm
        a = group[0].start
        b = group[-1].end
        cats = []
        for c in group:
            cat = {"code": c.code, "label": c.label or c.key}
            if c.count is not None:
                cat["count"] = int(c.count.value)
            if c.share is not None:
                cat["share_text"] = self.t.span(c.share.start, c.share.end)
            cat["text"] = self.t.span(c.start, c.end)
            cats.append({k: v for k, v in cat.items() if v not in ("", None)})
        out = {"kind": family, "base": base, "text": self.t.span(a, b), "cats": cats}
        counts = [c.count.value for c in group if c.count is not None]
        if base is not None and counts and sum(counts) < base:
            negative = any(re.search(r"参考|难以|无法|不能|条件|暂", c.label) for c in group)
            if family == "results" and not negative or len(counts) < len(group):
                out["partial"] = True
            keys = {c.key for c in group}
            if family == "satisfaction" and not ({"satisfied", "basically_satisfied", "dissatisfied"} <= keys or {"satisfied_inclusive", "dissatisfied"} <= keys):
                out["partial"] = True  # 不满意 not printed: the forms' other answers may be it
        if base is None or not counts or len(group) == 1:
            out["partial"] = True
        if re.search(r"(包括|含|包含).{0,4}(会同|协办|会办|联合)", norm[a: b + 12]):
            out["overlapping"] = True
        return out

    def claims(self) -> Claims:
        groups: list[list[_Class]] = []
        nested: list[_Class] = []
        for c in self.classes:
            if c.nested_in is not None:
                nested.append(c)
                continue
            last = groups[-1] if groups else None
            new_base = last and any(last[-1].end <= at < c.start for at, _ in self.base_marks)
            again = c.code and any(x.code == c.code for x in last or ()) or c.key == "government" and any(x.key == c.key for x in last or ())
            if last and not new_base and last[-1].family == c.family and last[-1].sentence >= c.sentence - 2 and not again:
                last.append(c)
            else:
                groups.append([c])
        breakdowns = []
        for g in groups:
            if g[0].family == "handling_systems" and len(g) == 1:
                only = g[0]
                figure = next((f for f in self.figures.values() if f["meaning"] == "to_government" and only.count is not None and f["value"] == only.count.value), None)
                if figure is not None:
                    if only.share is not None:  # "649件交由省政府系统办理,占提案总数的94.3%"
                        figure["text"] = self.t.span(figure["_at"], only.share.end)
                    continue
                # else a handler of its own ("会同县有关部门办理的5件,占41.67%"): a breakdown of one class, never dropped
            if g[0].family in ("satisfaction",) and len(g) == 1 and g[0].share is None:
                self.add_figure(g[0].key, g[0].count.value, g[0].start, g[0].end)
                continue
            base, _ = self.base_for(g)
            breakdowns.append(self.breakdown(g[0].family, g, base))
        for c in nested:
            breakdowns.append(self.breakdown(c.family, [c], int(c.nested_in.count.value)) | {"partial": True})
        results = next((b for b in breakdowns if b["kind"] == "results"), None)
        topics = next((b for b in breakdowns if b["kind"] == "topics"), None)
        others = [b for b in breakdowns if b is not results and b is not topics]
        for b in (results, topics):
            if b is not None:
                b.pop("kind")
        self.parts_by_body()
        figures = {}
        bodies: dict[str, set] = {}
        for f in self.figures.values():
            bodies.setdefault(f["meaning"], set()).update({f["_scope"]} - {""})
        several_periods = len({f["_period"] for f in self.figures.values()}) > 1
        for f in self.figures.values():
            # the body (_npc, _cppcc) when the text has figures of this meaning for more than one; the
            # period (_2023, _term, _previous) when it has figures of more than one period
            base = (f.get("_name") or f["meaning"]) + (f"_{f['_scope']}" if len(bodies[f["meaning"]]) > 1 and f["_scope"] else "") \
                + (f"_{f['_period']}" if several_periods and f["_period"] else "")
            name, n = base, 2
            while name in figures:
                name, n = f"{base}_{n}", n + 1
            figures[name] = {k: v for k, v in f.items() if not k.startswith("_")}
        self.link_rates(figures)
        codes = {c.get("code") for c in (results or {}).get("cats", [])}
        for name, f in zip(figures, self.figures.values()):
            if f.get("_combined") and set(f["_combined"]) <= codes:
                figures[name]["derived"] = {"of": f["_combined"], "over": "base"}
        scheme = []
        if results:
            from .vocabulary import statuses

            for i, cat in enumerate(results["cats"]):
                if not cat.get("code"):
                    cat["code"] = f"class {i + 1}"
                scheme.append({"code": cat["code"], "label": cat.get("label", "") or cat["code"], "statuses": statuses(cat.get("label", ""))})
        data = {"id": "", "source": {"title": ""}, "scheme": scheme, "figures": figures, "results": results, "topics": topics,
                "breakdowns": others, "unplaced": [{k: v for k, v in u.items() if not k.startswith("_")} for u in self.unplaced]}
        return Claims.model_validate(data)

    def parts_by_body(self) -> None:
        """Counts by body printed right after a total they add up to are its parts and share its
        meaning ("我局承办的建议、提案共15件,州人大代表建议2件,州政协提案3件,县人大代表建议4件,县政协提案6件")."""
        items = list(self.figures.values())
        for i, total in enumerate(items):
            run = []
            for f in items[i + 1:]:
                if not f.get("_body_count"):
                    break
                run.append(f)
            if len(run) > 1 and sum(f["value"] for f in run) == total["value"] and any(f["meaning"] != total["meaning"] for f in run):
                for f in run:
                    f["meaning"] = total["meaning"]

    def link_rates(self, figures: dict) -> None:
        """``derived`` for each rate whose parts the text prints (the vocabulary's rule)."""
        from ..claims_format import Figure
        from .vocabulary import derive_links

        models = {n: Figure.model_validate(f) for n, f in figures.items()}
        for name, (of, over) in derive_links(models).items():
            figures[name]["derived"] = {"of": list(of), "over": over}


@dataclass(frozen=True)
class Traced:
    """One number extraction read: where it is in the input (``start``, ``end``, ``text``), its value
    (``None``: unreadable) and unit, and what became of it (``fate``): ``figure <name>``, ``class``,
    ``share`` (of a class or a figure), ``base`` (of the breakdown that follows), ``unplaced``, a
    ``latin`` segment's number (read segment by segment), or a repeat of the share before it."""

    start: int
    end: int
    text: str
    value: Decimal | None
    unit: str
    fate: str


def trace(text: str, title: str = "") -> list[Traced]:
    """Every number extraction reads in ``text``, and what became of it: the check that nothing is
    dropped (every number is placed as a figure, a class, a share or a base, or kept unplaced).
    A number with an empty ``fate`` was dropped: a fault."""
    run = _Extraction(text, title)
    run.run()
    classes = {id(x) for c in run.classes for x in (c.count, c.share) if x is not None}
    shares = {id(m.share) for m in run.all_mentions if m.share is not None}
    bases = {at for at, _ in run.base_marks}
    out = []
    for m in run.all_mentions:
        fate = m.fate
        if not fate:
            spans = [name for a, b, name in run.figure_spans if a <= m.start < b]
            fate = ("class" if id(m) in classes else "share" if id(m) in shares else f"figure {spans[0]}" if spans
                    else "base" if m.start in bases else "")
        a, b = run.t.index[m.start], run.t.index[m.end - 1] + 1
        out.append(Traced(a, b, text[a:b], m.value, m.unit, fate))
    return out


def extract(text: str, report_id: str = "", title: str = "") -> Claims:
    """The claims a report's text prints (see the module's description).

    Args:
        text: the report's text (any script; a file's text from :func:`~proposal_stats.published.textread.read_report`).
        report_id, title: identity written into the claims (``id``, ``source.title``).

    Returns:
        Claims in the claims format: ``figures``, ``results``/``topics``/``breakdowns``, ``unplaced``;
        every ``text`` is an exact substring of ``text``.
    """
    claims = _Extraction(text, title).run()
    return claims.model_copy(update={"id": report_id, "source": claims.source.model_copy(update={"title": title})})




def passage(claims: Claims, where: str) -> str:
    """The printed text a finding's ``where`` points at: a figure's, a class's or a breakdown's."""
    if where.startswith("figures."):
        name = where.split(".", 1)[1]
        return claims.figures[name].text if name in claims.figures else ""
    name, _, label = where.partition(": ")
    for bname, b in claims.all_breakdowns():
        if bname == name:
            if not label:
                return b.text or " ".join(c.text for c in b.cats)
            return next((c.text or c.share_text for c in b.cats if (c.code or c.label) == label), b.text)
    return ""


def sentence_of(text: str, snippet: str) -> str:
    """The sentence of ``text`` (between 。！？；; or line breaks) that holds ``snippet``, or
    ``snippet`` itself when it is not found; several sentences when the snippet spans them."""
    at = text.find(snippet) if snippet else -1
    if at < 0:
        return snippet
    ends = "。！？；;\n"
    start = max(text.rfind(ch, 0, at) for ch in ends) + 1
    stops = [i for i in (text.find(ch, at + len(snippet)) for ch in ends) if i >= 0]
    stop = min(stops) + 1 if stops else len(text)
    return text[start:stop].strip()


def claims_data(claims: Claims) -> dict:
    """Claims as plain data for YAML or JSON (what ``load_claims`` reads back): defaults left out,
    numbers as numbers (a whole number as an int)."""

    def plain(v):
        if isinstance(v, Decimal):
            return int(v) if v == v.to_integral() else float(v)
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        return v

    data = plain(claims.model_dump(exclude_defaults=True))
    data.setdefault("source", {"title": ""})
    return data


__all__ = ["Traced", "claims_data", "extract", "passage", "sentence_of", "trace"]
