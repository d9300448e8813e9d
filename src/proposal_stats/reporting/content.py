"""The report's content model: sections (a template and the data it shows) and figures.

A section holds data only — numbers, the ledger's text, and :class:`~proposal_stats.messages.Msg`
for words to translate — never markup. It becomes HTML when displayed, through its Jinja2
template (``templates/``) in its language, so the notebook, JupyterLab and the exported report
all show the same thing and escaping is the template engine's job, not each call site's.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .i18n import Translator, render


@dataclass(frozen=True)
class Section:
    """One part of a report: ``template`` (a path under ``templates/``) rendered in ``language``
    with ``data``. Displays as HTML in a notebook; ``str(section)`` is the HTML too."""

    template: str
    language: str
    data: dict[str, Any] = field(default_factory=dict)

    def html(self) -> str:
        """The section as HTML (the template's output; every value escaped unless it is Markup)."""
        return render(self.template, self.language, **self.data)

    __str__ = html

    def __html__(self) -> str:  # a section inside another template is trusted markup
        return self.html()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        # HTML only: a text/plain repr would land in the executed notebook for nothing.
        return {"text/html": self.html()}

    def __repr__(self) -> str:
        return f"Section({self.template!r}, {self.language!r})"


class Sections:
    """What a report made of :class:`Section` s shares: its ``language`` and ``params`` (fields of
    the dataclass that mixes this in) give the translator, the glyphs of its Chinese and its
    sections from ``templates/<TEMPLATES>/``."""

    TEMPLATES: ClassVar[str]

    @property
    def t(self) -> Translator:
        """Translates into the report's language (see :class:`~proposal_stats.reporting.i18n.Translator`)."""
        return Translator(self.language)

    @property
    def glyphs(self) -> str:
        """The regional forms the report's Chinese is drawn in (``simplified``: the SC face)."""
        return self.params.glyphs(self.language)

    def _section(self, name: str, **data) -> Section:
        return Section(f"{self.TEMPLATES}/{name}.html.j2", self.language, data)


def png_bytes(fig, dpi: int = 110) -> bytes:
    """A matplotlib figure as PNG bytes, then closed: one render (``bbox_inches="tight"`` would
    draw it twice), reduced to a 256-colour palette (a chart has few colours: a quarter of the size,
    no visible change), no timestamp, so the same inputs give the same bytes."""
    import matplotlib.pyplot as plt
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    rgb = Image.open(buf).convert("RGB")
    plt.close(fig)
    quantized = rgb.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    # The octree averages colours: put back pure white (and black) where it rounded them off by a shade.
    palette = [255 if v >= 250 else 0 if v <= 5 else v for v in quantized.getpalette()]
    quantized.putpalette(palette)
    out = io.BytesIO()
    quantized.save(out, format="PNG", optimize=True)
    return out.getvalue()


def figure(fig, alt: str, language: str, caption: str = "", figure_id: str = "", dpi: int = 110) -> Section:
    """A chart as a section: the PNG embedded (``data:`` URL), its alternative text and caption
    (both already in ``language``), and a fixed ``id`` so the HTML stays byte-identical."""
    data = base64.b64encode(png_bytes(fig, dpi)).decode("ascii")
    return Section("figure.html.j2", language, {"src": f"data:image/png;base64,{data}", "alt": alt, "caption": caption, "id": figure_id})
