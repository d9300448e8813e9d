"""proposal_stats: reproducible, auditable reports on the handling of CPPCC proposals (政协提案)
and NPC deputies' suggestions (人大代表建议)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("proposal-stats")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
