"""``incidentkg push`` against a real Virtuoso Open Source 7 server on 127.0.0.1, the second
implementation the push is proven on (``tests/test_push.py`` is the first, Oxigraph).

Skipped where Debian's ``virtuoso-opensource`` is not installed (it brings ``virtuoso-t`` and
``isql-vt``). One private server for the module, in a temporary folder with its own
``virtuoso.ini``; each test writes its own named graphs.

What Virtuoso changes in what it stores, found by reading back: language tags are lower-cased
(``en-GB`` -> ``en-gb``, equal under RDF), numbers are canonicalised (``"007"^^xsd:integer`` ->
``"7"``, ``"1.50"^^xsd:decimal`` -> ``"1.5"``, ``"1e0"^^xsd:double`` -> ``"1.0"``) and blank nodes
are relabelled. A build writes ``@en``, canonical numbers and no blank node, so its graph comes
back isomorphic with nothing normalised. Two server settings matter beyond the seeds: Debian's
``ResultSetMaxRows = 10000`` silently cuts a Graph Store ``GET`` or a ``CONSTRUCT`` at 10,000
triples (measured on a 100k build), and the default ``TransactionAfterImageLimit`` (50 MB) aborts
the one ``MOVE`` of ``--replace`` over a graph of about a million triples, leaving the target as
it was (measured on a 1M build; 500000000 was enough).
"""

from __future__ import annotations

import shutil
import subprocess
import threading

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.exceptions import EndpointError
from incidentkg.serve.client import default_graph_iri, push

from .test_push import chunks, interrupted_then_rerun
from .test_serve import free_port

runner = CliRunner()
VIRTUOSO, ISQL = shutil.which("virtuoso-t"), shutil.which("isql-vt")

# Loopback ports only; ResultSetMaxRows raised so that reading a graph back is never cut short.
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
"""

# Anonymous writes on /sparql-graph-crud need SPARQL_UPDATE for the "SPARQL" user; "pusher" is
# the account a team would give push, on the digest-authenticated /sparql-graph-crud-auth.
GRANTS = """\
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.USER_CREATE ('pusher', 'secret');
GRANT SPARQL_UPDATE TO "pusher";
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A fresh ``virtuoso-t`` on free loopback ports, writable as above; yields its base URL."""
    if VIRTUOSO is None or ISQL is None:
        pytest.skip("Virtuoso (apt-get install virtuoso-opensource) is not installed")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}"
    try:
        for _ in range(3000):  # a fresh database takes some seconds to create; give up after minutes
            if process.poll() is not None or _answers(url):
                break
            threading.Event().wait(0.1)
        assert _answers(url), (folder / "virtuoso.log").read_text()
        # A fresh database's DBA password is "dba"; this one lives only as long as the test.
        granted = subprocess.run([ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", "VERBOSE=OFF", "PROMPT=OFF"],
                                 input=GRANTS, text=True, capture_output=True, timeout=60)
        assert granted.returncode == 0 and "Error" not in granted.stdout + granted.stderr, granted
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def read_back(url: str, graph: str) -> rdflib.Graph:
    response = httpx.get(url + "/sparql-graph-crud", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.text, format="nt")


def sizes(url: str, *graphs: str) -> dict[str, int]:
    """Triples in each of ``graphs`` and in its staging graph, leaving out those that are empty
    (Virtuoso keeps graphs of its own, which are not the test's business)."""
    named = [name for graph in graphs for name in (graph, graph + ".incidentkg-staging")]
    query = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?g { "
             + " ".join(f"<{name}>" for name in named) + " } } GROUP BY ?g")
    response = httpx.post(url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return {b["g"]["value"]: int(b["n"]["value"]) for b in response.json()["results"]["bindings"]}


@pytest.fixture(scope="module")
def local(built) -> rdflib.Graph:
    return rdflib.Graph().parse(built / "graph.nt", format="nt")


def test_push_reads_back_isomorphic_and_replace_keeps_one_copy(virtuoso, built, local):
    graph = default_graph_iri(built)
    for _ in range(2):
        # No --update-endpoint: the MOVE goes to /sparql, next to /sparql-graph-crud.
        result = runner.invoke(app, ["push", "--endpoint", virtuoso + "/sparql-graph-crud", "--data", str(built),
                                     "--chunk", "700", "--no-progress", "--replace"])
        assert result.exit_code == 0, result.output
        assert f"in {chunks(len(local), 700)} chunk(s) to <{graph}>" in result.stdout
        assert isomorphic(read_back(virtuoso, graph), local)
        assert sizes(virtuoso, graph) == {graph: len(local)}  # no staging graph left behind


def test_an_interrupted_push_leaves_the_target_as_it_was_and_a_rerun_one_copy(virtuoso, built):
    interrupted_then_rerun(virtuoso + "/sparql-graph-crud", built, lambda graph: read_back(virtuoso, graph),
                           lambda graph: sizes(virtuoso, graph))


def test_push_with_credentials_from_the_environment_answers_virtuosos_digest_challenge(virtuoso, built, local,
                                                                                         monkeypatch):
    graph = "https://example.org/authenticated"
    endpoint = virtuoso + "/sparql-graph-crud-auth"
    refused = runner.invoke(app, ["push", "--endpoint", endpoint, "--data", str(built), "--graph", graph, "--no-progress"])
    assert refused.exit_code == 1 and "answered 401 to chunk 1 of 1" in refused.stderr
    monkeypatch.setenv("INCIDENTKG_USER", "pusher")
    monkeypatch.setenv("INCIDENTKG_PASSWORD", "wrong")
    with pytest.raises(EndpointError, match=f"answered 401 to chunk 1 of {chunks(len(local), 500)}"):
        push(endpoint, built, graph, chunk_triples=500)
    monkeypatch.setenv("INCIDENTKG_PASSWORD", "secret")
    # Through /sparql-graph-crud-auth, the MOVE goes to /sparql-auth with the same credentials.
    result = runner.invoke(app, ["push", "--endpoint", endpoint, "--data", str(built), "--graph", graph,
                                 "--chunk", "500", "--no-progress", "--replace"])
    assert result.exit_code == 0, result.output
    assert isomorphic(read_back(virtuoso, graph), local)
    assert sizes(virtuoso, graph) == {graph: len(local)}


def test_query_endpoint_gives_what_local_query_gives(virtuoso, built):
    graph = "https://example.org/queried"
    push(virtuoso + "/sparql-graph-crud", built, graph)
    query = "SELECT ?claim WHERE { GRAPH <%s> { ?claim a ikg:Claim } } ORDER BY ?claim"
    remote = runner.invoke(app, ["query", "--endpoint", virtuoso + "/sparql", "--format", "csv",
                                 "PREFIX ikg: <https://w3id.org/incidentkg/ontology#> " + query % graph])
    local = runner.invoke(app, ["query", "--data", str(built), "--format", "csv",
                                query.replace("GRAPH <%s> ", "")])
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output + local.output
    assert remote.stdout == local.stdout
