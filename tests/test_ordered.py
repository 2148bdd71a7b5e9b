"""What a build writes in order (the timeline, the answers of whole-graph questions) and the index
lookups of ``sources`` answer as the graph does."""

from __future__ import annotations

import doctest
import json
import shutil
from datetime import date, timedelta
from itertools import islice

import pytest
from typer.testing import CliRunner

from incidentkg.cli import app

from incidentkg.graph import ordered, questions
from incidentkg.graph.ordered import (ANSWERS_DIR, TIMELINE_FILE, read_timeline, saved_answer, timeline_file,
                                      write_timeline)
from incidentkg.graph.output import current_build
from incidentkg.graph.sparql import saved_queries, select, with_page
from incidentkg.graph.store import open_data


def test_docstring_examples_run():
    assert doctest.testmod(ordered).failed == 0


@pytest.fixture(scope="module")
def entries(seed_store):
    return list(questions.timeline_entries(seed_store))


def _windows(entries):
    """Windows around every day the seeds know, of 0 to 400 days, open on either side, and
    far before and after every item."""
    days = sorted({date.fromisoformat(day) for earliest, latest, _, _ in entries for day in (earliest, latest) if day})
    for day in days:
        for before, length in ((0, 0), (3, 6), (40, 30), (200, 400)):
            yield day - timedelta(before), day - timedelta(before) + timedelta(length)
        yield day, None
        yield None, day
    yield date(1900, 1, 1), date(1900, 12, 31)
    yield date(2100, 1, 1), None


def test_the_build_writes_the_timeline_it_reads(built, seed_store, entries):
    path = built / TIMELINE_FILE
    assert list(read_timeline(path)) == list(questions.timeline(seed_store))
    incidents = sorted({about for _, _, about, _ in entries if about})
    assert incidents
    for start, end in _windows(entries):
        assert list(read_timeline(path, start, end)) == list(questions.timeline(seed_store, start, end)), (start, end)
    for incident in incidents:
        for start, end in ((None, None), (date(2021, 1, 1), date(2021, 12, 31))):
            expected = list(questions.timeline(seed_store, start, end, incident))
            assert list(questions.timeline(seed_store, start, end, incident, ordered=path)) == expected


def test_long_and_open_ranges_are_found_from_the_header(tmp_path):
    # An open start, an open end and a year: none is within a month of the window's start.
    entries = [("2019-01-01", "2019-12-31", None, {"iri": "urn:year"}),
               ("2020-03-01", "2020-03-01", None, {"iri": "urn:day"}),
               ("2020-06-01", None, None, {"iri": "urn:open-end"}),
               (None, "2020-07-01", None, {"iri": "urn:open-start"}),
               (None, None, None, {"iri": "urn:undated"})]
    path = tmp_path / TIMELINE_FILE
    write_timeline(entries, path)
    found = [row["iri"] for row in read_timeline(path, date(2019, 12, 1), date(2019, 12, 2))]
    assert found == ["urn:year", "urn:open-start"]
    assert [row["iri"] for row in read_timeline(path, date(2021, 1, 1))] == ["urn:open-end"]
    assert [row["iri"] for row in islice(read_timeline(path), 2)] == ["urn:year", "urn:day"]
    assert [row["iri"] for row in read_timeline(path, incident="urn:day")] == ["urn:day"]


def test_graph_timeline_reads_the_file_and_builds_without_it(built, tmp_path):
    # A build made before the file existed is read from its graph: the same answer.
    older = tmp_path / "older"
    shutil.copytree(current_build(built), older)
    (older / TIMELINE_FILE).unlink()
    window = ["--from", "2021-07-01", "--to", "2021-12-31", "--format", "json"]
    answers = [CliRunner().invoke(app, ["graph", "timeline", "--data", str(data), *window]) for data in (built, older)]
    assert [a.exit_code for a in answers] == [0, 0]
    assert answers[0].output == answers[1].output and json.loads(answers[0].output)


@pytest.mark.parametrize("engine", ["seed_store", "seed_graph"])
def test_sources_by_lookups_are_the_saved_query(engine, request, seed_store):
    data = request.getfixturevalue(engine)
    things = [row["x"] for row in select(seed_store, "SELECT DISTINCT ?x WHERE { { ?a ikg:mentions ?x } UNION "
                                                     "{ ?c ikg:claimant ?x } UNION { ?c ikg:accused ?x } } ORDER BY ?x")]
    assert len(things) > 50
    text = saved_queries()["sources"].text
    for thing in things + ["https://w3id.org/incidentkg/id/no-such-thing"]:
        assert list(questions.sources(data, thing)) == select(data, text, {"entity": thing}), thing


def test_sources_keep_drafts_apart(draft_graph):
    text = saved_queries()["sources"].text
    things = [row["x"] for row in select(draft_graph, "SELECT DISTINCT ?x WHERE { ?c ikg:claimant ?x } ORDER BY ?x")]
    statuses = set()
    for thing in things:
        found = list(questions.sources(draft_graph, thing))
        assert found == select(draft_graph, text, {"entity": thing}), thing
        statuses |= {row["status"] for row in found}
    assert {"draft", "curated"} <= statuses


def test_files_of_another_version_or_query_text_are_not_read(tmp_path, monkeypatch):
    write_timeline([("2021-01-05", "2021-01-05", None, {"iri": "urn:a"})], tmp_path / TIMELINE_FILE)
    assert timeline_file(tmp_path) == tmp_path / TIMELINE_FILE
    monkeypatch.setattr(ordered, "FORMAT", ordered.FORMAT + 1)
    assert timeline_file(tmp_path) is None
    (tmp_path / ANSWERS_DIR).mkdir()
    (tmp_path / ANSWERS_DIR / "contradictions.jsonl").write_text('{"query": "another text"}\n{"a": 1}\n')
    assert saved_answer(tmp_path, "contradictions") is None


def test_the_build_answers_the_whole_graph_questions(built):
    folder = current_build(built)
    answered = set(saved_queries())  # with parameters too: asked unbound, they ask the whole graph
    assert answered >= {"accusation-pairs", "contradictions", "timeline", "sources", "claims-by-claimant"}
    assert sorted(path.stem for path in (folder / ANSWERS_DIR).iterdir()) == sorted(answered)
    for name in answered:
        assert list(saved_answer(folder, name)) == select(open_data(built), saved_queries()[name].text), name
    assert saved_answer(folder, "no-such-query") is None


def test_query_reads_the_answer_and_builds_without_it(built, tmp_path):
    older = tmp_path / "older"
    shutil.copytree(current_build(built), older)
    shutil.rmtree(older / ANSWERS_DIR)
    for page in (["--limit", "3"], ["--limit", "2", "--offset", "5"], []):
        answers = [CliRunner().invoke(app, ["query", "@accusation-pairs", "--data", str(data), "--format", "csv", *page])
                   for data in (built, older)]
        assert [a.exit_code for a in answers] == [0, 0]
        assert answers[0].output == answers[1].output and answers[0].output.count("\n") > 2


def test_the_stored_first_page_is_the_live_querys(built):
    """The first page (50 rows) of every unbound saved query, read from the build's answer, is the
    page the store gives for the query with ``LIMIT 50``; a bound parameter is not read from it."""
    folder = current_build(built)
    store = open_data(built)
    for name, saved in saved_queries().items():
        written = list(islice(saved_answer(folder, name), 50))
        assert written == select(store, with_page(saved.text, 50)), name
    first = select(store, saved_queries()["timeline"].text)
    assert first, "the seeds have a timeline"


def test_query_reads_unbound_parameter_queries_from_the_build(built):
    folder = current_build(built)
    runner = CliRunner()
    for name in ("timeline", "sources", "claims-by-claimant"):
        expected = list(islice(saved_answer(folder, name), 5))
        shown = runner.invoke(app, ["query", f"@{name}", "--data", str(built), "--limit", "5", "--format", "csv"])
        assert shown.exit_code == 0, shown.output
        assert shown.output.count("\n") == len(expected) + 1, name


# --------------------------------------------------------------------------- windows of @timeline

def _timeline_windows(rows: list[dict], spread: int = 1) -> list[dict]:
    """Bindings of ``@timeline``'s ``from`` and ``to``: around every ``spread``-th day its rows
    know, 0 to 400 days long, open on either side, reversed, far before and after everything,
    and values that are not days."""
    days = sorted({date.fromisoformat(day) for row in rows for day in (row["earliest"], row["latest"]) if day})
    windows = []
    for day in days[::spread]:
        for before, length in ((0, 0), (0, 6), (3, 6), (40, 30), (200, 400), (0, -10)):
            start = day - timedelta(before)
            windows.append({"from": start.isoformat(), "to": (start + timedelta(length)).isoformat()})
        windows += [{"from": day.isoformat()}, {"to": day.isoformat()}]
    windows += [{"from": "1900-01-01", "to": "1900-12-31"}, {"from": "2100-01-01"}, {"to": "0001-01-05"},
                {"from": "0001-01-05", "to": "2100-01-01"},
                {"from": "2021-1-01"}, {"from": "2021-01-01\n", "to": "2021-12-31"}, {"to": "soon"}]
    return windows


def _engine_and_file_agree(folder, source, windows) -> int:
    """Assert that every window read from the answer file is the query's answer on ``source``;
    return how many rows they held in all."""
    text, total = saved_queries()["timeline"].text, 0
    for binding in windows:
        read = saved_answer(folder, "timeline", binding)
        assert read is not None, binding
        expected = select(source, text, binding)
        assert list(read) == expected, binding
        total += len(expected)
    return total


@pytest.mark.parametrize("folder", ["built", "draft_build"])
def test_timeline_windows_read_from_the_answer_are_the_querys(folder, request):
    built = request.getfixturevalue(folder)
    build, store = current_build(built), open_data(built)
    header = json.loads((build / ANSWERS_DIR / "timeline.jsonl").open("rb").readline())
    assert header["window"]["long"] and header["window"]["days"], "the seeds have short and long ranges"
    windows = _timeline_windows(list(saved_answer(build, "timeline")))
    assert _engine_and_file_agree(build, store, windows) > 0


def test_timeline_windows_on_a_bigger_graph_and_on_rdflib(generated_store, seed_graph, built, tmp_path):
    ordered.write_answers(generated_store, tmp_path / ANSWERS_DIR)
    whole = list(saved_answer(tmp_path, "timeline"))
    assert len(whole) > 300
    windows = _timeline_windows(whole, spread=max(1, len(whole) // 60))
    assert _engine_and_file_agree(tmp_path, generated_store, windows) > len(windows)
    # rdflib's engine gives the same rows (the meaning of the query, not one engine's reading)
    seeds = _timeline_windows(list(saved_answer(current_build(built), "timeline")), spread=5)[:60]
    _engine_and_file_agree(current_build(built), seed_graph, [w for w in seeds if "\n" not in w.get("from", "")])


def test_what_the_window_index_cannot_answer_is_left_to_the_engine(built, tmp_path):
    folder = current_build(built)
    assert saved_answer(folder, "timeline", {"from": "2021-02-30"}) is None  # no such day: text comparisons
    assert saved_answer(folder, "timeline", {"from": "<urn:2021-01-01>"}) is None
    assert saved_answer(folder, "sources", {"entity": "United States"}) is None  # a literal
    assert saved_answer(folder, "article-claims", {"article": "urn:x"}) is None
    assert ordered.window_index([({"earliest": "2021-02-01", "latest": None}, b"x\n"),
                                 ({"earliest": "2021-01-01", "latest": None}, b"y\n")]) is None
    older = tmp_path / "older"  # an answer written before the index: the engine answers windows
    shutil.copytree(folder, older)
    path = older / ANSWERS_DIR / "timeline.jsonl"
    lines = path.read_bytes().split(b"\n", 1)
    header = json.loads(lines[0])
    del header["window"]
    path.write_bytes(json.dumps(header).encode() + b"\n" + lines[1])
    assert saved_answer(older, "timeline", {"from": "2021-01-01"}) is None
    assert list(saved_answer(older, "timeline")) == list(saved_answer(folder, "timeline"))


def test_query_reads_a_timeline_window_from_the_build(built, tmp_path):
    older = tmp_path / "older"
    shutil.copytree(current_build(built), older)
    shutil.rmtree(older / ANSWERS_DIR)
    for window in (["-p", "from=2021-07-01", "-p", "to=2021-07-07"], ["-p", "from=2021-07-01"], ["-p", "to=2019-12-31"],
                   ["-p", "from=2021-01-01", "-p", "to=2021-12-31", "--limit", "3", "--offset", "2"],
                   ["-p", "from=July"]):
        answers = [CliRunner().invoke(app, ["query", "@timeline", "--data", str(data), "--format", "csv", *window])
                   for data in (built, older)]
        assert [a.exit_code for a in answers] == [0, 0], answers[0].output
        assert answers[0].output == answers[1].output, window
    assert answers[0].output.strip() == ""  # a value that is not a day: no rows, as the query says
