"""The dashboard in a real browser: `proposal-stats explore` served by Voilà, driven in headless
Chromium (the Debian package ``chromium``; Playwright is pointed at it and never downloads a
browser). One browser session: the page loads with its table and funnel, asking nothing of any host
but loopback; changing the unit changes the table, the unit's figures and the ringed dot; hovering
a dot shows its figures; clicking another dot picks that unit; its proposals export to a CSV the
browser downloads; no table cell's text runs over its neighbour, the funnel's count axis has
whole-number ticks; another report opens with the controls in place and the font slices already
sent kept; the page's kernel is shut down when the page closes.

Skipped where no Chromium is installed, except under CI (``CI`` set), where that is a failure:
``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, SHIPPED_PARAMS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _chromium_or_skip() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("no Chromium: .ci/run installs the Debian package `chromium`")
        pytest.skip("no Chromium installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    """The dashboard on a free loopback port, serving the shipped params files; its address."""
    _chromium_or_skip()
    from proposal_stats.cli import free_port

    port = free_port("127.0.0.1", 18866)
    log = tmp_path_factory.mktemp("dashboard") / "voila.log"
    with open(log, "w") as out:
        shipped = [f"params/{name}" for name in SHIPPED_PARAMS]  # not the folder: a user's own params file changes nothing here
        proc = subprocess.Popen([str(Path(sys.executable).parent / "proposal-stats"), "explore", *shipped, "--no-browser", f"--port={port}"],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    proc.url = url
    try:
        deadline = time.time() + 90
        while True:
            try:  # a path that is no page: an answer (404) without starting a kernel for it
                urllib.request.urlopen(url + "voila/static/no-such-file", timeout=60).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.time() < deadline, "the dashboard did not answer within 90 s:\n" + log.read_text()
                time.sleep(0.5)
        assert f"explorer: {url}" in log.read_text() and "loopback only" in log.read_text()
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _kernels(server) -> int:
    """The kernels the dashboard's server runs (its child processes running ipykernel; psutil comes
    with ipykernel)."""
    import psutil

    def kernel(child) -> bool:  # an exited kernel not yet reaped (a zombie) or gone meanwhile is no longer running
        try:
            return child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline())
        except psutil.Error:
            return False

    return sum(kernel(c) for c in psutil.Process(server.pid).children(recursive=True))


def _until(condition, seconds: float = 30) -> bool:
    deadline = time.time() + seconds
    while not condition():
        if time.time() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_dashboard_in_a_real_browser(dashboard):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 1200}, accept_downloads=True).new_page()
            page.set_default_timeout(60_000)
            requested = []
            page.on("request", lambda r: requested.append(r.url))
            page.goto(dashboard.url)
            table = page.locator("table.ps-t").last  # the proposals table
            figures = page.locator(".ps-x h3").first
            expect(table).to_contain_text("Title")
            expect(figures).to_have_text(re.compile(r"All 31 units"))
            assert "import " not in page.inner_text("body")  # no code cells in the dashboard
            # Chinese draws with the embedded font: the machine has no CJK font of its own
            faces = page.evaluate("async () => (await document.fonts.load(\"14px 'Proposal Stats CJK'\", '楚雄市教育体育局')).length")
            assert faces == 1
            dots = page.locator(".vega-embed svg g.units_marks path")
            expect(dots.first).to_be_visible()
            ring_layer = page.locator(".vega-embed svg g.focus_ring_marks")
            assert ring_layer.locator("path").count() == 0  # no unit ringed yet

            first_rows = table.inner_text()
            unit = page.locator("select").nth(1)
            unit.select_option(value=unit.locator("option", has_text="市教育体育局").get_attribute("value"))
            expect(figures).to_have_text("市教育体育局")
            expect(table).not_to_have_text(first_rows)
            assert set(re.findall(r"市[^\s、]*局", table.inner_text())) >= {"市教育体育局"}
            expect(ring_layer.locator("path")).to_have_count(1)  # the chart rings the unit picked
            expect(page.locator(".vega-embed svg g.names_marks text")).to_have_text(["市教育体育局"])

            tooltip = page.locator("#vg-tooltip-element")
            for i in range(dots.count()):  # hover dots until one is another unit
                other = dots.nth(i)
                other.hover()
                expect(tooltip).to_contain_text("95% interval")
                name = re.search(r"unit\s+(\S+)", tooltip.inner_text()).group(1)
                if name != "市教育体育局":
                    break
            assert re.search(r"count\s+\d+ of \d+", tooltip.inner_text()) and "verdict" in tooltip.inner_text()
            other.click()  # a click picks the unit: the controls and the table follow
            expect(figures).to_have_text(name)
            expect(page.locator(".vega-embed svg g.names_marks text")).to_have_text([name])
            assert unit.locator("option:checked").inner_text().startswith(name)

            page.get_by_role("button", name="Export CSV").click()  # what you see, as a file
            link = page.get_by_role("link", name=re.compile(r"Download .*\.csv"))
            with page.expect_download() as download:
                link.click()
            text = Path(download.value.path()).read_text(encoding="utf-8-sig")
            shown = int(re.search(r"([\d,]+) proposals ·", page.locator(".ps-x").first.inner_text()).group(1).replace(",", ""))
            assert text.startswith("proposal_id,title,") and len(text.strip().splitlines()) == 1 + shown

            # Layout: no cell's text runs over the next column (the "—" reasons wrap), in any table shown
            overflowing = []
            for tab, shows in (("Compare units", "Pooled"), ("Across reports", "published"), ("Proposals", "Title")):
                page.locator(".lm-TabBar-tab", has_text=tab).click()
                expect(page.locator("table.ps-t:visible").filter(has_text=shows).first).to_be_visible()
                overflowing += page.evaluate("""() => [...document.querySelectorAll('table.ps-t td, table.ps-t th')]
                    .filter(c => c.offsetParent !== null && c.scrollWidth > c.clientWidth + 1).map(c => c.innerText.slice(0, 60))""")
            assert not overflowing
            # counts get whole-number ticks: the funnel's x axis
            ticks = page.evaluate("""() => [...document.querySelectorAll('.vega-embed svg g.role-axis[aria-label^="X-axis"] g.role-axis-label text')]
                .map(t => t.textContent)""")
            assert ticks and all(re.fullmatch(r"\d+", x) for x in ticks), ticks

            # Another report: the controls stay, the font slices already sent are kept (text never blanks)
            faces = page.evaluate("() => [...document.querySelectorAll('.ps-x style')].map(s => s.textContent).filter(t => t.includes('@font-face'))")
            report = page.locator("select").first
            report.select_option(index=2)
            expect(page.locator(".ps-x h2")).to_contain_text("Chuxiong Prefecture")  # the English title (params translations:)
            assert page.locator("select").nth(1).is_visible() and page.locator("select").nth(1).locator("option").count() == 66
            after = page.evaluate("() => [...document.querySelectorAll('.ps-x style')].map(s => s.textContent).filter(t => t.includes('@font-face'))")
            assert after[:len(faces)] == faces

            # Offline: nothing but loopback (Voilà's own page would fetch Font Awesome from a CDN)
            elsewhere = [u for u in requested if not u.startswith((dashboard.url, "data:", "blob:"))]
            assert requested and not elsewhere

            # The page's kernel is shut down when the page closes (the context stays open to send the goodbye)
            # one kernel for the one page (waited for: under load a process may be starting or ending
            # as psutil looks; a second kernel that stays is still caught)
            assert _until(lambda: _kernels(dashboard) == 1), f"{_kernels(dashboard)} kernels for one page"
            page.close(run_before_unload=True)
            assert _until(lambda: _kernels(dashboard) == 0), "the closed page's kernel is still running"
        finally:
            browser.close()
