"""`proposal-stats new`: a params file for a new report, from a ledger and optionally last year's file."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from proposal_stats.params import ParamsError, load_params, published_identity_warnings
from proposal_stats.reporting.new_report import infer_scheme, new_params

from .conftest import CITY, PREFECTURE, ROOT, params_copy
from .test_exports import HEADER

CLI = str(Path(sys.executable).parent / "proposal-stats")
IDENTITY = {"title": "虚构县人民政府办理县政协一届二次会议提案情况", "jurisdiction": "虚构县 (fictional)", "body": "cppcc_proposals",
            "session": "虚构县政协一届二次会议", "year": 2023}
LETTERS = HEADER + "".join(
    f"{i:03d},t{i},p{i},government,县甲局,,2023-03-15,2023-05-01,{c},是,满意\n" for i, c in enumerate(["A", "a", "Ａ类", "B", "丙", "Z"], 1))
LABELS = HEADER + "".join(
    f"{i:03d},t{i},p{i},government,县甲局,,2023-03-15,2023-05-01,{c},是,满意\n"
    for i, c in enumerate(["已解决或正在解决", "正在争取解决或列入计划解决", "因政策原因或目前条件限制，暂时解决不了", "已解决或正在解决", "留作参考"], 1))


def test_infer_letters_guesses_and_marks_them():
    cats = infer_scheme(Counter({"A": 3, "a": 1, "Ａ类": 1, "B": 2, "丙": 1, "Z": 1}))
    assert [(c.code, c.count, c.statuses, c.guessed) for c in cats] == [
        ("A", 5, ("resolved",), True), ("B", 2, ("planned",), True), ("C", 1, ("not_feasible_now",), True)]  # Z left out


def test_infer_labels_reads_their_words_like_the_reference_scheme():
    cats = infer_scheme(Counter({"已解决或正在解决": 177, "正在争取解决或列入计划解决": 61, "因政策原因或目前条件限制，暂时解决不了": 10}))
    reference = yaml.safe_load(CITY.read_text(encoding="utf-8"))["result_scheme"]["categories"]
    assert [(c.code, c.label, list(c.statuses)) for c in cats] == [(r["code"], r["label"], r["statuses"]) for r in reference]
    assert not any(c.guessed for c in cats)


def test_new_from_last_year_keeps_scheme_and_settings_not_published_or_synthetic(tmp_path):
    (tmp_path / "params").mkdir()
    (tmp_path / "ledger.csv").write_text(LETTERS.replace(",Z,", ",C,"), encoding="utf-8")
    old = params_copy(CITY, tmp_path, privacy={"proposer": "anonymise"}, ledger=str(tmp_path / "gone.csv"))  # old ledger gone: fine
    target = tmp_path / "params" / "fict-2023.yaml"
    result = new_params(target, tmp_path / "ledger.csv", {**IDENTITY, "jurisdiction": None, "body": None}, from_params=old)
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    city = yaml.safe_load(CITY.read_text(encoding="utf-8"))
    assert data["result_scheme"] == city["result_scheme"] and data["reply_deadline"] == city["reply_deadline"]
    assert data["jurisdiction"] == city["jurisdiction"] and data["year"] == 2023 and data["ledger"] == "../ledger.csv"
    assert data["privacy"] == {"proposer": "anonymise"}
    for dropped in ("published", "synthetic_fields", "synthetic_note", "as_of", "output_dir", "report_id"):
        assert dropped not in data, dropped
    assert result.params.report_id == "fict-2023" and (result.rows_read, result.rows_rejected) == (6, 0)
    assert [(c.code, c.count) for c in result.categories] == [("A", 3), ("B", 1), ("C", 2)]
    assert result.warnings == []


def test_new_from_a_chinese_report_stays_chinese(tmp_path):
    """Language and glyph forms are how a report series is read: carried over, with the taken-over
    jurisdiction's name in the other language; a file made without --from states its language."""
    (tmp_path / "params").mkdir()
    (tmp_path / "ledger.csv").write_text(LETTERS.replace(",Z,", ",C,"), encoding="utf-8")
    old = params_copy(CITY, tmp_path, language="zh-CN", chinese_glyphs="traditional", ledger=str(tmp_path / "gone.csv"))
    target = tmp_path / "params" / "fict-2023.yaml"
    result = new_params(target, tmp_path / "ledger.csv", {**IDENTITY, "jurisdiction": None, "body": None}, from_params=old)
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert (data["language"], data["chinese_glyphs"]) == ("zh-CN", "traditional")
    assert data["translations"] == {"zh-CN": {"jurisdiction": "楚雄市（云南省）"}}  # not last year's title or synthetic note
    assert result.params.text("jurisdiction", "zh-CN") == "楚雄市（云南省）"
    # the user names another jurisdiction: last year's names for it do not apply
    new_params(target, tmp_path / "ledger.csv", IDENTITY, from_params=old, overwrite=True)
    assert "translations" not in yaml.safe_load(target.read_text(encoding="utf-8"))
    # no --from: English, said where it can be changed
    new_params(target, tmp_path / "ledger.csv", IDENTITY, overwrite=True)
    assert "\nlanguage: en  # the report's language: en or zh-CN" in target.read_text(encoding="utf-8")


def test_new_infers_and_flags_a_category_left_out(tmp_path):
    (tmp_path / "ledger.csv").write_text(LETTERS, encoding="utf-8")
    result = new_params(tmp_path / "p.yaml", tmp_path / "ledger.csv", IDENTITY)
    text = (tmp_path / "p.yaml").read_text(encoding="utf-8")
    assert "label: A类  # CHECK" in text and "statuses:  # CHECK: a guess" in text
    assert load_params(tmp_path / "p.yaml").result_scheme.codes == ["A", "B", "C"]
    assert result.rows_rejected == 1 and "category the scheme does not have (Z)" in result.warnings[0]
    with pytest.raises(ParamsError, match="already exists"):
        new_params(tmp_path / "p.yaml", tmp_path / "ledger.csv", IDENTITY)


def test_new_with_printed_labels_reads_every_row(tmp_path):
    (tmp_path / "ledger.csv").write_text(LABELS, encoding="utf-8")
    result = new_params(tmp_path / "p.yaml", tmp_path / "ledger.csv", IDENTITY)
    assert (result.rows_read, result.rows_rejected) == (5, 0)
    assert [(c.code, c.count) for c in result.categories] == [("A", 2), ("B", 1), ("C", 1), ("D", 1)]


def test_published_block_of_another_report_is_warned(tmp_path):
    assert published_identity_warnings(load_params(CITY)) == [] and published_identity_warnings(load_params(PREFECTURE)) == []
    moved = load_params(params_copy(CITY, tmp_path, year=2024, jurisdiction="虚构县 (fictional)"))
    warnings = published_identity_warnings(moved)
    assert len(warnings) == 2
    assert "dated 2023-02-21, but this report is on the 2024 session" in warnings[0]
    assert "does not name 虚构县" in warnings[1]
    # next year's session, same place, last year's block: the source's title names the 2022 session
    next_year = load_params(params_copy(CITY, tmp_path, year=2023, session="市政协十届二次会议"))
    assert [str(w) for w in published_identity_warnings(next_year)] == [
        "the published figures' source (楚雄市人民政府关于市政协十届一次会议提案办理工作情况的通报) is on the 十届一次会议, "
        "but this report is on the 十届二次会议"]
    pub = yaml.safe_load(CITY.read_text(encoding="utf-8"))["published"]
    named = load_params(params_copy(CITY, tmp_path, published={**pub, "jurisdiction": "楚雄彝族自治州", "year": 2022,
                                                                "session": "州政协十一届二次会议"}))
    assert [w.split(",")[0] for w in published_identity_warnings(named)] == [
        "the published figures are for 楚雄彝族自治州", "the published figures are on 州政协十一届二次会议"]


def test_cli_new_then_report_as_a_new_user(tmp_path):
    """From a project folder: `new` without the identity fails and says what to give; with it, the
    written file renders, and a copied file with last year's published block warns on the command line."""
    for folder in ("notebooks",):
        (tmp_path / folder).mkdir()
        for f in (ROOT / folder).glob("annual_report.ipynb"):
            (tmp_path / folder / f.name).write_bytes(f.read_bytes())
    (tmp_path / "params").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "fict-2023.csv").write_text(LABELS, encoding="utf-8")

    def run(*args):
        return subprocess.run([CLI, *args], cwd=tmp_path, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)

    missing = run("new", "params/fict-2023.yaml", "--ledger", "data/fict-2023.csv", "--year", "2023")
    assert missing.returncode == 2 and "give --title, --jurisdiction, --body, --session" in missing.stderr
    args = [f"--{k}={v}" for k, v in IDENTITY.items()]
    made = run("new", "params/fict-2023.yaml", "--ledger", "data/fict-2023.csv", *args)
    assert made.returncode == 0, made.stderr
    assert "result scheme inferred from the ledger:" in made.stdout and "A  已解决或正在解决  [resolved + in_progress]  2 proposal(s)" in made.stdout
    assert "next: proposal-stats report params/fict-2023.yaml" in made.stdout
    copied = params_copy(CITY, tmp_path / "params", year=2023, ledger="../data/fict-2023.csv", output_dir="../outputs/copied",
                         result_scheme=yaml.safe_load((tmp_path / "params" / "fict-2023.yaml").read_text(encoding="utf-8"))["result_scheme"],
                         notebook="../notebooks/annual_report.ipynb", jurisdiction="虚构县 (fictional)")
    copied.rename(tmp_path / "params" / "copied.yaml")
    rendered = run("report", "params/fict-2023.yaml", "params/copied.yaml")
    assert rendered.returncode == 0, rendered.stderr
    assert (tmp_path / "outputs" / "fict-2023" / "report.html").is_file()
    assert "warning: fict-2023" not in rendered.stderr
    assert "warning: copied: the published figures' source (楚雄市人民政府" in rendered.stderr
    html = (tmp_path / "outputs" / "copied" / "report.html").read_text(encoding="utf-8")
    assert "Published figures from another report?" in html


def test_published_claims_complete_the_inferred_scheme_and_are_checked(tmp_path):
    (tmp_path / "ledger.csv").write_text(LETTERS.replace(",丙,", ",A,").replace(",Z,", ",B,"), encoding="utf-8")  # no C
    claims = {"id": "fict-2023", "jurisdiction": "虚构县", "year": 2024, "source": {"title": "虚构县人民政府关于提案办理情况的通报"},
              "scheme": [{"code": "A", "label": "已解决", "statuses": ["resolved"]}, {"code": "C", "label": "留作参考", "statuses": ["for_reference"]}],
              "results": {"base": 6, "cats": [{"code": "A", "label": "已解决", "count": 4}, {"code": "B", "label": "B类", "count": 2},
                                              {"code": "C", "label": "留作参考", "count": 0}]}}
    (tmp_path / "claims.yaml").write_text(yaml.safe_dump(claims, allow_unicode=True), encoding="utf-8")
    result = new_params(tmp_path / "p.yaml", tmp_path / "ledger.csv", IDENTITY, published=tmp_path / "claims.yaml")
    assert [(c.code, c.label, c.statuses, c.count, c.guessed) for c in result.categories] == [
        ("A", "已解决", ("resolved",), 4, False), ("B", "B类", ("planned",), 2, True), ("C", "留作参考", ("for_reference",), 0, False)]
    assert result.params.published.id == "fict-2023" and result.warnings == []
    with pytest.raises(ParamsError, match="a params file, not a claims file"):
        new_params(tmp_path / "q.yaml", tmp_path / "ledger.csv", IDENTITY, published=CITY)
    assert not (tmp_path / "q.yaml").exists()


def _xlsx_ledger(path: Path) -> None:
    """A fictional county's ledger as an office would keep it in Excel: a title row, Chinese
    headers, printed labels, a row rejected (a category the scheme lacks) and a totals row."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["虚构县政协一届二次会议提案办理台账"])
    ws.append(["提案号", "案由", "提案人", "主办单位", "协办单位", "交办日期", "答复日期", "类别", "是否面商", "满意度"])
    cats = ["A", "A", "B", "A", "C", "B", "A", "Z"]
    for i, c in enumerate(cats, 1):
        ws.append([f"{i:03d}", f"关于虚构事项{i}的建议", f"委员{i}", "县甲局" if i % 2 else "县乙局", "", "2023-03-15", "2023-05-0" + str(i), c,
                   "是", "满意" if i % 3 else "基本满意"])
    ws.append(["合计", "", "", "", "", "", "", "", "", ""])
    wb.save(path)


def test_a_chinese_report_from_an_xlsx_ledger_made_by_new_has_no_english(tmp_path):
    """A new user's path in Chinese: an XLSX ledger, `new` (which writes its own English notes
    into the params file), `report --language zh-CN`: no English word in the report outside
    citations, file names, fingerprints and the command's own name."""
    import re

    from .test_render import english_words, text_of

    (tmp_path / "params").mkdir()
    (tmp_path / "data").mkdir()
    _xlsx_ledger(tmp_path / "data" / "虚构县2023.xlsx")

    def run(*args):
        return subprocess.run([CLI, *args], cwd=tmp_path, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)

    identity = {**IDENTITY, "jurisdiction": "虚构县"}  # what the user types is shown as typed: Chinese here
    made = run("new", "params/fict-2023.yaml", "--ledger", "data/虚构县2023.xlsx", *[f"--{k}={v}" for k, v in identity.items()])
    assert made.returncode == 0, made.stderr
    written = (tmp_path / "params" / "fict-2023.yaml").read_text(encoding="utf-8")
    assert "inferred by proposal-stats new" in written and "default: 3 months" in written  # the file is English
    rendered = run("report", "--language", "zh-CN", "params/fict-2023.yaml")
    assert rendered.returncode == 0, rendered.stderr
    html = (tmp_path / "outputs" / "fict-2023.zh-CN" / "report.html").read_text(encoding="utf-8")
    body = re.sub(r"<code>.*?</code>", " ", html[html.index("<body"):], flags=re.S)
    text = re.sub(r"proposal-stats \w+", " ", text_of(body))  # a command's name, as a file's
    assert english_words(text) == set(), sorted(english_words(text))
    for shown in ("依据：由 proposal-stats new 根据台账中出现的类别值推断", "默认值：交办后 3 个月", "工作簿，工作表“台账”", "（整行）", "合计行"):
        assert shown in text_of(html), shown



def test_infer_leaves_out_values_that_are_no_category():
    """Markup, formulas, numbers and punctuation are not categories (left out, their rows reported
    as not in the scheme, like a stray letter Z); a Chinese label without known words is kept, a guess."""
    cats = infer_scheme(Counter({"A": 2, "<script>": 1, "=1+1": 1, "@SUM(1)": 1, "+已解决": 1, "???": 1, "42": 1, "Z": 1,
                                 "<b>已解决</b>": 1, "答复类" * 20: 1, "其他": 1}))
    assert [(c.code, c.label, c.guessed) for c in cats] == [("A", "A类", True), ("B", "其他", True)]


def test_cli_new_asks_on_piped_input_too(tmp_path):
    """As the README says, `new` asks for the identity it is not given, also when the answers come
    from a pipe (one per line; an empty line takes the suggestion); input that ends stops it."""
    (tmp_path / "ledger.csv").write_text(LABELS, encoding="utf-8")
    answers = "虚构县提案办理情况\n虚构县\n\n虚构县政协一届二次会议\n2023\n"
    made = subprocess.run([CLI, "new", "p.yaml", "--ledger", "ledger.csv"], cwd=tmp_path, input=answers, capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    data = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    assert [data[k] for k in ("title", "jurisdiction", "body", "session", "year")] == [
        "虚构县提案办理情况", "虚构县", "cppcc_proposals", "虚构县政协一届二次会议", 2023]
    cut = subprocess.run([CLI, "new", "q.yaml", "--ledger", "ledger.csv"], cwd=tmp_path, input="虚构县提案办理情况\n", capture_output=True,
                         text=True, timeout=120)
    assert cut.returncode == 2 and "give --jurisdiction, --body, --session, --year" in cut.stderr and not (tmp_path / "q.yaml").exists()


def test_cli_new_counts_the_ledgers_warnings(tmp_path):
    """Rows kept but flagged (here a title Excel would run as a formula) are counted, with the command that lists them."""
    ledger = tmp_path / "fict-2023.csv"
    ledger.write_text(LABELS.replace(",t1,", ",=1+2,"), encoding="utf-8")
    target = tmp_path / "fict-2023.yaml"
    done = subprocess.run([CLI, "new", str(target), "--ledger", str(ledger), "--title", IDENTITY["title"], "--jurisdiction", "虚构县",
                           "--body", "cppcc_proposals", "--session", IDENTITY["session"], "--year", "2023"],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert f"ledger fict-2023.csv: 5 rows read, 5 accepted, 0 rejected, 1 warning(s) (run proposal-stats validate {ledger} --params {target})" in done.stdout
