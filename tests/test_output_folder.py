"""`build --out` never loses a folder: it refuses what it did not write, switches OUT in one
atomic step, survives being killed at any step of the switch, and a failed build writes nothing."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.exceptions import AnnotationError, BuildError, OutputError
from incidentkg.graph.output import LOCK, MARKER, builds_dir, current_build
from incidentkg.graph.sparql import select
from incidentkg.graph.store import open_data
from incidentkg.graph.views import knowledge_graph
from incidentkg.pipeline import build
from incidentkg.seeds import SEEDS_DIR

runner = CliRunner()
ARTICLE = "002_5bab2969581254e6"


def kept(out: Path) -> list[str]:
    """What the builds folder of ``out`` holds besides its lock: the current build, and leftovers."""
    return sorted(path.name for path in builds_dir(out).iterdir() if path.name != LOCK)


def snapshot(out: Path) -> tuple:
    """What a reader of ``out`` sees: the build it links to and that build's graph."""
    folder = current_build(out)
    return folder.name, (folder / "graph.nt").read_bytes(), (folder / MARKER).exists()


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("first") / "out"
    build(SEEDS_DIR, out, html=False)
    return out


@pytest.fixture
def out(first_build, tmp_path) -> Path:
    """A fresh copy of a complete build (its link and its builds folder)."""
    copy = tmp_path / "out"
    shutil.copytree(builds_dir(first_build), builds_dir(copy), symlinks=True)
    os.symlink(os.readlink(first_build), copy)
    return copy


# --------------------------------------------------------------------------- what may be replaced

def test_a_folder_incidentkg_did_not_write_is_refused_and_kept(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("x\n")
    result = runner.invoke(app, ["build", "--out", str(docs), "--no-html"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {docs}: a folder incidentkg did not write (it holds notes.txt); it is left as it is: "
        "choose a new or empty folder for --out"]
    assert (docs / "notes.txt").read_text() == "x\n" and sorted(tmp_path.iterdir()) == [docs]


def test_a_file_or_a_foreign_link_is_refused_and_kept(tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("x\n")
    link = tmp_path / "link"
    link.symlink_to(file)
    with pytest.raises(BuildError, match="not a folder"):
        build(SEEDS_DIR, file)
    with pytest.raises(BuildError, match="a link to .* that incidentkg did not make"):
        build(SEEDS_DIR, link)
    assert file.read_text() == "x\n" and os.readlink(link) == str(file)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "notes.txt"]


def test_an_empty_folder_becomes_a_build(tmp_path):
    empty = tmp_path / "out"
    empty.mkdir()
    build(SEEDS_DIR, empty, html=False)
    assert empty.is_symlink() and (empty / MARKER).is_file() and len(kept(empty)) == 1


def test_a_plain_folder_of_an_older_build_is_taken_over(out, tmp_path):
    legacy = tmp_path / "legacy"
    shutil.copytree(current_build(out), legacy)
    (legacy / MARKER).unlink()  # older builds had only store/COMPLETE.json
    build(SEEDS_DIR, legacy, html=False)
    assert legacy.is_symlink() and len(kept(legacy)) == 1
    assert (legacy / "graph.nt").read_bytes() == (out / "graph.nt").read_bytes()


def test_leftovers_of_killed_builds_are_deleted_by_the_next(out):
    for leftover in ("1-111", "2-222"):
        (builds_dir(out) / leftover / "store").mkdir(parents=True)
    (builds_dir(out) / "link-333").symlink_to("nowhere")
    build(SEEDS_DIR, out, html=False)
    assert kept(out) == [current_build(out).name]


def test_one_build_at_a_time(out):
    before = snapshot(out)
    with (builds_dir(out) / LOCK).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(BuildError, match="another incidentkg build is writing it"):
            build(SEEDS_DIR, out, html=False)
    assert snapshot(out) == before


def test_a_reader_racing_builds_always_finds_a_complete_build(out):
    missing, stop = [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            if not (out / MARKER).is_file() or not (out / "graph.nt").is_file():
                missing.append(os.path.lexists(out))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(3):
            build(SEEDS_DIR, out, html=False)
    finally:
        stop.set()
        reader.join()
    assert missing == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line_and_keeps_the_previous_build(out):
    before = snapshot(out)
    builds_dir(out).chmod(0o555)
    try:
        with pytest.raises(OutputError, match=r"cannot write the build \(Permission denied\)"):
            build(SEEDS_DIR, out, html=False)
    finally:
        builds_dir(out).chmod(0o755)
    assert snapshot(out) == before


# --------------------------------------------------------------------------- a failed build writes nothing

def _break_annotation(seeds: Path) -> None:
    path = seeds / f"{ARTICLE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    claimant: mao-ning\n", "", 1), encoding="utf-8")


def _break_catalog(seeds: Path) -> None:
    path = seeds / "catalog.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: GovernmentBody", "type: Ministry", 1),
                    encoding="utf-8")


def _remove_articles(seeds: Path) -> None:
    for path in list(seeds.glob("*.txt")) + list(seeds.glob("0*.yaml")):
        path.unlink()


@pytest.mark.parametrize("breaking, error", [
    (_break_annotation, AnnotationError), (_break_catalog, AnnotationError), (_remove_articles, AnnotationError),
])
def test_the_previous_output_survives_a_failing_build(out, seeds_copy, breaking, error):
    before = snapshot(out)
    breaking(seeds_copy)
    with pytest.raises(error):
        build(seeds_copy, out, html=False)
    assert snapshot(out) == before and kept(out) == [before[0]]


def test_the_previous_output_survives_a_full_disk(out):
    # A file-size limit makes every write past 64 KB fail as a full disk does (EFBIG).
    before = snapshot(out)
    script = textwrap.dedent(f"""
        import resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        from incidentkg.cli import main
        main()
    """)
    result = subprocess.run([sys.executable, "-c", script, "build", "--out", str(out), "--no-html"],
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"Error: {out}: cannot write the build (File too large); the previous build is unchanged"]
    assert snapshot(out) == before and kept(out) == [before[0]]


def test_a_build_with_a_bad_file_writes_nothing_unless_told_to_keep_going(seeds_copy, tmp_path):
    _break_annotation(seeds_copy)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--seeds", str(seeds_copy), "--out", str(out), "--no-html"])
    assert result.exit_code == 1 and "Wrote" not in result.output
    assert f"{ARTICLE}.yaml:" in result.stderr and "has no claimant" in result.stderr
    assert not os.path.lexists(out)

    result = runner.invoke(app, ["build", "--seeds", str(seeds_copy), "--out", str(out), "--keep-going"])
    assert result.exit_code == 1 and "4 articles" in result.output and "1 file(s) left out" in result.stderr
    rows = select(open_data(out), "SELECT ?file ?problem { ?f a ikg:LeftOutFile ; ikg:fileName ?file ; "
                                  "ikg:problem ?problem }")
    assert [row["file"] for row in rows] == [f"{ARTICLE}.yaml"]
    assert rows[0]["problem"].startswith(f"{ARTICLE}.yaml:") and "has no claimant" in rows[0]["problem"]
    assert "left out of this graph" in (out / "graph.html").read_text(encoding="utf-8")
    assert "LeftOutFile" not in {kind for _, kind in knowledge_graph(open_data(out)).nodes(data="type")}


def test_a_page_is_written_whole_or_not_at_all(built, tmp_path):
    page = tmp_path / "missing" / "folder" / "graph.html"
    result = runner.invoke(app, ["export", "html", "--data", str(built), "--out", str(page)])
    assert result.exit_code == 0 and page.stat().st_size > 0
    folder = tmp_path / "a-folder.html"
    folder.mkdir()
    with pytest.raises(OutputError, match="cannot write it"):
        from incidentkg.export.html import write_page
        write_page({}, folder, title="x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder.html", "missing"]


# --------------------------------------------------------------------------- killed during the switch

KILLER = """
import os, signal, sys
point, seeds, out = sys.argv[1:]
real_replace, real_rename = os.replace, os.rename

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def replace(source, target):
    if point == "before the link moves" and os.fspath(target) == out:
        die()
    real_replace(source, target)
    if point == "after the link moved" and os.fspath(target) == out:
        die()

def rename(source, target):
    real_rename(source, target)
    if point == "after the old folder moved aside" and os.fspath(source) == out:
        die()

os.replace, os.rename = replace, rename
from incidentkg.pipeline import build
build(seeds, out, html=False)
"""


@pytest.mark.parametrize("point, expected", [
    ("before the link moves", "old"), ("after the link moved", "new"), ("after the old folder moved aside", "old"),
])
def test_a_build_killed_during_the_switch_leaves_a_complete_build(out, seeds_copy, tmp_path, point, expected):
    old = (out / "graph.nt").read_bytes()
    if point == "after the old folder moved aside":  # a plain folder of an older build is moved aside
        plain = tmp_path / "plain"
        shutil.copytree(current_build(out), plain)
        (plain / MARKER).unlink()
        out = plain
    (seeds_copy / "000_b4afc840318ef8b5.txt").unlink()
    (seeds_copy / "000_b4afc840318ef8b5.yaml").unlink()
    killed = subprocess.run([sys.executable, "-c", KILLER, point, str(seeds_copy), str(out)], capture_output=True)
    assert killed.returncode == -9, killed.stderr

    # A reader finds a complete build, the old or the new one, and can query it.
    seen = (current_build(out) / "graph.nt").read_bytes()
    assert (seen == old) == (expected == "old") and (current_build(out) / "store").is_dir()
    articles = "SELECT (COUNT(*) AS ?n) { ?a a ikg:Article }"
    assert int(select(open_data(out), articles)[0]["n"]) == (5 if expected == "old" else 4)

    # The next build puts OUT back if it is missing, and deletes what the killed one left.
    build(seeds_copy, out, html=False)
    assert out.is_symlink() and kept(out) == [current_build(out).name]
    assert int(select(open_data(out), articles)[0]["n"]) == 4


def test_what_was_left_out_does_not_depend_on_where_the_seeds_are(seeds_copy, tmp_path):
    _break_annotation(seeds_copy)
    elsewhere = shutil.copytree(seeds_copy, tmp_path / "elsewhere" / "seeds")
    graphs = []
    for seeds in (seeds_copy, elsewhere):
        out = tmp_path / f"out-{len(graphs)}"
        build(seeds, out, html=False, keep_going=True)
        graphs.append((out / "graph.nt").read_bytes())
    assert graphs[0] == graphs[1] and b"LeftOutFile" in graphs[0]
