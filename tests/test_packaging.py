"""The wheel is one tidy `incidentkg` package that carries its data and builds with no checkout."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(folder), str(ROOT)], check=True, capture_output=True)
    return next(folder.glob("incidentkg-*.whl"))


def test_only_one_top_level_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"incidentkg"}


def test_the_wheel_carries_the_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("incidentkg/ontology/incidentkg.ttl", "incidentkg/ontology/shapes.ttl",
                     "incidentkg/ontology/context.jsonld", "incidentkg/seeds/catalog.yaml", "incidentkg/seeds/000_b4afc840318ef8b5.txt",
                     "incidentkg/seeds/000_b4afc840318ef8b5.yaml", "incidentkg/graph/queries/timeline.rq",
                     "incidentkg/export/html/page.html.j2", "incidentkg/export/html/vendor/vis-network.min.js"):
        assert required in names, required


def test_an_installed_copy_builds_the_seed_graph_without_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    script = ("import sys; sys.path.insert(0, sys.argv[1]); import incidentkg.pipeline as p; "
              "assert p.__file__.startswith(sys.argv[1]), p.__file__; "
              "print(p.build(out_dir=sys.argv[2]).counts['claims'])")
    done = subprocess.run([sys.executable, "-I", "-c", script, str(target), str(tmp_path / "out")],
                          cwd=tmp_path, check=True, capture_output=True, text=True)
    assert int(done.stdout.strip()) >= 60
    assert (tmp_path / "out" / "graph.ttl").exists()


def _declared() -> set[str]:
    """The distributions pyproject.toml declares, in its dependencies and every extra."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    return {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def _imported_modules(folder: Path) -> dict[str, str]:
    """Top-level module -> a file that imports it, for every absolute import under ``folder``."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_import_of_the_package_is_declared():
    """What the package imports, anywhere (inside functions too), comes from a declared
    distribution: an import the smoke test never reaches cannot hide an undeclared one."""
    import tomllib

    folders = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    imported = {}
    for folder in sorted(set(folders.values())):
        imported.update(_imported_modules(ROOT / folder))
    undeclared = []
    for module, path in sorted(imported.items()):
        if module in sys.stdlib_module_names or module in {"incidentkg", "__future__"}:
            continue
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
        if not owners & declared:
            undeclared.append(f"{path}: {module} ({', '.join(sorted(owners)) or 'not installed'})")
    assert undeclared == []
