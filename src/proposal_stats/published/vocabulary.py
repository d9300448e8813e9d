"""The figure vocabulary: what a printed figure means, and the wordings each meaning is printed in.

One table serves three readers, so they cannot disagree: the audit (which rate is made of which
figures, whatever the figures are called), the corpus converter (``scripts/convert_published.py``:
``statuses`` and ``derived``), and text extraction (:mod:`proposal_stats.published.extract`).

A **meaning** is a count (件 proposals, 家/个 units, 名/位/人 members, 份 forms) or a rate. A rate names
its numerator meanings (summed) and its denominator meanings, tried in order: 立案率 is filed over
submitted (received), whatever the figures are called; 满意率 is satisfied + basically satisfied over
the feedback forms returned. Wordings are regular expressions over *simplified* text
(:func:`simplify` folds traditional characters, full-width forms and pinyin glosses first).
Sources: ``domain.md`` §1.2, §1.8, §3.1 (the field's definitions), and the 61-report corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..claims_format import Figure
from ..messages import Msg, N_
from .printed import CN_NUMERALS, chinese_number, fold_width


@dataclass(frozen=True)
class Meaning:
    """One meaning of the vocabulary.

    Attributes:
        id: the name used in claims files (``filed``, ``filing_rate``).
        kind: ``count`` or ``rate`` (a percentage).
        english: what it is, in the glossary's terms.
        wordings: a regular expression over simplified text that states it.
        names: figure names hand-made claims files use for it (the corpus's descriptive names).
        of, over: for a rate, the numerator meanings (summed) and the denominators, tried in order.
    """

    id: str
    kind: str
    english: str
    wordings: str
    names: tuple[str, ...] = ()
    of: tuple[str, ...] = ()
    over: tuple[str, ...] = ()


#: 满意和基本满意 (及, 或, 与, 、): one count of both answers, the satisfaction rate's numerator; not a list of
#: the three answers (满意、基本满意、不满意分别为…), whose counts follow one by one.
SATISFIED_INCLUSIVE = r"满意\s*(和|或|及|与|以及|、|加)\s*基本满意(?!\s*(和|或|及|与|、)\s*不满意)"

# Order matters: the first meaning whose wording matches wins, so specific wordings come first
# (基本满意 before 满意, 不予立案 before 立案, 立案率 before 立案).
RATES: tuple[Meaning, ...] = (
    Meaning("filing_rate", "rate", "filing rate (立案率): filed / submitted", r"立案率", ("filing_rate",), ("filed",), ("submitted",)),
    Meaning("on_time_rate", "rate", "on-time reply rate: replied by the due date / assigned", r"按[时期](办复|办结|答复)率", ("on_time_rate",),
            ("replied_on_time",), ("to_government", "filed")),
    Meaning("reply_rate", "rate", "reply rate (办复率): replied / assigned", r"(办复|答复|办结|回复|办理|完成)率|%.{0,4}已?经?(办复|答复|办结)",
            ("reply_rate", "completion_rate", "all_replied_rate"), ("replied",), ("to_government", "assigned", "filed", "submitted")),
    Meaning("f2f_rate", "rate", "face-to-face rate (面商率): consulted face to face / assigned", r"面商率|见面率|面办率|面复率",
            ("f2f_rate", "face_to_face_rate"), ("f2f_consulted",), ("to_government", "filed")),
    Meaning("satisfaction_rate", "rate", "satisfaction rate (满意率): satisfied + basically satisfied / feedback forms returned",
            r"满意(和|或|、|及)基本满意|(?<!基本)满意率|满意度|基本满足率|满意\s*(达|为|达到)?\s*$",
            ("satisfaction_rate", "satisfied_or_basic_pct", "satisfied_pct"), ("satisfied_inclusive",), ("forms_returned",)),
    Meaning("basically_satisfied_rate", "rate", "basically satisfied / feedback forms returned", r"基本满意率",
            ("basically_satisfied_pct",), ("basically_satisfied",), ("forms_returned",)),
    Meaning("assignment_rate", "rate", "assignment rate (交办率): assigned / filed", r"交办率", ("assignment_rate",), ("to_government",), ("filed",)),
    Meaning("review_rate", "rate", "replies reviewed by a unit leader (审核率) / replied", r"审核率|审签率", ("review_rate",), (), ("replied",)),
    Meaning("increase_rate", "rate", "growth over the previous session or term (增幅, 增长)", r"增幅|增长了?\s*$|同比增长|比.{0,12}增长", ("increase_pct",), ("increase",), ()),
    Meaning("previous_share", "rate", "a share of the year before, printed for comparison (比去年的…%)", r"比(去年|上年|上届)的?\s*$",
            ("prev_year_A_pct", "prev_year_B_pct", "prev_year_C_pct"), (), ()),
    Meaning("to_government_share", "rate", "share of proposals assigned to the government system", r"交由?.{0,8}政府.{0,12}%",
            ("to_government_pct",), ("to_government",), ("submitted", "assigned")),
)

COUNTS: tuple[Meaning, ...] = (
    Meaning("submitted_in_session", "count", "submitted during the session (大会提案)", r"大会提案|会议期间收到|大会期间|会期收到",
            ("received_in_session", "in_session", "session_proposals")),
    Meaning("submitted_between_sessions", "count", "submitted between sessions (平时提案)", r"平时提案|闭会期间|会后(收到|提交|提出|征集|共)?\s*([\d一二三四五六七八九十]|$)",
            ("received_between_sessions", "between_sessions", "ordinary_proposals", "after_session")),
    Meaning("not_filed", "count", "not filed (不予立案)", r"未予?立案|不予?立案", ("not_filed",)),
    Meaning("merged", "count", "merged (并案)", r"并案", ("merged",)),
    Meaning("converted", "count", "converted to opinions or letters (转意见建议)", r"转为?.{0,4}意见|作为.{0,4}意见|转.{0,3}(来信|建议)|社情民意",
            ("to_opinions", "as_opinions", "social_opinions")),
    Meaning("filed", "count", "filed (立案)", r"立案|确立提案", ("filed",)),
    Meaning("forms_returned", "count", "feedback forms returned (征询意见表, 测评表, 意见回执)", r"反馈|意见表|评价表|测评表|回执", ("feedback_forms", "feedback")),
    Meaning("dissatisfied", "count", "dissatisfied (不满意)", r"不满意", ("dissatisfied",)),
    Meaning("satisfied_inclusive", "count", "satisfied or basically satisfied, one count of both (满意和基本满意的103件)",
            SATISFIED_INCLUSIVE, ("satisfied_inclusive", "satisfied_or_basic", "satisfied_or_basically_satisfied")),
    Meaning("basically_satisfied", "count", "basically satisfied (基本满意)", r"基本满意", ("basically_satisfied",)),
    Meaning("satisfied", "count", "satisfied (满意)", r"满意", ("satisfied",)),
    Meaning("lead_items", "count", "items a unit leads (主办件)", r"主办件|主办的?(建议|提案)|主办的\s*$|^\s*(其中)?\s*承办\s*$", ("lead_items",)),
    Meaning("co_items", "count", "items a unit co-handles (协办件, 会办件)", r"协办|会办", ("co_items",)),
    Meaning("lead_units", "count", "lead units (主办单位)", r"主办单位|牵头单位", ("lead_units",)),
    Meaning("handling_units", "count", "handling units (承办单位)", r"(家|个).{0,10}(单位|部门)|承办单位", ("handling_units", "handlers")),
    Meaning("to_government", "count", "assigned to the government system (交政府系统办理)",
            r"政府系统|交由?.{0,8}政府.{0,10}(办理|承办)|政府.{0,6}(承办|接办|办理)|归属.{0,4}政府", ("to_government", "assigned_to_government")),
    Meaning("assigned", "count", "assigned to handling units (交办)", r"交办(?!率|会)", ("assigned",)),
    Meaning("replied", "count", "replied (办复)", r"办复|答复|办结|办理完毕|回复", ("replied", "all_replied")),
    Meaning("members_proposing", "count", "members who submitted proposals", r"委员.{0,4}人次|名委员|位委员|委员\d+人",
            ("members_proposing", "member_person_times", "person_times")),
    Meaning("motions", "count", "motions (议案; not a CPPCC recommendation, 建议案)", r"(?<!建)议案(?!建议|和建议|、建议)", ("motions",)),
    Meaning("increase", "count", "more than the previous session or term (比上届增加)", r"比.{0,14}(增加|增|多)了?\s*$", ("increase", "collective_increase")),
    Meaning("excellent_proposals", "count", "proposals commended as excellent (优秀提案)", r"优秀提案", ("excellent_proposals",)),
    Meaning("followed_up", "count", "an earlier session's class-B (planned) items followed up this year (上届B类件, 续办; domain.md §3.3.3)",
            r"(上届|上年度?|去年|往年|历年)[^，,；;。]{0,16}(B|乙|二)类|续办件|跟踪督办", ("followed_up", "carried_over")),
    Meaning("committee_count", "count", "special committees (专门委员会) counted: committees, not proposals", r"\d+\s*个\s*(专门委员会|专委会)",
            ("committee_count",)),
    Meaning("key_proposals", "count", "key proposals (重点提案)", r"重点", ("key_proposals",)),
    Meaning("submitted", "count", "submitted (received) proposals or suggestions",
            r"收到|提交|提出|征集|共有|总数|共计|材料",
            ("submitted", "received", "total_proposals", "total_suggestions", "materials_received", "materials", "items_received", "tabled",
             "total", "suggestions", "proposals", "items")),
)

VOCABULARY: dict[str, Meaning] = {m.id: m for m in RATES + COUNTS}

#: Each meaning's name in words, as findings show it (translated in a report through the catalogs).
WORDS: dict[str, str] = {
    "filing_rate": N_("filing rate"), "on_time_rate": N_("on-time rate"), "reply_rate": N_("reply rate"), "f2f_rate": N_("face-to-face rate"),
    "satisfaction_rate": N_("satisfaction rate"), "basically_satisfied_rate": N_("basically satisfied rate"),
    "assignment_rate": N_("assignment rate"), "review_rate": N_("review rate"), "increase_rate": N_("increase rate"),
    "previous_share": N_("previous year's share"), "to_government_share": N_("share assigned to the government"),
    "submitted_in_session": N_("submitted at the session"), "submitted_between_sessions": N_("submitted between sessions"),
    "not_filed": N_("not filed"), "merged": N_("merged"), "converted": N_("converted"), "filed": N_("filed"),
    "forms_returned": N_("feedback forms returned"), "dissatisfied": N_("dissatisfied"),
    "satisfied_inclusive": N_("satisfied or basically satisfied"), "basically_satisfied": N_("basically satisfied"), "satisfied": N_("satisfied"),
    "lead_items": N_("lead items"), "co_items": N_("co-handled items"), "lead_units": N_("lead units"), "handling_units": N_("handling units"),
    "to_government": N_("assigned to the government"), "assigned": N_("assigned"), "replied": N_("replied"),
    "members_proposing": N_("members proposing"), "motions": N_("motions"), "increase": N_("increase"),
    "excellent_proposals": N_("excellent proposals"), "followed_up": N_("followed up"), "committee_count": N_("committees"),
    "key_proposals": N_("key proposals"), "submitted": N_("submitted"),
}


def meaning_words(meaning: str) -> Msg | str:
    """A meaning in words (:data:`WORDS`), as a message to translate; an unknown one as it is."""
    return Msg(WORDS[meaning]) if meaning in WORDS else meaning


def figure_words(name: str, meaning: str) -> Msg | str:
    """A printed figure as a finding names it: its meaning in words, and its name when that is not
    the meaning itself ("filed"; "submitted (total_proposals)"); a figure of no meaning by its name."""
    if not meaning or meaning not in WORDS:
        return name
    return meaning_words(meaning) if name == meaning else Msg("%(meaning)s (%(name)s)", meaning=meaning_words(meaning), name=name)
_BY_NAME = {name: m.id for m in RATES + COUNTS for name in m.names}

#: Keyword → normalised status, for printed result labels (``domain.md`` §1.4).
STATUS_PATTERNS: tuple[tuple[str, str], ...] = (
    ("resolved", r"(已经|基本|得到|已|全部)解决|^解决|已落实|已采纳|已经?办结|被采纳"),
    ("partly_resolved", r"部分(解决|采纳|落实)"),
    ("in_progress", r"正在(?!争取)(解决|落实|办理|推进|实施)|已启动"),
    ("planned", r"列入.{0,4}(计划|规划)|计划(逐步)?解决|逐步(争取)?解决|已制定解决措施|争取解决"),
    ("not_feasible_now", r"条件(限制|不成熟)|暂时(无法|解决不了|难以)|难以解决|不具备条件|短期内|目前难以|无法解决|不能解决"),
    ("for_reference", r"参考"),
)

_GLOSS = re.compile(r"\((?=[^)]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplify(text: str) -> str:
    """``text`` as the wordings are written: pinyin glosses removed (``規(guī)定`` → ``規定``),
    full-width forms made half-width, traditional characters made simplified (OpenCC ``t2s``)."""
    return _t2s().convert(fold_width(_GLOSS.sub("", text or "")))


def statuses(label: str) -> list[str]:
    """The normalised statuses a printed result label covers (``STATUS_PATTERNS``), in table order."""
    text = simplify(label)
    return [status for status, pattern in STATUS_PATTERNS if re.search(pattern, text)]


@lru_cache(maxsize=65536)
def meaning_of_text(text: str, percent: bool) -> str:
    """The meaning a printed wording states, or ``""``: a rate's wording when ``percent``, else a count's."""
    plain = simplify(text)
    for m in RATES if percent else COUNTS:
        if re.search(m.wordings, plain):
            return m.id
    return ""


def meaning_of_name(name: str) -> str:
    """The meaning a hand-made claims file's figure name stands for (``filed_2019`` → ``filed``), or ``""``."""
    base = re.sub(r"_(19|20)\d{2}$", "", name)
    if base in VOCABULARY:
        return base
    return _BY_NAME.get(base, "")


_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")


@lru_cache(maxsize=65536)
def own_words(text: str, value=None) -> str:
    """A figure's own words: ``text`` without what states other figures — details in brackets
    ("立案11件(5件未立案提案以书面形式答复)" → "立案11件": the 5 not filed are another count; when the
    value is printed only inside brackets, the brackets that hold it are kept) and, for a count, the
    clauses that print a percentage ("集体提案101件,占提案总数的19.84%" → "集体提案101件": 总数 is the
    share's base, not what the 101 are)."""
    if value is None:
        return text
    number = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    own = re.compile(rf"(?<![\d.]){re.escape(number)}(?![\d.])")
    outside = _BRACKETS.sub("", text)
    words = outside if own.search(outside) else _BRACKETS.sub(lambda m: m.group(0) if own.search(m.group(0)) else "", text)
    counted = re.compile(rf"(?<![\d.]){re.escape(number)}\s*(件|个|家|名|位|人|项|份|条)")
    clauses = re.split(r"(?<=[,，;；])", words)
    if any(counted.search(fold_width(c)) for c in clauses):
        words = "".join(c for c in clauses if own.search(c) or not re.search(r"%|％|百分之", c)).rstrip(",，;；")
        words = _SHARE_PHRASE.sub("", words)
    return words


_SHARE_PHRASE = re.compile(r"(约|大约)?[占佔][^,，;；。%％]*?[\d.]+\s*[%％]")


def is_part(text: str) -> bool:
    """Whether a count is printed as a part of a total: with a share of it below 100% ("提出47件,占31.6%")."""
    share = _SHARE_PHRASE.search(fold_width(text or ""))
    return bool(share) and not re.search(r"100(\.0+)?\s*%$", share.group(0))


@lru_cache(maxsize=65536)
def printed_as_percent(text: str, value) -> bool:
    """Whether ``text`` prints ``value`` as a percentage: "增幅达到34.6%" does, and "比上届增加了9649件,
    增幅达到34.6%" does not print 9649 as one (the count is printed with its rate)."""
    plain = fold_width(text)
    if not re.search(r"%|百分之", plain):
        return False
    if value is None:
        return True
    number = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    count = re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])\s*(件|个|家|名|位|人|项|份|条)", plain) \
        or any(chinese_number(m.group(1)) == value for m in re.finditer(rf"([{CN_NUMERALS}]+)\s*(件|个|家|名|位|人|项|份|条)", plain))
    return not count or bool(re.search(rf"(?<![\d.]){re.escape(number)}(\.0+)?\s*%", plain))


def meaning_of(name: str, fig: Figure) -> str:
    """A figure's meaning: its ``meaning`` if given, else what its wording states (its own words,
    :func:`own_words`), else what its name stands for. A wording with no number in it ("均已办复完毕")
    says nothing: the name decides."""
    if fig.meaning:
        return fig.meaning
    text = own_words(fig.text or "", fig.value)
    percent = printed_as_percent(text, fig.value) or (fig.value is not None and meaning_of_name(name) in {m.id for m in RATES})
    found = meaning_of_text(text, percent) if re.search(r"\d|百分之", text) else ""
    if found == "submitted" and not percent and is_part(fig.text):
        found = ""  # "提出47件,占31.6%": a part of what was submitted, not the total
    return found or meaning_of_name(name)


def is_rate(meaning: str) -> bool:
    """Whether ``meaning`` is a rate (a percentage made of other figures)."""
    return meaning in VOCABULARY and VOCABULARY[meaning].kind == "rate"


def rate_parts(meaning: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A rate's numerator meanings (summed) and its denominator meanings in order of preference."""
    m = VOCABULARY[meaning]
    return m.of, m.over


@dataclass(frozen=True)
class Partition:
    """Meanings whose counts are the parts of another's: every item of the whole is in exactly one part.

    Attributes:
        whole: the meanings of the total, tried in order (the first the report states is used).
        parts: the meanings of the parts; the report may print only some of them.
        source: where the partition is stated.
    """

    whole: tuple[str, ...]
    parts: tuple[str, ...]
    source: str


#: The partitions the audit checks (``parts_mismatch``): printed parts may never add up to more than
#: their total, and when every part is printed they add up to it.
PARTITIONS: tuple[Partition, ...] = (
    Partition(("submitted",), ("filed", "merged", "converted", "not_filed"),
              "domain.md §1.2 (review ends in filed, merged, converted or not filed), §1.8 (national 2025: 5,890 received, 5,002 "
              "filed, the rest merged or converted; Kunming 2020: filing rate = filed / received, merged outside it), §2 filing_status"),
    Partition(("submitted",), ("submitted_in_session", "submitted_between_sessions"),
              "domain.md §1.2, §2 submission_window: a proposal is submitted at the session (大会提案) or between sessions (平时提案)"),
    Partition(("forms_returned",), ("satisfied", "basically_satisfied", "dissatisfied"),
              "domain.md §1.5: the feedback form's scale is 满意 / 基本满意 / 不满意, one answer per form"),
    Partition(("forms_returned",), ("satisfied_inclusive", "dissatisfied"),
              "domain.md §1.5: the same scale, the first two answers counted together (满意和基本满意的103件)"),
    Partition(("to_government", "assigned", "filed"), ("replied",),
              "domain.md §3.1: reply rate = replied / assigned; a proposal is replied only after it is filed and assigned"),
)


#: Words that set a figure's scope apart from another figure of the same meaning: two values of one
#: meaning contradict each other only when no scope tells them apart. A year (2018年), a term or a
#: running total (五年来, 本届以来, 累计), the year or session before (上届, 去年), a round of handling
#: (初次, 再次), a subset (重点 key proposals, 政府系统 the government system), and the body (NPC
#: deputies' suggestions or CPPCC proposals; ``domain.md`` §1.1: two streams, one pipeline).
SCOPES: tuple[tuple[str, str], ...] = (
    ("term", r"[一二三四五六七八九十两\d]+年来|本届|届内|任期|以来|累计|历年|历届"),
    ("previous", r"上届|上年|去年|上一年|前一年|往年|上次"),
    ("first_round", r"初次|首次|第一次"),
    ("second_round", r"再次|二次答复|第二次|重新办理"),
    ("key", r"重点"),
    ("government", r"政府"),
)
_BODY_WORDS = (("npc", r"人大|代表|(?<!建)议案"), ("cppcc", r"政协|委员(?!会)|提案"))


#: Scope words a meaning's own wording carries (政府 in 交政府系统办理): they set no scope apart for it.
IMPLIED_SCOPES: dict[str, tuple[str, ...]] = {"to_government": ("government",), "to_government_share": ("government",),
                                              "key_proposals": ("key",), "previous_share": ("previous",)}


def scope_of(name: str, fig: Figure, meaning: str = "") -> tuple[str, ...]:
    """What sets a figure's scope apart, from its own words and its name (:data:`SCOPES`): the year
    (2019年 in its words, ``_2019`` in its name), the scopes its words state or its name carries
    (``_term``, ``_previous``: extraction names a figure so when its sentence opens with 五年来 or
    去年), and the bodies it names (``npc``, ``cppcc``, both, or none; ``_npc`` in a name too). Scope
    words the ``meaning`` itself carries (:data:`IMPLIED_SCOPES`) are left out."""
    return _scope(name, fig.text or "", fig.value, meaning)


@lru_cache(maxsize=65536)
def _scope(name: str, text: str, value, meaning: str) -> tuple[str, ...]:
    text = simplify(own_words(text, value))
    year = re.search(r"_((?:19|20)\d{2})(?=_|$)", name) or re.search(r"(?<!\d)((?:19|20)\d{2})\s*年", text)
    words = tuple(scope for scope, pattern in SCOPES if (re.search(pattern, text) or re.search(rf"(^|_){scope}(_|$)", name))
                  and scope not in IMPLIED_SCOPES.get(meaning, ()))
    bodies = {body for body, pattern in _BODY_WORDS if re.search(pattern, text) or re.search(rf"(^|_){body}(_|$)", name)}
    return (year.group(1) if year else "", *words, "+".join(sorted(bodies)))


#: Parts of a meaning: a figure that is the sum of others when it is not printed itself.
SUMS: dict[str, tuple[str, ...]] = {"submitted": ("submitted_in_session", "submitted_between_sessions"),
                                    "satisfied_inclusive": ("satisfied", "basically_satisfied")}


#: A combined share's result codes ("A、B类占93.7%", "A、B两类合计占92.4%", "A类和B类共占…"), read by
#: extraction and by the audit alike.
COMBINED_CODES = re.compile(r"(?<![A-Za-z])([A-Z甲乙丙丁])\s*类?\s*(?:[、,，和与及+]|以及)\s*([A-Z甲乙丙丁])"
                            r"(?:\s*类?\s*(?:[、,，和与及+]|以及)\s*([A-Z甲乙丙丁]))?\s*[两三]?\s*类")


def derive_links(figures: dict[str, Figure]) -> dict[str, tuple[tuple[str, ...], str]]:
    """For every rate among ``figures`` whose parts the report also prints: ``name → (numerator
    names, denominator name)``. Parts are found by meaning (:func:`meaning_of`), the nearest figure
    of that meaning before the rate first (then after it); a rate is linked only when every part is
    printed. Used by the converter to write ``derived`` and by the audit for rates without one."""
    names = list(figures)
    meanings = {n: meaning_of(n, f) for n, f in figures.items()}
    out = {}
    for i, name in enumerate(names):
        if not is_rate(meanings[name]):
            continue
        of, over = rate_parts(meanings[name])
        nums = []
        for m in of:  # a numerator printed itself, else as its parts (满意 + 基本满意)
            found = _nearest(names, meanings, figures, i, m)
            parts = [] if found else [_nearest(names, meanings, figures, i, p) for p in SUMS.get(m, ())]
            nums += [found] if found or not parts or not all(parts) else parts
        dens = [d for d in (_nearest(names, meanings, figures, i, m) for m in over) if d]
        if dens and nums and all(nums):
            # of the alternatives (to_government, else assigned, else filed), the first the numerator fits in:
            # 248 replied beside 220 to the government and 248 filed are the filed proposals replied
            top = sum(figures[n].value for n in nums)
            den = next((d for d in dens if figures[d].value >= top), dens[0])
            out[name] = (tuple(nums), den)
    return out


def _nearest(names, meanings, figures, i, meaning) -> str | None:
    """The integral figure of ``meaning`` nearest before position ``i`` (then after it); same year suffix first."""
    suffix = re.search(r"_(19|20)\d{2}$", names[i])
    pool = [j for j, n in enumerate(names) if meanings[n] == meaning and figures[n].value is not None and figures[n].value == figures[n].value.to_integral()]
    if suffix:
        pool = [j for j in pool if names[j].endswith(suffix.group(0))] or pool
    before = [j for j in pool if j < i]
    if before:
        return names[before[-1]]
    return names[pool[0]] if pool else None


__all__ = ["COMBINED_CODES", "COUNTS", "PARTITIONS", "RATES", "SATISFIED_INCLUSIVE", "SCOPES", "Partition", "STATUS_PATTERNS", "SUMS", "VOCABULARY", "Meaning", "WORDS", "derive_links", "figure_words", "meaning_words", "fold_width", "is_rate",
           "meaning_of", "meaning_of_name", "meaning_of_text", "own_words", "printed_as_percent", "rate_parts", "scope_of", "simplify", "statuses"]
