"""The ``proposal-stats`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    help="Reproducible, auditable reports on the handling of CPPCC proposals and NPC suggestions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)

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


@app.command()
def report(
    params: Annotated[list[Path] | None, typer.Argument(help="params YAML file(s); default: the reference report")] = None,
    render_all: Annotated[bool, typer.Option("--all", help="render every params file in ./params")] = False,
) -> None:
    """Render annual handling reports to outputs/<report>/ (report.html, summary.json, CSV tables)."""
    files = _params_to_render(list(params or []), render_all)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from .render import RenderError, render_report

    failures = 0
    steps = ("params", "execute", "export", "write")
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=False
    ) as progress:
        for path in files:
            task = progress.add_task(f"{path.name}: starting", total=len(steps))

            def on_step(step: str, task=task, path=path) -> None:
                progress.update(task, description=f"{path.name}: {step}", completed=steps.index(step))

            try:
                result = render_report(path, on_step=on_step)
            except RenderError as exc:
                failures += 1
                progress.update(task, description=f"[red]{path.name}: failed")
                progress.console.print(f"[red]error:[/red] {exc}")
                continue
            progress.update(task, description=f"{path.name}: done", completed=len(steps))
            for text in result.stderr:
                progress.console.print(f"[yellow]notebook stderr ({result.report_id}):[/yellow] {text.strip()}")
            progress.console.print(f"{result.report_id}: {result.output_dir / 'report.html'} ({result.seconds:.1f} s)")
    if failures:
        raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    app()
