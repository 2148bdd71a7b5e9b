"""The answers of ``graph rank``, ``communities`` and ``as-of`` a build writes are the answers the
commands compute from the graph: whole, by page, for every day, with drafts shown or hidden."""

from __future__ import annotations

import doctest
import json
import shutil
from datetime import date, timedelta
from itertools import islice

import pytest
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.graph import questions, whole
from incidentkg.graph.output import current_build
from incidentkg.graph.sparql import select
from incidentkg.graph.store import open_data
from incidentkg.graph.views import knowledge_graph
from incidentkg.graph.whole import COMMANDS_DIR, stored_as_of, stored_rows, write_as_of, write_command_answers


def test_docstring_examples_run():
    assert doctest.testmod(whole).failed == 0


def _days(source) -> list[date]:
    """Every publication day of the graph, the days either side of it, and days before and
    after everything."""
    found = {date.fromisoformat(str(row["d"])[:10]) for row in select(
        source, "SELECT DISTINCT ?d WHERE { ?t ikg:latest ?d }")}
    days = {day + timedelta(step) for day in found for step in (-1, 0, 1)}
    return sorted(days | {date(1900, 1, 1), date(2100, 1, 1)})


def test_the_build_writes_the_answers_the_commands_compute(built):
    folder, store = current_build(built), open_data(built)
    kg = knowledge_graph(store)
    assert list(stored_rows(folder, "rank")) == questions.rank(kg, top=None)
    assert list(stored_rows(folder, "rank", 20)) == questions.rank(kg)
    assert list(stored_rows(folder, "communities")) == questions.communities(kg)
    days = _days(store)
    answers = {day: list(stored_as_of(folder, day)) for day in days}
    for day in days:
        assert answers[day] == questions.claims_as_of(store, day), day
    assert not answers[days[0]] and answers[days[-1]], "some days know no claim, others some"
    assert len({len(rows) for rows in answers.values()}) > 2, "the answer grows with the day"


@pytest.mark.parametrize("graph", ["generated_store", "draft_graph"])
def test_as_of_from_the_known_days_is_as_of_from_the_graph(graph, request, tmp_path):
    # A bigger, more tangled graph (and one with drafts): every day around every publication.
    source = request.getfixturevalue(graph)
    write_as_of(questions.known_from(source, knowledge_graph(source)), tmp_path / COMMANDS_DIR)
    days = _days(source)
    # (each day rebuilds the graph: on the bigger one, 40 days spread over all of them, and the ends)
    for day in sorted(set(days[::max(1, len(days) // 40)]) | {days[0], days[-1]}):
        assert list(stored_as_of(tmp_path, day)) == questions.claims_as_of(source, day), day


def test_the_written_answers_are_the_computed_ones_on_a_bigger_graph(generated_store, tmp_path):
    write_command_answers(generated_store, tmp_path / COMMANDS_DIR)
    kg = knowledge_graph(generated_store)
    ranked = questions.rank(kg, top=None)
    assert len(ranked) > 20
    assert list(stored_rows(tmp_path, "rank")) == ranked
    assert list(stored_rows(tmp_path, "communities")) == questions.communities(kg)


def _commands(day: str) -> list[list[str]]:
    return [["rank"], ["rank", "--top", "3"], ["communities"], ["as-of", day], ["as-of", "1900-01-01"]]


@pytest.mark.parametrize("drafts", ["show", "hide"])
@pytest.mark.parametrize("folder", ["built", "draft_build"])
def test_the_commands_read_the_answers_and_compute_them_without(folder, drafts, request, tmp_path):
    built = request.getfixturevalue(folder)
    older = tmp_path / "older"  # as a build made before the answers were written
    shutil.copytree(current_build(built), older)
    shutil.rmtree(older / COMMANDS_DIR)
    runner = CliRunner()
    for command in _commands("2023-07-30"):
        for page in (["--format", "json"], ["--format", "csv", "--limit", "2", "--offset", "1"]):
            shown = [runner.invoke(app, ["graph", "--drafts", drafts, *command, "--data", str(data), *page])
                     for data in (built, older)]
            assert [s.exit_code for s in shown] == [0, 0], shown[0].output
            assert shown[0].output == shown[1].output, (command, page)
            if page[1] == "json":  # something to compare, but on a day before every article
                assert bool(json.loads(shown[0].output)) == (command[-1] != "1900-01-01"), command


def test_the_first_page_is_read_without_the_rest(built):
    folder = current_build(built)
    store = open_data(built)
    day = date(2023, 7, 30)
    assert list(islice(stored_as_of(folder, day), 5)) == questions.claims_as_of(store, day)[:5]
    assert list(stored_rows(folder, "rank", 3)) == questions.rank(knowledge_graph(store), 3)


def test_answers_of_another_version_are_not_read(built, tmp_path, monkeypatch):
    shutil.copytree(current_build(built) / COMMANDS_DIR, tmp_path / COMMANDS_DIR)
    assert stored_rows(tmp_path, "rank") is not None and stored_as_of(tmp_path, date(2023, 1, 1)) is not None
    monkeypatch.setattr(whole, "FORMAT", whole.FORMAT + 1)
    assert stored_rows(tmp_path, "rank") is None
    assert stored_rows(tmp_path, "communities") is None
    assert stored_as_of(tmp_path, date(2023, 1, 1)) is None
    assert stored_rows(tmp_path / "nowhere", "rank") is None
