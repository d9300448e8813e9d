"""Convert the published-report corpus into the claims format, one file per report.

    python scripts/convert_published.py            # rewrites data/published/<id>.yaml
    python scripts/convert_published.py --check    # exit 1 if the committed files differ

Source: ``data/published/raw/reports.yaml`` (61 public reports transcribed as printed; see the
README beside it). Nothing is corrected: every printed text is copied as is; a value that is not a
number (``true``, a phrase) becomes ``value: null`` with the transcription kept in ``note``. Two
things are added, both data that can be reviewed in the output files: the normalised statuses each
printed result label covers (from keywords, :data:`STATUS_PATTERNS`), and, for rates whose parts the
report also printed, how the rate is derived (:data:`DERIVED`).
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "published" / "raw" / "reports.yaml"
OUT = ROOT / "data" / "published"

#: Keyword → normalised status, for printed result labels (domain.md §1.4).
STATUS_PATTERNS = [
    ("resolved", r"(已经|基本|得到|已|全部)解决|^解决|已落实|已采纳|已经?办结"),
    ("partly_resolved", r"部分(解决|采纳|落实)"),
    ("in_progress", r"正在(?!争取)(解决|落实|办理|推进|实施)|已启动"),
    ("planned", r"列入(计划|规划)|计划(逐步)?解决|逐步(争取)?解决|已制定解决措施|争取解决"),
    ("not_feasible_now", r"条件(限制|不成熟)|暂时(无法|解决不了|难以)|难以解决|不具备条件|短期内|目前难以"),
    ("for_reference", r"参考"),
]

#: Printed rates and the printed figures they are made of: name → (numerator names, denominators
#: tried in order). Only attached when the report printed both parts.
DERIVED = {
    "filing_rate": (["filed"], ["received", "materials_received", "items_received", "materials", "total"]),
    "to_government_pct": (["to_government"], ["total_proposals", "submitted", "total", "proposals", "filed", "received"]),
    "satisfied_pct": (["satisfied"], ["replied", "total_suggestions", "total", "items"]),
    "basically_satisfied_pct": (["basically_satisfied"], ["replied", "total_suggestions", "total", "items"]),
    "satisfied_or_basic_pct": (["satisfied", "basically_satisfied"], ["replied", "total_suggestions", "total", "items"]),
}


#: Some mirrors print traditional characters: fold the ones the patterns use to simplified.
TRADITIONAL = str.maketrans("經決劃參條暫難計規啟實辦進無問題極礎", "经决划参条暂难计规启实办进无问题极础")


def statuses(label: str) -> list[str]:
    text = (label or "").translate(TRADITIONAL)
    return [status for status, pattern in STATUS_PATTERNS if re.search(pattern, text)]


def number(value):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    return None


def figure(name: str, raw: dict, figures: dict) -> dict:
    value = raw.get("value")
    out = {"value": number(value), "text": str(raw.get("text", ""))}
    if out["value"] is None and value is not None:
        out["note"] = f"transcribed value: {value}"
    if name in DERIVED:
        of, overs = DERIVED[name]
        over = next((o for o in overs if o in figures and number(figures[o].get("value")) is not None), None)
        if over and all(o in figures for o in of):
            out["derived"] = {"of": of, "over": over}
    return out


def breakdown(raw: dict) -> dict:
    out = {}
    if raw.get("base") is not None:
        out["base"] = raw["base"]
    if raw.get("partial"):
        out["partial"] = True
    cats = []
    for cat in raw["cats"]:
        c = {"code": str(cat.get("code") or ""), "label": str(cat.get("label") or "")}
        if cat.get("count") is not None:
            c["count"] = cat["count"]
        if cat.get("pct_text"):
            c["share_text"] = str(cat["pct_text"])
        if cat.get("text"):
            c["text"] = str(cat["text"])
        cats.append({k: v for k, v in c.items() if v != ""})
    out["cats"] = cats
    return out


def convert(entry: dict) -> dict:
    out = {k: entry[k] for k in ("id", "jurisdiction", "level", "body", "report_type", "session") if entry.get(k) is not None}
    out["year"] = entry.get("year")
    out["source"] = {
        "title": entry.get("title") or "",
        "publisher": entry.get("publisher") or "",
        "url": entry.get("source_url"),
        "reliability": entry.get("reliability") or "",
    }
    results = entry.get("results")
    if results:
        out["scheme"] = [
            {"code": str(c.get("code") or f"class {i + 1}"), "label": str(c.get("label") or ""), "statuses": statuses(c.get("label"))}
            for i, c in enumerate(results["cats"])
        ]
    figures = entry.get("figures") or {}
    out["figures"] = {name: figure(name, raw, figures) for name, raw in figures.items()}
    if results:
        out["results"] = breakdown(results)
    if entry.get("topic_categories"):
        out["topics"] = breakdown(entry["topic_categories"])
    return out


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float" if "." in str(v) else "tag:yaml.org,2002:int", str(v)))


def render(entry: dict) -> str:
    header = (
        f"# {entry['id']}: converted by scripts/convert_published.py from data/published/raw/reports.yaml.\n"
        "# Printed texts are copied exactly; nothing is corrected. `scheme.statuses` and `derived` are added\n"
        "# by the converter (keyword and name rules in the script) and can be reviewed here.\n"
    )
    return header + yaml.dump(convert(entry), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    args = parser.parse_args(argv)
    entries = yaml.safe_load(RAW.read_text(encoding="utf-8"))["reports"]
    status = 0
    for entry in entries:
        path = OUT / f"{entry['id']}.yaml"
        text = render(entry)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                print(f"{path.relative_to(ROOT)} differs from what the script makes", file=sys.stderr)
                status = 1
        else:
            path.write_text(text, encoding="utf-8")
    if not args.check:
        print(f"wrote {len(entries)} claims files to {OUT.relative_to(ROOT)}/")
    return status


if __name__ == "__main__":
    sys.exit(main())
