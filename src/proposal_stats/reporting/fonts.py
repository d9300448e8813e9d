"""The bundled CJK font: which face draws a report's Chinese, and the subset of it the HTML embeds.

A fresh machine has no CJK font. The project brings Noto Sans CJK (SIL Open Font License 1.1) as the
OpenType collection ``NotoSansCJK-Regular.ttc`` from the PyPI package ``noto-cjk-sans-otc`` (we read
its font file, we never import the package). The collection holds one face per region, and the
faces draw shared characters differently (直 角 骨 令 写 …): a simplified-Chinese report uses the SC
face (index 2), a traditional one the TC face (3) or the Hong Kong face (4), never the Japanese face
(0). :data:`FACES` maps a params file's ``chinese_glyphs`` to its face; the charts
(:mod:`proposal_stats.reporting.charts`) and the HTML use the same one.

The HTML report's *text* needs the font too: :func:`subset_font` cuts the characters a report uses
out of that face, and :func:`embed_css` turns it into an ``@font-face`` rule the report carries
inline, so it reads the same offline on any machine. A reader's own Chinese font of the same
region still comes first (``local()``); the embedded face is the fallback.

Run as ``python -m proposal_stats.reporting.fonts GLYPHS``, it opens the face, then reads the
characters from standard input and writes the subset font, base64-encoded, to standard output: the
renderer starts it while the kernel runs the notebook and feeds it the characters afterwards, so
the work overlaps the HTML export.
"""

from __future__ import annotations

import base64
import io
import os
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

_FONT_DISTRIBUTION = "noto-cjk-sans-otc"
_FONT_FILE = "NotoSansCJK-Regular.ttc"

#: ``chinese_glyphs`` → (family name in the collection, the reader's own fonts of that region, by
#: their full or PostScript names as CSS ``local()`` finds them: tried before the embedded subset).
FACES: dict[str, tuple[str, tuple[str, ...]]] = {
    "simplified": ("Noto Sans CJK SC", ("PingFang SC Regular", "PingFangSC-Regular", "Microsoft YaHei", "Noto Sans CJK SC Regular",
                                        "NotoSansCJKsc-Regular", "Source Han Sans SC Regular", "SourceHanSansSC-Regular")),
    "traditional": ("Noto Sans CJK TC", ("PingFang TC Regular", "PingFangTC-Regular", "Microsoft JhengHei", "Noto Sans CJK TC Regular",
                                         "NotoSansCJKtc-Regular", "Source Han Sans TC Regular", "SourceHanSansTC-Regular")),
    "hong_kong": ("Noto Sans CJK HK", ("PingFang HK Regular", "PingFangHK-Regular", "Microsoft JhengHei", "Noto Sans CJK HK Regular",
                                       "NotoSansCJKhk-Regular", "Source Han Sans HC Regular", "SourceHanSansHC-Regular")),
}
#: The name the report's CSS gives the embedded subset (kept apart from any installed Noto font).
EMBEDDED_FAMILY = "Proposal Stats CJK"


@cache
def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK Regular collection (``.ttc``).

    Raises:
        RuntimeError: the ``noto-cjk-sans-otc`` distribution is not installed or has no font file.
    """
    try:
        files = metadata.files(_FONT_DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        raise RuntimeError(f"the CJK font package {_FONT_DISTRIBUTION!r} is not installed") from None
    for f in files:
        if f.name == _FONT_FILE:
            return Path(str(f.locate()))
    raise RuntimeError(f"{_FONT_DISTRIBUTION!r} has no {_FONT_FILE}")


def family(glyphs: str = "simplified") -> str:
    """The collection's family name for ``glyphs`` (``"Noto Sans CJK SC"`` for ``simplified``)."""
    return FACES[glyphs][0]


@cache
def face_index(glyphs: str = "simplified") -> int:
    """The index of ``glyphs``' face in the collection, found by its family name (SC is 2).

    Raises:
        RuntimeError: the collection has no such face.
    """
    from fontTools.ttLib import TTFont

    path = cjk_font_path()
    for i in range(_face_count(path)):
        with TTFont(str(path), fontNumber=i, lazy=True) as font:
            name = font["name"].getDebugName(1)
        if name == family(glyphs):
            return i
    raise RuntimeError(f"{path} has no face {family(glyphs)!r}")


def _face_count(path: Path) -> int:
    with path.open("rb") as f:
        header = f.read(12)
    return int.from_bytes(header[8:12], "big") if header[:4] == b"ttcf" else 1


def characters_needing_font(text: str) -> str:
    """The distinct characters of ``text`` beyond Latin, Greek and the common symbols (code point
    U+2E80 and up: CJK, kana, full-width forms), sorted, as one string."""
    return "".join(sorted(c for c in set(text) if ord(c) >= 0x2E80))


def open_font(glyphs: str = "simplified"):
    """The face for ``glyphs``, the tables the subset needs already read (done ahead of time)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(cjk_font_path()), fontNumber=face_index(glyphs), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    for tag in ("cmap", "CFF ", "hmtx", "name", "OS/2", "post"):
        font[tag]
    return font


def subset_font(characters: str, font=None, glyphs: str = "simplified") -> bytes:
    """The face for ``glyphs`` (or ``font`` from :func:`open_font`, which this consumes) cut down
    to ``characters``: a WOFF font (OpenType/CFF, zlib-compressed: a quarter smaller) for horizontal
    text, hints kept, no layout features, the font's own bounding boxes (not recomputed: that alone
    took most of the time). Deterministic: the same characters give the same bytes (no timestamp)."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the copyright and licence names (OFL 1.1 asks for them)
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx"]  # vertical text: not in a report
    font = font if font is not None else open_font(glyphs)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out)
    font.close()  # (lazy: the collection's file stays open until closed)
    return out.getvalue()


def font_stack(glyphs: str = "simplified") -> str:
    """The CSS ``font-family`` list for a report's text: the report's CJK face first (it holds only
    CJK characters, so Latin text falls through to the system fonts after it), then the system's
    Latin fonts. The CJK face is listed first because Chromium, with no CJK font installed, draws
    whole runs of Chinese as empty boxes when a system Latin font comes before it."""
    return f"'{EMBEDDED_FAMILY}', system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def embed_css(font_base64: str, glyphs: str = "simplified", *, characters: str | None = None, display: str | None = None) -> str:
    """A ``<style>`` element declaring the report's CJK face: the reader's own Chinese font of the
    region when the machine has one (``local()``), else the embedded subset.

    ``characters`` (the subset's own characters) adds a ``unicode-range``, so several subsets can
    make one face, each drawing only its characters: a page that shows new text adds a face for the
    new characters and never replaces one in use (which would blank its text while the browser
    loads the replacement). ``display`` sets ``font-display`` (e.g. ``swap``)."""
    local = ",".join(f"local('{name}')" for name in FACES[glyphs][1])
    extra = f"unicode-range:{','.join(f'U+{ord(c):X}' for c in sorted(set(characters)))};" if characters else ""
    extra += f"font-display:{display};" if display else ""
    return (f"<style>@font-face{{font-family:'{EMBEDDED_FAMILY}';"
            f"src:{local},url(data:font/woff;base64,{font_base64}) format('woff');{extra}}}</style>")


def main() -> None:
    """Open the face named by the first argument (``simplified`` by default), then read characters
    from standard input and write the subset font, base64, to standard output (nothing when there
    are no characters)."""
    os.nice(10)  # opening the font runs beside the kernel's start: the kernel comes first
    glyphs = sys.argv[1] if len(sys.argv) > 1 else "simplified"
    font = open_font(glyphs)  # while the caller is still busy: it sends the characters when it has them
    characters = sys.stdin.read()
    if characters:
        sys.stdout.write(base64.b64encode(subset_font(characters, font)).decode("ascii"))
    sys.stdout.flush()
    os._exit(0)  # the caller waits for our exit: skip tearing down the big font objects


if __name__ == "__main__":
    main()
