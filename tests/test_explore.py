"""The explorer: selection functions, the notebook headless, and `proposal-stats lab`."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from proposal_stats.stats import explore
from proposal_stats.reporting.report import build_annual_report

from .conftest import CITY, ROOT


@pytest.fixture(scope="module")
def report():
    return build_annual_report(CITY)


def test_options_lead_with_all(report):
    opts = explore.options(report)
    assert opts["unit"][0] == explore.ALL and len(opts["unit"]) == 32  # 31 units
    assert opts["status"] == [explore.ALL, "resolved", "planned", "not_feasible_now", "(not replied)"]
    assert set(opts["role"]) == {explore.ALL, "lead", "co_handler"}


def test_selection_by_unit_role_status_topic(report):
    everything = explore.select_proposals(report, explore.Selection())
    assert len(everything) == 248 and everything["proposal_id"].is_monotonic_increasing
    unit = report.performance["handling_unit"].iloc[0]
    led = explore.select_proposals(report, explore.Selection(unit=unit, role="lead"))
    assert len(led) == int(report.performance.iloc[0]["as_lead"]) and set(led["lead_unit"]) == {unit}
    co = explore.select_proposals(report, explore.Selection(unit=unit, role="co_handler"))
    assert all(unit in c.split(";") for c in co["co_handling_units"])
    resolved = explore.select_proposals(report, explore.Selection(status="resolved"))
    assert len(resolved) == 177  # the A category's primary status
    assert len(explore.select_proposals(report, explore.Selection(status="(not replied)"))) == 0
    topic = everything["topic"].iloc[0]
    assert set(explore.select_proposals(report, explore.Selection(topic=topic))["topic"]) == {topic}


def test_sorting(report):
    rows = explore.select_proposals(report, explore.Selection(sort_by="days", descending=True))
    assert rows["days"].is_monotonic_decreasing


def test_unit_figures_beside_the_pooled_ones(report):
    unit = report.performance["handling_unit"].iloc[0]
    figs = explore.unit_figures(report, unit).set_index("figure")
    r = report.performance.iloc[0]
    assert figs.loc["A share", "unit"] == pytest.approx(100 * r.a_count / r.categorised)
    assert figs.loc["A share", "pooled"] == pytest.approx(100 * 177 / 248)
    assert figs.loc["A share", "unit_low"] < figs.loc["A share", "unit"] < figs.loc["A share", "unit_high"]
    with pytest.raises(KeyError):
        explore.unit_figures(report, "no such unit")


def test_unit_timeliness(report):
    unit = report.performance["handling_unit"].iloc[0]
    t = explore.unit_timeliness(report, unit).iloc[0]
    assert t.replied == report.performance.iloc[0].replied and t.late == 0 and t.not_replied == 0


def test_year_selector_and_trend(tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    for year in (2022, 2023):
        data = yaml.safe_load(CITY.read_text(encoding="utf-8"))
        data.update(year=year, ledger=str(ROOT / "data" / "ledgers" / "chuxiong-city-2022.csv"),
                    notebook=str(ROOT / "notebooks" / "annual_report.ipynb"), output_dir=str(tmp_path / f"out{year}"))
        (folder / f"city-{year}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    siblings = explore.same_jurisdiction(folder, folder / "city-2022.yaml")
    assert [p.name for p in siblings] == ["city-2022.yaml", "city-2023.yaml"]
    reports = [build_annual_report(p) for p in siblings]
    unit = reports[0].performance["handling_unit"].iloc[0]
    trend = explore.unit_trend(reports, unit)
    assert trend["year"].tolist() == [2022, 2023] and trend["n"].nunique() == 1


def test_notebook_runs_headless_without_a_widget_front_end(tmp_path):
    import nbformat
    import papermill

    from proposal_stats.reporting.render import _kernel_manager_class

    with open(tmp_path / "kernel.log", "w+") as log:
        nb = papermill.execute_notebook(
            str(ROOT / "notebooks" / "explore.ipynb"), None, kernel_name="python3", progress_bar=False,
            kernel_manager_class=_kernel_manager_class(log), cwd=str(ROOT / "notebooks"),
            parameters={"params_file": str(CITY)}, execution_timeout=300,
        )
    text = json.dumps(nbformat.v4.upgrade(nb), ensure_ascii=False)
    assert "269 proposals, 31 handling units" in text
    busiest = build_annual_report(CITY).performance["handling_unit"].iloc[0]
    assert f"<h3>{busiest}</h3>" in text and "data:image/png;base64," in text  # the unit's figures and funnel
    assert all(o.get("output_type") != "error" for c in nb.cells for o in c.get("outputs", []))


def test_kernel_install_names_this_interpreter(tmp_path):
    from proposal_stats.cli import install_kernel

    where = install_kernel(str(tmp_path))
    spec = json.loads((where / "kernel.json").read_text(encoding="utf-8"))
    assert where.name == "proposal-stats" and spec["argv"][0] == sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_command_starts_jupyterlab_with_the_project_kernel(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    port = _free_port()
    cli = Path(sys.executable).parent / "proposal-stats"
    proc = subprocess.Popen(
        [str(cli), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=t", "--allow-root"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token=t", timeout=5) as r:
                    specs = json.load(r)["kernelspecs"]
                break
            except OSError:
                assert time.time() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(1)
        assert "proposal-stats" in specs
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/explore.ipynb?token=t&content=0", timeout=10) as r:
            assert json.load(r)["name"] == "explore.ipynb"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
