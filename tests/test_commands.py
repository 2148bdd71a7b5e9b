"""Every ``incidentkg`` sub-command, once, in a subprocess of the interpreter running the tests.

CI runs the tests in a fresh virtualenv that holds only what ``pyproject.toml`` declares, so a
command that imports an undeclared package fails here, whichever module the import hides in.
A new sub-command without a row in ``RUNS`` fails ``test_every_command_has_a_run``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import typer.main

from incidentkg.cli import app
from incidentkg.seeds import SEEDS_DIR

from .test_push import graphs, oxigraph  # noqa: F401  (a fixture)
from .test_serve import Server

DRAFTS = Path(__file__).parent / "data" / "drafts"

OUT = "out"  # the build every other command reads, inside the test's folder

# (sub-command path, arguments after it, text the output must hold)
RUNS = [
    (("build",), ["--out", OUT], "5 articles"),
    (("validate",), ["--out", OUT], "valid"),
    (("query",), ["--data", OUT, "@article-claims", "--param", "article=id:article/001_b53a57626e27720d"],
     "id:claim/001_b53a57626e27720d/c1"),
    (("queries",), [], "@timeline"),
    (("graph", "neighbours"), ["Mao Ning", "--data", OUT], "china-mfa"),
    (("graph", "path"), ["APT-C-39", "United States", "--data", OUT], "APT-C-39"),
    (("graph", "rank"), ["--top", "3", "--data", OUT], "china"),
    (("graph", "communities"), ["--data", OUT], "community"),
    (("graph", "ego"), ["Mao Ning", "--data", OUT], "Mao Ning"),
    (("graph", "timeline"), ["--from", "2021-07-01", "--to", "2021-07-31", "--data", OUT], "2021-07-19"),
    (("graph", "as-of"), ["2022-12-31", "--data", OUT], "Shanghai police database leak"),
    (("graph", "contradictions"), ["--data", OUT], "Shanghai police database leak"),
    (("graph", "sources"), ["United States", "--data", OUT], "accused"),
    *((("export",), [fmt, "--data", OUT, "--out", f"export.{fmt}"], f"Wrote export.{fmt}")
      for fmt in ("html", "stix", "misp", "jsonld", "ntriples", "turtle", "graphml", "gexf", "csv")),
    (("review",), ["drafts", "--accept-all"], "accepted"),
    (("ingest",), ["drafts/000_b4afc840318ef8b5.txt", "--corpus", "ingested", "--no-progress"], "1 ingested"),
]


def _leaf_commands(command, path=()) -> set[tuple[str, ...]]:
    children = getattr(command, "commands", None)
    if not children:
        return {path}
    return set().union(*(_leaf_commands(child, path + (name,)) for name, child in children.items()))


# The two commands that talk HTTP, run by test_serve_and_push_run_in_subprocesses.
SERVERS = {("serve",), ("push",)}


def test_every_command_has_a_run():
    assert _leaf_commands(typer.main.get_command(app)) == {path for path, _, _ in RUNS} | SERVERS


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The test's folder, with ``drafts/``: the seeds plus a draft annotation, for ``review``."""
    folder = tmp_path_factory.mktemp("commands")
    shutil.copytree(SEEDS_DIR, folder / "drafts", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    for path in DRAFTS.iterdir():
        shutil.copyfile(path, folder / "drafts" / path.name)
    for path in (folder / "drafts").iterdir():
        path.chmod(0o644)  # review rewrites the annotations it accepts
    return folder


@pytest.mark.parametrize(("path", "arguments", "expected"), RUNS, ids=[" ".join(p + tuple(a[:1])) for p, a, _ in RUNS])
def test_command_runs_in_a_subprocess(folder, path, arguments, expected):
    # -I: the installed package only, never the checkout's folders on sys.path by accident.
    done = subprocess.run([sys.executable, "-I", "-m", "incidentkg", *path, *arguments],
                          cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout, done.stdout


def test_serve_and_push_run_in_subprocesses(folder, oxigraph):
    """``serve`` answers a query from another process; ``push`` fills a real Oxigraph server."""
    server = Server(folder / OUT)
    try:
        done = subprocess.run([sys.executable, "-I", "-m", "incidentkg", "query", "--endpoint", server.url + "/sparql",
                               "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
                              cwd=folder, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert int(done.stdout.split()[-1]) == httpx.get(server.url + "/health").json()["triples"]
    finally:
        server.stop()
    done = subprocess.run([sys.executable, "-I", "-m", "incidentkg", "push", "--endpoint", oxigraph + "/store",
                           "--data", OUT, "--graph", "https://example.org/seeds"],
                          cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert graphs(oxigraph) == {"https://example.org/seeds": len((folder / OUT / "graph.nt").read_bytes().splitlines())}
