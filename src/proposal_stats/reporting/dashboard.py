"""The explorer served as a web app: ``proposal-stats explore`` (Voilà, the notebook's widgets with no code).

Voilà serves ``notebooks/explore.ipynb``: each page load starts a kernel that runs the notebook and
shows the :class:`~proposal_stats.reporting.explorer.Explorer`. Three things are set here that
stock Voilà gets wrong for this product:

* **No network.** Voilà's page links the Font Awesome stylesheets from ``cdn.jsdelivr.net``; the
  dashboard uses its own page template (``templates/dashboard/.../proposal-stats``: Voilà's "lab"
  page without any stylesheet or script from another host), found through ``JUPYTER_PATH``.
* **A closed page frees its kernel** (each holds the reports it opened, ~350 MB). Voilà's page asks
  the server to shut its kernel down when it closes, but the request needs the ``_xsrf`` cookie, which
  Voilà never sets, so it is refused (403; voila-dashboards/voila#1458) and every kernel stays until
  the server stops. The page request here sets the cookie (:func:`set_xsrf_cookie`), so closing or
  reloading a page shuts its kernel down at once.
* **Kernels whose page is gone are culled**, as a backstop for pages that never said goodbye (a
  browser that crashed, a laptop closed): a kernel with no page connected and idle for
  :data:`CULL_IDLE_SECONDS` is shut down, checked every :data:`CULL_INTERVAL_SECONDS`. A page that
  is open keeps its kernel however long it is idle.

Extra Voilà options (``--MappingKernelManager.cull_idle_timeout=600``…) may be given after the
command's own; they win.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The folder holding ``voila/templates/proposal-stats`` (added to ``JUPYTER_PATH``).
TEMPLATE_ROOT = Path(__file__).parent / "templates" / "dashboard"
TEMPLATE = "proposal-stats"
#: A kernel with no page connected is shut down after this many idle seconds …
CULL_IDLE_SECONDS = 120
#: … checked this often.
CULL_INTERVAL_SECONDS = 30


def set_xsrf_cookie(handler, notebook, cwd):
    """Voilà's pre-launch hook: give the page its ``_xsrf`` cookie (reading Tornado's
    ``xsrf_token`` sets it), which the page's shutdown request on closing must carry."""
    handler.xsrf_token  # noqa: B018 - the property sets the cookie
    return notebook


def voila_arguments(notebook: Path, host: str, port: int, browser: bool, extra: list[str] = ()) -> list[str]:
    """Voilà's command-line arguments for the dashboard (``extra`` last, so they win)."""
    return [str(notebook), f"--Voila.ip={host}", f"--port={port}", "--Voila.port_retries=0", "--strip_sources=True",
            f"--template={TEMPLATE}", f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}", "--MappingKernelManager.cull_connected=False",
            *([] if browser else ["--no-browser"]), *extra]


def serve(notebook: Path, host: str, port: int, browser: bool, extra: list[str] = ()) -> None:
    """Serve ``notebook`` with Voilà in this process until interrupted (Ctrl-C)."""
    from traitlets.config import Config
    from voila.app import Voila

    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH")]))
    config = Config()
    config.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie
    Voila.launch_instance(argv=voila_arguments(notebook, host, port, browser, list(extra)), config=config)
