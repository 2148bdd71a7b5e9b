"""What the quick commands import: an investigator runs one command per process, so a module
that a command loads and does not use is paid on every call (networkx about 140 ms, rdflib
about 70 ms, pydantic 150 ms or more at import, before any answer; benchmarks/README.md, x15imp).

Each command runs in a fresh interpreter, through the console script's own entry point, and
says which of the heavy packages it left loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("rdflib", "networkx", "pyvis", "jinja2", "stix2", "pymisp", "pypdf", "trafilatura", "textual", "yaml",
         "numpy", "igraph", "httpx", "starlette", "uvicorn", "ruamel", "lxml", "pydantic")
"""Packages no command below uses (pydantic: typer from 0.29 on coerces every option with it,
hence the bound in pyproject.toml)."""

RUN = """
import json, sys
from incidentkg.cli import main
args, heavy = map(json.loads, sys.argv[1:])
sys.argv = ["incidentkg", *args]
try:
    main()
except SystemExit as stop:
    code = stop.code
sys.stdout.flush()
print(json.dumps({"code": code, "loaded": sorted(name for name in heavy if name in sys.modules)}), file=sys.stderr)
"""

# (arguments, the heavy packages it may load)
COMMANDS = [
    (["--help"], ()),
    (["queries"], ()),
    (["query", "@sources", "--param", "entity=china"], ()),
    (["query", "@claims-by-claimant", "--param", "claimant=zhao-lijian", "--format", "json"], ()),
    (["query", "SELECT ?label WHERE { id:china-mfa rdfs:label ?label }"], ()),
    (["graph", "path", "china", "qihoo-360"], ()),
    (["graph", "sources", "china"], ()),
    (["graph", "contradictions"], ()),
    (["graph", "timeline", "--from", "2021-01-01", "--to", "2021-12-31"], ()),
    # the walk builds a networkx graph of what it reached; rdflib it needs not
    (["graph", "neighbours", "china"], ("networkx",)),
    (["graph", "--drafts", "hide", "ego", "china"], ("networkx",)),
]


@pytest.mark.parametrize("args, allowed", COMMANDS, ids=[" ".join(args[:2]) for args, _ in COMMANDS])
def test_a_quick_command_loads_no_package_it_does_not_use(built, args, allowed):
    data = [] if args[0] in ("--help", "queries") else ["--data", str(built)]
    ran = subprocess.run([sys.executable, "-c", RUN, json.dumps(args + data), json.dumps(HEAVY)],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stderr.splitlines()[-1])
    assert result["code"] in (0, None) and ran.stdout.strip() not in ("", "(no rows)"), (ran.stdout, ran.stderr)
    assert set(result["loaded"]) <= set(allowed), result["loaded"]
