"""Rendering a report: papermill executes the notebook, nbconvert exports it to HTML, atomically.

:func:`render_report` works in a staging folder beside the output folder and swaps it into place
only when every step has succeeded, so a failing render leaves the previous report untouched and no
partial file behind. The exported HTML is deterministic: cell ids are renumbered, execution
timestamps and papermill's metadata are dropped, and the template loads nothing from the network.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import Msg, N_
from ..params import AuditReportParams, ParamsError, ReportParams, load_params, published_identity_warnings
from .i18n import UnknownLanguage, check_language

if TYPE_CHECKING:
    import nbformat

#: Kernel the notebooks run on. It is resolved to *this* interpreter (see _ThisPythonKernelSpecs),
#: never to whatever "python3" kernelspec a machine happens to have installed.
KERNEL_NAME = "python3"
TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "offline_report"


#: What each step of a render is called in messages (the command's progress line, errors).
STEP_LABELS = {
    "params": N_("reading the params file"),
    "execute": N_("computing the report"),
    "export": N_("writing the HTML"),
    "write": N_("saving the files"),
    "failed": N_("failed"),
    "starting": N_("starting"),
}


class RenderError(RuntimeError):
    """A render failed. ``step`` names the failing step; ``str(err)`` is a one-line explanation
    (for a notebook failure: the cell and the exception raised in it, not a traceback), and
    :attr:`explanation` the same as a message to show in the report's language."""

    def __init__(self, report: str, step: str, message: str, explained: bool = False):
        # An explained failure (no accepted row, --strict) is the report's own verdict, not a step that broke.
        super().__init__(f"{report}: {message}" if explained else f"{report}: {step} failed: {message}")
        self.report, self.step, self.message, self.explained = report, step, message, explained

    @property
    def explanation(self) -> Msg:
        if self.explained:  # already in the report's language (raised by the report itself)
            return Msg("%(report)s: %(message)s", report=self.report, message=self.message)
        return Msg("%(report)s: %(step)s failed: %(message)s", report=self.report, step=Msg(STEP_LABELS.get(self.step, self.step)),
                   message=self.message)


@dataclass
class RenderResult:
    """A finished render: where it went, what it wrote, how long it took (seconds), any text
    the notebook wrote to stderr (kept out of the HTML, reported here instead), and warnings for
    the user (e.g. a ``published:`` block that seems to be another report's)."""

    report_id: str
    output_dir: Path
    files: list[Path]
    seconds: float
    stderr: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows_read: int | None = None  # ledger rows, from summary.json (None: no ledger)
    rows_rejected: int | None = None
    ledger: Path | None = None


def _kernel_manager_class(kernel_log):
    """An AsyncKernelManager whose kernel for KERNEL_NAME is this very interpreter, with the
    kernel process's own stderr (ipykernel start-up and shutdown chatter) sent to ``kernel_log``."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from traitlets import default

    class _ThisPythonKernelSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            if kernel_name != KERNEL_NAME:
                return super().get_kernel_spec(kernel_name)
            return KernelSpec(
                # No IPython history: a batch render should not write to ~/.ipython (and it is faster).
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--HistoryManager.enabled=False"],
                display_name="proposal-stats (Python 3)",
                language="python",
                resource_dir="",
            )

    class ProjectKernelManager(AsyncKernelManager):
        # IPC sockets where the OS has them: local-only, and no "running over TCP" warning on stderr.
        transport = "ipc" if os.name == "posix" else "tcp"

        @default("kernel_spec_manager")
        def _project_kernel_specs(self):
            return _ThisPythonKernelSpecs(data_dir=self.data_dir)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["stdout"] = kw["stderr"] = kernel_log
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return ProjectKernelManager


def check_parameters_cell(nb: nbformat.NotebookNode, path: Path) -> None:
    """Raise ValueError unless exactly one code cell is tagged ``parameters`` (papermill would
    otherwise silently ignore the parameters)."""
    tagged = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise ValueError(f"{path}: needs exactly one code cell tagged 'parameters', found {len(tagged)}")


def notebook_parameters(nb: nbformat.NotebookNode, params, required: dict, options: dict) -> dict:
    """The parameters to inject into ``nb``: every ``required`` one (the notebook must declare it in
    its ``parameters`` cell) and the ``options`` it declares. Papermill would inject an undeclared
    name anyway and print "Passed unknown parameter" into the command's output: an option a
    notebook does not take (``allow_empty`` for the corpus report) is left out instead, unless it
    asks for something (``strict: True``) from an annual report's own notebook, which is an error.

    Raises:
        ValueError: a required parameter, or an option asked for, is not declared.
    """
    from papermill.translators import PythonTranslator

    cell = next(c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", []))
    declared = {p.name for p in PythonTranslator.inspect(cell)}
    missing = [k for k in required if k not in declared]
    missing += [k for k, v in options.items() if v and k not in declared and isinstance(params, ReportParams)]
    if missing:
        raise ValueError(f"{params.notebook}: its 'parameters' cell does not set {', '.join(missing)}")
    return {**required, **{k: v for k, v in options.items() if k in declared}}


#: Cells with this tag are for notebook readers only (e.g. "how to use this notebook").
HIDE_TAG = "report-hide"


def _clean(nb: nbformat.NotebookNode, title: str, glyphs: str) -> list[str]:
    """Make the executed notebook deterministic and quiet, and give the HTML template the title and
    the font stack (:func:`~proposal_stats.reporting.fonts.font_stack`); return the stderr text removed."""
    from .fonts import font_stack

    stderr = []
    nb.cells = [c for c in nb.cells if HIDE_TAG not in c.get("metadata", {}).get("tags", [])]
    nb.metadata.pop("papermill", None)
    nb.metadata["title"] = title
    nb.metadata["proposal_stats"] = {"font_stack": font_stack(glyphs)}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                stderr.append(out.get("text", ""))
            else:
                kept.append(out)
        cell["outputs"] = kept
    return stderr


def _report_text(nb: nbformat.NotebookNode) -> str:
    """The text the exported HTML shows: the title, markdown cells and every text output."""
    parts = [str(nb.metadata.get("title", ""))]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for out in cell.get("outputs", []):
            parts.append(str(out.get("text", "")))
            for mime, value in out.get("data", {}).items():
                if mime.startswith("text/"):
                    parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


class _FontJob:
    """Cuts the bundled CJK font down to the report's characters in a child process
    (``python -m proposal_stats.reporting.fonts``). Started while the kernel runs the notebook, so it has
    loaded the font by the time the notebook has run; fed the characters then, it works beside the
    HTML export."""

    def __init__(self, glyphs: str = "simplified"):
        self._glyphs = glyphs
        self._proc = None
        self._lock = threading.Lock()
        self._cancelled = False
        self._started = threading.Event()
        self._thread: threading.Thread | None = None
        self._result: dict = {}

    def start(self) -> None:
        """Start the child (never raises). Called once the HTML exporter is built, so it does not
        compete with the kernel's start-up for the two cores; not after :meth:`cancel`."""
        import subprocess

        with self._lock:
            try:
                if not self._cancelled:
                    self._proc = subprocess.Popen(
                        [sys.executable, "-m", "proposal_stats.reporting.fonts", self._glyphs], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
                    )
            except OSError:
                self._proc = None  # send() reports it; the report goes out without the font
            finally:
                self._started.set()

    def send(self, characters: str) -> None:
        self._started.wait()
        if self._proc is None:
            self._result.update(font=b"", error=b"the font process did not start", code=-1)
            self._thread = threading.Thread(target=lambda: None)
            self._thread.start()
            return

        def run() -> None:
            try:
                font, error = self._proc.communicate(characters.encode("utf-8"), timeout=120)
                self._result.update(font=font, error=error, code=self._proc.returncode)
            except Exception as exc:  # a timeout or a broken pipe: the report goes out without the font
                self._proc.kill()
                self._result.update(font=b"", error=f"{type(exc).__name__}: {exc}".encode(), code=-1)

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def embed(self, html: str, stderr: list[str]) -> str:
        """The HTML with the subset embedded as an ``@font-face`` (see :mod:`proposal_stats.reporting.fonts`);
        if the subset could not be made, the HTML as it is, and the reason added to ``stderr``."""
        from .fonts import embed_css

        self._thread.join()
        if self._result["code"] != 0:
            reason = self._result["error"].decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            stderr.append(Msg("the report's text font was not embedded (%(reason)s)", reason=reason[0]))
            return html
        if not self._result["font"]:  # the report shows no CJK character
            return html
        return html.replace("</head>", embed_css(self._result["font"].decode("ascii"), self._glyphs) + "</head>", 1)

    def cancel(self) -> None:
        """Stop the child if it still runs (a failed render) and close its pipes; a child not yet
        started never will be."""
        with self._lock:
            self._cancelled = True
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        if self._thread is not None:
            self._thread.join()
        for pipe in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
            if pipe is not None and not pipe.closed:
                pipe.close()


def _html_exporter():
    """nbconvert's HTML exporter on the offline template, code hidden, template compiled."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    import nbformat

    # Render a one-cell notebook once so every sub-template is compiled before the real export.
    exporter.from_notebook_node(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")]))
    return exporter


#: Written into every report folder (JSON): the report's id and language, every file its render
#: wrote, and the process that rendered it. A render replaces a folder only when it holds this
#: marker, for the same report, and no file the marker does not list.
MARKER = ".proposal-stats-report"
#: Files an operating system adds to a folder a user opened (never the user's own work).
OS_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
#: The replaced report, moved inside the staging folder while the swap runs (see _swap_into_place).
PREVIOUS = ".previous"
#: Report files a marker of an earlier version (the report id alone, no list of files) stands for.
_LEGACY_SUFFIXES = (".html", ".json", ".csv", ".xlsx")


@dataclass(frozen=True)
class FolderMarker:
    """What a report folder's :data:`MARKER` says: the report, the files its render wrote
    (``None`` for a marker of an earlier version, which named the report only) and the render's
    process (``host``, ``pid``, ``started``: its start time)."""

    report_id: str
    files: frozenset[str] | None = None
    owner: dict = field(default_factory=dict)


def read_marker(folder: Path) -> FolderMarker | None:
    """The :data:`MARKER` of ``folder``, or ``None`` when it has none."""
    import json

    path = folder / MARKER
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(text)
    except ValueError:  # an earlier version's marker: the report id on one line
        return FolderMarker(text.strip().splitlines()[0] if text.strip() else "")
    if not isinstance(data, dict):
        return FolderMarker("")
    files = data.get("files")
    owner = data.get("rendered_by")
    return FolderMarker(str(data.get("report_id", "")), frozenset(map(str, files)) if isinstance(files, list) else None,
                        owner if isinstance(owner, dict) else {})


def _owner() -> dict:
    """This process, as a marker names it: a later render can tell whether it still runs."""
    import socket

    import psutil

    return {"host": socket.gethostname(), "pid": os.getpid(), "started": psutil.Process().create_time()}


def _write_marker(folder: Path, report_id: str, language: str, files: list[str] | None) -> None:
    import json

    data = {"report_id": report_id, "language": language, "files": files, "rendered_by": _owner()}
    (folder / MARKER).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _files_in(folder: Path) -> list[str]:
    """Every file (and empty folder, ``name/``) under ``folder``, as relative POSIX paths, except the
    marker, a replaced report left by an interrupted swap (:data:`PREVIOUS`) and :data:`OS_FILES`."""
    out = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not (here == folder and d == PREVIOUS))
        rel = here.relative_to(folder)
        out += [(rel / f).as_posix() for f in sorted(files) if f not in OS_FILES and not (here == folder and f == MARKER)]
        if here != folder and not files and not dirs:
            out.append(rel.as_posix() + "/")
    return out


def _not_written(folder: Path, marker: FolderMarker) -> list[str]:
    """Files in ``folder`` the render that wrote its marker did not write."""
    if marker.files is None:  # an earlier version's marker: report files at the top level
        return [f for f in _files_in(folder) if "/" in f or not f.endswith(_LEGACY_SUFFIXES)]
    return [f for f in _files_in(folder) if f not in marker.files]


def output_dir_for(params: ReportParams | AuditReportParams, language: str) -> Path:
    """Where a report in ``language`` goes: ``params.output_dir`` for the params file's own
    ``language:``; for another language (``--language``), the sibling folder
    ``<output_dir>.<language>`` (``outputs/chuxiong-city-2022.zh-CN``), so a translation never
    replaces the report the params file describes."""
    try:
        own = check_language(params.language)
    except UnknownLanguage:
        own = params.language
    target = params.output_dir
    if language == own or not target.name:
        return target
    return target.with_name(f"{target.name}.{language}")


def check_output_dir(params: ReportParams | AuditReportParams, target: Path | None = None) -> Msg | None:
    """Why the output folder ``target`` (default ``params.output_dir``) must not be (re)placed, or
    ``None`` if it is safe.

    A render replaces its output folder wholesale, so the folder must be new, empty, or a folder
    an earlier render of the same report wrote (its :data:`MARKER` names ``params.report_id``)
    holding nothing that render did not write; and it must not contain the inputs.
    """
    target = target or params.output_dir
    for path in params.inputs:
        if path == target or target in path.parents:
            return Msg("output_dir %(target)s contains the input %(input)s; choose a folder of its own, e.g. outputs/%(report)s",
                       target=str(target), input=str(path), report=params.report_id)
    if target.exists() and not target.is_dir():
        return Msg("output_dir %(target)s is a file, not a folder", target=str(target))
    if not target.is_dir() or not any(target.iterdir()):
        return None
    marker = read_marker(target)
    if marker is None:
        return Msg("output_dir %(target)s already holds files that proposal-stats did not write; "
                   "refusing to replace them (choose a new or empty folder)", target=str(target))
    if marker.report_id != params.report_id:
        return Msg("output_dir %(target)s holds another report (%(other)s); refusing to replace it with %(report)s: "
                   "give each report an output_dir of its own", target=str(target), other=marker.report_id or "?",
                   report=params.report_id)
    foreign = _not_written(target, marker)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" (+{len(foreign) - 5})" if len(foreign) > 5 else "")
        return Msg("output_dir %(target)s holds files proposal-stats did not write (%(files)s); refusing to replace "
                   "them: move them out of the folder, or choose another output_dir", target=str(target), files=shown)
    return None


def _swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` using renames only (never a half-written folder). The
    replaced report is moved into the staging folder first (:data:`PREVIOUS`), so a render killed
    between the two renames leaves it where :func:`remove_stale_renders` puts it back."""
    previous = staging / PREVIOUS
    if target.exists():
        target.rename(previous)
    try:
        staging.rename(target)
    except BaseException:
        if previous.exists():
            previous.rename(target)
        raise
    shutil.rmtree(target / PREVIOUS, ignore_errors=True)


def _dead(owner: dict) -> bool:
    """True only when ``owner`` (a marker's ``rendered_by``) is a process of this machine that no
    longer runs (its pid is gone, or now belongs to a process started at another time)."""
    import socket

    import psutil

    pid, started = owner.get("pid"), owner.get("started")
    if owner.get("host") != socket.gethostname() or not isinstance(pid, int) or not isinstance(started, (int, float)):
        return False
    try:
        return abs(psutil.Process(pid).create_time() - started) > 1
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:  # cannot tell (another user's process): leave it alone
        return False


def remove_stale_renders(parent: Path) -> list[Path]:
    """Remove the staging folders (``.<name>.staging-*``) in ``parent`` that renders killed mid-way
    left (SIGKILL, a power cut): only folders holding our :data:`MARKER`, only those whose render
    ran on this machine and no longer runs. A render killed between moving the old report aside
    and moving the new one in left the old one inside its staging folder: it is put back first.

    Returns:
        The folders removed.
    """
    import re

    removed = []
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        found = re.fullmatch(r"\.(.+)\.staging-[A-Za-z0-9_]+", entry.name)
        if not found or entry.is_symlink() or not entry.is_dir():
            continue
        marker = read_marker(entry)
        if marker is None or not _dead(marker.owner):
            continue
        target = parent / found.group(1)
        try:
            if (entry / PREVIOUS).is_dir() and not target.exists():
                (entry / PREVIOUS).rename(target)
            shutil.rmtree(entry)
        except OSError:
            continue
        removed.append(entry)
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _tail(log, lines: int = 3) -> str:
    """The last lines the kernel process printed, to explain a kernel that died."""
    log.seek(0)
    tail = [line.strip() for line in log.read().splitlines() if line.strip()][-lines:]
    return f" (kernel said: {' | '.join(tail)})" if tail else ""


#: Exceptions a report raises on purpose, whose message says it all (no cell number needed).
EXPLAINED = ("NoRowsAccepted", "RowsRejected")


def _execution_error_message(exc) -> Msg:
    cell = getattr(exc, "exec_count", None)
    if cell is None:
        return Msg("a cell raised %(name)s: %(value)s", name=exc.ename, value=exc.evalue)
    return Msg("cell [%(cell)s] raised %(name)s: %(value)s", cell=cell, name=exc.ename, value=exc.evalue)


def _start_kernel(cwd: Path, kernel_log):
    """Launch the notebook kernel now, so it boots while this process prepares the run."""
    from jupyter_core.utils import run_sync

    km = _kernel_manager_class(kernel_log)(kernel_name=KERNEL_NAME)
    if km.transport == "ipc":
        # Absolute socket paths in a private folder: relative ones would land in the notebook folder.
        km.ip = str(Path(tempfile.mkdtemp(prefix="proposal-stats-kernel-")) / "kernel")
    run_sync(km.start_kernel)(cwd=str(cwd))
    return km


#: What the report notebooks' first cells import: imported in a kernel as soon as it starts, so the
#: imports overlap this process's own preparation (and, in a batch, the report before). Silent: no
#: execution count, nothing in the notebook.
WARM_IMPORTS = ("import IPython.display, proposal_stats.reporting.report, proposal_stats.reporting.charts, "
                "proposal_stats.reporting.corpus_report")


def _warm(km, stop: threading.Event) -> None:
    """Run :data:`WARM_IMPORTS` in the kernel and wait for it, or until ``stop`` is set (never
    raises: a failing import fails again, reported, in the notebook's own cell)."""
    from queue import Empty

    from jupyter_core.utils import run_sync

    from jupyter_client.session import Session

    # A session of its own: sharing the manager's would share its record of seen messages with the
    # notebook's client.
    kc = km.client(session=Session(key=km.session.key, signature_scheme=km.session.signature_scheme))
    try:
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=60)
        msg_id = kc.execute(WARM_IMPORTS, silent=True, store_history=False)
        deadline = time.monotonic() + 300
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                if run_sync(kc.get_shell_msg)(timeout=0.5)["parent_header"].get("msg_id") == msg_id:
                    return
            except Empty:
                if not run_sync(km.is_alive)():  # died: the render says so
                    return
    except Exception:  # the render's own execution reports what is wrong with the kernel
        pass
    finally:
        kc.stop_channels()


class _Kernel:
    """A notebook kernel started in ``cwd``, with its log, warming up (:data:`WARM_IMPORTS`) in a thread."""

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        try:
            self.km = _start_kernel(cwd, self.log)
        except BaseException:
            self.log.close()
            raise
        self._stop = threading.Event()
        self.warming = threading.Thread(target=_warm, args=(self.km, self._stop), daemon=True)
        self.warming.start()

    def ready(self) -> None:
        """Wait for the warm-up: one client at a time talks to the kernel."""
        self.warming.join()

    def close(self) -> None:
        """Stop the kernel (and its warm-up, if a failure cut the run short) and close its log."""
        self._stop.set()
        _shutdown(self.km)
        self.warming.join(timeout=5)
        self.log.close()

    def kill(self) -> None:
        """Kill the kernel process at once, from any thread: the notebook's run then fails (the
        kernel died) and its render cleans up; :meth:`close` still runs in the render's thread."""
        self._stop.set()
        process = getattr(self.km.provisioner, "process", None)
        if process is not None and process.poll() is None:
            process.kill()


class RenderSession:
    """Start-up shared by the renders of one batch (``proposal-stats report --all``): one HTML
    exporter for all, each report's kernel started and warmed while the reports before it run, and
    up to ``jobs`` reports rendered at once (:meth:`run`; the kernels run on separate cores).

    A report gets a fresh kernel of its own all the same (nothing of one report's run is seen by
    the next), so a report rendered in a batch is byte-identical to the same report rendered alone.
    """

    def __init__(self, params_files: list[Path], jobs: int = 1, language: str | None = None):
        self._files = list(dict.fromkeys(Path(p).resolve() for p in params_files))  # a file given twice renders once
        self.jobs = max(1, jobs)
        self.language = language
        self._exporter: _ExporterPreload | None = None
        self._lock = threading.Lock()
        self.export_lock = threading.Lock()  # one exporter object: one export at a time
        self._prepared: dict[Path, tuple[threading.Thread, dict]] = {}
        self._claimed: set[Path] = set()
        self._running: set[_Kernel] = set()
        #: Set by :meth:`interrupt`: every render of the batch stops before replacing anything.
        self.interrupted = threading.Event()

    def __enter__(self) -> "RenderSession":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:  # Ctrl-C, SIGTERM or an error in the caller: stop the renders still running
            self.interrupt()
        self.close()

    def interrupt(self) -> None:
        """Stop every render of the batch now (from any thread; the CLI calls it on SIGINT and
        SIGTERM): the kernels running notebooks are killed, so those renders fail and remove their
        staging folders, and a render past its notebook stops before it replaces its folder.
        Every previous report stays as it was."""
        import logging

        self.interrupted.set()
        # nbclient logs each killed kernel ("Kernel died while waiting for execute reply") through
        # papermill's logger; the command says once that the renders were interrupted.
        logging.getLogger("papermill").disabled = True
        with self._lock:
            running = list(self._running)
        for kernel in running:
            kernel.kill()

    @contextlib.contextmanager
    def running(self, kernel: "_Kernel"):
        """While a render's notebook runs on ``kernel``: :meth:`interrupt` kills it."""
        with self._lock:
            self._running.add(kernel)
        try:
            if self.interrupted.is_set():
                kernel.kill()
            yield
        finally:
            with self._lock:
                self._running.discard(kernel)

    def shared_output_dirs(self) -> Msg | None:
        """Why the batch must not start: two of its params files write one output folder (the
        second would replace the first's report). Checked before anything is rendered."""
        seen: dict[Path, Path] = {}
        for path in self._files:
            try:
                params = load_params(path)
                target = output_dir_for(params, check_language(self.language or params.language))
            except Exception:  # its render reports the problem; it writes nothing
                continue
            if target in seen:
                return Msg("%(first)s and %(second)s both write %(target)s; give each report an output_dir of its own "
                           "(nothing was rendered)", first=str(seen[target]), second=str(path), target=str(target))
            seen[target] = path
        return None

    def exporter(self) -> "_ExporterPreload":
        """The batch's HTML exporter, built once (in a background thread)."""
        with self._lock:
            if self._exporter is None:
                self._exporter = _ExporterPreload()
            return self._exporter

    def run(self, render: Callable[[Path], RenderResult]):
        """Render every file, up to :attr:`jobs` at once; yield ``(path, result or RenderError)``
        in the files' order, each as soon as it and those before it are done."""
        from concurrent.futures import ThreadPoolExecutor

        def one(path: Path):
            try:
                return render(path)
            except RenderError as exc:
                return exc

        jobs = self.jobs if self.shared_output_dirs() is None else 1  # two renders must never swap one folder at once
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="render") as pool:
            futures = [(path, pool.submit(one, path)) for path in self._files]  # absolute paths
            try:
                for path, future in futures:
                    yield path, future.result()
            except BaseException:  # interrupted (or abandoned): the renders still running stop now
                self.interrupt()
                raise
            finally:
                for _, future in futures:
                    future.cancel()

    def started(self, params_path: Path) -> None:
        """``params_path`` started executing: start the kernel of the next file not yet started."""
        with self._lock:
            self._claimed.add(Path(params_path).resolve())
            waiting = [p.resolve() for p in self._files if p.resolve() not in self._claimed and p.resolve() not in self._prepared]
            if not waiting:
                return
            nxt = waiting[0]
            box: dict = {}

            def prepare() -> None:
                try:
                    box["kernel"] = _Kernel(load_params(nxt).notebook.parent)
                except Exception:  # that render starts its own kernel and reports any problem
                    pass

            thread = threading.Thread(target=prepare, daemon=True)
            thread.start()
            self._prepared[nxt] = (thread, box)

    def kernel(self, params_path: Path, cwd: Path) -> "_Kernel | None":
        """The kernel started ahead for ``params_path`` (if it runs in ``cwd``), or ``None``."""
        with self._lock:
            here = Path(params_path).resolve()
            self._claimed.add(here)
            thread, box = self._prepared.pop(here, (None, {}))
        if thread is not None:
            thread.join()
        kernel = box.get("kernel")
        if kernel is not None and kernel.cwd != cwd:
            kernel.close()
            return None
        return kernel

    def close(self) -> None:
        """Stop any kernel started ahead and not used (a render that failed before using it)."""
        with self._lock:
            prepared, self._prepared = list(self._prepared.values()), {}
        for thread, box in prepared:
            thread.join()
            if box.get("kernel") is not None:
                box["kernel"].close()


class _ExporterPreload:
    """Import nbconvert and build the HTML exporter in a background thread while the kernel runs
    the notebook (this process is idle then); :meth:`get` waits for the exporter."""

    def __init__(self):
        self._result: dict = {}
        self._thread = threading.Thread(target=self._load, daemon=True)
        self._thread.start()

    def _load(self):
        try:
            self._result["exporter"] = _html_exporter()
        except BaseException as exc:  # re-raised in the caller's thread by get()
            self._result["error"] = exc

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (in a thread) once the exporter is built, or at once if it is."""
        threading.Thread(target=lambda: (self._thread.join(), callback()), daemon=True).start()

    def get(self):
        self._thread.join()
        if "error" in self._result:
            raise self._result["error"]
        return self._result["exporter"]


def render_report(
    params_path: str | Path, on_step: Callable[[str], None] | None = None, strict: bool = False, allow_empty: bool = False,
    language: str | None = None, session: RenderSession | None = None,
) -> RenderResult:
    """Render one report: validate params, execute the notebook, export HTML, write outputs.

    Args:
        params_path: the report's params YAML file.
        language: the report's language (``en``, ``zh-CN``); default the params file's ``language``.
        on_step: called with a short step name ("params", "execute", "export", "write") as each
            step starts (the CLI uses it for progress).
        strict: fail (and keep the previous report) if any ledger row is rejected, instead of
            reporting the accepted rows with the rejected ones listed.
        allow_empty: make the report even when no ledger row is accepted (every figure empty);
            otherwise that fails with one line saying why.
        session: a :class:`RenderSession` when rendering several reports in one process.

    Returns:
        :class:`RenderResult`. Files: ``report.html``, ``summary.json`` and the CSV tables in
        ``params.output_dir``.

    Raises:
        RenderError: any step failed; the previous contents of the output folder are untouched and
            the staging folder is removed.
    """
    step = on_step or (lambda _name: None)
    started = time.perf_counter()
    name = Path(params_path).stem
    step("params")
    try:
        params: ReportParams | AuditReportParams = load_params(params_path)
    except ParamsError as exc:
        raise RenderError(name, "params", str(exc)) from None
    name = params.report_id
    try:
        language = check_language(language or params.language)
    except UnknownLanguage as exc:
        where = f"language {language!r}" if language else f"{params.params_file}: key 'language'"
        raise RenderError(name, "params", f"{where}: {exc}") from None
    glyphs = params.glyphs(language)

    target = output_dir_for(params, language)
    problem = check_output_dir(params, target)
    if problem:
        raise RenderError(name, "params", problem, explained=True)

    def stop_if_interrupted(step_name: str) -> None:  # the batch was told to stop (SIGINT, SIGTERM)
        if session is not None and session.interrupted.is_set():
            raise RenderError(name, step_name, Msg("interrupted; no report was replaced"))

    stop_if_interrupted("params")
    kernel = session.kernel(params_path, params.notebook.parent) if session is not None else None
    try:
        kernel = kernel or _Kernel(params.notebook.parent)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise RenderError(name, "execute", Msg("the notebook kernel did not start: %(error)s", error=error)) from None
    km, kernel_log = kernel.km, kernel.log
    staging = stopping = font = None
    created = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
    try:
        font = _FontJob(glyphs)
        exporter = session.exporter() if session is not None else _ExporterPreload()
        exporter.when_ready(font.start)  # not before: the font child would compete with the kernel's boot
        import nbformat  # after the kernel launch: everything imported here overlaps its boot

        try:
            nb_in = nbformat.read(params.notebook, as_version=4)
            check_parameters_cell(nb_in, params.notebook)
            parameters = notebook_parameters(nb_in, params, {"params_file": str(params.params_file), "output_dir": "", "language": language},
                                             {"strict": strict, "allow_empty": allow_empty})
        except ValueError as exc:
            raise RenderError(name, "params", str(exc) if str(params.notebook) in str(exc)
                              else Msg("%(notebook)s: not a readable notebook (%(error)s)", notebook=str(params.notebook), error=str(exc))) from None
        except OSError as exc:
            raise RenderError(name, "params", f"{params.notebook}: {exc}") from None
        import papermill
        from papermill.exceptions import PapermillExecutionError

        from .fonts import characters_needing_font

        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_renders(target.parent)  # what renders killed mid-way (SIGKILL) left behind
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the report folder should not be
        _write_marker(staging, name, language, None)  # whose it is, so a later render can tell it was left behind
        stop_if_interrupted("execute")
        step("execute")
        if session is not None:
            session.started(params_path)  # the next report's kernel boots beside this one's run
        kernel.ready()
        try:
            with session.running(kernel) if session is not None else contextlib.nullcontext():
                executed = papermill.execute_notebook(
                    nb_in,
                    None,
                    parameters={**parameters, "output_dir": str(staging)},
                    kernel_name=KERNEL_NAME,
                    km=km,
                    execution_timeout=params.execution_timeout,
                    progress_bar=False,
                    log_output=False,
                    # no cwd=: the kernel was started in the notebook's folder, and papermill's cwd would
                    # chdir this whole process (wrong for the renders of a batch running beside this one)
                )
        except PapermillExecutionError as exc:
            stop_if_interrupted("execute")
            if exc.ename in EXPLAINED:
                raise RenderError(name, "execute", str(exc.evalue), explained=True) from None
            raise RenderError(name, "execute", _execution_error_message(exc)) from None
        except Exception as exc:  # kernel died, timeout, ...: still one line, not a traceback
            stop_if_interrupted("execute")  # killed on purpose
            raise RenderError(name, "execute", f"{type(exc).__name__}: {exc}{_tail(kernel_log)}") from None
        stopping = threading.Thread(target=kernel.close, daemon=True)
        stopping.start()  # the kernel exits while we export
        stop_if_interrupted("export")
        step("export")
        stderr = _clean(executed, params.text("title", language), glyphs)
        font.send(characters_needing_font(_report_text(executed)))  # on the other core, while nbconvert exports
        html_exporter = exporter.get()
        with session.export_lock if session is not None else contextlib.nullcontext():
            html_exporter.language_code = language  # <html lang>: browsers pick regional glyphs by it
            html, _ = html_exporter.from_notebook_node(executed)
        html = font.embed(html, stderr)
        stop_if_interrupted("write")
        step("write")
        (staging / "report.html").write_text(html, encoding="utf-8")
        _write_marker(staging, name, language, _files_in(staging))
        files = sorted(p.name for p in staging.iterdir() if p.name != MARKER)
        rows = _ledger_rows(staging / "summary.json")
        problem = check_output_dir(params, target)  # again: a file may have been put there during the render
        if problem:
            raise RenderError(name, "write", problem, explained=True)
        stop_if_interrupted("write")
        _swap_into_place(staging, target)
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for folder in created:  # innermost first: only the empty folders this run made
            try:
                folder.rmdir()
            except OSError:
                break
        if isinstance(exc, (RenderError, KeyboardInterrupt)):
            raise
        raise RenderError(name, "write", f"{type(exc).__name__}: {exc}") from None
    finally:
        if font is not None:
            font.cancel()
        if stopping is None:
            kernel.close()
        else:
            stopping.join()
    return RenderResult(
        report_id=name,
        output_dir=target,
        files=[target / f for f in files],
        seconds=time.perf_counter() - started,
        stderr=stderr,
        warnings=published_identity_warnings(params) if isinstance(params, ReportParams) else [],
        rows_read=rows[0],
        rows_rejected=rows[1],
        ledger=getattr(params, "ledger", None),
    )


def _ledger_rows(summary: Path) -> tuple[int | None, int | None]:
    """Rows read and rejected, as the report's ``summary.json`` states them."""
    import json

    try:
        data = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    return data.get("rows_read"), data.get("rows_rejected")


def _shutdown(km) -> None:
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # the kernel is already gone: nothing left to stop
        pass
    if km.transport == "ipc":
        shutil.rmtree(Path(km.ip).parent, ignore_errors=True)
