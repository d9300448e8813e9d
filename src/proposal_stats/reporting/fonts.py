"""The bundled CJK font: where it is, and the subset of it that the HTML report embeds.

A fresh machine has no CJK font. Charts draw Chinese with Noto Sans CJK (SIL Open Font License 1.1),
installed from PyPI as ``notojp-matplotlib`` (we read its font file, we never import the package).
The HTML report's *text* needs a font too: :func:`subset_font` cuts the characters a report uses out
of the same font (about 50 KB for the reference report), and :func:`embed_css` turns it into an
``@font-face`` rule the report carries inline, so it reads the same offline on any machine. A
reader's own Chinese fonts still come first; the embedded face is the fallback.

Run as ``python -m proposal_stats.reporting.fonts``, it opens the font, then reads the characters from standard
input and writes the subset font, base64-encoded, to standard output: the renderer starts it while the
kernel runs the notebook and feeds it the characters afterwards, so the work overlaps the HTML export.
"""

from __future__ import annotations

import base64
import io
import os
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

CJK_FAMILY = "Noto Sans CJK JP"
_FONT_DISTRIBUTION = "notojp-matplotlib"
#: The name the report's CSS gives the embedded subset (kept apart from any installed Noto font).
EMBEDDED_FAMILY = "Proposal Stats CJK"


@cache
def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK Regular font file.

    Raises:
        RuntimeError: the ``notojp-matplotlib`` distribution is not installed or has no .otf file.
    """
    try:
        files = metadata.files(_FONT_DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        raise RuntimeError(f"the CJK font package {_FONT_DISTRIBUTION!r} is not installed") from None
    for f in files:
        if f.name.endswith(".otf"):
            return Path(str(f.locate()))
    raise RuntimeError(f"{_FONT_DISTRIBUTION!r} has no .otf font file")


def characters_needing_font(text: str) -> str:
    """The distinct characters of ``text`` beyond Latin, Greek and the common symbols (code point
    U+2E80 and up: CJK, kana, full-width forms), sorted, as one string."""
    return "".join(sorted(c for c in set(text) if ord(c) >= 0x2E80))


def open_font():
    """The bundled font, the tables the subset needs already read (about 0.3 s, done ahead)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(cjk_font_path()), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    for tag in ("cmap", "CFF ", "hmtx", "name", "OS/2", "post"):
        font[tag]
    return font


def subset_font(characters: str, font=None) -> bytes:
    """The bundled font (or ``font`` from :func:`open_font`, which this consumes) cut down to
    ``characters``: OpenType/CFF bytes for horizontal text, hints kept, no layout features, the
    font's own bounding boxes (not recomputed: that alone took most of the time). Deterministic:
    the same characters give the same bytes (no timestamp is written)."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the copyright and licence names (OFL 1.1 asks for them)
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx"]  # vertical text: not in a report
    font = font if font is not None else open_font()
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embed_css(font_base64: str) -> str:
    """A ``<style>`` element declaring the embedded face and adding it, after the reader's own
    Chinese fonts, to the families the JupyterLab template uses for text."""
    families = (
        "system-ui, -apple-system, 'Segoe UI', helvetica, arial, 'PingFang SC', 'Microsoft YaHei', "
        f"'Noto Sans CJK SC', 'Source Han Sans SC', '{EMBEDDED_FAMILY}', sans-serif"
    )
    return (
        "<style>"
        f"@font-face{{font-family:'{EMBEDDED_FAMILY}';src:url(data:font/otf;base64,{font_base64}) format('opentype');}}"
        f":root{{--jp-content-font-family:{families};--jp-ui-font-family:{families};}}"
        "</style>"
    )


def main() -> None:
    """Open the font, then read characters from standard input and write the subset font, base64,
    to standard output (nothing when there are no characters)."""
    os.nice(10)  # opening the font runs beside the kernel's start: the kernel comes first
    font = open_font()  # while the caller is still busy: it sends the characters when it has them
    characters = sys.stdin.read()
    if characters:
        sys.stdout.write(base64.b64encode(subset_font(characters, font)).decode("ascii"))
    sys.stdout.flush()
    os._exit(0)  # the caller waits for our exit: skip tearing down the big font objects


if __name__ == "__main__":
    main()
