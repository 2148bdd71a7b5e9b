"""Query limits (incidentkg.graph.limits) through the command line: time, nesting, SERVICE,
query files, and every query form with every output format."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.exceptions import QueryRefused, QueryTimeout
from incidentkg.graph.limits import MAX_NESTING, check_query, run_with_timeout

runner = CliRunner()

# A cartesian product of the seed graph with itself: 15 million rows, about a second of work, so
# the abandoned thread ends soon after the test (a three-way product would run for hours).
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y }"


def query(built, *args):
    return runner.invoke(app, ["query", "--data", str(built), *args])


def test_a_query_past_its_timeout_stops_with_a_clear_error(built):
    result = query(built, "--timeout", "0.01", CARTESIAN)
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: query stopped after 0.01 s (the --timeout); "
                                     "narrow it down or raise the limit")


def test_graph_commands_run_under_the_group_timeout(built):
    result = runner.invoke(app, ["graph", "--timeout", "0.000001", "rank", "--data", str(built)])
    assert result.exit_code == 1
    assert "query stopped after 1e-06 s" in result.stderr
    assert runner.invoke(app, ["graph", "--timeout", "60", "rank", "--data", str(built), "--top", "1"]).exit_code == 0


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 10_000])
def test_deep_nesting_is_refused_before_the_engine(built, depth):
    # 10,000 nested parentheses crash Oxigraph's parser with a segfault; here they never reach it.
    result = query(built, "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }")
    assert result.exit_code == 2
    assert f"nested {depth + 2} brackets deep" in result.stderr and "at most 100" in result.stderr


def test_nesting_inside_strings_iris_and_comments_does_not_count():
    text = 'SELECT * WHERE { ?s ?p "((((((" . ?s ?p <urn:x(((> } # ' + "(" * 500
    assert check_query(text, max_nesting=2) == text


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?s ?p ?o } }",
])
def test_service_is_refused_unless_allowed(built, text):
    result = query(built, text)
    assert result.exit_code == 2
    assert "is refused: the query would send requests to another endpoint" in result.stderr
    assert check_query(text, allow_service=True) == text


def test_the_word_service_in_a_string_a_variable_or_a_name_is_not_a_call():
    text = 'SELECT ?service WHERE { ?s ikg:service "SERVICE <x>" } # SERVICE'
    assert check_query(text) == text


def test_a_query_file_that_is_a_folder_or_not_utf8_is_one_line(built, tmp_path):
    folder = tmp_path / "dir.rq"
    folder.mkdir()
    result = query(built, str(folder))
    assert result.exit_code == 1 and result.stderr.strip() == f"Error: {folder}: is a folder, not a query file"
    latin = tmp_path / "latin.rq"
    latin.write_bytes(b"# caf\xe9\nSELECT * WHERE { ?s ?p ?o }")
    result = query(built, str(latin))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {latin}:1: not UTF-8 (byte 0xe9 at offset 5)"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("form", [
    "SELECT ?s WHERE { ?s a ikg:Claim } ORDER BY ?s LIMIT 2",
    "ASK { ?s a ikg:Claim }",
    "CONSTRUCT { ?s a ikg:Claim } WHERE { ?s a ikg:Claim } LIMIT 2",
    "DESCRIBE id:china",
])
def test_every_query_form_works_with_every_format(built, form, fmt):
    result = query(built, "--format", fmt, form)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    if form.startswith("ASK"):
        assert ("true" if fmt == "json" else "True") in result.stdout
    if fmt == "json" and not form.startswith(("CONSTRUCT", "DESCRIBE")):
        json.loads(result.stdout)


def test_refused_is_a_query_error():
    with pytest.raises(QueryRefused):
        check_query("ASK {" + "{" * 200 + "}" * 200 + "}")
