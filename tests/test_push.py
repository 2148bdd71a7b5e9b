"""``incidentkg push`` and ``query --endpoint`` against a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.exceptions import EndpointError
from incidentkg.serve.client import default_graph_iri, push

from .test_serve import free_port

runner = CliRunner()
# The oxigraph package installs its server next to the interpreter (the test extra brings it).
OXIGRAPH = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture
def oxigraph(tmp_path):
    """A fresh ``oxigraph serve`` on a free loopback port; yields its base URL."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    port = free_port()
    process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "oxigraph"),
                                "--bind", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(url + "/query", timeout=5)
            break
        except httpx.TransportError:
            threading.Event().wait(0.05)
    yield url
    process.terminate()
    process.wait(timeout=30)


def chunks(triples: int, size: int) -> int:
    """How many chunks ``push`` sends ``triples`` in, ``size`` a chunk."""
    return -(-triples // size)


def read_back(url: str, graph: str) -> rdflib.Graph:
    response = httpx.get(url + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.text, format="nt")


def graphs(url: str) -> dict[str, int]:
    response = httpx.post(url + "/query", data={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
                          headers={"Accept": "application/sparql-results+json"})
    return {b["g"]["value"]: int(b["n"]["value"]) for b in response.json()["results"]["bindings"]}


def test_push_reads_back_isomorphic(oxigraph, built):
    result = runner.invoke(app, ["push", "--endpoint", oxigraph + "/store", "--data", str(built),
                                 "--chunk", "700", "--no-progress"])
    assert result.exit_code == 0, result.output
    graph = default_graph_iri(built)
    local = rdflib.Graph().parse(built / "graph.nt", format="nt")
    assert f"in {chunks(len(local), 700)} chunk(s) to <{graph}>" in result.stdout
    assert isomorphic(read_back(oxigraph, graph), local)
    assert graphs(oxigraph) == {graph: len(local)}  # no staging graph left behind


def interrupted_then_rerun(store: str, built: Path, read, sizes) -> None:
    """The scenario every target store must pass: a push to ``store`` interrupted after its third
    chunk leaves the target graph as it was; a rerun leaves one copy and no staging graph; an ADD
    of the same build on top changes nothing. ``read(graph)`` and ``sizes(graph)`` read the store."""
    graph = "https://example.org/shared/incidents"
    httpx.put(store, params={"graph": graph}, content=b"<urn:old> <urn:p> <urn:o> .\n",
              headers={"Content-Type": "application/n-triples"}).raise_for_status()

    def interrupt(stage, done, total):
        if done == 3:
            raise KeyboardInterrupt  # as Ctrl-C after the third chunk
    with pytest.raises(KeyboardInterrupt):
        push(store, built, graph, replace=True, chunk_triples=500, progress=interrupt)
    assert set(read(graph)) == {(rdflib.URIRef("urn:old"), rdflib.URIRef("urn:p"), rdflib.URIRef("urn:o"))}
    assert sizes(graph)[graph + ".incidentkg-staging"] == 1500

    pushed = push(store, built, graph, replace=True, chunk_triples=500)
    local = rdflib.Graph().parse(built / "graph.nt", format="nt")
    assert pushed["triples"] == len(local)
    assert isomorphic(read(graph), local)  # the old triple replaced, every triple once
    assert sizes(graph) == {graph: len(local)}
    push(store, built, graph)  # adding the same build again changes nothing
    assert sizes(graph) == {graph: len(local)}
    assert isomorphic(read(graph), local)


def test_an_interrupted_push_leaves_the_target_as_it_was_and_a_rerun_one_copy(oxigraph, built):
    interrupted_then_rerun(oxigraph + "/store", built, lambda graph: read_back(oxigraph, graph),
                           lambda graph: graphs(oxigraph))


def test_a_failed_chunk_is_named(oxigraph, built):
    with pytest.raises(EndpointError, match=r"answered 4\d\d to chunk 1 of 1 \(lines 1-\d+\); the target graph is unchanged"):
        push(oxigraph + "/no-such-route", built, "https://example.org/g")


def test_query_endpoint_gives_what_local_query_gives(oxigraph, built):
    push(oxigraph + "/store", built, "https://example.org/g")
    query = "SELECT ?claim WHERE { GRAPH ?g { ?claim a ikg:Claim } } ORDER BY ?claim"
    remote = runner.invoke(app, ["query", "--endpoint", oxigraph + "/query", "--format", "csv",
                                 "PREFIX ikg: <https://w3id.org/incidentkg/ontology#> " + query])
    local = runner.invoke(app, ["query", "--data", str(built), "--format", "csv", query.replace("GRAPH ?g ", "")])
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output + local.output
    assert remote.stdout == local.stdout
    ask = runner.invoke(app, ["query", "--endpoint", oxigraph + "/query", "ASK { GRAPH ?g { ?s ?p ?o } }"])
    assert "True" in ask.stdout


def test_query_endpoint_against_incidentkg_serve(built):
    from .test_serve import Server

    server = Server(built)
    try:
        result = runner.invoke(app, ["query", "--endpoint", server.url + "/sparql", "-f", "json", "@sources"])
        assert result.exit_code == 0, result.output
        assert '"head"' in result.stdout
        refused = runner.invoke(app, ["query", "--endpoint", server.url + "/sparql", "@sources", "-p", "entity=x"])
        assert refused.exit_code == 2 and "/queries/NAME?param=value" in refused.stderr
    finally:
        server.stop()


def test_an_unreachable_endpoint_is_one_line(built):
    result = runner.invoke(app, ["query", "--endpoint", f"http://127.0.0.1:{free_port()}/sparql", "ASK {}"])
    assert result.exit_code == 1 and "cannot be reached" in result.stderr and "Traceback" not in result.output
