"""The wheel is one tidy `incidentkg` package that carries its data and builds with no checkout."""

from __future__ import annotations

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
