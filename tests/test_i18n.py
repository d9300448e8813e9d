"""Translations: every message in a catalog, the templates escape data, messages keep their ids."""

from __future__ import annotations

import pickle

import pytest
from jinja2 import UndefinedError
from markupsafe import Markup

from proposal_stats.messages import Msg
from proposal_stats.reporting import catalogs
from proposal_stats.reporting.content import Section
from proposal_stats.reporting.i18n import Translator, UnknownLanguage, available_languages, check_language, render
from proposal_stats.reporting.vocabulary import column_label


def test_the_template_of_all_messages_is_up_to_date():
    """locale/messages.pot holds exactly the messages of the package (run scripts/catalogs.py update)."""
    from babel.messages.pofile import read_po

    with catalogs.POT_FILE.open("rb") as f:
        shipped = {m.id for m in read_po(f) if m.id}
    extracted = {m.id for m in catalogs.extract() if m.id}
    assert sorted(extracted - shipped) == [] and sorted(shipped - extracted) == []


@pytest.mark.parametrize("language", catalogs.languages())
def test_every_message_is_translated_in_every_shipped_catalog(language):
    assert list(catalogs.problems(language)) == []


def test_the_catalog_check_fails_on_a_missing_or_broken_translation(tmp_path, monkeypatch):
    """The check above can fail: a catalog lacking one message, and one whose placeholder is wrong."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = catalogs.extract()
    catalog = Catalog(locale="de", domain="messages")
    ids = [m.id for m in template if m.id and not isinstance(m.id, tuple)]
    for msgid in ids[1:]:
        catalog.add(msgid, msgid.replace("%(code)s", "%(kode)s"), flags=["python-format"] if "%(" in msgid else [])
    path = tmp_path / "de" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        write_po(f, catalog)
    monkeypatch.setattr(catalogs, "catalog_path", lambda language: path)
    found = list(catalogs.problems("de"))
    assert any(p.startswith("missing:") and repr(ids[0]) in p for p in found)
    assert any(p.startswith("placeholders differ:") and "%(kode)s" in p for p in found)


def test_an_unknown_language_is_a_clear_error():
    assert available_languages()[0] == "en"
    with pytest.raises(UnknownLanguage, match="no catalog for language 'fr'; available: en"):
        check_language("fr")
    with pytest.raises(UnknownLanguage):
        column_label("handling_unit", "fr")


def test_msg_is_english_text_that_keeps_its_id_and_arguments():
    m = Msg("%(rejected)s of %(read)s rows", rejected=1, read=269)
    assert m == "1 of 269 rows" and m.msgid == "%(rejected)s of %(read)s rows" and m.args == {"rejected": 1, "read": 269}
    assert pickle.loads(pickle.dumps(m)).msgid == m.msgid
    assert Msg("99.8% limits") == "99.8% limits"  # no arguments: not formatted
    assert Translator("en")(m) == "1 of 269 rows"
    assert Translator("en").value("市教育体育局") == "市教育体育局"  # data is never looked up as a message


def test_templates_escape_data_and_refuse_undefined_names():
    html = Section("footer.html.j2", "en", {"items": [(Msg("Ledger file"), "<script>alert(1)</script>")]}).html()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "<code><b>trusted</b></code>" in render("footer.html.j2", "en", items=[("x", Markup("<b>trusted</b>"))])  # Markup is trusted
    with pytest.raises(UndefinedError):
        Section("footer.html.j2", "en", {}).html()


def test_language_tags_are_read_as_users_write_them(tmp_path):
    from proposal_stats.params import ParamsError, load_report_params

    from .conftest import CITY, params_copy

    assert check_language("zh_cn") == check_language("ZH-CN") == "zh-CN"
    assert Translator("zh_cn")("Headline figures") == "主要数据"
    with pytest.raises(ParamsError, match="'中文' is not a language tag"):
        load_report_params(params_copy(CITY, tmp_path, language="中文"))


@pytest.mark.parametrize("mixed, english, chinese", [
    (["A"], "Category A covers more than one normalised status, so its share is not comparable", "A 类涵盖不止一种统一办理结果"),
    (["A", "B"], "Categories A, B each cover more than one normalised status, so their shares are not comparable",
     "A、B 类涵盖不止一种统一办理结果"),
])
def test_the_scheme_note_reads_right_for_one_category_and_several(tmp_path, mixed, english, chinese):
    import re

    from proposal_stats.reporting.report import build_annual_report

    from .test_exports import INJECT, fictional_params

    cats = [{"code": c, "label": f"{c}类", "statuses": ["resolved", "in_progress"] if c in mixed else ["planned"]} for c in "ABC"]
    params = fictional_params(tmp_path, INJECT, result_scheme={"id": "fict", "source": "fictional", "categories": cats})
    for language, expected in (("en", english), ("zh-CN", chinese)):
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", build_annual_report(params, language=language).methods().html()))
        assert expected in text, text
