"""The ``proposal-stats`` command."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

app = typer.Typer(
    help="Reproducible, auditable reports on the handling of CPPCC proposals and NPC suggestions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

REFERENCE_PARAMS = Path("params") / "chuxiong-city-2022.yaml"


@app.callback()
def _main() -> None:
    """Reproducible, auditable reports on the handling of CPPCC proposals and NPC suggestions."""


def _params_to_render(params: list[Path], render_all: bool) -> list[Path]:
    if render_all:
        if params:
            raise typer.BadParameter("give params files or --all, not both")
        found = sorted(Path("params").glob("*.yaml")) + sorted(Path("params").glob("*.yml"))
        if not found:
            raise typer.BadParameter("--all: no *.yaml files in ./params (run from the project root)")
        return found
    if params:
        return params
    if not REFERENCE_PARAMS.is_file():
        raise typer.BadParameter(f"no params file given and {REFERENCE_PARAMS} not found (run from the project root)")
    return [REFERENCE_PARAMS]


STEPS = ("params", "execute", "export", "write")


@contextmanager
def _progress(label: str):
    """Yield an ``on_step(step)`` callback: a live bar in a terminal, one plain line per step in a
    log (CI, a pipe), where a redrawn bar would only print at the end."""
    if not err.is_terminal:
        yield lambda step: err.print(escape(f"{label}: {step}"))
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(escape(f"{label}: starting"), total=len(STEPS))

        def on_step(step: str) -> None:
            bar.update(task, description=escape(f"{label}: {step}"), completed=STEPS.index(step) if step in STEPS else len(STEPS))

        yield on_step


@app.command()
def report(
    params: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PARAMS.yaml", help=f"params file(s); default: {REFERENCE_PARAMS} (the reference report)"),
    ] = None,
    render_all: Annotated[bool, typer.Option("--all", help="render every params file in ./params")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="fail instead of reporting when ledger rows are rejected")] = False,
) -> None:
    """Render annual handling reports to outputs/<report>/ (report.html, summary.json, CSV tables)."""
    files = _params_to_render(list(params or []), render_all)
    from .reporting.render import RenderError, render_report

    failures = 0
    for path in files:
        with _progress(path.name) as on_step:
            try:
                result = render_report(path, on_step=on_step, strict=strict)
            except RenderError as exc:
                failures += 1
                on_step("failed")
                err.print(f"[red]error:[/red] {escape(str(exc))}")
                continue
        for text in result.stderr:
            err.print(f"[yellow]notebook stderr ({result.report_id}):[/yellow] {escape(text.strip())}")
        err.print(escape(f"{result.report_id}: {result.output_dir / 'report.html'} ({result.seconds:.1f} s)"))
    if failures:
        raise typer.Exit(1)


@app.command()
def validate(
    ledger: Annotated[Path, typer.Argument(metavar="LEDGER", help="ledger file: CSV, TSV, XLSX or Parquet")],
    params: Annotated[Path | None, typer.Option("--params", help="params file: its result scheme, deadline rule and aliases")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet (default: the first)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="warnings fail too (exit 1)")] = False,
) -> None:
    """Check a ledger: rows read, accepted and rejected, and every problem with its line and column.

    Exit status: 0 clean, 1 rows rejected or errors found (or, with --strict, warnings), 2 the file
    (or the params file) cannot be read at all.
    """
    import json

    try:
        from .ledger.model import LedgerError, read_ledger
        from .params import ParamsError, load_report_params

        loaded = load_report_params(params) if params else None
        result = read_ledger(ledger, loaded, sheet=sheet)
    except (ParamsError, LedgerError) as exc:
        _fail(str(exc), as_json)
    except Exception as exc:  # never a traceback, whatever the input
        _fail(f"{ledger}: could not be read ({type(exc).__name__}: {exc})", as_json)

    problems = result.problems
    summary = {
        "file": str(ledger),
        "encoding": result.encoding,
        "layout": result.layout,
        "rows_read": result.rows_read,
        "rows_accepted": result.rows_read - len(result.rejected),
        "rows_rejected": len(result.rejected),
        "proposals": len(result.proposals),
        "unused_columns": list(result.unused_columns),
        "errors": int((problems["severity"] == "error").sum()),
        "warnings": int((problems["severity"] == "warning").sum()),
        "problems": problems.assign(line=problems["line"].astype(int)).to_dict(orient="records"),
    }
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        out = Console(highlight=False, soft_wrap=True)
        out.print(escape(
            f"{ledger}: {summary['rows_read']} rows read, {summary['rows_accepted']} accepted, "
            f"{summary['rows_rejected']} rejected; {summary['errors']} error(s), {summary['warnings']} warning(s) "
            f"[{result.encoding}, {result.layout.replace('_', ' ')}]"
        ))
        if params is None:
            out.print("(no --params: result categories checked as letters A-D, due dates 3 months after assignment)")
        if result.unused_columns:
            out.print(escape(f"columns not used (no known meaning): {', '.join(result.unused_columns)}"))
        for p in summary["problems"]:
            shown = f" = {p['value']!r}" if p["value"] else ""
            out.print(escape(f"{p['file']}:{p['line']}: {p['column']}{shown}: {p['rule']} ({p['severity']}): {p['message']}"))
    failed = summary["rows_rejected"] or summary["errors"] or (strict and summary["warnings"])
    raise typer.Exit(1 if failed else 0)


def _report_texts(path: Path):
    """A report file's text and its extracted claims (a .txt/.html/.docx/.pdf file)."""
    from .published.extract import extract
    from .published.textread import read_report

    read = read_report(path)
    return read, extract(read.text, report_id=path.stem, title=read.title or path.name)


def _is_text(path: Path) -> bool:
    from .published.textread import SUFFIXES

    return path.suffix.lower() in SUFFIXES


@app.command()
def audit(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="claims files (YAML), or report texts (.txt, .html, .docx, .pdf)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the findings as JSON")] = False,
) -> None:
    """Check every printed figure of published reports against the others.

    A report text (.txt in UTF-8, GB18030 or Big5; .html; .docx; .pdf with a text layer) is read and
    its figures extracted first (as `proposal-stats extract` does); each finding is shown beside the
    sentence it comes from. Exit status: 1 if any finding is an error, 0 otherwise, 2 when a file
    cannot be read.
    """
    import json

    from .claims_format import ClaimsError, load_claims
    from .published.audit import audit as audit_claims
    from .published.extract import passage, sentence_of
    from .published.textread import ReportReadError

    reports = []  # (path, claims, the report's text or None)
    for path in files:
        try:
            if _is_text(path):
                read, claims = _report_texts(path)
                reports.append((path, claims, read.text))
            else:
                reports += [(path, c, None) for c in load_claims(path)]
        except (ClaimsError, ReportReadError) as exc:
            _fail(str(exc), as_json)
        except Exception as exc:  # never a traceback, whatever the input
            _fail(f"{path}: could not be read ({type(exc).__name__}: {exc})", as_json)
    results = [(path, c, text, audit_claims(c)) for path, c, text in reports]
    errors = sum(f.severity == "error" for *_, found in results for f in found)

    def sentence(c, text, f) -> str:
        return sentence_of(text, passage(c, f.where)) if text is not None else ""

    if as_json:
        typer.echo(json.dumps(
            [{"file": str(path), "id": c.id, "findings": [f.as_dict() | ({"sentence": sentence(c, text, f)} if text is not None else {}) for f in found]}
             for path, c, text, found in results],
            ensure_ascii=False, indent=2,
        ))
    else:
        out = Console(highlight=False, soft_wrap=True)
        for path, c, text, found in results:
            extracted = f", {len(c.figures)} figure(s), {len(c.all_breakdowns())} breakdown(s), {len(c.unplaced)} unplaced number(s) extracted" if text is not None else ""
            out.print(escape(f"{c.id or path} ({path}): {len(found) or 'no'} finding(s){extracted}"))
            for f in found:
                out.print(escape(f"  {f.severity}: {f.kind} at {f.where}: {f.message}"))
                if text is not None:
                    out.print(escape(f"      「{sentence(c, text, f)}」"))
        out.print(escape(f"{len(results)} report(s), {errors} error(s)"))
    raise typer.Exit(1 if errors else 0)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="report texts: .txt (UTF-8, GB18030, Big5), .html, .docx, .pdf")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="folder to write <name>.yaml claims files into (default: print)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the claims as JSON")] = False,
) -> None:
    """Read report texts and write their claims: every printed figure with the substring that states it.

    Figures get a meaning from the figure vocabulary; breakdowns keep their base, classes and text;
    numbers that cannot be placed are kept under `unplaced`. The output is the claims format
    `proposal-stats audit` reads. Exit status: 0, or 2 when a file cannot be read.
    """
    import json

    import yaml

    from .published.extract import claims_data
    from .published.textread import ReportReadError

    done = []
    for path in files:
        try:
            _, claims = _report_texts(path)
        except ReportReadError as exc:
            _fail(str(exc), as_json)
        except Exception as exc:  # never a traceback, whatever the input
            _fail(f"{path}: could not be read ({type(exc).__name__}: {exc})", as_json)
        done.append((path, claims_data(claims)))
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        for path, data in done:
            target = output / f"{path.stem}.yaml"
            header = f"# {path.name}: extracted by proposal-stats extract; every `text` is a substring of the input.\n"
            target.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
            err.print(escape(f"{path} -> {target}"))
    elif as_json:
        typer.echo(json.dumps([d for _, d in done] if len(done) > 1 else done[0][1], ensure_ascii=False, indent=2))
    else:
        typer.echo(yaml.safe_dump({"reports": [d for _, d in done]} if len(done) > 1 else done[0][1], allow_unicode=True, sort_keys=False, width=120))


KERNEL_NAME = "proposal-stats"


def install_kernel(prefix: str) -> Path:
    """Install this interpreter as the Jupyter kernel "proposal-stats" under ``prefix``; return its folder."""
    from ipykernel.kernelspec import install

    return Path(install(kernel_name=KERNEL_NAME, display_name="proposal-stats (Python 3)", prefix=prefix))


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def lab(ctx: typer.Context) -> None:
    """Start JupyterLab on notebooks/ with the project's kernel ("proposal-stats") installed.

    Extra arguments go to JupyterLab (e.g. --no-browser --port 8890). Open explore.ipynb.
    """
    import os
    import sys

    notebooks = Path("notebooks")
    if not (notebooks / "explore.ipynb").is_file():
        raise typer.BadParameter("notebooks/explore.ipynb not found (run from the project root)")
    where = install_kernel(sys.prefix)
    err.print(escape(f"kernel {KERNEL_NAME} installed in {where}; starting JupyterLab on {notebooks.resolve()}"))
    os.execv(sys.executable, [sys.executable, "-m", "jupyterlab", f"--notebook-dir={notebooks.resolve()}", *ctx.args])


def _fail(message: str, as_json: bool) -> None:
    if as_json:
        import json

        typer.echo(json.dumps({"error": message}, ensure_ascii=False))
    else:
        err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(2)


if __name__ == "__main__":  # pragma: no cover
    app()
