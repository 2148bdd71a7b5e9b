"""The README's two commands and pictures stay true: CI runs the test command word for word."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _two_commands() -> list[str]:
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_the_setup_command_makes_a_venv_and_builds_the_seeds():
    setup, _ = _two_commands()
    assert "python3 -m venv .venv" in setup and setup.endswith(".venv/bin/incidentkg build")
    assert "chromium" not in setup and "[test]" not in setup  # the tool alone needs no browser


def test_ci_runs_the_readme_test_command_word_for_word():
    _, tests = _two_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
    assert "python3 -m venv .venv" in ci and "system-site-packages" not in ci.replace("No --system-site-packages", "")


def test_the_pictures_exist():
    for picture in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / picture).is_file(), picture
