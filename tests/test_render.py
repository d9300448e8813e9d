"""Integration: rendering reports through the CLI and the renderer, as a user would."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from proposal_stats.reporting.render import RenderError, render_report

from .conftest import CITY, ROOT, SHIPPED_PARAMS, params_copy

CLI = str(Path(sys.executable).parent / "proposal-stats")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's shipped params files, data and notebooks: the CLI is run from its root."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("data", "notebooks"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "params").mkdir()
    for name in SHIPPED_PARAMS:
        shutil.copy(ROOT / "params" / name, root / "params" / name)
    return root


@pytest.fixture(scope="module")
def rendered(project) -> Path:
    """The reference report rendered by `proposal-stats report` with no argument."""
    result = run_cli("report", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return project / "outputs" / "chuxiong-city-2022"


def test_cli_renders_the_reference_report_by_default(rendered):
    assert sorted(p.name for p in rendered.iterdir()) == [
        ".proposal-stats-report",
        "categories.csv",
        "problems.csv",
        "proposals.csv",
        "published_vs_ledger.csv",
        "rejected_rows.csv",
        "report.html",
        "summary.json",
        "tables.xlsx",
        "unit_performance.csv",
        "units.csv",
    ]
    assert not [p for p in rendered.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_summary_json_has_the_reference_figures(rendered, project):
    s = json.loads((rendered / "summary.json").read_text(encoding="utf-8"))
    assert (s["submitted"], s["assigned_to_government"], s["handling_units"], s["replied"]) == (269, 248, 31, 248)
    assert (s["reply_rate"], s["f2f_rate"]) == (100.0, 100.0)
    assert {k: (v["count"], v["share"]) for k, v in s["categories"].items()} == {
        "A": (177, 71.37),
        "B": (61, 24.6),
        "C": (10, 4.03),
    }
    assert (s["rows_read"], s["rows_accepted"], s["rows_rejected"]) == (269, 269, 0)
    ledger = project / "data" / "ledgers" / "chuxiong-city-2022.csv"
    assert s["provenance"]["ledger_sha256"] == hashlib.sha256(ledger.read_bytes()).hexdigest()
    assert s["provenance"]["params_file"] == "params/chuxiong-city-2022.yaml"
    printed = {k: v for k, v in s["published_checks"].items() if v != "not printed"}
    assert printed and set(printed.values()) == {"agrees"}


def text_of(html: str) -> str:
    """The report's visible text, roughly: tags removed, whitespace collapsed."""
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_html_shows_the_headline_figures_beside_the_printed_ones(rendered):
    html = (rendered / "report.html").read_text(encoding="utf-8")
    text = text_of(html)
    for expected in [
        "Proposals submitted 269",
        "Assigned to the government system 248",
        "Handling units (lead) 31",
        "Replied 248 = 100.00%",
        "Face-to-face consultation 248 = 100.00% “面商率100%” agrees",
        "177 = 71.37%",
        "61 = 24.60% “正在争取解决或列入计划解决的B类提案有61件，占24.6%” · “24.6%” agrees",
        "10 = 4.03%",
    ]:
        assert expected in text, expected
    assert "differs" not in text
    assert "Synthetic data." in text  # the banner
    assert "Methods" in text and "rounded half-up to 2 decimals" in text
    assert "Category A covers more than one normalised status, so its share is not comparable" in text  # one category: singular
    assert "Audit of the published figures" in text and "dropped trailing zero" in text  # 24.6% for 24.60
    for section in ("Handling-unit performance", "Timeliness", "Satisfaction", "Dissatisfied proposals, followed up", "Audit signals"):
        assert section in text, section
    assert "fired — scheme drift" in text and "not checkable — boilerplate replies" in text
    assert html[html.index("<body"):].count("<img alt=") == 3  # categories, the two funnels, days to reply
    assert "data:image/png;base64," in html  # the category chart
    assert 'alt="Bar chart of result categories: A (已解决或正在解决) 177 = 71.37%' in html
    assert "Ledger SHA-256" in text and "proposal_stats version" in text  # provenance footer
    # the English title, from the params file's translations (its title: is the official Chinese one)
    title = "Chuxiong City Government: handling of the proposals of the 1st session of the 10th City CPPCC Committee"
    assert f"<title>{title}</title>" in html and f"{title} " in text and "楚雄市人民政府办理市政协十届一次会议提案情况" not in text
    assert "params_file = " not in text  # no code shown


@pytest.fixture(scope="module")
def rendered_zh(project, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The reference report in Chinese (`--language zh-CN`), in a folder of its own: the params
    file's output_dir with the language appended (the params file's language is English)."""
    params = params_copy(CITY, tmp_path_factory.mktemp("zh"))
    result = run_cli("report", "--language", "zh-CN", str(params), cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (params.parent / "out").exists()
    return params.parent / "out.zh-CN", result


#: Latin text a Chinese report may show: citations, and the names of files, schemes and fingerprints.
ALLOWED_LATIN = {"Spiegelhalter", "Stat", "Med", "Qual", "Saf", "Health", "Care", "Wilson", "SHA", "utf", "HTML", "Excel"}  # names, not English words


def english_words(text: str) -> set[str]:
    """Words of three or more Latin letters that are not a file name, path, identifier or hash."""
    tokens = re.findall(r"[A-Za-z0-9_./:\-]+", text)
    words = set()
    for token in tokens:
        if re.search(r"[/._\-]|\d", token.strip(".:")):  # a path, file name, identifier, version or hash
            continue
        words |= {w for w in re.findall(r"[A-Za-z]{3,}", token) if w not in ALLOWED_LATIN}
    return words


def test_chinese_report_has_no_english_left_and_the_same_figures(rendered_zh, rendered):
    out, result = rendered_zh
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    body = re.sub(r"<code>.*?</code>", " ", html[html.index("<body"):], flags=re.S)
    text = text_of(body)
    assert english_words(text) == set(), sorted(english_words(text))
    alts = " ".join(re.findall(r'alt="([^"]*)"', html))
    assert english_words(alts) == set() and "办理结果类别条形图：A (已解决或正在解决) 177 = 71.37%" in alts
    for expected in ["主要数据", "提案总数 269 “共提出提案269件” 一致", "交政府系统办理 248", "承办单位（主办） 31",
                     "已办复 248 = 100.00%", "面商 248 = 100.00% “面商率100%” 一致", "177 = 71.37%", "61 = 24.60%", "10 = 4.03%",
                     "合成数据。", "承办单位办理情况", "办理时效", "满意度", "审计信号", "数据质量", "方法", "附录：提案清单", "数据来源",
                     "楚雄市人民政府办理市政协十届一次会议提案情况", "A 类涵盖不止一种统一办理结果"]:
        assert expected in text, expected
    # the same figures, the same machine-readable files: only the words change
    zh, en = (json.loads((d / "summary.json").read_text(encoding="utf-8")) for d in (out, rendered))
    assert zh["language"] == "zh-CN" and en["language"] == "en"
    assert {k: v for k, v in zh.items() if k not in ("language", "provenance")} == {k: v for k, v in en.items() if k not in ("language", "provenance")}
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in rendered.iterdir())
    assert "生成 HTML" in result.stderr and "秒" in result.stderr  # the command speaks the report's language


def test_chinese_report_embeds_the_sc_face(rendered_zh):
    import base64
    import io

    from fontTools.ttLib import TTFont

    html = (rendered_zh[0] / "report.html").read_text(encoding="utf-8")
    face = re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", html)
    font = TTFont(io.BytesIO(base64.b64decode(face.group(1))))
    assert font["name"].getDebugName(1) == "Noto Sans CJK SC"  # never the Japanese face
    assert "local('PingFang SC Regular')" in html


@pytest.mark.parametrize("which", ["en", "zh-CN"])
def test_html_is_self_contained_and_quiet(which, rendered, rendered_zh):
    html = ((rendered if which == "en" else rendered_zh[0]) / "report.html").read_text(encoding="utf-8")
    assert len(html.encode("utf-8")) <= 400_000  # the reference report, fonts and charts included
    assert "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert not re.search(r"@import", html)
    body = html[html.index("<body") :]
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in body
    assert "Traceback" not in body and "Warning" not in body


def test_html_embeds_a_font_for_every_chinese_character_it_shows(rendered):
    import base64
    import io

    from fontTools.ttLib import TTFont

    from proposal_stats.reporting.fonts import EMBEDDED_FAMILY, characters_needing_font

    html = (rendered / "report.html").read_text(encoding="utf-8")
    face = re.search(r"@font-face\{font-family:'([^']+)';src:[^;]*url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", html)
    assert face and face.group(1) == EMBEDDED_FAMILY
    font = TTFont(io.BytesIO(base64.b64decode(face.group(2))))
    shown = characters_needing_font(re.sub(r"<[^>]+>", "", html[html.index("<body") :]))
    assert "楚" in shown and "䶮" not in shown
    missing = [c for c in shown if ord(c) not in font.getBestCmap()]
    assert missing == []
    stack = re.search(r"--ps-font: ([^;]+);", html).group(1)  # the report's own text uses it, first
    assert stack.startswith(f"'{EMBEDDED_FAMILY}'")
    assert "local('PingFang SC Regular')" in html  # the reader's own Chinese font before the embedded one


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_rendering_twice_gives_identical_html(request, project, language):
    # The shared render (the command line's) made again through the API, into the same folder.
    if language == "en":
        out, params = request.getfixturevalue("rendered"), project / "params" / CITY.name
    else:
        out = request.getfixturevalue("rendered_zh")[0]
        params = out.parent / CITY.name
    before = (out / "report.html").read_bytes()
    second = render_report(params, language=language)
    assert second.output_dir == out and (out / "report.html").read_bytes() == before
    assert second.stderr == []


def test_markup_in_a_title_shows_as_text(tmp_path):
    src = (ROOT / "data" / "ledgers" / "chuxiong-city-2022.csv").read_text(encoding="utf-8")
    lines = src.splitlines()
    lines[1] = lines[1].replace("关于", "<script>alert(1)</script>关于", 1)
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = render_report(params_copy(CITY, tmp_path, ledger=str(ledger)))
    html = (result.output_dir / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_failing_render_leaves_the_previous_report_untouched(tmp_path):
    params = params_copy(CITY, tmp_path)
    out = render_report(params).output_dir
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"")  # an empty file cannot be read at all
    with pytest.raises(RenderError) as info:
        render_report(params_copy(CITY, tmp_path, ledger=str(broken)))
    err = info.value
    assert err.step == "execute"
    # The ledger's own one-line message, not a notebook cell's failure ("cell [3] raised LedgerReadError").
    assert str(err) == f"chuxiong-city-2022: {broken}: the file is empty" and err.explained
    assert "\n" not in str(err)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["broken.csv", "chuxiong-city-2022.yaml", "out"]


def test_cli_failure_exits_non_zero_with_a_one_line_error(tmp_path):
    bad = params_copy(CITY, tmp_path, colour="red")
    result = run_cli("report", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert "unknown key 'colour'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()


def test_rejected_rows_are_reported_or_fail_in_strict_mode(tmp_path):
    lines = (ROOT / "data" / "ledgers" / "chuxiong-city-2022.csv").read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",A,", ",Z,").replace(",B,", ",Z,").replace(",C,", ",Z,")  # not in the scheme
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    params = params_copy(CITY, tmp_path, ledger=str(ledger))
    result = render_report(params)
    s = json.loads((result.output_dir / "summary.json").read_text(encoding="utf-8"))
    assert (s["rows_read"], s["rows_accepted"], s["rows_rejected"], s["submitted"]) == (269, 268, 1, 268)
    html = text_of((result.output_dir / "report.html").read_text(encoding="utf-8"))
    assert "Rows rejected." in html and "rows read 269 = accepted 268 + rejected 1" in html
    assert "category not in scheme" in html
    assert "not a category of scheme" in (result.output_dir / "rejected_rows.csv").read_text(encoding="utf-8-sig")
    before = (result.output_dir / "report.html").read_bytes()
    cli = run_cli("report", "--strict", str(params), cwd=tmp_path)
    assert cli.returncode == 1 and "1 of 269 ledger rows rejected (strict mode): 268 of 269 rows accepted: category_not_in_scheme on 1 row(s)" in cli.stderr
    assert f"proposal-stats validate {ledger} --params {params}" in cli.stderr  # the hint reproduces the problem
    assert (result.output_dir / "report.html").read_bytes() == before


def test_cli_messages_keep_brackets_in_names(tmp_path):
    bad = params_copy(CITY, tmp_path, colour="red")
    odd = bad.rename(tmp_path / "case [draft].yaml")
    result = run_cli("report", str(odd), cwd=tmp_path)
    assert result.returncode == 1
    assert "case [draft].yaml" in result.stderr and "Traceback" not in result.stderr


def test_cli_all_renders_every_params_file(project, rendered):
    # The prefecture report alone first: in the batch it runs on a kernel started (and warmed)
    # during the city report, and must come out byte-identical all the same.
    alone = run_cli("report", "params/chuxiong-prefecture-2023.yaml", cwd=project)
    assert alone.returncode == 0, alone.stderr
    before = {p: (project / "outputs" / p / "report.html").read_bytes() for p in ("chuxiong-city-2022", "chuxiong-prefecture-2023")}
    result = run_cli("report", "--all", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "unknown parameter" not in result.stderr  # papermill gets only the parameters a notebook declares
    assert {p: (project / "outputs" / p / "report.html").read_bytes() for p in before} == before
    s = json.loads((project / "outputs" / "chuxiong-prefecture-2023" / "summary.json").read_text(encoding="utf-8"))
    assert (s["submitted"], s["assigned_to_government"], s["handling_units"]) == (429, 387, 65)
    assert {k: v["count"] for k, v in s["categories"].items()} == {"A": 301, "B": 57, "C": 29}
    assert s["published_checks"]["A share"] == "agrees"  # printed "77.8 %"
    html = (project / "outputs" / "chuxiong-prefecture-2023" / "report.html").read_text(encoding="utf-8")
    assert "“77.8 %” agrees" in text_of(html)
    assert (project / "outputs" / "chuxiong-city-2022" / "report.html").is_file()
    corpus = json.loads((project / "outputs" / "published-audit" / "summary.json").read_text(encoding="utf-8"))
    assert corpus["reports"] == 61 and corpus["reports_with_errors"] >= 3
    corpus_html = text_of((project / "outputs" / "published-audit" / "report.html").read_text(encoding="utf-8"))
    for expected in ["shangrila-county-npc-13-4-2011 error approximate wording", "Resolution shares across places", "not comparable", "Trends"]:
        assert expected in corpus_html, expected


def test_parameters_cell_is_required(tmp_path):
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "annual_report.ipynb", as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    path = tmp_path / "untagged.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(RenderError, match="tagged 'parameters'"):
        render_report(params_copy(CITY, tmp_path, notebook=str(path)))


def test_stored_notebooks_have_no_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path


@pytest.mark.parametrize("output_dir", [".", "..", "data", "elsewhere", "afile"])
def test_output_dir_that_is_not_a_report_folder_is_never_replaced(tmp_path, output_dir):
    """A mistyped output_dir must not delete inputs or other people's files."""
    (tmp_path / "data").mkdir()
    ledger = tmp_path / "data" / "ledger.csv"
    shutil.copy(ROOT / "data" / "ledgers" / "chuxiong-city-2022.csv", ledger)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "notes.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "afile").write_text("keep me", encoding="utf-8")
    params = params_copy(CITY, tmp_path, ledger="data/ledger.csv", output_dir=output_dir)
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    with pytest.raises(RenderError) as info:
        render_report(params)
    assert info.value.step == "params" and "output_dir" in str(info.value)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == before


def test_a_failed_render_removes_the_folders_it_created(tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"")
    params = params_copy(CITY, tmp_path, ledger=str(broken), output_dir=str(tmp_path / "new" / "deep" / "out"))
    with pytest.raises(RenderError):
        render_report(params)
    assert not (tmp_path / "new").exists()


# ---- the output folder: only ever the report's own files replaced ------------------------------------------

def test_a_render_never_deletes_files_it_did_not_write(tmp_path):
    params = params_copy(CITY, tmp_path)
    out = render_report(params).output_dir
    marker = json.loads((out / ".proposal-stats-report").read_text(encoding="utf-8"))
    assert marker["report_id"] == "chuxiong-city-2022" and "report.html" in marker["files"] and "tables.xlsx" in marker["files"]
    (out / "my_notes.txt").write_text("mine", encoding="utf-8")
    (out / "figs").mkdir()
    (out / "figs" / "a.png").write_bytes(b"png")
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    with pytest.raises(RenderError) as info:
        render_report(params)
    assert "my_notes.txt, figs/a.png" in str(info.value) and "did not write" in str(info.value) and "\n" not in str(info.value)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == before
    cli = run_cli("report", str(params), cwd=tmp_path)
    assert cli.returncode == 1 and cli.stderr.count("error:") == 1 and "my_notes.txt" in cli.stderr
    (out / "my_notes.txt").unlink()
    shutil.rmtree(out / "figs")
    (out / ".DS_Store").write_bytes(b"")  # what Finder adds to a folder it opened is not the user's work
    assert render_report(params).output_dir == out


def test_a_folder_of_another_report_is_never_replaced(tmp_path):
    """Another report's marker (and a file of its own) in the folder, or two params files with the
    same output_dir: refused, one line; `report` with both files refuses before rendering either."""
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / ".proposal-stats-report").write_text("someone-else\n", encoding="utf-8")  # an earlier version's marker
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    mine = params_copy(CITY, tmp_path, output_dir=str(folder))
    with pytest.raises(RenderError, match=r"holds another report \(someone-else\)"):
        render_report(mine)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"

    out = tmp_path / "out"
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    first = params_copy(CITY, tmp_path / "a", output_dir=str(out))
    second = params_copy(CITY, tmp_path / "b", output_dir=str(out), report_id="another-report")
    both = run_cli("report", str(first), str(second), cwd=tmp_path)
    assert both.returncode == 1 and "both write" in both.stderr and "nothing was rendered" in both.stderr
    assert not out.exists()
    render_report(first)
    before = (out / "report.html").read_bytes()
    with pytest.raises(RenderError, match=r"holds another report \(chuxiong-city-2022\)"):
        render_report(second)
    assert (out / "report.html").read_bytes() == before


def test_a_language_override_writes_a_folder_of_its_own(tmp_path):
    """`--language zh-CN` on an English params file writes <output_dir>.zh-CN; the English report stays."""
    from proposal_stats.params import load_report_params
    from proposal_stats.reporting.render import output_dir_for

    params = params_copy(CITY, tmp_path)
    en = render_report(params)
    before = {p.name: p.read_bytes() for p in en.output_dir.iterdir()}
    zh = render_report(params, language="zh-CN")
    assert zh.output_dir == tmp_path / "out.zh-CN" and en.output_dir == tmp_path / "out"
    assert {p.name: p.read_bytes() for p in en.output_dir.iterdir()} == before
    assert '<html lang="zh-CN">' in (zh.output_dir / "report.html").read_text(encoding="utf-8")
    assert output_dir_for(load_report_params(params), "en") == tmp_path / "out"  # the params file's own language


def test_stale_staging_folders_of_dead_renders_are_removed(tmp_path):
    """Only folders named like a staging folder, holding our marker, whose render ran here and no
    longer runs; a render killed mid-swap gets its previous report back."""
    import socket

    import psutil

    from proposal_stats.reporting.render import MARKER, remove_stale_renders

    gone = subprocess.run([sys.executable, "-c", "import os, psutil; p = psutil.Process(); print(os.getpid(), p.create_time())"],
                          capture_output=True, text=True, check=True).stdout.split()
    dead = {"host": socket.gethostname(), "pid": int(gone[0]), "started": float(gone[1])}
    me = psutil.Process()
    alive = {"host": socket.gethostname(), "pid": me.pid, "started": me.create_time()}
    reused = {**alive, "started": alive["started"] - 3600}  # our pid, but another process's start time

    def staging(name: str, owner: dict | None) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "report.html").write_text("partial", encoding="utf-8")
        if owner is not None:
            (folder / MARKER).write_text(json.dumps({"report_id": "r", "files": None, "rendered_by": owner}), encoding="utf-8")
        return folder

    killed = staging(".out.staging-abcd1234", dead)
    killed_mid_swap = staging(".gone.staging-efgh5678", reused)
    (killed_mid_swap / ".previous").mkdir()
    (killed_mid_swap / ".previous" / "report.html").write_text("the previous report", encoding="utf-8")
    running = staging(".other.staging-ijkl9012", alive)
    elsewhere = staging(".far.staging-mnop3456", {**dead, "host": "another-machine"})
    not_ours = staging(".mine.staging-qrst7890", None)
    not_a_staging_name = staging("out-staging", dead)
    assert sorted(remove_stale_renders(tmp_path)) == sorted([killed, killed_mid_swap])
    assert not killed.exists() and not killed_mid_swap.exists()
    assert (tmp_path / "gone" / "report.html").read_text(encoding="utf-8") == "the previous report"
    assert all(p.is_dir() for p in (running, elsewhere, not_ours, not_a_staging_name))


def test_sigterm_stops_the_render_and_leaves_nothing_behind(tmp_path):
    """SIGTERM (as a scheduler or `kill` sends it) is handled as Ctrl-C: the render stops, its
    staging folder goes, the previous report stays; exit status 128 + 15."""
    import signal

    params = params_copy(CITY, tmp_path)
    out = render_report(params).output_dir
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = subprocess.Popen([CLI, "report", str(params)], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # not a terminal: one line per step
        if "computing the report" in line:
            break
    proc.send_signal(signal.SIGTERM)
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 143, rest
    assert "interrupted (SIGTERM)" in rest and "Traceback" not in rest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chuxiong-city-2022.yaml", "out"]  # no staging folder
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_corpus_report_in_chinese(tmp_path):
    import yaml

    data = yaml.safe_load((ROOT / "params" / "published-audit.yaml").read_text(encoding="utf-8"))
    data.update(claims=str(ROOT / "data" / "published"), output_dir=str(tmp_path / "out"), notebook=str(ROOT / "notebooks" / "published_audit.ipynb"))
    params = tmp_path / "published-audit.yaml"
    params.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = render_report(params, language="zh-CN")
    html = (result.output_dir / "report.html").read_text(encoding="utf-8")
    text = text_of(re.sub(r"<code>.*?</code>", " ", html[html.index("<body"):], flags=re.S))
    for expected in ["政协提案和人大代表建议办理情况公开报告核算", "已核算的报告", "发现的种类", "各地已解决占比比较", "历年趋势", "约数措辞", "不可比"]:
        assert expected in text, expected
    # Every heading, sentence, header, caption and label is Chinese; the table cells hold the claims
    # files' own text (jurisdictions as they spell them, figure names such as "filed").
    words = re.findall(r"<(h1|h2|p|th|caption)[^>]*>(.*?)</\1>", html[html.index("<body"):], flags=re.S)
    assert english_words(text_of(" ".join(w for _, w in words))) == set()
    kinds = re.findall(r"<td class=\"ps-(?:bad|warn|muted)\">(.*?)</td><td>(.*?)</td>", html)
    assert kinds and english_words(" ".join(a + " " + b for a, b in kinds)) == set()  # severities and kinds in words


def test_the_notebook_is_the_report_outline():
    """Every section of AnnualReport.SECTIONS is shown by the notebook, in reading order."""
    import nbformat

    from proposal_stats.reporting.report import AnnualReport

    nb = nbformat.read(ROOT / "notebooks" / "annual_report.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    at = [code.index(f"report.{name}()") for name in AnnualReport.SECTIONS]
    assert at == sorted(at)


def test_a_cell_of_ones_own_shows_in_the_report(tmp_path):
    """As README says: copy the notebook, add a cell, point the params file at the copy."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "annual_report.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "report.satisfaction()" in c.source)
    nb.cells[at:at] = [
        nbformat.v4.new_markdown_cell("## 我的分析：各单位答复天数"),
        nbformat.v4.new_code_cell("days = report.ledger.proposals.groupby('lead_unit')['replied_at'].count().rename('replied').reset_index()\n"
                                  "report.table(days.head(3), caption='<b>own</b> table')"),
    ]
    mine = tmp_path / "my_report.ipynb"
    nbformat.write(nb, mine)
    out = render_report(params_copy(CITY, tmp_path, notebook=str(mine)), language="zh-CN").output_dir
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "我的分析：各单位答复天数" in html and "&lt;b&gt;own&lt;/b&gt; table" in html
    assert "<th>主办单位</th>" in html  # the package's column names in the report's language
    assert html.index("我的分析") < html.index('id="satisfaction"')  # where it was put
    assert "days = report" not in html  # code is never shown


def test_printed_report_expands_the_appendix_and_turns_the_wide_table(rendered_zh, tmp_path):
    """Printed by headless Chromium (no CJK font on the machine): every proposal of the collapsed
    appendix is on paper, the unit comparison has a landscape page, Chinese text is real text."""
    import os
    import shutil

    from pypdf import PdfReader

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        if os.environ.get("CI"):
            pytest.fail("no Chromium: .ci/run installs the Debian package `chromium`")
        pytest.skip("no Chromium installed (apt-get install chromium)")
    pdf = tmp_path / "report.pdf"
    subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", (rendered_zh[0] / "report.html").as_uri()],
                   capture_output=True, timeout=180, check=True)
    pages = PdfReader(pdf).pages
    text = "".join(p.extract_text() for p in pages)
    assert "附录：提案清单" in text and "关于" in text
    appendix = text[text.index("附录：提案清单"):]
    ids = json.loads((rendered_zh[0] / "summary.json").read_text(encoding="utf-8"))["rows_accepted"]
    assert all(f"{i:03d}" in appendix for i in (1, ids // 2, ids))  # first, middle and last proposal printed
    wide = [i for i, p in enumerate(pages) if p.mediabox.width > p.mediabox.height]
    assert wide and "承办单位办理情况" in pages[wide[0]].extract_text()
