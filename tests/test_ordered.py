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
