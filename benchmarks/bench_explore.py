"""Benchmark: how fast the explorer redraws a new selection on a 100,000-row ledger.

    .venv/bin/python benchmarks/bench_explore.py [--rows 100000] [--rounds 15]

Builds a SYNTHETIC ledger (the reference ledger's rows repeated with new ids), opens it in the
explorer (:class:`proposal_stats.reporting.explorer.Explorer`, the widgets the notebook and the
dashboard show, here without a browser), then times ``--rounds`` user actions: each round picks
another handling unit (with the result, topic, role, sort order and page size changing between
rounds), and the timer covers everything that action redraws — the selection, the proposals page
and the unit's figures as HTML, the funnel chart's parameters, the comparison table — including the
widgets' state serialised as it would be sent to the browser. Prints each redraw and the median.
Target: under 200 ms per redraw.

With ``--browser`` it then serves the same ledger as the dashboard (``proposal-stats explore``) and
times, in headless Chromium (Debian's ``chromium``), each pick of a unit until the page shows that
unit's figures: the redraw plus the round trip to the kernel and the browser's drawing.
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


class _Wire:
    """Counts what the widgets would send to the browser (their state, serialised as JSON)."""

    def __init__(self):
        import json

        from ipywidgets import Widget

        self.bytes = 0
        original = Widget._send

        def send(widget, msg, buffers=None):
            self.bytes += len(json.dumps(msg, default=str)) + sum(len(b) for b in buffers or ())
            return original(widget, msg, buffers)

        Widget._send = send


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--profile-open", action="store_true", help="print a profile of opening the report")
    parser.add_argument("--browser", action="store_true", help="also time redraws in the dashboard, in headless Chromium "
                        "(needs the test extras, pip install -c requirements.lock -e '.[test]', and Debian's chromium)")
    args = parser.parse_args()
    if args.browser:  # say so now, not after building and opening the ledger
        import importlib.util

        if importlib.util.find_spec("playwright") is None:
            parser.error("--browser needs playwright, one of the test extras: pip install -c requirements.lock -e '.[test]'")
        if not Path("/usr/bin/chromium").exists():
            parser.error("--browser needs Debian's Chromium at /usr/bin/chromium: apt-get install chromium")

    from proposal_stats.reporting.explorer import Explorer

    wire = _Wire()
    with tempfile.TemporaryDirectory(prefix="bench-explore-") as tmp:
        ledger = Path(tmp) / "synthetic-ledger.csv"
        make_ledger(ledger, args.rows)
        params = yaml.safe_load((ROOT / "params" / "chuxiong-city-2022.yaml").read_text(encoding="utf-8"))
        params.update(ledger=str(ledger), notebook=str(ROOT / "notebooks" / "annual_report.ipynb"), output_dir=str(Path(tmp) / "out"),
                      title="SYNTHETIC benchmark ledger")
        params.pop("published", None)
        path = Path(tmp) / "bench.yaml"
        path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
        start = time.perf_counter()
        if args.profile_open:
            import cProfile
            import pstats

            cProfile.runctx("Explorer([path])", globals(), locals(), str(Path(tmp) / "prof"))
            pstats.Stats(str(Path(tmp) / "prof")).sort_stats("cumulative").print_stats(30)
        app = Explorer([path])
        print(f"SYNTHETIC ledger of {args.rows:,} rows opened in the explorer in {time.perf_counter() - start:.2f} s "
              f"(once per report: read, figures, index, charts, font)")
        units = [v for _, v in app.unit.options][1:]
        results, topics = [v for _, v in app.result.options], [v for _, v in app.topic.options]
        roles, sorts = [v for _, v in app.role.options], [v for _, v in app.sort_by.options]
        times = []
        for i in range(args.rounds):
            with app._hold():  # the other controls change between rounds, untimed
                app.result.value = results[i % 3]
                app.topic.value = topics[(i // 2) % 3]
                app.role.value = roles[i % 2]
                app.sort_by.value = sorts[i % len(sorts)]
                app.descending.value = bool(i % 2)
                app.page_size.value = (25, 50, 100)[i % 3]
            sent = wire.bytes
            t = time.perf_counter()
            pick = units[i % len(units)] if i % 5 != 4 else "(all)"
            if pick == app.unit.value:
                pick = units[(i + 1) % len(units)]
            app.unit.value = pick  # the user's action: one redraw
            times.append(time.perf_counter() - t)
            print(f"redraw {i + 1:>2}: {1000 * times[-1]:6.1f} ms  ({len(app.rows):,} proposals; unit {app.unit.value}; "
                  f"{(wire.bytes - sent) / 1024:.0f} KB to the browser)", flush=True)
        print(f"median redraw {1000 * statistics.median(times):.1f} ms over {args.rounds} rounds (target < 200 ms)")
        if args.browser:
            browser_times = in_browser(path, units, args.rounds)
            print(f"median redraw in the browser {1000 * statistics.median(browser_times):.1f} ms over {len(browser_times)} picks "
                  "(choice of unit → its figures on the page)")
    return 0


def in_browser(params: Path, units: list[str], rounds: int) -> list[float]:
    """Serve ``params`` as the dashboard and time picks of a unit in headless Chromium."""
    import subprocess
    import urllib.error
    import urllib.request

    from playwright.sync_api import sync_playwright

    from proposal_stats.cli import free_port

    port = free_port("127.0.0.1", 18900)
    server = subprocess.Popen([str(Path(sys.executable).parent / "proposal-stats"), "explore", str(params), "--no-browser", f"--port={port}"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        for _ in range(120):
            try:  # not the page itself: that would start a kernel of its own
                urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/no-such-file", timeout=120).close()
                break
            except urllib.error.HTTPError:  # an answer: the server is up
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 1200})
            page.goto(f"http://127.0.0.1:{port}/", timeout=180_000)
            page.wait_for_selector("table.ps-t", timeout=180_000)
            select = page.locator("select").nth(1)
            for i in range(rounds):
                unit = units[(i + 1) % len(units)]
                value = select.locator("option", has_text=unit).first.get_attribute("value")
                t = time.perf_counter()
                select.select_option(value=value)
                page.wait_for_function("u => [...document.querySelectorAll('.ps-x h3')].some(h => h.textContent === u)", arg=unit)
                times.append(time.perf_counter() - t)
                print(f"browser redraw {i + 1:>2}: {1000 * times[-1]:6.1f} ms  (unit {unit})", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times


if __name__ == "__main__":
    sys.exit(main())
