"""Benchmark: the whole reference report against the floor of stock papermill + nbconvert.

    .venv/bin/python benchmarks/bench_render.py [--rounds N]

Each round times, as separate processes and alternately (so machine noise hits both alike):

* **report**: ``proposal-stats report`` on the reference params (validate, execute the annual report
  notebook, charts, HTML export, summary.json and CSV tables, atomic swap), written to a temp folder;
* **floor**: ``papermill`` on a trivial two-cell notebook, then ``jupyter nbconvert --to html`` on the
  result: the least any papermill + nbconvert pipeline can cost on this machine.

It prints every round, the medians, and ``ratio = median(report) / median(floor)``. Target: ≤ 1.0.
One untimed warm-up round runs first (bytecode and font caches).

    .venv/bin/python benchmarks/bench_render.py --batch [--rounds N]

times instead, alternately, ``proposal-stats report --all`` over every params file in ``params/``
(in a copy of the project) and the same files rendered one command each, and prints
``ratio = median(--all) / median(sum of single renders)``. Target: ≤ 0.6 (the start-up a batch
shares: the interpreter, imports, the HTML exporter, kernels started ahead, two reports at once).
It also prints the CPU time of both: on a machine busy with other work, where no core is free to
render side by side, the CPU ratio is what the batch still saves.

    .venv/bin/python benchmarks/bench_render.py --rows 200000 [--rounds N]

renders a report of a SYNTHETIC ledger of ``--rows`` proposals (the reference ledger's rows repeated
with new ids, one in 500 broken so validation has work; ``bench_ledger.make_ledger``) and prints,
per round and as medians, the wall time, the peak memory of the largest process (the command or its
notebook kernel, max RSS) and the sizes of report.html, proposals.csv and tables.xlsx. Targets: HTML
≤ 1 MB (the appendix lists the first 1,000 proposals; every one is in proposals.csv), peak < 2 GB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REFERENCE = ROOT / "params" / "chuxiong-city-2022.yaml"
#: The params files the project ships: --batch times these, whatever a user added to params/.
SHIPPED_PARAMS = ("chuxiong-city-2022.yaml", "chuxiong-city-2023-synthetic.yaml", "chuxiong-prefecture-2023.yaml", "published-audit.yaml")


def timed(cmds: list[list[str]], cwd: Path) -> float:
    start = time.perf_counter()
    for cmd in cmds:
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def cpu_timed(cmds: list[list[str]], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, of the commands and every process they waited
    for: kernels, the font child) of running ``cmds`` in turn."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmds, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def batch(rounds: int) -> int:
    """``report --all`` against the sum of single renders, in a copy of the project."""
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        for folder in ("data", "notebooks"):
            shutil.copytree(ROOT / folder, work / folder)
        (work / "params").mkdir()
        for name in SHIPPED_PARAMS:
            shutil.copy(ROOT / "params" / name, work / "params" / name)
        files = sorted(p.relative_to(work).as_posix() for p in (work / "params").glob("*.yaml"))
        cli = str(BIN / "proposal-stats")
        all_cmd = [[cli, "report", "--all"]]
        singles = [[cli, "report", f] for f in files]
        timed(all_cmd, work), timed(singles, work)  # warm-up
        all_t, sum_t, all_cpu, sum_cpu = [], [], [], []
        print(f"{len(files)} params files: {', '.join(files)}")
        print(f"{'round':>5} {'--all s':>8} {'singles s':>10} {'--all cpu s':>12} {'singles cpu s':>14}")
        for i in range(rounds):
            wall, cpu = cpu_timed(all_cmd, work)
            all_t.append(wall), all_cpu.append(cpu)
            wall, cpu = cpu_timed(singles, work)
            sum_t.append(wall), sum_cpu.append(cpu)
            print(f"{i + 1:>5} {all_t[-1]:>8.2f} {sum_t[-1]:>10.2f} {all_cpu[-1]:>12.2f} {sum_cpu[-1]:>14.2f}", flush=True)
        a, b = statistics.median(all_t), statistics.median(sum_t)
        print(f"median --all {a:.2f} s, sum of single renders {b:.2f} s, ratio {a / b:.2f} (target ≤ 0.60)")
        ca, cb = statistics.median(all_cpu), statistics.median(sum_cpu)
        print(f"CPU time: --all {ca:.2f} s, single renders {cb:.2f} s, ratio {ca / cb:.2f} (what a busy machine sees)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


#: Runs a command and prints the peak memory (max RSS, MB) of the largest process it started.
PEAK = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); " \
       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"


def large(rows: int, rounds: int) -> int:
    """A report of a SYNTHETIC ``rows``-proposal ledger: time, peak memory, output sizes."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_ledger import make_ledger

    work = Path(tempfile.mkdtemp(prefix="bench-render-large-"))
    try:
        ledger = work / "synthetic-ledger.csv"
        make_ledger(ledger, rows)
        params = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
        for key in ("published", "translations", "synthetic_note"):
            params.pop(key, None)
        params.update(report_id="bench-large", title=f"SYNTHETIC benchmark ledger ({rows:,} rows)", ledger=str(ledger),
                      notebook=str(ROOT / "notebooks" / "annual_report.ipynb"), output_dir=str(work / "out"),
                      synthetic_fields=["proposal_id", "title"], synthetic_note="the reference ledger's rows repeated (bench_render.py)")
        path = work / "bench-large.yaml"
        path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
        cmd = [sys.executable, "-c", PEAK, str(BIN / "proposal-stats"), "report", str(path)]
        print(f"SYNTHETIC ledger: {rows:,} rows, {ledger.stat().st_size / 1e6:.1f} MB")
        print(f"{'round':>5} {'seconds':>8} {'peak MB':>8} {'report.html KB':>15} {'proposals.csv MB':>17} {'tables.xlsx KB':>15}")
        times, peaks = [], []
        for i in range(rounds):
            start = time.perf_counter()
            peak = float(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip())
            times.append(time.perf_counter() - start), peaks.append(peak)
            out = work / "out"
            html, csv, xlsx = ((out / n).stat().st_size for n in ("report.html", "proposals.csv", "tables.xlsx"))
            print(f"{i + 1:>5} {times[-1]:>8.2f} {peak:>8.0f} {html / 1024:>15.0f} {csv / 1e6:>17.1f} {xlsx / 1024:>15.0f}", flush=True)
        print(f"median {statistics.median(times):.2f} s, peak {statistics.median(peaks):.0f} MB (largest process), "
              f"report.html {html / 1024:.0f} KB (targets: HTML ≤ 1 MB, peak < 2 GB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=None, help="render a SYNTHETIC ledger of this many proposals (time, memory, sizes)")
    parser.add_argument("--language", default=None, help="render the reference report in this language (default: the params file's, en)")
    parser.add_argument("--batch", action="store_true", help="report --all against the sum of single renders")
    args = parser.parse_args()
    if args.rows:
        return large(args.rows, args.rounds)
    if args.batch:
        import compileall

        compileall.compile_dir(str(ROOT / "src"), quiet=1)
        return batch(args.rounds)
    # Bytecode for the project's own modules, as any installed package has (an editable install
    # under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile them in every process).
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        params = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
        if args.language:
            params["language"] = args.language
        params.update(
            report_id="bench-reference",
            ledger=str((REFERENCE.parent / params["ledger"]).resolve()),
            notebook=str(ROOT / "notebooks" / "annual_report.ipynb"),
            output_dir=str(work / "out"),
        )
        bench_params = work / "bench-reference.yaml"
        bench_params.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")

        trivial = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print(x)"),
            ],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        )
        nbformat.write(trivial, work / "trivial.ipynb")

        report_cmd = [[str(BIN / "proposal-stats"), "report", str(bench_params)]]
        floor_cmd = [
            [str(BIN / "papermill"), "-k", "python3", "trivial.ipynb", "trivial-out.ipynb"],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "trivial-out.ipynb"],
        ]
        timed(report_cmd, work), timed(floor_cmd, work)  # warm-up
        report_t, floor_t = [], []
        print(f"{'round':>5} {'report s':>9} {'floor s':>8}")
        for i in range(args.rounds):
            report_t.append(timed(report_cmd, work))
            floor_t.append(timed(floor_cmd, work))
            print(f"{i + 1:>5} {report_t[-1]:>9.2f} {floor_t[-1]:>8.2f}", flush=True)
        rep, flo = statistics.median(report_t), statistics.median(floor_t)
        print(f"median report {rep:.2f} s, floor {flo:.2f} s, ratio {rep / flo:.2f} (target ≤ 1.00)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
