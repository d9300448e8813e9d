"""Benchmark: reading and validating a large ledger, against plain ``pandas.read_csv``.

    .venv/bin/python benchmarks/bench_ledger.py [--rows 1000000] [--rounds 3] [--layout proposal|assignment] [--format csv|xlsx]

Makes a SYNTHETIC ledger of ``--rows`` rows (the reference ledger's rows repeated with new ids, one
row in 500 broken on purpose so the rules have work to do; ``--layout assignment`` writes one row
per unit assignment, 主办 then 协办, instead of one per proposal; there, the reference's proposals
with no unit become rows naming none, which are rejected too), then times, each in a fresh process and
alternately: ``read_ledger`` (decode, header aliases, normalisation, every rule, the data model,
the schema check) and plain ``pandas.read_csv(path, dtype=str)`` on the same file. Prints median
seconds, their ratio and each side's peak memory (max RSS). Targets: ratio ≤ 3, peak < 2 GB.

``--format xlsx`` writes the ledger as a workbook instead (default 100,000 rows; a title row above
the header, merged across it, as offices write them) and compares with plain
``pandas.read_excel(path, dtype=str, engine="calamine")``.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params" / "chuxiong-city-2022.yaml"

CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
if sys.argv[1] == "read_ledger":
    from proposal_stats.ledger import read_ledger
    from proposal_stats.params import load_params
    ledger = read_ledger(sys.argv[2], load_params(sys.argv[3]))
    rows = (len(ledger.proposals), len(ledger.rejected))
else:
    import pandas as pd
    if sys.argv[2].endswith(".xlsx"):
        frame = pd.read_excel(sys.argv[2], dtype="str", engine="calamine", header=1)
    else:
        frame = pd.read_csv(sys.argv[2], dtype="str", keep_default_na=False)
    rows = (len(frame), 0)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": rows}))
"""


def make_ledger(path: Path, rows: int, layout: str = "proposal") -> None:
    source = (ROOT / "data" / "ledgers" / "chuxiong-city-2022.csv").read_text(encoding="utf-8").splitlines()
    header, body = source[0].split(","), list(csv.reader(source[1:]))
    unit, co = header.index("lead_unit"), header.index("co_handling_units")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        if layout == "proposal":
            writer.writerow(header)
        else:  # the proposal's fields on every row; each unit's reply, category and evaluation on its own row
            writer.writerow([*(h for h in header if h not in ("lead_unit", "co_handling_units")), "handling_unit", "unit_role"])
        written, i = 0, 0
        while written < rows:
            row = list(body[i % len(body)])
            row[0] = f"{i + 1:07d}"
            if i % 500 == 499:
                row[10] = "2022/13/45"  # unparseable reply date: rejected
            if layout == "proposal":
                writer.writerow(row)
                written += 1
            else:
                fields = [c for k, c in enumerate(row) if k not in (unit, co)]
                units = [(row[unit], "主办")] + [(u, "协办") for u in row[co].split(";") if u]
                for name, role in units[: rows - written]:
                    lead_only = role == "主办"
                    writer.writerow([*(c if lead_only or h not in ("replied_at", "result_category", "f2f_consulted", "satisfaction") else ""
                                       for h, c in zip((h for h in header if h not in ("lead_unit", "co_handling_units")), fields)), name, role])
                    written += 1
            i += 1


def to_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    """The CSV ledger as a workbook: a merged title row, then the header and the rows as text
    cells (dates too, as many ledgers type them)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    with open(csv_path, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        header = next(rows)
        ws.append(["SYNTHETIC 台账 (benchmark)"])
        ws.append(header)
        for row in rows:
            ws.append(row)
    ws.merged_cells.add(f"A1:{chr(64 + len(header))}1")
    wb.save(xlsx_path)


def measure(kind: str, ledger: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(ledger), str(PARAMS)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="default 1,000,000 (csv) or 100,000 (xlsx)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--layout", choices=("proposal", "assignment"), default="proposal", help="one row per proposal or per assignment")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="the ledger as CSV or as an XLSX workbook")
    args = parser.parse_args()
    args.rows = args.rows or (100_000 if args.format == "xlsx" else 1_000_000)
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        ledger = Path(tmp) / "synthetic-ledger.csv"
        make_ledger(ledger, args.rows, args.layout)
        if args.format == "xlsx":
            to_xlsx(ledger, ledger.with_suffix(".xlsx"))
            ledger = ledger.with_suffix(".xlsx")
        print(f"SYNTHETIC ledger: {args.rows:,} rows, one per {args.layout}, {args.format}, {ledger.stat().st_size / 1e6:.0f} MB")
        ours, base = [], []
        baseline = "pandas.read_excel (calamine)" if args.format == "xlsx" else "pandas.read_csv"
        for i in range(args.rounds):
            ours.append(measure("read_ledger", ledger))
            base.append(measure("pandas", ledger))
            print(f"round {i + 1}: read_ledger {ours[-1]['seconds']:.2f} s ({ours[-1]['rss_mb']:.0f} MB peak, "
                  f"accepted/rejected {ours[-1]['rows']}), {baseline} {base[-1]['seconds']:.2f} s ({base[-1]['rss_mb']:.0f} MB peak)", flush=True)
        t_ours = statistics.median(r["seconds"] for r in ours)
        t_base = statistics.median(r["seconds"] for r in base)
        peak = max(r["rss_mb"] for r in ours)
        print(f"median read_ledger {t_ours:.2f} s, {baseline} {t_base:.2f} s, ratio {t_ours / t_base:.2f} (target ≤ 3); "
              f"peak {peak:.0f} MB (target < 2048 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
