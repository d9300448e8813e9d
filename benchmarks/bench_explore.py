"""Benchmark: how fast the explorer redraws a new selection on a 100,000-row ledger.

    .venv/bin/python benchmarks/bench_explore.py [--rows 100000]

Builds a SYNTHETIC ledger (the reference ledger's rows repeated with new ids), loads it as the
explorer does, then times ``--rounds`` selections (unit, status, topic, role and sort order changing
each time): the proposals table, the unit's figures beside the pooled ones, its place on the funnel
plot (rendered to PNG as the notebook shows it) and its timeliness. Prints each redraw and the
median. Target: under 200 ms per redraw.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import make_ledger  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()

    import io

    import matplotlib

    matplotlib.use("Agg")
    from proposal_stats.reporting import charts
    from proposal_stats.stats import explore
    from proposal_stats.reporting.report import build_annual_report

    with tempfile.TemporaryDirectory(prefix="bench-explore-") as tmp:
        ledger = Path(tmp) / "synthetic-ledger.csv"
        make_ledger(ledger, args.rows)
        params = yaml.safe_load((ROOT / "params" / "chuxiong-city-2022.yaml").read_text(encoding="utf-8"))
        params.update(ledger=str(ledger), notebook=str(ROOT / "notebooks" / "annual_report.ipynb"), output_dir=str(Path(tmp) / "out"))
        path = Path(tmp) / "bench.yaml"
        path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
        start = time.perf_counter()
        report = build_annual_report(path)
        print(f"SYNTHETIC ledger of {args.rows:,} rows loaded and analysed in {time.perf_counter() - start:.2f} s (once per report)")
        opts = explore.options(report)
        perf = report.performance
        times = []
        for i in range(args.rounds):
            sel = explore.Selection(
                unit=opts["unit"][1 + i % (len(opts["unit"]) - 1)], status=opts["status"][i % 3],
                topic=opts["topic"][(i // 2) % 3], role=opts["role"][i % 2],
                sort_by=opts["sort_by"][i % len(opts["sort_by"])], descending=bool(i % 2),
            )
            t = time.perf_counter()
            rows = explore.select_proposals(report, sel)
            rows.head(200).to_html()
            explore.unit_figures(report, sel.unit).to_html()
            explore.unit_timeliness(report, sel.unit).to_html()
            fig = charts.funnel_chart(perf, "a_count", "categorised", perf.attrs["target_a"], "a_verdict", "A", "n", highlight=sel.unit, size=(6, 3.4))
            fig.savefig(io.BytesIO(), format="png", dpi=80)
            matplotlib.pyplot.close(fig)
            times.append(time.perf_counter() - t)
            print(f"redraw {i + 1:>2}: {1000 * times[-1]:6.1f} ms  ({len(rows):,} proposals; unit {sel.unit})", flush=True)
        print(f"median redraw {1000 * statistics.median(times):.1f} ms (target < 200 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
