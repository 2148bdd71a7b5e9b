"""Defaults shared by the CLI and the library, importable without loading any heavy module."""

from pathlib import Path

DEFAULT_OUT = Path("incidentkg-out")
"""Where ``incidentkg build`` writes, and where the other commands read a build from."""
