"""The ``proposal-stats`` command."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

app = typer.Typer(
    help="Reproducible, auditable reports on the handling of CPPCC proposals and NPC suggestions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _console(stderr: bool = False) -> Console:
    """A console that prints text verbatim: file names, unit names and titles are user data, so no
    markup (``[red]``), no emoji codes (``:cat:``) and no highlighting."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False, emoji=False)


err = _console(stderr=True)


def _error(message: str) -> None:
    err.print(Text("error: ", style="red") + Text(message))

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
        yield lambda step: err.print(f"{label}: {step}")
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}", markup=False), BarColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(f"{label}: starting", total=len(STEPS))

        def on_step(step: str) -> None:
            bar.update(task, description=f"{label}: {step}", completed=STEPS.index(step) if step in STEPS else len(STEPS))

        yield on_step


@app.command()
def report(
    params: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PARAMS.yaml", help=f"params file(s); default: {REFERENCE_PARAMS} (the reference report)"),
    ] = None,
    render_all: Annotated[bool, typer.Option("--all", help="render every params file in ./params")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="fail instead of reporting when ledger rows are rejected")] = False,
    allow_empty: Annotated[bool, typer.Option("--allow-empty", help="make the report even when no ledger row is accepted (every figure empty)")] = False,
) -> None:
    """Render annual handling reports to outputs/<report>/ (report.html, summary.json, CSV tables).

    Exit status: 0 when every report was made, 1 when any failed (a report whose ledger has no
    accepted row fails, with the reason, unless --allow-empty).
    """
    files = _params_to_render(list(params or []), render_all)
    from .reporting.render import RenderError, render_report

    failures = 0
    for path in files:
        with _progress(path.name) as on_step:
            try:
                result = render_report(path, on_step=on_step, strict=strict, allow_empty=allow_empty)
            except RenderError as exc:
                failures += 1
                on_step("failed")
                _error(str(exc))
                continue
        for text in result.stderr:
            err.print(Text(f"notebook stderr ({result.report_id}): ", style="yellow") + Text(text.strip()))
        err.print(f"{result.report_id}: {result.output_dir / 'report.html'} ({result.seconds:.1f} s)")
        if result.rows_rejected:
            err.print(Text(f"{result.report_id}: ", style="yellow") + Text(
                f"{result.rows_rejected} of {result.rows_read} ledger rows rejected and not counted; listed in "
                f"{result.output_dir / 'rejected_rows.csv'} and the report's data-quality section "
                f"(`proposal-stats validate {result.ledger} --params {path}` prints each problem)"))
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
        "layout_note": result.layout_note,
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
        out = _console()
        out.print(
            f"{ledger}: {summary['rows_read']} rows read, {summary['rows_accepted']} accepted, "
            f"{summary['rows_rejected']} rejected; {summary['errors']} error(s), {summary['warnings']} warning(s) "
            f"[{result.encoding}, {result.layout.replace('_', ' ')}]"
        )
        out.print(f"layout: {result.layout_note}")
        if params is None:
            out.print("(no --params: result categories checked as letters A-D, due dates 3 months after assignment)")
        if result.unused_columns:
            out.print(f"columns not used (no known meaning): {', '.join(result.unused_columns)}")
        for p in summary["problems"]:
            out.print(problem_line(p))
        if summary["rows_rejected"]:
            out.print(result.acceptance())
    failed = summary["rows_rejected"] or summary["errors"] or (strict and summary["warnings"])
    raise typer.Exit(1 if failed else 0)


@app.command()
def audit(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="claims files (YAML: one report, or reports: [...])")],
    as_json: Annotated[bool, typer.Option("--json", help="print the findings as JSON")] = False,
) -> None:
    """Check every printed figure of published reports against the others.

    Exit status: 1 if any finding is an error, 0 otherwise, 2 when a file cannot be read.
    """
    import json

    from .claims_format import ClaimsError, load_claims
    from .published.audit import audit as audit_claims

    reports = []
    for path in files:
        try:
            reports += [(path, c) for c in load_claims(path)]
        except ClaimsError as exc:
            _fail(str(exc), as_json)
        except Exception as exc:  # never a traceback, whatever the input
            _fail(f"{path}: could not be read ({type(exc).__name__}: {exc})", as_json)
    results = [(path, c, audit_claims(c)) for path, c in reports]
    errors = sum(f.severity == "error" for _, _, found in results for f in found)
    if as_json:
        typer.echo(json.dumps(
            [{"file": str(path), "id": c.id, "findings": [f.as_dict() for f in found]} for path, c, found in results],
            ensure_ascii=False, indent=2,
        ))
    else:
        out = _console()
        for path, c, found in results:
            out.print(f"{c.id or path} ({path}): {len(found) or 'no'} finding(s)")
            for f in found:
                out.print(f"  {f.severity}: {f.kind} at {f.where}: {f.message}")
        out.print(f"{len(results)} report(s), {errors} error(s)")
    raise typer.Exit(1 if errors else 0)


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
    err.print(f"kernel {KERNEL_NAME} installed in {where}; starting JupyterLab on {notebooks.resolve()}")
    os.execv(sys.executable, [sys.executable, "-m", "jupyterlab", f"--notebook-dir={notebooks.resolve()}", *ctx.args])


def problem_line(p: dict) -> str:
    """A ledger problem as ``file:line: proposal 004: column = 'value': rule (severity): message``."""
    who = f" proposal {p['proposal_id']}:" if p.get("proposal_id") else ""
    shown = f" = {p['value']!r}" if p["value"] else ""
    return f"{p['file']}:{p['line']}:{who} {p['column']}{shown}: {p['rule']} ({p['severity']}): {p['message']}"


def _fail(message: str, as_json: bool) -> None:
    if as_json:
        import json

        typer.echo(json.dumps({"error": message}, ensure_ascii=False))
    else:
        _error(message)
    raise typer.Exit(2)


if __name__ == "__main__":  # pragma: no cover
    app()
