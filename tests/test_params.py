"""Params files are validated on load, with one-line errors naming the file and the key."""

from __future__ import annotations

import pytest
import yaml

from proposal_stats.params import ParamsError, load_params

from .conftest import CITY, PREFECTURE, params_copy


@pytest.mark.parametrize("path", [CITY, PREFECTURE])
def test_shipped_params_files_load(path):
    p = load_params(path)
    assert p.ledger.is_file() and p.notebook.is_file()
    assert p.output_dir.parts[-2:] == ("outputs", path.stem)
    assert p.report_id == path.stem
    assert p.synthetic_fields  # both reference ledgers are partly synthetic, and say so


def _error(tmp_path, **overrides) -> str:
    with pytest.raises(ParamsError) as info:
        load_params(params_copy(CITY, tmp_path, **overrides))
    message = str(info.value)
    assert "\n" not in message
    return message


def test_unknown_key(tmp_path):
    assert "unknown key 'colour'" in _error(tmp_path, colour="red")


def test_unknown_nested_key(tmp_path):
    deadline = {"months_after_assignment": 3, "grace_days": 5}
    assert "unknown key 'reply_deadline.grace_days'" in _error(tmp_path, reply_deadline=deadline)


def test_wrong_type(tmp_path):
    assert "key 'year'" in _error(tmp_path, year="last year")


def test_category_code_must_be_quoted_text(tmp_path):
    scheme = yaml.safe_load(CITY.read_text(encoding="utf-8"))["result_scheme"]
    scheme["categories"][0]["code"] = 1
    assert "key 'result_scheme.categories.0.code'" in _error(tmp_path, result_scheme=scheme)


def test_missing_ledger_file(tmp_path):
    message = _error(tmp_path, ledger=str(tmp_path / "nowhere.csv"))
    assert "key 'ledger': file not found" in message and "nowhere.csv" in message


def test_missing_key(tmp_path):
    path = params_copy(CITY, tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["session"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParamsError, match="missing key 'session'"):
        load_params(path)


def test_deadline_needs_exactly_one_rule(tmp_path):
    assert "exactly one" in _error(tmp_path, reply_deadline={"months_after_assignment": 3, "fixed_date": "2022-06-30"})


def test_not_yaml(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(bad)


def test_missing_params_file(tmp_path):
    with pytest.raises(ParamsError, match="params file not found"):
        load_params(tmp_path / "none.yaml")


def test_relative_paths_are_taken_from_the_params_folder(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "l.csv").write_text("proposal_id\n", encoding="utf-8")
    p = load_params(params_copy(CITY, tmp_path, ledger="data/l.csv", output_dir="reports/x"))
    assert p.ledger == tmp_path / "data" / "l.csv"
    assert p.output_dir == tmp_path / "reports" / "x"


def test_misspelt_key_is_named_as_unknown_first(tmp_path):
    path = params_copy(CITY, tmp_path)
    text = path.read_text(encoding="utf-8").replace("jurisdiction:", "jurisdicton:", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParamsError) as info:
        load_params(path)
    # one mistake, one line: the "missing key 'jurisdiction'" it causes is the same mistake
    assert str(info.value) == f"{path}: unknown key 'jurisdicton' (did you mean 'jurisdiction'?)"


def test_every_problem_is_listed_at_once(tmp_path):
    path = params_copy(CITY, tmp_path, year="last year", ledger=str(tmp_path / "nowhere.csv"))
    text = path.read_text(encoding="utf-8").replace("jurisdiction:", "jurisdicton:", 1).replace("    label:", "    lable:", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParamsError) as info:
        load_params(path)
    lines = str(info.value).splitlines()
    assert lines[0] == f"{path}: 4 problems:"
    assert sorted(lines[1:]) == sorted([
        "  - unknown key 'jurisdicton' (did you mean 'jurisdiction'?)",
        "  - unknown key 'result_scheme.categories.0.lable' (did you mean 'label'?)",
        "  - key 'year': Input should be a valid integer, unable to parse string as an integer (got 'last year')",
        f"  - key 'ledger': file not found: {tmp_path / 'nowhere.csv'}",
    ])


def test_a_key_given_twice_is_an_error(tmp_path):
    path = params_copy(CITY, tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "year: 2099\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="key 'year' is given twice"):
        load_params(path)


def test_an_impossible_date_is_an_error_not_a_crash(tmp_path):
    assert "key 'reply_deadline.fixed_date'" in _error(tmp_path, reply_deadline={"fixed_date": "2022-02-30"})
    path = params_copy(CITY, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2023-02-21", "date: 2023-02-30"), encoding="utf-8")
    with pytest.raises(ParamsError, match="day is out of range"):
        load_params(path)


@pytest.mark.parametrize("name, report_id", [("Chuxiong City 2022", "chuxiong-city-2022"), ("楚雄 2023", "楚雄-2023"),
                                              ("楚雄州（2023）草稿", "楚雄州-2023-草稿"), ("ＡＢＣ_2023", "abc_2023")])
def test_report_id_from_a_file_name_with_spaces_or_chinese(tmp_path, name, report_id):
    src = params_copy(CITY, tmp_path)
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    del data["output_dir"]
    odd = tmp_path / f"{name}.yaml"
    odd.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    p = load_params(odd)
    assert p.report_id == report_id and p.output_dir == (tmp_path / ".." / "outputs" / report_id).resolve()


@pytest.mark.parametrize("report_id", ["Bad Id", "-x", "a/b", ""])
def test_a_report_id_given_must_be_an_id(tmp_path, report_id):
    assert f"report_id {report_id!r} (it names the output folder) may hold only" in _error(tmp_path, report_id=report_id)


def test_language_and_cross_checks_are_listed_with_the_other_problems(tmp_path):
    """A language with no catalog and a published category missing from the scheme are found in
    the same run as the other mistakes (not after they are fixed)."""
    published = yaml.safe_load(CITY.read_text(encoding="utf-8"))["published"]
    published["results"]["cats"][0]["code"] = "Q"
    path = params_copy(CITY, tmp_path, language="fr", year="twenty", colour="red", published=published)
    with pytest.raises(ParamsError) as info:
        load_params(path, languages=("en", "zh-CN"))
    lines = str(info.value).splitlines()
    assert lines[0].endswith(": 4 problems:")
    assert sorted(lines[1:]) == sorted([
        "  - unknown key 'colour'",
        "  - key 'year': Input should be a valid integer, unable to parse string as an integer (got 'twenty')",
        "  - key 'language': no catalog for language 'fr'; available: en, zh-CN",
        "  - key 'published.results.cats': code(s) Q not in result_scheme",
    ])
    assert load_params(params_copy(CITY, tmp_path, language="zh_cn"), languages=("en", "zh-CN")).language == "zh_cn"


def test_published_value_error_names_the_key_only(tmp_path):
    published = yaml.safe_load(CITY.read_text(encoding="utf-8"))["published"]
    published["figures"]["f2f_rate"]["value"] = "100%"
    message = _error(tmp_path, published=published)
    assert "key 'published.figures.f2f_rate.value'" in message and ".decimal" not in message
