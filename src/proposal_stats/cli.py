"""The ``proposal-stats`` command."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from .messages import Msg

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


def _error(message: str, t=None) -> None:
    """``error: message`` on standard error (``error:`` in the report's language when ``t`` is given)."""
    err.print(Text((t(Msg("error:")) if t else "error:") + " ", style="red") + Text(message))

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
def _progress(items: list[tuple[str, object]]):
    """Yield one ``on_step(step)`` callback per ``(label, t)``: live bars in a terminal (one per
    report, several at once when reports render side by side), one plain line per step in a log
    (CI, a pipe), where a redrawn bar would only print at the end. Step names are shown in each
    report's language (``t``)."""

    from .reporting.render import STEP_LABELS

    def text(label: str, t, step: str) -> str:
        return f"{label}: {t(STEP_LABELS.get(step, step))}"

    if not err.is_terminal:
        yield [lambda step, label=label, t=t: err.print(text(label, t, step)) for label, t in items]
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}", markup=False), BarColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
        callbacks = []
        for label, t in items:
            task = bar.add_task(text(label, t, "starting"), total=len(STEPS), start=False)

            def on_step(step: str, task=task, label=label, t=t) -> None:
                bar.start_task(task)
                bar.update(task, description=text(label, t, step), completed=STEPS.index(step) if step in STEPS else len(STEPS),
                           visible=step in STEPS)

            callbacks.append(on_step)
        yield callbacks


@app.command()
def report(
    params: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PARAMS.yaml", help=f"params file(s); default: {REFERENCE_PARAMS} (the reference report)"),
    ] = None,
    render_all: Annotated[bool, typer.Option("--all", help="render every params file in ./params")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="reports rendered at once (default: 2, or 1 on a one-core machine)")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="fail instead of reporting when ledger rows are rejected")] = False,
    allow_empty: Annotated[bool, typer.Option("--allow-empty", help="make the report even when no ledger row is accepted (every figure empty)")] = False,
    language: Annotated[
        str | None, typer.Option("--language", metavar="LANG", help="the report's language: en or zh-CN (default: the params file's language)")
    ] = None,
) -> None:
    """Render annual handling reports to outputs/<report>/ (report.html, summary.json, CSV tables).

    Exit status: 0 when every report was made, 1 when any failed (a report whose ledger has no
    accepted row fails, with the reason, unless --allow-empty).
    """
    files = _params_to_render(list(params or []), render_all)
    from .reporting.i18n import Translator, UnknownLanguage, check_language

    if language is not None:
        try:
            check_language(language)
        except UnknownLanguage as exc:
            raise typer.BadParameter(str(exc), param_hint="--language") from None
    from .reporting.render import RenderError, RenderSession, render_report

    failures = 0
    files = list({p.resolve(): p for p in reversed(files)}.values())[::-1]  # a file given twice renders once
    translators = [Translator(language or _params_language(path)) for path in files]
    jobs = jobs or min(2, os.cpu_count() or 1)
    session = RenderSession(files, jobs=jobs, language=language)
    shared = session.shared_output_dirs()
    if shared:  # before anything is rendered: the second report would replace the first
        _error(translators[0](shared), translators[0])
        raise typer.Exit(1)
    # Several files: one exporter, each kernel started ahead, `jobs` reports rendered side by side.
    with _stopped_by_signals() as stopped, session, _progress([(p.name, t) for p, t in zip(files, translators)]) as steps:
        absolute = [p.resolve() for p in files]  # the session hands back absolute paths
        on_step = dict(zip(absolute, steps))
        t_of = dict(zip(absolute, translators))
        shown = dict(zip(absolute, files))

        def render(path: Path):
            return render_report(path, on_step=on_step[path], strict=strict, allow_empty=allow_empty, language=language, session=session)

        for absolute_path, result in session.run(render):
            t, path = t_of[absolute_path], shown[absolute_path]  # the path as the user wrote it
            if isinstance(result, RenderError):
                failures += 1
                on_step[absolute_path]("failed")
                _error(t(result.explanation), t)
                continue
            for text in result.stderr:
                err.print(Text(t(Msg("notebook stderr (%(report)s): ", report=result.report_id)), style="yellow") + Text(str(t.value(text)).strip()))
            seconds = round(result.seconds, 1)
            err.print(t(Msg("%(report)s: %(path)s (%(seconds)s s)", report=result.report_id, path=str(result.output_dir / "report.html"),
                            seconds=seconds)))
            if result.rows_rejected:
                err.print(Text(f"{result.report_id}: ", style="yellow") + Text(t(Msg(
                    "%(rejected)s of %(read)s ledger rows rejected and not counted; listed in %(csv)s and the report's data-quality "
                    "section (`proposal-stats validate %(ledger)s --params %(params)s` prints each problem)",
                    rejected=result.rows_rejected, read=result.rows_read, csv=str(result.output_dir / "rejected_rows.csv"),
                    ledger=str(result.ledger), params=str(path)))))
            for text in result.warnings:
                err.print(Text(t(Msg("warning:")) + " ", style="yellow") + Text(f"{result.report_id}: {t.value(text)}"))
    if stopped:
        _error(translators[0](Msg("interrupted (%(signal)s): the reports not finished were not written; every earlier report is as it was",
                                  signal=stopped[0])), translators[0])
        raise typer.Exit(128 + stopped[1])
    if failures:
        raise typer.Exit(1)


@contextmanager
def _stopped_by_signals():
    """SIGTERM (a scheduler, ``kill``, a container stopping) is handled as Ctrl-C is: the renders
    still running stop and remove their staging folders (:meth:`RenderSession.interrupt`), and no
    report is replaced. Yields a list that holds ``(name, number)`` of the signal once one came; a
    second signal while cleaning up is ignored, so the clean-up finishes."""
    import signal

    stopped: list = []

    def handler(signum, _frame):
        if stopped:
            return
        stopped.extend([signal.Signals(signum).name, signum])
        raise KeyboardInterrupt

    names = ("SIGINT", "SIGTERM", "SIGHUP")
    previous = {name: signal.signal(getattr(signal, name), handler) for name in names if hasattr(signal, name)}
    try:
        yield stopped
    except KeyboardInterrupt:
        if not stopped:  # a KeyboardInterrupt that came another way
            stopped.extend(["SIGINT", signal.SIGINT])
    finally:
        for name, old in previous.items():
            signal.signal(getattr(signal, name), old)


def _params_language(path: Path) -> str:
    """The ``language:`` a params file asks for, for the command's own messages (``en`` when the
    file cannot be read or names a language with no catalog: the render reports why)."""
    from .reporting.i18n import SOURCE_LANGUAGE, UnknownLanguage, check_language
    from .yamlfile import read_yaml

    try:
        raw = read_yaml(Path(path), ValueError, "params file")
        return check_language(raw.get("language") or SOURCE_LANGUAGE)
    except (Exception, UnknownLanguage):  # the render names the problem, in full
        return SOURCE_LANGUAGE


@app.command()
def new(
    target: Annotated[Path, typer.Argument(metavar="PARAMS.yaml", help="the params file to write, e.g. params/my-city-2024.yaml")],
    ledger: Annotated[Path, typer.Option("--ledger", help="the new report's ledger (CSV, TSV, XLSX or Parquet)")],
    from_params: Annotated[Path | None, typer.Option("--from", help="last year's params file: its result scheme and settings")] = None,
    title: Annotated[str | None, typer.Option(help="the report's title")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="e.g. '楚雄市 (Chuxiong city, Yunnan)'")] = None,
    body: Annotated[str | None, typer.Option(help="cppcc_proposals or npc_suggestions")] = None,
    session: Annotated[str | None, typer.Option(help="e.g. 市政协十届二次会议")] = None,
    year: Annotated[int | None, typer.Option(help="the year of the session whose proposals are handled")] = None,
    published: Annotated[Path | None, typer.Option("--published", help="a claims file with the figures this report's government printed")] = None,
    force: Annotated[bool, typer.Option("--force", help="replace PARAMS.yaml if it exists")] = False,
) -> None:
    """Write a params file for a new report: identity from the options (asked for when missing),
    the result scheme from --from or inferred from the ledger's categories, no published figures
    unless --published is given.

    Exit status: 0 written, 2 not written (the reason is printed).
    """
    import sys

    from .ledger.model import LedgerError
    from .params import ParamsError
    from .reporting.new_report import new_params

    identity = {"title": title, "jurisdiction": jurisdiction, "body": body, "session": session, "year": year}
    try:
        old = {}
        if from_params is not None:
            from .yamlfile import read_yaml

            old = read_yaml(from_params, ParamsError, "params file") or {}
            old = old if isinstance(old, dict) else {}
        # Ask for what is missing, on a terminal or from piped answers (one line each, in the order
        # asked; an empty line takes the suggestion); last year's file suggests some answers. When
        # the input ends, the command stops asking and says which options to give.
        suggest = {"jurisdiction": old.get("jurisdiction"), "body": old.get("body") or "cppcc_proposals",
                   "year": old["year"] + 1 if isinstance(old.get("year"), int) else None}
        for key in ("title", "jurisdiction", "body", "session", "year"):
            if identity[key] in (None, ""):
                try:
                    identity[key] = typer.prompt(key, default=suggest.get(key), type=int if key == "year" else str, err=True)
                except (typer.Abort, EOFError):  # no more input (stdin closed, or /dev/null)
                    identity[key] = None
                    break
                finally:
                    if not sys.stdin.isatty():
                        err.print("")  # piped answers are not echoed: end the prompt's line
        result = new_params(target, ledger, identity, from_params, published, overwrite=force)
    except ParamsError as exc:
        _fail(str(exc), False)
    except LedgerError as exc:
        _fail(str(exc), False)
    except Exception as exc:  # never a traceback, whatever the input
        _fail(f"{ledger}: could not be read ({type(exc).__name__}: {exc})", False)

    out = _console()
    p = result.params
    out.print(f"wrote {result.path}: {p.title} · {p.jurisdiction} · {p.body} · {p.session} · {p.year}")
    out.print(f"result scheme {result.scheme_from}:")
    for c in result.categories:
        shown = [w for w in c.written if w not in (c.code, c.label)]
        written = f" (written {', '.join(shown)})" if shown else ""
        guess = "  <- CHECK: a guess" if c.guessed else ""
        out.print(f"  {c.code}  {c.label}  [{' + '.join(c.statuses)}]  {c.count} proposal(s){written}{guess}")
    if any(c.guessed for c in result.categories):
        out.print("letters mean different things in different places: check each label and status against the printed report")
    elif result.scheme_from.startswith("inferred"):
        out.print("check each label and status against the printed report")
    out.print(f"ledger {p.ledger.name}: {result.rows_read} rows read, {result.rows_read - result.rows_rejected - result.rows_set_aside} accepted, "
              f"{result.rows_rejected} rejected" + (f", {result.rows_set_aside} set aside (totals or note rows)" if result.rows_set_aside else "")
              + (f", {result.problem_warnings} warning(s)" if result.problem_warnings else "")
              + (f" (run proposal-stats validate {ledger} --params {target})" if result.rows_rejected or result.problem_warnings else ""))
    out.print("published figures: " + ("from " + str(published) if published else "none (add published: to check the government's printed figures)"))
    for text in result.warnings:
        err.print(Text("warning: ", style="yellow") + Text(text))
    out.print(f"next: proposal-stats report {target}")


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
        "rows_accepted": result.rows_accepted,
        "rows_rejected": len(result.rejected),
        "rows_set_aside": len(result.set_aside),
        "proposals": len(result.proposals),
        "unused_columns": list(result.unused_columns),
        "header_suggestions": result.header_suggestions,
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
            f"{summary['rows_rejected']} rejected"
            + (f", {summary['rows_set_aside']} set aside (totals or note rows, not proposals)" if summary["rows_set_aside"] else "")
            + f"; {summary['errors']} error(s), {summary['warnings']} warning(s) "
            f"[{result.encoding}, {result.layout.replace('_', ' ')}]"
        )
        out.print(f"layout: {result.layout_note}")
        if params is None:
            out.print("(no --params: result categories checked as letters A-D, due dates 3 months after assignment)")
        if result.unused_columns:
            near = result.header_suggestions
            out.print("columns not used (no known meaning, or a second column for what another one gives): " + ", ".join(
                f"{c} (did you mean {near[c]}?)" if c in near else c for c in result.unused_columns))
        for p in summary["problems"]:
            out.print(problem_line(p))
        if summary["rows_rejected"]:
            out.print(result.acceptance())
    failed = summary["rows_rejected"] or summary["errors"] or (strict and summary["warnings"])
    raise typer.Exit(1 if failed else 0)


def _report_texts(path: Path, report_id: str):
    """A report file's text and its extracted claims (a .txt/.html/.docx/.pdf file).

    Raises:
        ReportReadError: the file cannot be read, or its text prints no figure at all.
    """
    from .published.extract import extract
    from .published.textread import ReportReadError, read_report

    read = read_report(path)
    claims = extract(read.text, report_id=report_id, title=read.title or path.name)
    if not claims.figures and not claims.all_breakdowns() and not claims.unplaced:
        raise ReportReadError(f"{path}: no figure found in its text ({len(read.text.strip())} characters, read as {read.how}): nothing to audit")
    return read, claims


def _is_text(path: Path) -> bool:
    from .published.textread import SUFFIXES

    return path.suffix.lower() in SUFFIXES


_CLAIMS_SUFFIXES = (".yaml", ".yml")


def _expand(files: list[Path], claims_too: bool) -> tuple[list[Path], list[str]]:
    """The files to read: each file as given, each folder's report texts (and, ``claims_too``, its
    claims files) in name order; the same file given twice is read once. Also returns one problem
    line per folder holding none."""
    from .published.textread import SUFFIXES

    kinds = set(SUFFIXES) | (set(_CLAIMS_SUFFIXES) if claims_too else set())
    out: list[Path] = []
    problems: list[str] = []
    for path in files:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in kinds)
            if not found:
                what = "claims file (.yaml) or report text" if claims_too else "report text"
                problems.append(f"{path}: a folder with no {what} ({', '.join(sorted(SUFFIXES))}) in it")
            out += found
        else:
            out.append(path)
    seen: set = set()
    unique = []
    for path in out:
        key = path.resolve() if path.exists() else path
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, problems


def distinct_ids(paths: list[Path]) -> dict[Path, str]:
    """An id per report file, distinct: the file's stem (``t1``), and where two files share it,
    their suffix (``t1-txt``, ``t1-docx``), then their folders (``texts-t1``, ``texts2-t1``)."""
    import re as _re

    def candidates(path: Path) -> list[str]:
        suffix = path.suffix.lower().lstrip(".")
        parents = [p.name for p in path.resolve().parents][:-1] if path.exists() else [p.name for p in path.parents if p.name]
        out = [path.stem, f"{path.stem}-{suffix}"]
        for n in range(1, len(parents) + 1):
            out.append("-".join(reversed(parents[:n])) + f"-{path.stem}")
            out.append("-".join(reversed(parents[:n])) + f"-{path.stem}-{suffix}")
        return [_re.sub(r"\s+", "_", c) for c in out]

    options = {p: candidates(p) for p in paths}
    level = {p: 0 for p in paths}
    while True:
        ids = {p: options[p][min(level[p], len(options[p]) - 1)] for p in paths}
        clash = [p for p in paths if list(ids.values()).count(ids[p]) > 1 and level[p] < len(options[p]) - 1]
        if not clash:
            break
        for p in clash:
            level[p] += 1
    seen: dict[str, int] = {}
    for p in paths:  # still equal (the same name in the same folder, written twice): numbered
        seen[ids[p]] = seen.get(ids[p], 0) + 1
        if list(ids.values()).count(ids[p]) > 1:
            ids[p] = f"{ids[p]}-{seen[ids[p]]}"
    return ids


@app.command()
def audit(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="claims files (YAML), report texts (.txt, .html, .docx, .pdf), or folders of them")],
    as_json: Annotated[bool, typer.Option("--json", help="print the findings as JSON")] = False,
) -> None:
    """Check every printed figure of published reports against the others.

    A report text (.txt in UTF-8, GB18030 or Big5; .html; .docx; .pdf with a text layer) is read and
    its figures extracted first (as `proposal-stats extract` does); each finding is shown beside the
    sentence it comes from. A folder stands for every claims file and report text in it. Exit
    status: 2 when a file cannot be read or prints no figure (the others are still audited), else 1
    if any finding is an error, 0 otherwise.
    """
    import json

    from .claims_format import ClaimsError, load_claims
    from .published.audit import audit as audit_claims
    from .published.extract import passage, sentence_of
    from .published.textread import ReportReadError

    paths, problems = _expand(files, claims_too=True)
    ids = distinct_ids([p for p in paths if _is_text(p)])
    reports = []  # (path, claims, the report's text or None)
    failed = []  # (path, message)
    for path in paths:
        try:
            if _is_text(path):
                read, claims = _report_texts(path, ids[path])
                reports.append((path, claims, read.text))
            else:
                reports += [(path, c, None) for c in load_claims(path)]
        except (ClaimsError, ReportReadError) as exc:
            failed.append((path, str(exc)))
        except Exception as exc:  # never a traceback, whatever the input
            failed.append((path, f"{path}: could not be read ({type(exc).__name__}: {exc})"))
    failed += [(None, p) for p in problems]
    results = [(path, c, text, audit_claims(c)) for path, c, text in reports]
    errors = sum(f.severity == "error" for *_, found in results for f in found)

    def sentence(c, text, f) -> str:
        return sentence_of(text, passage(c, f.where)) if text is not None else ""

    if as_json:
        if failed and not results and len(failed) == 1:
            _fail(failed[0][1], as_json)
        typer.echo(json.dumps(
            [{"file": str(path), "id": c.id, "findings": [f.as_dict() | ({"sentence": sentence(c, text, f)} if text is not None else {}) for f in found]}
             for path, c, text, found in results] + [{"file": str(path or ""), "error": message} for path, message in failed],
            ensure_ascii=False, indent=2,
        ))
    else:
        out = _console()
        for path, c, text, found in results:
            extracted = f", {len(c.figures)} figure(s), {len(c.all_breakdowns())} breakdown(s), {len(c.unplaced)} unplaced number(s) extracted" if text is not None else ""
            out.print(f"{c.id or path} ({path}): {len(found) or 'no'} finding(s){extracted}")
            for f in found:
                out.print(f"  {f.severity}: {f.kind} at {f.where}: {f.message}")
                if text is not None:
                    out.print(f"      「{sentence(c, text, f)}」")
        for _, message in failed:
            _error(message)
        if results:
            out.print(f"{len(results)} report(s), {errors} error(s)" + (f"; {len(failed)} file(s) not audited (above)" if failed else ""))
    raise typer.Exit(2 if failed else 1 if errors else 0)


_EXTRACTED = "extracted by proposal-stats extract"


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="report texts: .txt (UTF-8, GB18030, Big5), .html, .docx, .pdf, or folders of them")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="folder to write <id>.yaml claims files into (default: print)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the claims as JSON")] = False,
) -> None:
    """Read report texts and write their claims: every printed figure with the substring that states it.

    Figures get a meaning from the figure vocabulary; breakdowns keep their base, classes and text;
    numbers that cannot be placed are kept under `unplaced`. The output is the claims format
    `proposal-stats audit` reads. Each report's id is its file's stem, made distinct when two inputs
    share one (t1.txt and t1.docx: t1-txt, t1-docx), and names its file under -o; a file there that
    this command did not write is never overwritten. Exit status: 0, or 2 when a file cannot be read
    or prints no figure (nothing is written then).
    """
    import json

    import yaml

    from .published.extract import claims_data
    from .published.textread import ReportReadError

    paths, problems = _expand(files, claims_too=False)
    if problems:
        _fail(problems[0], as_json)
    ids = distinct_ids(paths)
    done = []
    for path in paths:
        try:
            _, claims = _report_texts(path, ids[path])
        except ReportReadError as exc:
            _fail(str(exc), as_json)
        except Exception as exc:  # never a traceback, whatever the input
            _fail(f"{path}: could not be read ({type(exc).__name__}: {exc})", as_json)
        done.append((path, claims_data(claims)))
    if output is not None:
        targets = [(path, data, output / f"{data['id']}.yaml") for path, data in done]
        for _, _, target in targets:  # before writing anything: never overwrite a file this command did not write
            if target.exists() and _EXTRACTED not in target.read_text(encoding="utf-8", errors="replace").partition("\n")[0]:
                _fail(f"{target}: exists and was not written by proposal-stats extract; not overwritten (use another -o folder)", as_json)
        output.mkdir(parents=True, exist_ok=True)
        for path, data, target in targets:
            header = f"# {path.name}: {_EXTRACTED}; every `text` is a substring of the input.\n"
            target.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
            err.print(f"{path} -> {target}")
    elif as_json:
        typer.echo(json.dumps([d for _, d in done] if len(done) > 1 else done[0][1], ensure_ascii=False, indent=2))
    else:
        typer.echo(yaml.safe_dump({"reports": [d for _, d in done]} if len(done) > 1 else done[0][1], allow_unicode=True, sort_keys=False, width=120))


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
    err.print(f"starting JupyterLab on {notebooks}")
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
    language: Annotated[
        str | None, typer.Option("--language", help="the explorer's language (en, zh-CN); default each report's own")
    ] = None,
) -> None:
    """Serve the explorer as a web app (Voilà: the notebook's widgets, no code) and print its address.

    Extra arguments go to Voilà. Listens on loopback (127.0.0.1) unless --host says otherwise; Ctrl-C
    stops it. Each page has its own kernel, shut down when the page closes (or, if the page never
    says so, after 2 minutes with no page connected). The page fetches nothing from the network.
    """
    from .reporting import dashboard
    from .reporting.explorer import LANGUAGE_ENV, PARAMS_ENV, find_params
    from .reporting.i18n import SOURCE_LANGUAGE, Translator, check_language
    from .stats.explore import annual_params_of

    notebook = _explorer_notebook().resolve()
    try:
        if language:
            language = check_language(language)
        paths = find_params(list(map(str, params)) if params else None)
        if not annual_params_of(paths):
            raise FileNotFoundError(f"no annual-report params file in {', '.join(map(str, paths))}")
    except Exception as exc:  # a missing or invalid params file, an unknown language: one line, no traceback
        _error(str(exc))
        raise typer.Exit(2) from None
    os.environ[PARAMS_ENV] = os.pathsep.join(map(str, paths))
    if language:
        os.environ[LANGUAGE_ENV] = language
    port = free_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    t = Translator(language or SOURCE_LANGUAGE)  # the address in the explorer's language when one is asked for
    where = t(Msg("loopback only")) if host in ("127.0.0.1", "localhost", "::1") else t(Msg("reachable at %(host)s", host=host))
    err.print(Text(t(Msg("explorer: %(url)s (%(where)s; Ctrl-C stops it) - %(n)s params path(s): %(paths)s", url=f"http://{shown}:{port}/",
                         where=where, n=len(paths), paths=", ".join(map(str, paths))))))
    dashboard.serve(notebook, host, port, browser, ctx.args)


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
