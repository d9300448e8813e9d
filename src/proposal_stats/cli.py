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
        out = Console(highlight=False, soft_wrap=True)
        for path, c, found in results:
            out.print(escape(f"{c.id or path} ({path}): {len(found) or 'no'} finding(s)"))
            for f in found:
                out.print(escape(f"  {f.severity}: {f.kind} at {f.where}: {f.message}"))
        out.print(escape(f"{len(results)} report(s), {errors} error(s)"))
    raise typer.Exit(1 if errors else 0)


def _explorer_notebook() -> Path:
    from .params import default_notebook

    notebook = default_notebook("explore.ipynb")
    if not notebook.is_file():
        raise typer.BadParameter(f"{notebook} not found (reinstall the package, or run from a clone of the project)")
    return notebook


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def lab(ctx: typer.Context) -> None:
    """Start JupyterLab on notebooks/ with this environment's Python as its kernel. Open explore.ipynb.

    Extra arguments go to JupyterLab (e.g. --no-browser --port 8890). The notebooks name the
    standard kernel ("python3"), which JupyterLab runs with the Python it was started with.
    """
    import os
    import sys

    notebooks = _explorer_notebook().parent.resolve()
    err.print(escape(f"starting JupyterLab on {notebooks}"))
    os.execv(sys.executable, [sys.executable, "-m", "jupyterlab", f"--notebook-dir={notebooks}", *ctx.args])


def free_port(host: str, first: int, tries: int = 50) -> int:
    """The first port from ``first`` on which ``host`` can listen (``first`` + up to ``tries``)."""
    import socket

    for port in range(first, first + tries + 1):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: a closed port in TIME_WAIT is free
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    raise typer.BadParameter(f"no free port on {host} from {first} to {first + tries}")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def explore(
    ctx: typer.Context,
    params: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[PARAMS]...", help="params files or folders to explore (default: ./params); "
                       "a published-audit params file adds the published corpus"),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="address to listen on (default: loopback only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port (the next free one if taken)")] = 8866,
    browser: Annotated[bool, typer.Option("--browser/--no-browser", help="open it in a web browser")] = True,
) -> None:
    """Serve the explorer as a web app (Voilà: the notebook's widgets, no code) and print its address.

    Extra arguments go to Voilà. Listens on loopback (127.0.0.1) unless --host says otherwise; Ctrl-C stops it.
    """
    import os
    import sys

    from .reporting.explorer import PARAMS_ENV, find_params
    from .stats.explore import annual_params_of

    notebook = _explorer_notebook().resolve()
    try:
        paths = find_params(list(map(str, params)) if params else None)
        if not annual_params_of(paths):
            raise FileNotFoundError(f"no annual-report params file in {', '.join(map(str, paths))}")
    except Exception as exc:  # a missing or invalid params file: one line, no traceback
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    os.environ[PARAMS_ENV] = os.pathsep.join(map(str, paths))
    port = free_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    err.print(escape(f"explorer: http://{shown}:{port}/ ({'loopback only' if host in ('127.0.0.1', 'localhost', '::1') else 'reachable at ' + host}; "
                     f"Ctrl-C stops it) - {len(paths)} params path(s): {', '.join(map(str, paths))}"))
    args = [sys.executable, "-m", "voila", str(notebook), f"--Voila.ip={host}", f"--port={port}", "--Voila.port_retries=0",
            "--strip_sources=True", *([] if browser else ["--no-browser"]), *ctx.args]
    os.execv(sys.executable, args)


def _fail(message: str, as_json: bool) -> None:
    if as_json:
        import json

        typer.echo(json.dumps({"error": message}, ensure_ascii=False))
    else:
        err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(2)


if __name__ == "__main__":  # pragma: no cover
    app()
