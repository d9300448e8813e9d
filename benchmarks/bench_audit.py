"""Benchmark: the published-report audit, one report at a time, over the 61-report corpus.

    .venv/bin/python benchmarks/bench_audit.py --rounds 5

Loads every claims file in ``data/published/`` once, then audits each report ``--rounds`` times and
prints the median time per report (all reports, and the slowest report). Target: < 100 ms per report.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from proposal_stats.claims_format import load_claims
from proposal_stats.published.audit import audit

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--claims", type=Path, default=ROOT / "data" / "published")
    args = parser.parse_args()
    reports = [c for f in sorted(args.claims.glob("*.yaml")) for c in load_claims(f)]
    audit(reports[0])  # warm-up: the vocabulary's converter and regular expressions
    per_report = {c.id: [] for c in reports}
    for _ in range(args.rounds):
        for c in reports:
            t = time.perf_counter()
            audit(c)
            per_report[c.id].append(time.perf_counter() - t)
    medians = {k: statistics.median(v) for k, v in per_report.items()}
    slowest = max(medians, key=medians.get)
    print(f"{len(reports)} reports, {args.rounds} rounds")
    print(f"audit per report: median {statistics.median(medians.values()) * 1000:.2f} ms, mean {statistics.mean(medians.values()) * 1000:.2f} ms")
    print(f"slowest report: {slowest} {medians[slowest] * 1000:.2f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
