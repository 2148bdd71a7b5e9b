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


# --------------------------------------------------------------------------- the console examples

CONSOLE = re.compile(r"```console\n\$ (?P<command>incidentkg [^\n]*)\n(?P<output>.*?)```", re.S)
NEEDS_A_CORPUS = ("incidentkg review",)  # shown on a draft corpus the README does not build
COLUMNS = 160  # the README cuts output lines to this width ("Outputs below are cut ...")


def _run(command: str, folder: Path) -> list[str]:
    """What ``command`` (a README line, shell syntax and pipes included) prints in ``folder``,
    stdout and stderr together, each line cut to :data:`COLUMNS`."""
    import subprocess
    import sys

    shell = f'incidentkg() {{ "{sys.executable}" -m incidentkg "$@"; }}; {{ {command} ; }} 2>&1'
    done = subprocess.run(["bash", "-c", shell], cwd=folder, capture_output=True, text=True, timeout=300)
    return [line[:COLUMNS].rstrip() for line in done.stdout.splitlines()]


def _expected(command: str, shown: list[str], actual: list[str]) -> list[str]:
    """The lines the README should show: as many as it shows (all of ``queries``)."""
    return actual if command == "incidentkg queries" or not shown else actual[:len(shown)]


def console_examples(text: str = README, folder: Path | None = None, write: bool = False):
    """Each console example of ``text``: ``(command, shown lines, lines the tool prints now)``.

    With ``write``, returns ``text`` with every example's output replaced by the tool's.
    """
    import subprocess
    import sys
    import tempfile

    folder = folder or Path(tempfile.mkdtemp())
    subprocess.run([sys.executable, "-m", "incidentkg", "build", "--no-html"], cwd=folder, check=True,
                   capture_output=True)
    found = []

    def replace(match):
        command, output = match["command"], match["output"]
        if command.startswith(NEEDS_A_CORPUS):
            return match.group(0)
        shown = [line.rstrip() for line in output.rstrip("\n").split("\n")] if output.strip() else []
        expected = _expected(command, shown, _run(command, folder))
        found.append((command, shown, expected))
        return f"```console\n$ {command}\n" + "".join(line + "\n" for line in expected) + "```"

    rewritten = CONSOLE.sub(replace, text)
    return rewritten if write else found


def test_every_console_example_prints_what_the_readme_shows(tmp_path):
    """Regenerate with ``python tests/test_readme.py --write`` when an answer changes on purpose."""
    examples = console_examples(folder=tmp_path)
    assert len(examples) > 15
    for command, shown, expected in examples:
        assert shown == expected, command


if __name__ == "__main__":
    import sys

    if "--write" in sys.argv:
        (ROOT / "README.md").write_text(console_examples(write=True), encoding="utf-8")
