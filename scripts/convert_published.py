"""Convert transcribed published reports (the raw corpus format) into claims files, one per report.

    python scripts/convert_published.py                                   # data/published/raw/reports.yaml → data/published/
    python scripts/convert_published.py --input RAW.yaml --output DIR     # any raw file, any folder
    python scripts/convert_published.py --check                           # exit 1 if the files in --output differ

Source format: ``data/published/raw/README.md`` (61 public reports transcribed as printed). Nothing is
corrected: every printed text is copied as is; a value that is not a number (``true``, a phrase)
becomes ``value: null`` with the transcription kept in ``note``. Every breakdown is kept with its
text: ``results`` (a second results block, written as a list or as a repeated key, goes to
``breakdowns``), ``topic_categories`` (→ ``topics``), and any other block with ``cats``. Added, as data
to review in the output: each figure's ``meaning``, each printed result label's normalised
``statuses``, and, for rates whose parts the report also printed, how the rate is ``derived`` — all
from the package's figure vocabulary (``proposal_stats.published.vocabulary``), the same rules the
audit uses, so the two cannot disagree.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

import yaml

from proposal_stats.claims_format import ClaimsError, Figure
from proposal_stats.published.vocabulary import derive_links, meaning_of, statuses

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "published" / "raw" / "reports.yaml"
OUT = ROOT / "data" / "published"
#: Raw breakdown keys with a fixed place in the claims format; any other block with ``cats`` is kept
#: in ``breakdowns`` under its own key as ``kind``.
PLACES = {"results": "results", "topic_categories": "topics"}
_BREAKDOWN_KEYS = {"base", "partial", "overlapping", "text", "cats", "kind"}
_CAT_KEYS = {"code", "label", "count", "pct_text", "share_text", "text"}


class _RawLoader(yaml.SafeLoader):
    """Reads the raw file; a breakdown key given twice in one report (two ``results:`` blocks, for
    NPC suggestions and CPPCC proposals) keeps both as a list; any other repeated key is an error."""

    def construct_mapping(self, node, deep=False):
        out, seen = {}, {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            value = self.construct_object(value_node, deep=True)
            if key in seen:
                if not (isinstance(value, dict) and "cats" in value):
                    raise yaml.constructor.ConstructorError(None, None, f"key '{key}' is given twice", key_node.start_mark)
                previous = out[key] if isinstance(out[key], list) else [out[key]]
                out[key] = previous + [value]
            else:
                out[key] = value
            seen[key] = True
        return out


def number(value):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    return None


def figure(raw: dict) -> dict:
    value = raw.get("value")
    out = {"value": number(value), "text": str(raw.get("text", ""))}
    if out["value"] is None and value is not None:
        out["note"] = f"transcribed value: {value}"
    return out


def breakdown(raw: dict, kind: str, where: str) -> dict:
    unknown = set(raw) - _BREAKDOWN_KEYS
    if unknown:
        raise ClaimsError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_BREAKDOWN_KEYS))})")
    out = {"kind": kind} if kind else {}
    if raw.get("base") is not None:
        out["base"] = raw["base"]
    for flag in ("partial", "overlapping"):
        if raw.get(flag):
            out[flag] = True
    if raw.get("text"):
        out["text"] = str(raw["text"])
    cats = []
    for n, cat in enumerate(raw["cats"]):
        unknown = set(cat) - _CAT_KEYS
        if unknown:
            raise ClaimsError(f"{where}.cats.{n}: unknown key(s) {', '.join(sorted(unknown))}")
        c = {"code": str(cat.get("code") or ""), "label": str(cat.get("label") or "")}
        if cat.get("count") is not None:
            c["count"] = cat["count"]
        share = cat.get("share_text") or cat.get("pct_text")
        if share:
            c["share_text"] = str(share)
        if cat.get("text"):
            c["text"] = str(cat["text"])
        cats.append({k: v for k, v in c.items() if v != ""})
    out["cats"] = cats
    return out


def blocks(entry: dict) -> list[tuple[str, dict]]:
    """Every breakdown block of a raw entry, in file order: (raw key, block)."""
    out = []
    for key, value in entry.items():
        for block in value if isinstance(value, list) else [value]:
            if isinstance(block, dict) and "cats" in block:
                out.append((key, block))
    return out


def convert(entry: dict) -> dict:
    out = {k: entry[k] for k in ("id", "jurisdiction", "level", "body", "report_type", "session") if entry.get(k) is not None}
    out["year"] = entry.get("year")
    out["source"] = {
        "title": entry.get("title") or "",
        "publisher": entry.get("publisher") or "",
        "url": entry.get("source_url"),
        "reliability": entry.get("reliability") or "",
    }
    found = blocks(entry)
    results = [b for k, b in found if k == "results"]
    if results:
        out["scheme"] = [
            {"code": str(c.get("code") or f"class {i + 1}"), "label": str(c.get("label") or ""), "statuses": statuses(c.get("label"))}
            for i, c in enumerate(results[0]["cats"])
        ]
    raw_figures = entry.get("figures") or {}
    figures = {name: figure(raw) for name, raw in raw_figures.items()}
    models = {name: Figure.model_validate(f) for name, f in figures.items()}
    links = derive_links(models)
    for name, f in figures.items():
        meaning = meaning_of(name, models[name])
        if meaning:
            f["meaning"] = meaning
        if name in links:
            of, over = links[name]
            f["derived"] = {"of": list(of), "over": over}
    out["figures"] = figures
    others, placed = [], set()
    for key, block in found:
        where = f"{entry.get('id')}: {key}"
        place = PLACES.get(key)
        if place and place not in placed:
            out[place] = breakdown(block, "", where)
            placed.add(place)
        else:
            others.append(breakdown(block, place or key, where))
    if others:
        out["breakdowns"] = others
    return out


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float" if "." in str(v) else "tag:yaml.org,2002:int", str(v)))


def render(entry: dict, source: str) -> str:
    header = (
        f"# {entry['id']}: converted by scripts/convert_published.py from {source}.\n"
        "# Printed texts are copied exactly; nothing is corrected. `meaning`, `scheme.statuses` and `derived` are added\n"
        "# by the converter (the figure vocabulary, proposal_stats.published.vocabulary) and can be reviewed here.\n"
    )
    return header + yaml.dump(convert(entry), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=RAW, help=f"raw reports file (default: {RAW.relative_to(ROOT)})")
    parser.add_argument("--output", type=Path, default=OUT, help=f"folder for the claims files (default: {OUT.relative_to(ROOT)})")
    parser.add_argument("--check", action="store_true", help="compare with the files in --output instead of writing")
    args = parser.parse_args(argv)
    try:
        raw = yaml.load(args.input.read_text(encoding="utf-8"), Loader=_RawLoader)  # noqa: S506 (a SafeLoader)
        entries = raw["reports"] if isinstance(raw, dict) and "reports" in raw else None
        if not isinstance(entries, list):
            raise ClaimsError("expected 'reports:' with a list of reports")
        texts = {}
        for n, entry in enumerate(entries):
            if not isinstance(entry, dict) or not entry.get("id"):
                raise ClaimsError(f"reports.{n}: a report needs an 'id'")
            source = args.input.resolve().relative_to(ROOT).as_posix() if args.input.resolve().is_relative_to(ROOT) else args.input.name
            texts[f"{entry['id']}.yaml"] = render(entry, source)
    except (OSError, yaml.YAMLError, ClaimsError) as exc:
        print(f"error: {args.input}: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    status = 0
    if not args.check:
        args.output.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        path = args.output / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                print(f"{path} differs from what the script makes", file=sys.stderr)
                status = 1
        else:
            path.write_text(text, encoding="utf-8")
    if not args.check:
        print(f"wrote {len(texts)} claims files to {args.output}")
    return status


if __name__ == "__main__":
    sys.exit(main())
