"""A published report's text from the file it comes in: plain text, an HTML page, a Word file, a PDF.

Maintained readers do the work: charset-normalizer guesses a text file's encoding (UTF-8 first;
GB18030 and Big5 judged by what they decode to, since Big5 bytes often decode as GB18030 nonsense),
BeautifulSoup with lxml takes an HTML page's text (scripts, styles, navigation, headers and footers
left out), python-docx reads paragraphs and table cells of a ``.docx``, pypdf the text layer of a PDF.

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
    """A report's text as read: ``text``, the ``title`` found in the file (HTML ``<title>``, a
    document's title) or ``""``, and how it was read (``encoding`` or the reader used)."""

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


def _html(data: bytes) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template"]):
        tag.decompose()
    for tag in soup.select('[class*="nav"], [id*="nav"], [class*="menu"], [id*="menu"], [class*="breadcrumb"], [role="navigation"]'):
        tag.decompose()
    body = soup.find("article") or soup.find("main") or soup.body or soup
    lines = [line.strip() for line in body.get_text("\n").splitlines()]
    return "\n".join(line for line in lines if line), title


def _docx(path: Path) -> tuple[str, str]:
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(line for line in lines if line.strip()), document.core_properties.title or ""


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
    title = (reader.metadata.title if reader.metadata else None) or ""
    return text, str(title)


def read_report(path: str | Path) -> ReportText:
    """Read a report file by its suffix (:data:`SUFFIXES`).

    Raises:
        ReportReadError: missing file, unknown suffix, undecodable text, a broken Word or PDF file,
            or a PDF without a text layer; the message is one line naming the file.
    """
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReportReadError(f"{path}: not a report text ({', '.join(sorted(SUFFIXES))}); claims files are .yaml")
    if not path.is_file():
        raise ReportReadError(f"{path}: file not found")
    try:
        if kind == "text":
            text, encoding = decode(path.read_bytes(), path)
            return ReportText(path, text, "", encoding)
        if kind == "html":
            text, title = _html(path.read_bytes())
            return ReportText(path, text, title, "html (BeautifulSoup + lxml)")
        if kind == "docx":
            text, title = _docx(path)
            return ReportText(path, text, title, "docx (python-docx)")
        text, title = _pdf(path)
        return ReportText(path, text, title, "pdf text layer (pypdf)")
    except ReportReadError:
        raise
    except Exception as exc:  # a broken file of a known kind: one line, never a traceback
        raise ReportReadError(f"{path}: could not be read as {kind} ({type(exc).__name__}: {exc})") from None


__all__ = ["ReportReadError", "ReportText", "SUFFIXES", "decode", "read_report", "unwrap"]
