"""A published report's text from the file it comes in: plain text, an HTML page, a Word file, a PDF.

Maintained readers do the work: charset-normalizer guesses a text file's encoding (UTF-8 first;
GB18030 and Big5 judged by what they decode to, since Big5 bytes often decode as GB18030 nonsense),
BeautifulSoup with lxml takes an HTML page's text (scripts, styles, navigation, headers and footers
left out; a line per block element, inline elements such as ``<span>`` run on within it),
python-docx reads the paragraphs and tables of a ``.docx`` in the document's order, pypdf the text
layer of a PDF. A table is read as a reader reads it, a row a sentence, its header row giving each
column's meaning (:func:`table_sentences`).

A PDF's text layer comes as the page draws it: a sentence wrapped at the page's edge comes back as two
lines (``交由县政府`` / ``系统承办的提案80件``), and some writers' two-byte codes come back with a NUL
before each character. :func:`unwrap` joins the lines the page wrapped; NULs, which are never text,
are removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

#: File kinds :func:`read_report` takes, by suffix.
SUFFIXES = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf"}


class ReportReadError(ValueError):
    """A report file that cannot be read; ``str(err)`` is one line naming the file and why."""


@dataclass(frozen=True)
class ReportText:
    """A report's text as read: ``text``, the ``title`` found in the file or ``""`` (an HTML page's
    ``<h1>``, else its ``<title>`` without the site's name; a Word file's title property, else its
    first Title or Heading paragraph; a PDF's title property; a property that is a placeholder such as
    "untitled" ignored; else the text's first line when it is a heading, :func:`heading`), and how it
    was read (``encoding`` or the reader used)."""

    path: Path
    text: str
    title: str
    how: str


def decode(data: bytes, path: Path | str = "") -> tuple[str, str]:
    """Bytes of a text file as text and the encoding used: UTF-8 (with or without BOM) when it
    decodes, else the best of GB18030 and Big5 by charset-normalizer.

    Raises:
        ReportReadError: neither decodes the bytes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_8"]).best()
    if best is None:
        raise ReportReadError(f"{path}: not UTF-8, GB18030 or Big5 text")
    return str(best), best.encoding


# ---- tables: rows as sentences ---------------------------------------------------------------------

_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_BARE = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(%%?)?\s*$")
_SHARE_HEADER = re.compile(r"占比|比例|比重|百分比|所占|^占|%")
_COUNT_HEADER = re.compile(r"件数|数量|数目|个数|总数|合计|小计|[（(](件|个|家|人|份|项|条)[)）]|数$|^(件|个|家|人|份|项|条)$")
_GENERIC_COUNT = re.compile(r"^(件数|数量|数目|个数|总数|合计|小计|数|件|个|家|人|份|项|条)$")
_UNIT_NAME = re.compile(r"(局|委|办公室|办|院|中心|公司|集团|街道|镇|乡|厅|所|站|队|部|处|科|政府|单位)$")


def _cell_text(text: str) -> str:
    return _tidy(" ".join((text or "").split("\n"))).strip()


def _count_unit(header: str) -> str:
    unit = re.search(r"[（(](件|个|家|人|份|项|条)[)）]", header)
    if unit:
        return unit.group(1)
    for word, u in (("单位", "家"), ("部门", "家"), ("家", "家"), ("人", "人"), ("份", "份"), ("项", "项"), ("条", "条"), ("个", "个")):
        if word in header:
            return u
    return "件"


def _with_header(header: str, cell: str, after_count: bool) -> str:
    """A cell as a reader reads it under its column's header: a bare number under 件数 is a count
    (``177`` → ``177件``), under 占比 a share (``71.37`` → ``占71.37%``), under a rate its rate
    (办复率 ``100`` → ``办复率100%``); a percentage right after a count, with no header, is that
    count's share. Words are kept as they are."""
    bare = _BARE.match(cell)
    if not bare:
        return cell
    number = bare.group(1) + (bare.group(2) or "")
    percent = bool(bare.group(3))
    if header and _SHARE_HEADER.search(header):
        return f"占{number}%"
    if header and "率" in header:
        return f"{header}{number}%"
    if percent:
        return f"占{number}%" if after_count and not header else (f"{header}{number}%" if header else f"{number}%")
    if header and _COUNT_HEADER.search(header):
        name = re.sub(r"[（(](件|个|家|人|份|项|条)[)）]|件数|数量|数目|个数|数$", "", header).strip()
        return ("" if _GENERIC_COUNT.match(header.strip()) or not name else name) + number + _count_unit(header)
    return cell


def table_sentences(rows: list[list[str]]) -> list[str]:
    """A table's rows as sentences, the way a reader reads them: cells joined by ``，``, a row ended by
    ``。``. A first row without numbers over rows with numbers is a header: it gives each column's
    meaning (``类别 | 件数 | 占比`` over ``A类 | 177 | 71.37`` reads ``A类177件，占71.37%。``).
    A table of handling units (its first column names units: 住建局, 教育局) keeps its numbers
    as printed: they are each unit's, not the report's, and extraction keeps them unplaced.
    Cells merged across columns are read once."""
    rows = [[_cell_text(c) for c in row] for row in rows]
    rows = [[c for i, c in enumerate(row) if c and (i == 0 or c != row[i - 1])] for row in rows]
    rows = [row for row in rows if row]
    if not rows:
        return []
    numeric = [bool(re.search(r"\d", " ".join(row))) for row in rows]
    header: list[str] = []
    if not numeric[0] and any(numeric[1:]) and len(rows[0]) > 1:
        header, rows = rows[0], rows[1:]
    labels = [row[0] for row in rows if row and not re.search(r"\d", row[0])]
    units = bool(header and re.search(r"单位|部门", header[0])) or bool(labels) and sum(bool(_UNIT_NAME.search(x)) for x in labels) * 2 > len(labels)
    out = []
    for row in rows:
        if units or len(header) != len(row):
            cells = row if units else [_with_header("", c, i > 0 and bool(re.search(r"\d\s*(件|个|家|人|份|项|条)$", row[i - 1]))) for i, c in enumerate(row)]
        else:
            cells = []
            for i, (h, c) in enumerate(zip(header, row)):
                previous = cells[-1] if cells else ""
                cells.append(_with_header(h, c, bool(re.search(r"\d\s*(件|个|家|人|份|项|条)$", previous))))
        cells = [c for c in cells if c]
        # a label cell runs on into the count after it, as a sentence prints it: "A类177件"
        text = ""
        for i, c in enumerate(cells):
            runs_on = i + 1 < len(cells) and not re.search(r"\d", c) and re.match(r"\d", cells[i + 1])
            text += c + ("" if runs_on or i + 1 == len(cells) else "，")
        out.append(text if re.search(r"[。！？；;.!?]$", text) else text + "。")
    return out


def _tidy(text: str) -> str:
    """Whitespace as a browser shows it: a run of spaces and line breaks is one space, and none
    between two Chinese characters (CSS Text 3: a line break between East Asian wide characters
    is removed)."""
    text = re.sub(r"[ \t\r\f\v\u00a0]*\n[\s\u00a0]*", "\n", text)
    text = re.sub(rf"(?<=[{_CJK}])\n(?=[{_CJK}])", "", text)
    return re.sub(r"[\s\u00a0]+", " ", text)


# ---- HTML ------------------------------------------------------------------------------------------

_BLOCKS = ["p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
           "blockquote", "pre", "tr", "table", "hr", "center", "figure", "figcaption", "address", "caption", "tbody", "thead", "td", "th"]


def _block_text(node) -> str:
    """The text of an HTML element as a browser lays it out: a line per block element (p, div,
    li, h1…, a table row), inline elements (span, b, a, font) run on within their line."""
    from bs4 import NavigableString

    for br in node.find_all("br"):
        br.replace_with(NavigableString("\n\x00"))
    for tag in node.find_all(_BLOCKS):
        tag.insert_before(NavigableString("\x00"))
        tag.insert_after(NavigableString("\x00"))
    raw = node.get_text("")
    lines = [_tidy(part).strip() for part in raw.split("\x00")]
    return "\n".join(line for line in lines if line)


def _data_table(rows) -> bool:
    """A table of figures, not a page laid out in a table: no table inside it, short cells."""
    return all(len(c) <= 80 for row in rows for c in row)


def _html(data: bytes) -> tuple[str, str]:
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(data, "lxml")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template", "title"]):
        tag.decompose()
    for tag in soup.select('[class*="nav"], [id*="nav"], [class*="menu"], [id*="menu"], [class*="breadcrumb"], [role="navigation"]'):
        tag.decompose()
    body = soup.find("article") or soup.find("main") or soup.body or soup
    for table in reversed(body.find_all("table")):  # innermost first
        if table.find("table") is not None:
            continue
        rows = [[_cell_text(_block_text(cell)) for cell in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]
        if rows and _data_table(rows):
            table.replace_with(NavigableString("\x00" + "\x00".join(table_sentences(rows)) + "\x00"))
    heading = body.find("h1") or soup.find("h1")
    text = _block_text(body)
    title = heading.get_text(" ", strip=True) if heading is not None else ""
    return text, title or _page_title(page_title)


def _page_title(title: str) -> str:
    """A page's ``<title>`` without the site's name after it (``…的通报_青山县人民政府网``): its longest part."""
    parts = [p.strip() for p in re.split(r"\s+[-|–—]\s+|_|｜|\|", title) if p.strip()]
    return max(parts, key=len) if parts else ""


# ---- Word ------------------------------------------------------------------------------------------

def _docx(path: Path) -> tuple[str, str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    heading = ""
    body = document.element.body
    for child in body.iterchildren():  # paragraphs and tables in the document's order
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            if paragraph.text.strip():
                lines.append(paragraph.text)
                style = (paragraph.style.name if paragraph.style is not None else "") or ""
                if not heading and re.match(r"(Title|Heading|标题)", style):
                    heading = paragraph.text.strip()
        elif tag == "tbl":
            table = Table(child, document)
            rows = []
            for row in table.rows:
                seen, cells = set(), []
                for cell in row.cells:  # a merged cell comes once per column it spans
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text)
                rows.append(cells)
            lines += table_sentences(rows) if _data_table(rows) else [c for row in rows for c in row if c.strip()]
    title = _property_title(document.core_properties.title) or heading
    return "\n".join(line for line in lines if line.strip()), title


_SENTENCE_END = "。！？；：:;!?」』”）)"


def _width(line: str) -> int:
    """Display width: a wide (CJK, full-width) character counts two, any other one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def unwrap(page: str, full: float = 0.9) -> str:
    """A page's text with the lines it wrapped joined again: a line that fills the page's width (at
    least ``full`` of its widest line) and does not end a sentence continues on the next line.
    Shorter lines (a heading, a paragraph's last line) end where they end. Chinese is joined with
    nothing between; two Latin words with a space."""
    lines = [line.rstrip() for line in page.splitlines()]
    widest = max((_width(line) for line in lines), default=0)
    out: list[str] = []
    joining = False
    for line in lines:
        if joining and out and line.strip():
            space = " " if re.search(r"[A-Za-z]$", out[-1]) and re.match(r"\s*[A-Za-z]", line) else ""
            out[-1] += space + line.strip()
        else:
            out.append(line)
        joining = bool(line.strip()) and _width(line) >= full * widest and not line.endswith(tuple(_SENTENCE_END))
    return "\n".join(out)


def _pdf(path: Path) -> tuple[str, str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = "\n".join(unwrap((page.extract_text() or "").replace("\x00", "")) for page in reader.pages)
    if not text.strip():
        raise ReportReadError(f"{path}: the PDF has no text layer (a scan): extract its text with OCR first")
    return text, _property_title(reader.metadata.title if reader.metadata else None)


def _property_title(title) -> str:
    """A file's title property, or ``""`` for a writer's placeholder ("untitled", "(anonymous)",
    "文档1", "Microsoft Word - 文档1.docx"): the text's own heading is the better title then."""
    text = re.sub(r"^Microsoft Word\s*-\s*", "", str(title or "")).strip()
    text = re.sub(r"\.(docx?|wps|pdf)$", "", text, flags=re.IGNORECASE).strip()
    placeholder = r"[(\[（]?\s*(untitled|anonymous|unknown|无标题|未命名|文档\s*\d*|document\s*\d*|title|标题)\s*[)\]）]?"
    return "" if re.fullmatch(placeholder, text, re.IGNORECASE) else text


def heading(text: str) -> str:
    """A text's title: its first line when that line is a heading (at most 80 characters, words in
    it, no sentence or clause ending it: 青山县人民政府关于县政协九届二次会议提案办理情况的通报), else ``""``."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) > 80 or not re.search(r"[\u4e00-\u9fffA-Za-z]{4}", first) or re.search(r"[。；;，,：:！!？?%％]$", first):
        return ""
    return first


def read_report(path: str | Path) -> ReportText:
    """Read a report file by its suffix (:data:`SUFFIXES`).

    Raises:
        ReportReadError: missing file, a folder, unknown suffix, undecodable text, a broken Word or
            PDF file, a PDF without a text layer, or no text at all (an empty file); the message is
            one line naming the file.
    """
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReportReadError(f"{path}: not a report text ({', '.join(sorted(SUFFIXES))}); claims files are .yaml")
    if path.is_dir():
        raise ReportReadError(f"{path}: a folder, not a file")
    if not path.is_file():
        raise ReportReadError(f"{path}: file not found")
    try:
        if kind == "text":
            text, how = decode(path.read_bytes(), path)
            title = heading(text)
        elif kind == "html":
            (text, title), how = _html(path.read_bytes()), "html (BeautifulSoup + lxml)"
        elif kind == "docx":
            (text, title), how = _docx(path), "docx (python-docx)"
        else:
            (text, title), how = _pdf(path), "pdf text layer (pypdf)"
    except ReportReadError:
        raise
    except Exception as exc:  # a broken file of a known kind: one line, never a traceback
        raise ReportReadError(f"{path}: could not be read as {kind} ({type(exc).__name__}: {exc})") from None
    if not text.strip():
        where = {"text": "the file is empty", "html": "the page shows no text outside navigation, scripts and images",
                 "docx": "the document has no paragraph or table with text"}.get(kind, "no text layer")
        raise ReportReadError(f"{path}: no text read ({where}): nothing to extract or audit")
    return ReportText(path, text, title or heading(text), how)


__all__ = ["ReportReadError", "ReportText", "SUFFIXES", "decode", "heading", "read_report", "table_sentences", "unwrap"]
