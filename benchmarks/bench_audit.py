"""Benchmark: the published-report audit over the 61-report corpus: its time, and its findings per kind.

    .venv/bin/python benchmarks/bench_audit.py --rounds 5
    .venv/bin/python benchmarks/bench_audit.py --findings [--save BEFORE.json] [--compare BEFORE.json]

Loads every claims file in ``data/published/`` once, then audits each report ``--rounds`` times and
prints the median time per report (all reports, and the slowest report). Target: < 100 ms per report.

``--findings`` prints instead the findings per kind (with severity) and the number of reports whose
worst finding is an error, a warning, a note or nothing — the table in the README. ``--save`` writes
every report's findings (kind, where) to a JSON file; ``--compare`` reads such a file, made before a
change, and prints the table before and after and every report that moved (its worst severity, the
kinds added and removed).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path

from proposal_stats.claims_format import load_claims
from proposal_stats.published.audit import KINDS, audit

ROOT = Path(__file__).resolve().parents[1]
SEVERITIES = ("error", "warning", "note", "none")


def timing(reports, rounds: int) -> None:
    audit(reports[0])  # warm-up: the vocabulary's converter and regular expressions
    per_report = {c.id: [] for c in reports}
    for _ in range(rounds):
        for c in reports:
            t = time.perf_counter()
            audit(c)
            per_report[c.id].append(time.perf_counter() - t)
    medians = {k: statistics.median(v) for k, v in per_report.items()}
    slowest = max(medians, key=medians.get)
    print(f"{len(reports)} reports, {rounds} rounds")
    print(f"audit per report: median {statistics.median(medians.values()) * 1000:.2f} ms, mean {statistics.mean(medians.values()) * 1000:.2f} ms")
    print(f"slowest report: {slowest} {medians[slowest] * 1000:.2f} ms (target < 100 ms)")


def findings(reports) -> dict[str, list[list[str]]]:
    """Report id → its findings as [kind, severity, where], in audit order."""
    return {c.id: [[f.kind, f.severity, f.where] for f in audit(c)] for c in reports}


def _worst(rows) -> str:
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return min((r[1] for r in rows), key=order.get, default="none")


def table(before: dict | None, after: dict) -> None:
    def per_kind(data):
        return Counter((r[0], r[1]) for rows in data.values() for r in rows)

    now, then = per_kind(after), per_kind(before or {})
    kinds = sorted(set(now) | set(then), key=lambda k: (SEVERITIES.index(k[1]), k[0]))
    head = "| kind | severity |" + (" before |" if before is not None else "") + " after |"
    print(head)
    print("|---|---|" + ("---|" if before is not None else "") + "---|")
    for kind, severity in kinds:
        print(f"| `{kind}` | {severity} |" + (f" {then[(kind, severity)]} |" if before is not None else "") + f" {now[(kind, severity)]} |")

    def by_worst(data):
        counts = Counter(_worst(rows) for rows in data.values())
        return " / ".join(str(counts[s]) for s in SEVERITIES)

    print("| reports with an error / warning / note / nothing | |" + (f" {by_worst(before)} |" if before is not None else "") + f" {by_worst(after)} |")
    if before is None:
        return
    moved = []
    for rid in sorted(set(before) | set(after)):
        old, new = before.get(rid, []), after.get(rid, [])
        if sorted(map(tuple, old)) == sorted(map(tuple, new)):
            continue
        added = sorted(set(map(tuple, new)) - set(map(tuple, old)))
        removed = sorted(set(map(tuple, old)) - set(map(tuple, new)))
        moved.append(f"- {rid}: {_worst(old)} → {_worst(new)}"
                     + "".join(f"\n    + {k} ({s}) {w}" for k, s, w in added) + "".join(f"\n    - {k} ({s}) {w}" for k, s, w in removed))
    print(f"\n{len(moved)} report(s) moved:" if moved else "\nno report moved")
    print("\n".join(moved))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--claims", type=Path, default=ROOT / "data" / "published")
    parser.add_argument("--findings", action="store_true", help="print the findings per kind instead of timing")
    parser.add_argument("--save", type=Path, help="with --findings: write every report's findings to this JSON file")
    parser.add_argument("--compare", type=Path, help="with --findings: a JSON file --save wrote before a change")
    args = parser.parse_args()
    reports = [c for f in sorted(args.claims.glob("*.yaml")) for c in load_claims(f)]
    if not args.findings:
        timing(reports, args.rounds)
        return
    after = findings(reports)
    unknown = {r[0] for rows in after.values() for r in rows} - set(KINDS)
    assert not unknown, f"finding kinds missing from KINDS: {unknown}"
    before = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    table(before, after)
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(after, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"saved: {args.save}")


if __name__ == "__main__":
    main()
