"""proposal_stats: reproducible, auditable reports on the handling of CPPCC proposals (政协提案)
and NPC deputies' suggestions (人大代表建议)."""

# Single source of the version (pyproject.toml reads it from here); a literal, because asking
# importlib.metadata costs every CLI start and every notebook kernel a scan of site-packages.
__version__ = "0.1.0"
