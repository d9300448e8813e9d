"""The field's vocabulary: ledger columns and the values they take (glossary: ``domain.md`` §2).

The bottom of the package: params files, claims files, the ledger reader and the statistics all use
these names, so they live here rather than in any one of them. Imports nothing from the package.
"""

from __future__ import annotations

from typing import Final

from .messages import N_

#: Columns of a ledger file, in the order the README documents them.
LEDGER_COLUMNS: Final[tuple[str, ...]] = (
    "proposal_id",  # 提案号, kept as text: "007" stays "007"
    "title",  # 案由 / 标题
    "proposer",  # 提案者 (first proposer, or the collective body)
    "proposer_type",  # see PROPOSER_TYPES
    "topic",  # 类别 (topic class as the jurisdiction uses it)
    "handling_system",  # see HANDLING_SYSTEMS
    "lead_unit",  # 主办单位
    "co_handling_units",  # 协办单位, several separated by ";"
    "assigned_at",  # 交办日期, ISO date
    "due_at",  # 办理时限; blank = computed from the params file's reply-deadline rule
    "replied_at",  # 答复日期; blank = not replied
    "result_category",  # 类别标注 as printed on the reply, e.g. "A"
    "f2f_consulted",  # 是否面商: true / false / blank
    "satisfaction",  # see SATISFACTION
    "second_replied_at",  # 再次答复: the reply after a 不满意 evaluation; blank = none
    "second_satisfaction",  # the evaluation of that second reply
)

#: How a unit handles a proposal: 主办 (lead: replies to the proposer), 协办/会办 (co-handler:

#: sends its opinion to the lead unit), 分办 (separate: replies on its own), 独办 (sole).
UNIT_ROLES: Final[tuple[str, ...]] = ("lead", "co_handler", "separate", "sole")

#: Who submitted the proposal (glossary: ``proposer_type``).
PROPOSER_TYPES: Final[frozenset[str]] = frozenset(
    {
        "member_individual",
        "member_joint",
        "party",
        "peoples_org",
        "sector",
        "special_committee",
        "member_group",
    }
)

#: Which system handles the proposal. Government-system proposals are the ones an

#: annual government handling report (政府系统办理) counts.
HANDLING_SYSTEMS: Final[frozenset[str]] = frozenset(
    {"government", "party", "npc", "cppcc", "judicial", "peoples_org", "other"}
)

#: Proposer evaluation of the reply (办理情况征询意见表). ``no_response`` = form not returned.
SATISFACTION: Final[tuple[str, ...]] = (
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "no_response",
)

#: Normalised resolution statuses a printed result category maps to (``domain.md`` §1.4).
RESOLUTION_STATUSES: Final[tuple[str, ...]] = (
    "resolved",
    "partly_resolved",
    "in_progress",
    "planned",
    "not_feasible_now",
    "for_reference",
)

#: The 56 nationalities' names as they appear in autonomous place names (楚雄彝族自治州: 彝族),
#: longest first so 哈萨克 is tried before 哈. Used to find a place's short form (楚雄州).
ETHNIC_GROUPS: Final[tuple[str, ...]] = tuple(sorted(
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺".split(), key=len, reverse=True))


def short_place_form(text: str) -> str:
    """``text`` with the nationalities of autonomous areas removed: 楚雄彝族自治州 → 楚雄州,
    德宏傣族景颇族自治州 → 德宏州 (how reports usually shorten them)."""
    import re

    return re.sub("(?:(?:" + "|".join(ETHNIC_GROUPS) + ")族)+自治", "", text or "")


def place_names(text: str) -> tuple[str, ...]:
    """The Chinese place name a jurisdiction begins with, and its short form
    (:func:`short_place_form`): ``"楚雄彝族自治州 (Chuxiong…)"`` → ``("楚雄彝族自治州", "楚雄州")``;
    ``"楚雄市 (Chuxiong city)"`` → ``("楚雄市",)``; no Chinese name → ``()``."""
    import re

    match = re.match(r"\s*([\u3400-\u9fff]+)", text or "")
    if not match:
        return ()
    name = match.group(1)
    short = short_place_form(name)
    return (name, short) if short != name else (name,)

#: Each normalised status in words (marked for translation: reports show them in their language).
STATUS_WORDS: Final[dict[str, str]] = {
    "resolved": N_("resolved"),
    "partly_resolved": N_("partly resolved"),
    "in_progress": N_("being resolved"),
    "planned": N_("planned"),
    "not_feasible_now": N_("not feasible now"),
    "for_reference": N_("for reference"),
}
