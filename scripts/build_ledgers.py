"""Build the reference ledgers deterministically from the figures their reports published (and one
wholly synthetic example year).

    python scripts/build_ledgers.py            # rewrites data/ledgers/*.csv
    python scripts/build_ledgers.py --check    # exit 1 if the committed files differ

What is real and what is synthetic is stated in data/ledgers/README.md. In short: every count the
published report states is reproduced exactly (proposals, government-system proposals, number of
handling units, replies, face-to-face consultations, A/B/C counts); everything else (titles,
proposers, topics, dates, satisfaction, which unit led which proposal, co-handling units) is
synthetic. ``chuxiong-city-2023-synthetic.csv`` copies no published report at all: every value in it
is synthetic (an example second year for the explorer's trends). Pseudo-random choices come from SHA-256 of a fixed key, so the output is the same on
every machine and Python version.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "ledgers"
COLUMNS = [
    "proposal_id", "title", "proposer", "proposer_type", "topic", "handling_system", "lead_unit",
    "co_handling_units", "assigned_at", "due_at", "replied_at", "result_category", "f2f_consulted", "satisfaction",
    "second_replied_at", "second_satisfaction",
]


def uniform(*key) -> float:
    """A deterministic number in [0, 1) from a key (SHA-256, stable across platforms)."""
    digest = hashlib.sha256(":".join(map(str, key)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def permuted(items, *key):
    return sorted(items, key=lambda item: uniform(*key, item))


def split_counts(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into len(weights) parts ≥ 1, proportional to weights (largest remainder)."""
    n = len(weights)
    spare = total - n
    raw = [w / sum(weights) * spare for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(n), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [p + 1 for p in parts]


TOPICS = {
    "城建土地": ["老旧小区改造", "城市停车设施建设", "农贸市场提升改造", "城市排水防涝", "物业管理规范"],
    "交通电力": ["城乡公交线路优化", "农村公路养护", "充电桩建设", "乡村电网改造"],
    "农林水": ["高原特色农业发展", "农田水利设施建设", "林下经济发展", "农村饮水安全"],
    "教育科技": ["城区学位供给", "乡村教师队伍建设", "职业教育发展", "青少年心理健康教育"],
    "卫生健康": ["基层医疗服务能力", "养老服务体系建设", "婴幼儿照护服务", "中医药传承发展"],
    "经济发展": ["优化营商环境", "民营经济发展", "文旅融合发展", "园区产业转型升级", "消费提振"],
    "社会民生": ["就业创业扶持", "社区治理", "文明城市创建", "垃圾分类推进", "食品安全监管"],
}
PROPOSER_TYPES = [("member_individual", 0.62), ("member_joint", 0.18), ("party", 0.1), ("sector", 0.05), ("special_committee", 0.05)]


def pick_weighted(options, u: float):
    acc = 0.0
    for value, weight in options:
        acc += weight
        if u < acc:
            return value
    return options[-1][0]


def build(spec: dict) -> str:
    """Ledger CSV text for one spec (see SPECS)."""
    key = spec["key"]
    units, counts = spec["units"], split_counts(spec["assigned_to_government"], spec["unit_weights"])
    lead = [u for u, c in zip(units, counts) for _ in range(c)]
    lead = [lead[i] for i in permuted(range(len(lead)), key, "lead")]
    # Which government-system proposal gets which category: a seeded permutation of the exact counts.
    cats = [code for code, n in spec["categories"].items() for _ in range(n)]
    cats = [c for _, c in sorted(zip([uniform(key, "cat", i) for i in range(len(cats))], cats))]
    f2f_yes = set(permuted(range(len(lead)), key, "f2f")[: spec["f2f_consulted"]])
    n_total, n_gov = spec["submitted"], spec["assigned_to_government"]
    gov_slots = set(permuted(range(n_total), key, "gov")[:n_gov])
    assigned = spec["assigned_at"]

    rows, g = [], 0
    for i in range(n_total):
        topic = list(TOPICS)[int(uniform(key, "topic", i) * len(TOPICS))]
        subject = TOPICS[topic][int(uniform(key, "subject", i) * len(TOPICS[topic]))]
        ptype = pick_weighted(PROPOSER_TYPES, uniform(key, "ptype", i))
        proposer = {"party": "民主党派（合成）", "sector": "界别（合成）", "special_committee": "专委会（合成）"}.get(
            ptype, f"委员{int(uniform(key, 'member', i) * 180) + 1:03d}（合成）"
        )
        row = {
            "proposal_id": f"{i + 1:03d}",
            "title": f"关于{subject}的建议（合成标题）",
            "proposer": proposer,
            "proposer_type": ptype,
            "topic": topic,
            "handling_system": "other",
            "lead_unit": "",
            "co_handling_units": "",
            "assigned_at": "",
            "due_at": "",
            "replied_at": "",
            "result_category": "",
            "f2f_consulted": "",
            "satisfaction": "",
            "second_replied_at": "",
            "second_satisfaction": "",
        }
        if i in gov_slots:
            unit = lead[g]
            co = []
            if uniform(key, "co?", i) < 0.3:
                co = [u for u in permuted(units, key, "co", i) if u != unit][: 1 + int(uniform(key, "nco", i) * 2)]
            first, spread = spec.get("days", (25, 62))  # reference ledgers: 25..86 days, all within the 3-month limit
            days = first + int(uniform(key, "days", i) * spread)
            u = uniform(key, "sat", i)
            row.update(
                handling_system="government",
                lead_unit=unit,
                co_handling_units=";".join(co),
                assigned_at=assigned.isoformat(),
                due_at="",  # left to the params file's reply-deadline rule
                replied_at=(assigned + dt.timedelta(days=days)).isoformat(),
                result_category=cats[g],
                f2f_consulted="true" if g in f2f_yes else "false",
                satisfaction="satisfied" if u < 0.84 else "basically_satisfied" if u < 0.95 else "dissatisfied" if u < 0.97 else "no_response",
            )
            if row["satisfaction"] == "dissatisfied":  # re-handled: a second reply within about a month
                second = assigned + dt.timedelta(days=days + 18 + int(uniform(key, "again", i) * 20))
                row.update(second_replied_at=second.isoformat(),
                           second_satisfaction="basically_satisfied" if uniform(key, "sat2", i) < 0.7 else "dissatisfied")
            g += 1
        rows.append(row)
    assert g == n_gov
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


CITY_UNITS = [
    "市住房和城乡建设局", "市教育体育局", "市农业农村局", "市自然资源局", "市交通运输局", "市卫生健康局",
    "市发展和改革局", "市人力资源和社会保障局", "市财政局", "市文化和旅游局", "市工业商务和信息化局", "市水务局",
    "市民政局", "市城市管理局", "市市场监督管理局", "市林业和草原局", "市生态环境局", "市公安局",
    "市应急管理局", "市医疗保障局", "市科学技术局", "市司法局", "市退役军人事务局", "市乡村振兴局",
    "市投资促进局", "市政务服务管理局", "市民族宗教事务局", "市统计局", "市审计局", "市人民政府办公室",
    "鹿城镇人民政府",
]
PREF_COUNTIES = ["楚雄市人民政府", "禄丰市人民政府", "南华县人民政府", "姚安县人民政府", "大姚县人民政府", "元谋县人民政府", "武定县人民政府"]
PREF_UNITS = [
    "州发展和改革委员会", "州教育体育局", "州科学技术局", "州工业和信息化局", "州民族宗教事务委员会", "州公安局",
    "州民政局", "州司法局", "州财政局", "州人力资源和社会保障局", "州自然资源局", "州生态环境局",
    "州住房和城乡建设局", "州交通运输局", "州农业农村局", "州水务局", "州商务局", "州文化和旅游局",
    "州卫生健康委员会", "州退役军人事务局", "州应急管理局", "州审计局", "州人民政府国有资产监督管理委员会", "州市场监督管理局",
    "州广播电视局", "州体育局", "州统计局", "州医疗保障局", "州林业和草原局", "州乡村振兴局",
    "州能源局", "州投资促进局", "州政务服务管理局", "州地方金融监督管理局", "州人民政府外事办公室", "州机关事务管理局",
    "州信访局", "州人民政府办公室", "州城市管理局", "州数据局", "州供销合作社联合社", "州气象局",
    "州邮政管理局", "州烟草专卖局", "楚雄供电局", "州税务局", "州消防救援支队", "州残疾人联合会",
    "州公路局", "州妇女联合会", "州总工会", "州团委", "州科学技术协会", "州工商业联合会",
    "州红十字会", "州人民防空办公室", "州住房公积金管理中心",
]
assert len(CITY_UNITS) == 31 and len(PREF_COUNTIES) == 7 and len(PREF_UNITS) == 57

SPECS = {
    "chuxiong-city-2022.csv": {
        "key": "chuxiong-city-2022",
        "submitted": 269,
        "assigned_to_government": 248,
        "units": CITY_UNITS,
        # Heavier load on the units that handle most proposals in practice (urban construction,
        # education, agriculture...): a decreasing weight, the split itself is synthetic.
        "unit_weights": [1 / (r + 3) for r in range(31)],
        "categories": {"A": 177, "B": 61, "C": 10},
        "f2f_consulted": 248,
        "assigned_at": dt.date(2022, 3, 15),
    },
    "chuxiong-prefecture-2023.csv": {
        "key": "chuxiong-prefecture-2023",
        "submitted": 429,
        "assigned_to_government": 387,
        "units": PREF_COUNTIES + ["楚雄高新区管委会"] + PREF_UNITS,
        "unit_weights": [1 / (r + 4) for r in range(65)],
        "categories": {"A": 301, "B": 57, "C": 29},
        "f2f_consulted": 372,  # not published: synthetic
        "assigned_at": dt.date(2023, 3, 20),
    },
    # Not built from any published report: a wholly SYNTHETIC second year of the city, so the
    # explorer's across-years view has two years of one jurisdiction. No figure in it is real.
    "chuxiong-city-2023-synthetic.csv": {
        "key": "chuxiong-city-2023-synthetic",
        "submitted": 281,
        "assigned_to_government": 259,
        "units": CITY_UNITS,
        "unit_weights": [1 / (r + 3) for r in range(31)],
        "categories": {"A": 166, "B": 74, "C": 19},
        "f2f_consulted": 247,
        "assigned_at": dt.date(2023, 3, 14),
        "days": (20, 80),  # 20..99 days: some replies after the 3-month limit
    },
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    args = parser.parse_args(argv)
    status = 0
    for name, spec in SPECS.items():
        text = build(spec)
        path = OUT / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                print(f"{path.relative_to(ROOT)} differs from what the script builds", file=sys.stderr)
                status = 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
