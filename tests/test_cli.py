"""The command line: exit codes, formats and one-line errors."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from incidentkg.cli import app

runner = CliRunner()


def test_build_prints_a_summary(tmp_path):
    result = runner.invoke(app, ["build", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "5 articles" in result.output and "claims" in result.output and "triples" in result.output


def test_build_draws_progress_bars_when_asked(tmp_path):
    result = runner.invoke(app, ["build", "--out", str(tmp_path / "out"), "--no-html", "--progress"])
    assert result.exit_code == 0, result.output
    for stage in ("reading annotations", "mapping", "validating", "loading the store"):
        assert stage in result.stderr
    assert "5/5" in result.stderr  # the articles read


def test_validate_passes_on_a_build(built):
    result = runner.invoke(app, ["validate", "--out", str(built)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_fails_on_a_tampered_graph(built, tmp_path):
    tampered = tmp_path / "out"
    tampered.mkdir()
    text = (built / "graph.ttl").read_text(encoding="utf-8")
    shifted = re.sub(r"ikg:quoteStart (\d+) ;", lambda m: f"ikg:quoteStart {int(m[1]) + 1} ;", text, count=1)
    (tampered / "graph.ttl").write_text(shifted, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--out", str(tampered)])
    assert result.exit_code == 1
    assert "is not at [" in result.output


def test_validate_reports_a_syntax_error_with_its_line(tmp_path):
    (tmp_path / "graph.ttl").write_text("@prefix ex: <urn:ex:> .\nex:a ex:b .\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'graph.ttl'}:2:")


def test_query_json_is_sparql_results_json(built):
    result = runner.invoke(app, ["query", "--data", str(built), "--format", "json",
                                 "SELECT ?claim WHERE { ?claim a ikg:Claim } LIMIT 2"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["head"]["vars"] == ["claim"] and len(doc["results"]["bindings"]) == 2


def test_query_table_and_csv(built):
    query = "SELECT ?label WHERE { id:china-mfa rdfs:label ?label }"
    table = runner.invoke(app, ["query", "--data", str(built), query])
    assert table.exit_code == 0 and "Ministry of Foreign Affairs" in table.output
    csv = runner.invoke(app, ["query", "--data", str(built), "-f", "csv", query])
    assert csv.output.splitlines()[0] == "label"


def test_query_from_a_file_with_a_bound_parameter(built, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?thing ?label WHERE { ?thing rdfs:label ?label }", encoding="utf-8")
    result = runner.invoke(app, ["query", "--data", str(built), str(rq), "--format", "json",
                                 "--param", "thing=https://w3id.org/incidentkg/id/qihoo-360"])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.output)["results"]["bindings"]
    assert len(bindings) == 1 and bindings[0]["thing"]["value"].endswith("/qihoo-360")


def test_binding_a_variable_the_query_does_not_project_is_a_usage_error(built):
    result = runner.invoke(app, ["query", "--data", str(built),
                                 "SELECT ?label WHERE { ?thing rdfs:label ?label }", "--param", "thing=x"])
    assert result.exit_code == 2 and result.output.startswith("Error: cannot bind parameters")


def test_malformed_query_is_one_line_and_exit_2(built):
    result = runner.invoke(app, ["query", "--data", str(built), "SELEC ?x WHERE {"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: malformed SPARQL")
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_injection_through_a_parameter_stays_a_literal(built):
    result = runner.invoke(app, ["query", "--data", str(built), "--format", "json",
                                 "SELECT ?thing ?name WHERE { ?thing rdfs:label ?name }",
                                 "--param", 'name=x" } ; DROP ALL ; SELECT * { "'])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"] == []


def test_build_with_a_bad_file_exits_1_and_names_it(seeds_copy, tmp_path):
    path = seeds_copy / "003_b1b842b01fcdc3fe.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("stance: asserted", "stance: shouted", 1),
                    encoding="utf-8")
    result = runner.invoke(app, ["build", "--seeds", str(seeds_copy), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "003_b1b842b01fcdc3fe.yaml:" in result.output and "'shouted' is not one of" in result.output
    assert "Wrote" not in result.output
    result = runner.invoke(app, ["build", "--seeds", str(seeds_copy), "--out", str(tmp_path / "out"), "--keep-going"])
    assert result.exit_code == 1
    assert "003_b1b842b01fcdc3fe.yaml:" in result.output and "4 articles" in result.output


def test_bad_option_values_are_usage_errors(built):
    for args in (["rank", "--top", "-5"], ["neighbours", "China", "--depth", "-1"],
                 ["path", "China", "Qihoo 360", "--max-length", "0"], ["ego", "China", "--radius", "-2"]):
        result = runner.invoke(app, ["graph", *args, "--data", str(built)])
        assert result.exit_code == 2, (args, result.output)
        assert "Invalid value for" in result.output



def test_parameters_take_what_the_tool_prints(built):
    """A prefixed name (as the output and the .rq headers show it), a full IRI and a label all bind."""
    answers = []
    for value in ("id:article/001_b53a57626e27720d", "<https://w3id.org/incidentkg/id/article/001_b53a57626e27720d>",
                  "https://w3id.org/incidentkg/id/article/001_b53a57626e27720d"):
        result = runner.invoke(app, ["query", "--data", str(built), "--format", "csv", "@article-claims",
                                     "--param", f"article={value}"])
        assert result.exit_code == 0, result.output
        answers.append(result.output)
    assert answers[0] == answers[1] == answers[2] and answers[0].count("\n") > 20
    by_label = runner.invoke(app, ["query", "--data", str(built), "--format", "csv", "@claims-by-claimant",
                                   "--param", "claimant=zhao lijian"])
    by_id = runner.invoke(app, ["query", "--data", str(built), "--format", "csv", "@claims-by-claimant",
                                "--param", "claimant=id:zhao-lijian"])
    assert by_label.exit_code == 0 and by_label.output == by_id.output and "Zhao Lijian" in by_label.output


def test_a_parameter_that_names_nothing_is_exit_2(built):
    unknown_iri = runner.invoke(app, ["query", "--data", str(built), "@article-claims",
                                      "--param", "article=id:article/nope"])
    assert unknown_iri.exit_code == 2
    assert unknown_iri.output == "Error: parameter article: id:article/nope names nothing in the graph\n"
    unknown_name = runner.invoke(app, ["query", "--data", str(built), "@claims-by-claimant",
                                       "--param", "claimant=Zhao Lijan"])
    assert unknown_name.exit_code == 2
    assert unknown_name.output.startswith("Error: parameter claimant: no entity named 'Zhao Lijan'; closest: Zhao Lijian")


def test_a_literal_parameter_stays_a_literal_even_when_it_looks_prefixed(built):
    result = runner.invoke(app, ["query", "--data", str(built), "--format", "json", "@entities-by-alias",
                                 "--param", "name=id:china"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"] == []  # no label holds the text "id:china"


# ------------------------------------------------------------------------------ paged answers


def test_contradictions_one_row_per_conflict_or_every_pair(built):
    result = runner.invoke(app, ["graph", "contradictions", "--data", str(built), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["conflict"], r["value"]) for r in rows] == [
        ("figure", "7000000 | 100000000"), ("stance", "alleged | denied"), ("stance", "alleged | denied")]
    pairs = runner.invoke(app, ["graph", "contradictions", "--data", str(built), "--pairwise", "--format", "csv"])
    assert pairs.exit_code == 0, pairs.output
    assert len(pairs.output.splitlines()) == 1 + 15
    assert pairs.output.splitlines()[0].startswith("conflict,subject,subjectLabel,measure,parties,sameArticle,a,")


def test_limit_and_offset_page_through_an_answer(built):
    everything = runner.invoke(app, ["query", "@timeline", "--data", str(built), "--format", "csv"])
    page = runner.invoke(app, ["query", "@timeline", "--data", str(built), "--format", "csv",
                               "--limit", "5", "--offset", "2"])
    assert everything.exit_code == page.exit_code == 0, page.output
    lines = everything.output.splitlines()
    assert page.output.splitlines() == [lines[0], *lines[3:8]]
    as_json = runner.invoke(app, ["query", "@timeline", "--data", str(built), "--format", "json",
                                  "--limit", "3", "--offset", "2"])
    bindings = json.loads(as_json.output)["results"]["bindings"]
    assert [b["item"]["value"] for b in bindings] == [line.split(",")[1] for line in lines[3:6]]
    timeline = runner.invoke(app, ["graph", "timeline", "--data", str(built), "--format", "json", "--limit", "4"])
    assert len(json.loads(timeline.output)) == 4


def test_a_negative_limit_is_a_usage_error(built):
    result = runner.invoke(app, ["graph", "timeline", "--data", str(built), "--limit", "-1"])
    assert result.exit_code == 2
    assert "Error: --limit and --offset must be 0 or more" in result.output


def test_a_table_on_a_terminal_shows_one_page_and_counts_the_rest(built):
    """Run for real on a pseudo-terminal: 50 rows, then how many more there are."""
    import os
    import subprocess
    import sys

    leader, follower = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "incidentkg", "query", "@timeline", "--data", str(built)],
                               stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    shown = b""
    while True:  # read as it is written: a terminal holds only a few kilobytes
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end is closed: everything is read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    stderr = process.stderr.read().decode("utf-8")
    process.wait(timeout=60)
    done = subprocess.CompletedProcess(process.args, process.returncode, shown, stderr)
    assert done.returncode == 0, done.stderr
    lines = shown.decode("utf-8").splitlines()
    assert len(lines) == 2 + 50  # header, rule, one page
    assert re.fullmatch(r"\.\.\. 93 more rows \(--offset 50 for the next page; --format csv or json for all\)",
                        done.stderr.strip())


def test_a_query_with_its_own_limit_cannot_be_paged_again(built):
    result = runner.invoke(app, ["query", "--data", str(built), "--format", "json", "--limit", "1",
                                 "SELECT ?claim WHERE { ?claim a ikg:Claim } LIMIT 2 # two"])
    assert result.exit_code == 2
    assert result.output == "Error: the query has its own LIMIT or OFFSET: drop it, or --limit and --offset\n"
