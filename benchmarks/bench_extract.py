"""Benchmark: text extraction (``proposal-stats extract``) against hand-made claims and answer keys.

    .venv/bin/python benchmarks/bench_extract.py [--rounds 5] [--misses PATH] [--texts DIR]

1. **The 61-report corpus** (``data/published/``): each report's printed sentences (the ``text`` of
   its figures and of its breakdown classes, joined in file order) are fed to extraction; the figures
   found (value + meaning) are matched one to one against the hand-made claims. Prints recall and
   precision (goal: both ≥ 0.95) and writes every miss and every unmatched extraction to a misses file
   outside git (default ``outputs/benchmarks/extract_misses.txt``; ``outputs/`` is not committed).
2. **Real report texts with answer keys** (``../shared/published-reports/texts`` beside the project,
   never copied into it; ``--texts`` to point elsewhere): each text is extracted and audited; prints
   whether the audit reaches the key's verdict, and recall of the key's figures (value + the substring
   that states it). Says so and skips this part when the folder is absent.
3. **Time**: extraction per report, median of ``--rounds`` (goal < 200 ms).

Meaning of a hand-made figure: its name read through the vocabulary (``filed_2019`` → ``filed``),
or through :data:`CORPUS_NAMES` (the corpus's descriptive names for proposer types, result classes,
units' lead and co-handled items), else the ``meaning`` the converter wrote from its wording.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml

from proposal_stats.claims_format import Claims, load_claims
from proposal_stats.published.audit import audit, max_severity
from proposal_stats.published.extract import extract
from proposal_stats.published.printed import parse_percent
from proposal_stats.published.vocabulary import meaning_of_name, meaning_of_text

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "published-reports" / "texts"

#: The corpus's descriptive names that are classes of a breakdown, or scoped counts, read as meanings.
CORPUS_NAMES = {
    **{n: "proposer_types" for n in ("member", "collective", "joint", "individual", "party", "group", "committee", "party_group", "people_orgs",
                                     "sector_groups", "committees", "other_collective", "member_and_joint", "parties", "others")},
    **{n: "results" for n in ("solved", "in_progress", "cppcc_solved", "cppcc_in_progress", "solved_or_planned", "prev_B_now_solved")},
    **{n: "results_share" for n in ("solved_or_accepted_pct", "in_process_pct", "solved_or_planned_2012_pct", "solved_or_planned_5y_pct")},
    "lead_items": "lead_items", "lead": "lead_items", "npc_lead": "lead_items", "cppcc_lead": "lead_items", "co_items": "co_items", "co": "co_items",
    "npc_co": "co_items", "cppcc_co": "co_items", "filed_a": "filed", "filed_b": "filed", "cppcc_filed": "filed", "cppcc_received": "submitted",
    "key_2019": "key_proposals", "materials_prev_year": "submitted", "proposals_2018_all_replied": "replied", "first_round_satisfied_pct": "satisfaction_rate",
    "basic_satisfaction": "satisfaction_rate", "yinchuan_handled": "to_government", "yinchuan_satisfaction_pct": "satisfaction_rate", "handled": "to_government",
    "important_supervised": "key_proposals", "satisfied_attitude_pct": "satisfaction_rate", "satisfied_response_pct": "satisfaction_rate",
    **{n: "topics_share" for n in ("economic_pct", "political_pct", "social_pct", "ecological_pct")}, "npc_suggestions": "submitted", "cppcc_proposals": "submitted", "npc_2017": "to_government", "cppcc_2017": "to_government",
    "npc_2018": "submitted", "cppcc_2018": "submitted", "npc": "submitted", "cppcc": "submitted",
    **{n: "submitted" for n in ("pref_npc", "pref_cppcc", "county_npc", "county_cppcc")},
}
#: Breakdown kinds whose classes are figures of the vocabulary in hand-made files.
CLASS_AS_FIGURE = {"satisfaction", "filing"}


def _key(value) -> Decimal:
    return Decimal(str(value)).normalize()


def expected_items(c: Claims) -> list[tuple[Decimal, str, str]]:
    """(value, meaning, printed text) of every figure a hand-made claims file lists."""
    out = []
    for name, fig in c.figures.items():
        if fig.value is None or not fig.text:
            continue
        meaning = meaning_of_name(name) or CORPUS_NAMES.get(name) or fig.meaning or f"other:{name}"
        out.append((_key(fig.value), meaning, fig.text))
        share = parse_percent(fig.text)
        listed = any(o is not fig and o.value is not None and _key(o.value) == _key(share.value) and o.text in fig.text for o in c.figures.values()) if share else False
        if share is not None and _key(share.value) != _key(fig.value) and not listed:
            out.append((_key(share.value), "share", fig.text))  # "集体提案123件、占15.3%": the share printed with the count
    for kind, b in [("results", c.results), ("topics", c.topics)] + [(b.kind, b) for b in c.breakdowns]:
        if b is None:
            continue
        for cat in b.cats:
            if not cat.text:
                continue
            if cat.count is not None:
                out.append((_key(cat.count), kind, cat.text))
            if cat.share_text and cat.share_text in cat.text and parse_percent(cat.share_text):
                out.append((_key(parse_percent(cat.share_text).value), f"{kind}_share", cat.text))
    return out


def input_text(c: Claims) -> str:
    """A report's printed sentences as extraction reads them: the figures' and classes' texts in order."""
    parts = [fig.text for fig in c.figures.values() if fig.text]
    for b in [c.results, c.topics, *c.breakdowns]:
        if b is not None:
            parts += [b.text] if b.text else [cat.text for cat in b.cats if cat.text]
    return "，".join(parts) + "。"


_RATE_OF = {"filed": ("filing_rate",), "to_government": ("to_government_share",), "replied": ("reply_rate",)}


def extracted_items(c: Claims) -> list[tuple[Decimal, tuple[str, ...], str]]:
    """(value, the meanings it may be matched as, text) of every placed figure extraction found."""
    out = []
    for fig in c.figures.values():
        if fig.value is None:
            continue
        out.append((_key(fig.value), (fig.meaning, "share") if "%" in fig.text or "百分之" in fig.text else (fig.meaning,), fig.text))
        share = parse_percent(fig.text)
        if share is not None and _key(share.value) != _key(fig.value):
            out.append((_key(share.value), (f"{fig.meaning}_share", "share", *_RATE_OF.get(fig.meaning, ())), fig.text))
    for kind, b in [("results", c.results), ("topics", c.topics)] + [(b.kind, b) for b in c.breakdowns]:
        if b is None:
            continue
        for cat in b.cats:
            names = (kind,) if kind not in CLASS_AS_FIGURE else (meaning_of_text(cat.label, False), kind)
            if cat.count is not None:
                out.append((_key(cat.count), names, cat.text))
            printed = parse_percent(cat.share_text) if cat.share_text else None
            if printed is not None:
                out.append((_key(printed.value), (f"{kind}_share", "share"), cat.text))
    return out


def corpus(misses: list[str], skipped: list[int]) -> tuple[int, int, int, int]:
    found_expected = total_expected = matched_extracted = total_extracted = 0
    for path in sorted((ROOT / "data" / "published").glob("*.yaml")):
        for c in load_claims(path):
            text = input_text(c)
            got = extract(text, c.id)
            want = expected_items(c)
            have = extracted_items(got)
            used = [False] * len(have)
            lost = []
            for value, meaning, wtext in want:
                hit = next((i for i, (v, ms, _) in enumerate(have) if not used[i] and v == value and meaning in ms), None)
                if hit is None:
                    lost.append(f"  MISS {value} {meaning}: {wtext}")
                else:
                    used[hit] = True
            # An extracted figure the hand-made file transcribed only inside another figure's text (联名提案10件
            # within 委员个人和联名提案38件(联名提案10件)) or with no numeric value ("99%以上") is not judged.
            unjudged = [not u and any(t and (t in f.text or f.text in t) for f in c.figures.values() if f.value is None or _key(f.value) != v)
                        and not any(v == w and t in wt for w, _, wt in want) for (v, _, t), u in zip(have, used)]
            extra = [f"  {'UNJUDGED' if j else 'EXTRA'} {v} {'/'.join(ms)}: {t}" for (v, ms, t), u, j in zip(have, used, unjudged) if not u]
            found_expected += len(want) - len(lost)
            total_expected += len(want)
            matched_extracted += sum(used)
            total_extracted += len(have) - sum(unjudged)
            skipped[0] += sum(unjudged)
            if lost or extra:
                misses.append(f"{c.id}\n  input: {text}\n" + "\n".join(lost + extra) + "\n" + "".join(f"  unplaced {u.value} {u.unit}: {u.text} ({u.note})\n" for u in got.unplaced))
    return found_expected, total_expected, matched_extracted, total_extracted


def texts(folder: Path, misses: list[str]) -> None:
    reached, figures_found, figures_total = 0, 0, 0
    files = sorted(folder.glob("*.yaml"))
    for path in files:
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        got = extract(d["text"], d["id"])
        findings = audit(got)
        severity = max_severity(findings)
        verdict = {"none": "clean", "note": "note", "warning": "note", "error": "error"}[severity]
        ok = verdict == d["check"]["verdict"]
        reached += ok
        placed = [(v, t) for v, _, t in extracted_items(got)] + [(_key(u.value), u.text) for u in got.unplaced if u.value is not None]
        lost = []
        for fig in d.get("figures", []):
            value, wtext = _key(fig["value"]), str(fig["text"])
            if any(v == value and (wtext in t or t in wtext or _common(wtext, t) >= 4) for v, t in placed):
                figures_found += 1
            else:
                lost.append(f"  MISS {value}{fig.get('unit', '')}: {wtext} ({fig.get('meaning', '')})")
            figures_total += 1
        print(f"  {path.name}: key {d['check']['verdict']}, audit {verdict} {'(reached)' if ok else '(NOT reached)'}; "
              + "; ".join(f"{f.kind} {f.where}" for f in findings if f.severity != "note")[:150])
        if lost or not ok:
            misses.append(f"{path.name} (key {d['check']['verdict']}, audit {verdict})\n" + "\n".join(lost)
                          + "".join(f"\n  finding: {f.severity} {f.kind} {f.where}: {f.message}" for f in findings) + "\n")
    print(f"texts: {reached}/{len(files)} verdicts reached; figures found {figures_found}/{figures_total} = {figures_found / max(figures_total, 1):.3f}")


def _common(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def timing(rounds: int, folder: Path | None) -> None:
    inputs = [input_text(c) for p in sorted((ROOT / "data" / "published").glob("*.yaml")) for c in load_claims(p)]
    if folder is not None:
        inputs += [yaml.safe_load(p.read_text(encoding="utf-8"))["text"] for p in sorted(folder.glob("*.yaml"))]
    extract(inputs[0])  # warm-up: OpenCC, cn2an, regular expressions
    times = {i: [] for i in range(len(inputs))}
    for _ in range(rounds):
        for i, text in enumerate(inputs):
            t = time.perf_counter()
            extract(text)
            times[i].append(time.perf_counter() - t)
    medians = [statistics.median(v) for v in times.values()]
    print(f"time: {len(inputs)} texts, {rounds} rounds: median {statistics.median(medians) * 1000:.1f} ms per report, "
          f"slowest {max(medians) * 1000:.1f} ms (goal < 200 ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--misses", type=Path, default=ROOT / "outputs" / "benchmarks" / "extract_misses.txt")
    parser.add_argument("--texts", type=Path, default=TEXTS)
    args = parser.parse_args()
    misses: list[str] = []
    skipped = [0]
    found, total, matched, extracted = corpus(misses, skipped)
    print(f"corpus: recall {found}/{total} = {found / total:.3f}; precision {matched}/{extracted} = {matched / max(extracted, 1):.3f} (goal ≥ 0.95 each); "
          f"{skipped[0]} extracted figures not judged (transcribed only inside another figure's text)")
    folder = args.texts if args.texts.is_dir() else None
    if folder is None:
        print(f"texts: {args.texts} is absent (the answer-keyed report texts live beside the project, not in it): skipped")
    else:
        texts(folder, misses)
    timing(args.rounds, folder)
    args.misses.parent.mkdir(parents=True, exist_ok=True)
    args.misses.write_text("\n".join(misses), encoding="utf-8")
    print(f"misses: {args.misses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
