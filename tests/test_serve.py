"""``incidentkg serve`` as a real process on 127.0.0.1, asked by real clients: SPARQLWrapper
(JSON, XML, CSV), rdflib's SPARQLStore, raw httpx and a raw socket; bad input answered with the
right status; long answers streamed (and cut short when their query fails after the first
byte); long queries demoted (reniced, their place given up)."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.graph.sparql import saved_queries

runner = CliRunner()
CLAIMS = "SELECT ?claim WHERE { ?claim a ikg:Claim } ORDER BY ?claim"
FULL_CLAIMS = "PREFIX ikg: <https://w3id.org/incidentkg/ontology#> " + CLAIMS
SAMPLE_PARAMS = {"article": "https://w3id.org/incidentkg/id/article/003_b1b842b01fcdc3fe",
                 "name": "Foreign Ministry", "entity": "https://w3id.org/incidentkg/id/china",
                 "claimant": "https://w3id.org/incidentkg/id/china-mfa", "target": "https://w3id.org/incidentkg/id/china",
                 "day": "2023-07-26", "date": "2023-07-26", "incident": "https://w3id.org/incidentkg/id/wuhan-emc-cyberattack"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``incidentkg serve`` started as its own process; ``stop()`` ends it."""

    def __init__(self, data: Path, *options: str, host: str = "127.0.0.1", env: dict | None = None):
        self.port = free_port()
        self.url = f"http://{host}:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "incidentkg", "serve", "--data", str(data), "--host", host,
             "--port", str(self.port), *options],
            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
        self.banner = self.process.stderr.readline()
        headers = {"Authorization": f"Bearer {env['INCIDENTKG_TOKEN']}"} if env else {}
        for _ in range(600):  # until it answers (the banner is printed just before it binds)
            try:
                httpx.get(self.url + "/health", headers=headers, timeout=5)
                return
            except httpx.TransportError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited: {self.banner}{self.process.stderr.read()}")
                threading.Event().wait(0.05)
        raise RuntimeError("server did not answer")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(built):
    running = Server(built, "--max-body", "20000", "--max-rows", "1000")
    yield running
    running.stop()


def triples(server) -> int:
    return httpx.get(server.url + "/health").json()["triples"]


def cli_rows(built, query, *params):
    result = runner.invoke(app, ["query", "--data", str(built), "--format", "csv", query,
                                 *(f"--param={p}" for p in params)])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_startup_line_names_the_url_and_the_triple_count(server, built):
    assert f"http://127.0.0.1:{server.port}/" in server.banner
    assert f"{triples(server)} triples" in server.banner


# --------------------------------------------------------------------------- real clients

@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_sparqlwrapper_gets_the_rows_incidentkg_query_gets(server, built, fmt):
    from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(FULL_CLAIMS)
    client.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV}[fmt])
    converted = client.query().convert()
    if fmt == "json":
        got = [b["claim"]["value"] for b in converted["results"]["bindings"]]
    elif fmt == "xml":
        got = [n.firstChild.data for n in converted.getElementsByTagName("uri")]
    else:
        got = [row["claim"] for row in csv.DictReader(io.StringIO(converted.decode("utf-8")))]
    expected = [row["claim"] for row in cli_rows(built, CLAIMS)]
    assert got == expected and len(got) > 100


def test_sparqlwrapper_post_and_ask(server):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod(POST)
    client.setQuery("ASK { ?c a <https://w3id.org/incidentkg/ontology#Claim> }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore_selects_and_constructs(server, built):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(server.url + "/sparql", returnFormat="xml"))
    got = [str(row.claim) for row in graph.query(FULL_CLAIMS)]
    assert got == [row["claim"] for row in cli_rows(built, CLAIMS)]
    described = graph.query("CONSTRUCT { ?c a ?t } WHERE { ?c a ?t } LIMIT 3").graph
    assert len(described) == 3


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_over_http_equals_incidentkg_query(server, built, name):
    saved = saved_queries()[name]
    params = {p: SAMPLE_PARAMS[p] for p in saved.parameters if p in SAMPLE_PARAMS}
    response = httpx.get(f"{server.url}/queries/{name}", params=params)
    assert response.status_code == 200, response.text
    result = runner.invoke(app, ["query", "--data", str(built), "--format", "json", "@" + name,
                                 *(f"--param={k}={v}" for k, v in params.items())])
    assert result.exit_code == 0, result.output
    assert response.json() == json.loads(result.stdout)


# --------------------------------------------------------------------------- the protocol, raw

def test_get_post_form_and_post_direct_give_the_same_json(server):
    url = server.url + "/sparql"
    answers = [
        httpx.get(url, params={"query": FULL_CLAIMS}),
        httpx.post(url, data={"query": FULL_CLAIMS}),
        httpx.post(url, content=FULL_CLAIMS.encode(), headers={"Content-Type": "application/sparql-query"}),
    ]
    assert {a.status_code for a in answers} == {200}
    assert {a.headers["content-type"] for a in answers} == {"application/sparql-results+json"}
    assert answers[0].json() == answers[1].json() == answers[2].json()


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.4, application/sparql-results+json;q=0.9", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_results_by_accept(server, accept, media):
    response = httpx.get(server.url + "/sparql", params={"query": CLAIMS + " LIMIT 1"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                         ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_results_by_accept_parse_back(server, accept, fmt):
    query = "CONSTRUCT { ?c a ?t } WHERE { ?c a ?t } ORDER BY ?c LIMIT 5"
    response = httpx.get(server.url + "/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == accept
    assert len(rdflib.Graph().parse(data=response.text, format=fmt)) == 5


def test_default_graph_uri_selects_the_dataset(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    empty = httpx.get(server.url + "/sparql", params={"query": query, "default-graph-uri": "urn:no-such-graph"})
    assert empty.json()["results"]["bindings"][0]["n"]["value"] == "0"
    named = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                      "named-graph-uri": "urn:no-such-graph"})
    assert named.json()["results"]["bindings"] == []


def test_service_description_without_a_query(server):
    response = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    sd = rdflib.Graph().parse(data=response.text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = sd.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert sd.value(service, SD.endpoint) == rdflib.URIRef(server.url + "/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in sd
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in sd


def test_cors_headers_and_preflight(server):
    response = httpx.get(server.url + "/health", headers={"Origin": "https://notebook.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(server.url + "/sparql", headers={
        "Origin": "https://notebook.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_queries_lists_every_saved_query(server):
    listed = httpx.get(server.url + "/queries").json()
    assert [q["name"] for q in listed] == sorted(saved_queries())
    assert all(q["url"] == f"/queries/{q['name']}" for q in listed)


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("request_args, status, message", [
    (("GET", "/sparql", {"params": {"query": "SELECT ?s WHERE { ?s "}}), 400, "malformed SPARQL: error at 1:"),
    (("POST", "/sparql", {"data": {"update": "DROP ALL"}}), 403, "this endpoint is read-only"),
    (("POST", "/sparql", {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}}),
     403, "this endpoint is read-only"),
    (("GET", "/sparql", {"params": {"query": "DROP ALL"}}), 400, "malformed SPARQL"),
    (("GET", "/sparql", {"params": {"update": "DROP ALL"}}), 400, "an update must be sent with POST"),
    (("POST", "/sparql", {"content": b"x" * 30000, "headers": {"Content-Type": "application/sparql-query"}}),
     413, "request body of 30000 bytes; the server takes at most 20000"),
    (("GET", "/sparql", {"params": {"query": "SELECT * WHERE { ?s ?p ?o }"}}), 413, "more than 1000 rows"),
    (("GET", "/sparql", {"params": {"query": "ASK {" + "(" * 5000 + ")" * 5000 + "}"}}), 400, "brackets deep"),
    (("GET", "/sparql", {"params": {"query": "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }"}}),
     400, "SERVICE <http://example.org/> is refused"),
    (("GET", "/sparql", {"params": {"query": CLAIMS}, "headers": {"Accept": "image/png"}}), 406, "cannot answer with 'image/png'"),
    (("POST", "/sparql", {"content": b"\xff", "headers": {"Content-Type": "application/sparql-query"}}),
     400, "not UTF-8"),
    (("GET", "/queries/no-such-query", {}), 404, "no saved query 'no-such-query'"),
    (("GET", "/queries/sources", {"params": {"nope": "x"}}), 400, "has no parameter 'nope'"),
])
def test_bad_requests_get_their_status_and_a_readable_message(server, request_args, status, message):
    before = triples(server)
    method, path, options = request_args
    response = httpx.request(method, server.url + path, **options)
    assert response.status_code == status, response.text[:300]
    assert message in response.text and "Traceback" not in response.text
    assert len(response.text.strip().splitlines()) == 1
    assert triples(server) == before


def test_a_parameter_that_tries_to_inject_sparql_stays_a_literal(server):
    before = triples(server)
    payload = '" } ; DROP ALL ; #'
    response = httpx.get(server.url + "/queries/entities-by-alias", params={"name": payload})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == []
    assert triples(server) == before


def test_a_slow_query_times_out_while_other_clients_get_answers(built):
    slow_server = Server(built, "--timeout", "3")
    try:
        cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
        slow: dict = {}
        worker = threading.Thread(target=lambda: slow.update(response=httpx.get(
            slow_server.url + "/sparql", params={"query": cartesian}, timeout=120)))
        worker.start()
        answered = 0
        while worker.is_alive() and answered < 5:
            response = httpx.get(slow_server.url + "/queries/sources",
                                 params={"entity": SAMPLE_PARAMS["entity"]}, timeout=120)
            assert response.status_code == 200
            answered += 1
        assert answered == 5 and worker.is_alive()  # answered while the slow query ran
        worker.join()
        assert slow["response"].status_code == 503
        assert "query stopped after 3 s" in slow["response"].text
    finally:
        slow_server.stop()


def test_update_is_applied_with_allow_update(built):
    writable = Server(built, "--allow-update", "--workers", "2")
    try:
        before = triples(writable)
        response = httpx.post(writable.url + "/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
        assert response.status_code == 204, response.text
        assert triples(writable) == before + 1
        for _ in range(3):  # every worker answers from the updated store
            asked = httpx.get(writable.url + "/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"})
            assert asked.json()["boolean"] is True
    finally:
        writable.stop()


# --------------------------------------------------------------------------- workers and the queue

def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as listing:
        return [int(child) for child in listing.read().split()]


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is no zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    tree = [pid]
    for child in children(pid):
        tree += process_tree(child)
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes ``pids`` have used (those still alive)."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def test_a_timed_out_query_is_killed_with_its_worker_and_the_cpu_goes_idle(built):
    slow_server = Server(built, "--timeout", "2", "--workers", "2")
    try:
        (template,) = children(slow_server.process.pid)
        workers_before = set(children(template))
        assert len(workers_before) == 2
        cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
        response = httpx.get(slow_server.url + "/sparql", params={"query": cartesian}, timeout=120)
        assert response.status_code == 503 and "query stopped after 2 s" in response.text
        threading.Event().wait(0.5)  # the replacement is forked meanwhile
        workers_after = set(children(template))
        killed = workers_before - workers_after
        assert len(killed) == 1 and len(workers_after) == 2  # one worker killed, one new in its place
        assert not any(alive(pid) for pid in killed)
        tree = process_tree(slow_server.process.pid)
        used = cpu_seconds(tree)
        threading.Event().wait(1.0)
        assert cpu_seconds(tree) - used < 0.3  # nobody computes on: the server is idle again
        answered = httpx.get(slow_server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert answered.status_code == 200 and answered.json()["boolean"] is True
    finally:
        slow_server.stop()
    for _ in range(100):  # killed at shutdown; a moment until the kernel has removed them
        if not any(alive(pid) for pid in workers_after | {template}):
            break
        threading.Event().wait(0.05)
    assert not any(alive(pid) for pid in workers_after | {template})


def test_sixteen_clients_at_once_all_get_their_answer_from_two_workers(built):
    small = Server(built, "--workers", "2")
    try:
        url = small.url + "/queries/sources"
        expected = httpx.get(url, params={"entity": SAMPLE_PARAMS["entity"]}).json()
        statuses, answers = [], []

        def client() -> None:
            with httpx.Client(timeout=120) as session:
                for _ in range(3):
                    response = session.get(url, params={"entity": SAMPLE_PARAMS["entity"]})
                    statuses.append(response.status_code)
                    answers.append(response.json() if response.status_code == 200 else response.text)

        clients = [threading.Thread(target=client) for _ in range(16)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        assert statuses == [200] * 48 and all(answer == expected for answer in answers)
    finally:
        small.stop()


def test_a_full_queue_is_answered_503_at_once(built):
    # not demoted: a demoted query would give up its worker, and the queue would not fill
    tiny = Server(built, "--workers", "1", "--queue", "1", "--timeout", "3", "--renice-after", "0")
    try:
        cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
        responses: dict = {}

        def ask(key: str, query: str) -> None:
            responses[key] = httpx.get(tiny.url + "/sparql", params={"query": query}, timeout=120)

        running = threading.Thread(target=ask, args=("running", cartesian))
        running.start()
        threading.Event().wait(0.5)
        waiting = threading.Thread(target=ask, args=("waiting", "ASK { ?s ?p ?o }"))
        waiting.start()
        threading.Event().wait(0.5)
        ask("refused", "ASK { ?s ?p ?o }")
        assert running.is_alive() and waiting.is_alive()  # the refusal came at once
        running.join()
        waiting.join()
        assert responses["refused"].status_code == 503
        assert "1 queries running and 1 waiting" in responses["refused"].text
        assert responses["running"].status_code == 503 and "stopped after 3 s" in responses["running"].text
        assert responses["waiting"].status_code == 200 and responses["waiting"].json()["boolean"] is True
    finally:
        tiny.stop()


@pytest.mark.parametrize("fmt", ["json", "csv", "xml", "tsv"])
def test_the_row_cap_counts_rows_not_look_alikes_in_the_values(fmt):
    """Literals holding what a row boundary looks like in JSON (",{") or CSV (a newline) make
    the first count run high; the exact recount keeps a result at the cap whole."""
    import pyoxigraph as ox

    from incidentkg.exceptions import LimitExceeded
    from incidentkg.serve.results import result_body

    store = ox.Store()
    for number in range(3):
        store.add(ox.Quad(ox.NamedNode(f"urn:s{number}"), ox.NamedNode("urn:p"), ox.Literal('a,{"b\n' * 20)))
    media = {"json": "application/sparql-results+json", "csv": "text/csv", "xml": "application/sparql-results+xml",
             "tsv": "text/tab-separated-values"}[fmt]
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    whole = store.query(query).serialize(format=ox.QueryResultsFormat.from_media_type(media))
    assert result_body(lambda: store.query(query), media, 3) == (media, whole)
    with pytest.raises(LimitExceeded, match="more than 2 rows"):
        result_body(lambda: store.query(query), media, 2)
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert result_body(lambda: store.query(construct), "application/n-triples", 3)[1].count(b"\n") == 3
    with pytest.raises(LimitExceeded, match="more than 2 triples"):
        result_body(lambda: store.query(construct), "application/n-triples", 2)


def test_a_bind_beyond_loopback_needs_a_token(built):
    result = runner.invoke(app, ["serve", "--data", str(built), "--host", "0.0.0.0"], env={"INCIDENTKG_TOKEN": ""})
    assert result.exit_code == 2 and "set $INCIDENTKG_TOKEN" in result.stderr
    # 0.0.0.0 listens on 127.0.0.1 too: the token is asked for there as well.
    guarded = Server(built, host="0.0.0.0", env={"INCIDENTKG_TOKEN": "s3cret"})
    try:
        url = f"http://127.0.0.1:{guarded.port}/sparql"
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            response = httpx.get(url, params={"query": "ASK {}"}, headers=headers)
            assert response.status_code == 401 and "bearer token" in response.text
            assert response.headers["www-authenticate"].startswith("Bearer")
        ok = httpx.get(url, params={"query": "ASK {}"}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["boolean"] is True
    finally:
        guarded.stop()


def test_every_error_class_has_one_status():
    from incidentkg import exceptions as errors
    from incidentkg.serve.app import http_status

    expected = {errors.Unauthorized: 401, errors.Forbidden: 403, errors.EntityNotFound: 404, errors.NotAcceptable: 406,
                errors.LimitExceeded: 413, errors.QueryRefused: 400, errors.QueryError: 400, errors.UsageError: 400,
                errors.QueryTimeout: 503, errors.Busy: 503, errors.StoreError: 500}
    assert {cls: http_status(cls("x")) for cls in expected} == expected


@pytest.mark.parametrize("module", ["incidentkg.graph.limits", "incidentkg.serve.results", "incidentkg.serve.app",
                                    "incidentkg.serve.workers"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed


@pytest.mark.parametrize("mark", [b"\n", b",{", b"<result>"])
def test_row_marks_are_counted_however_the_serializer_cuts_its_writes(mark):
    from incidentkg.serve.results import CollectedBody, _RowCounter

    written = (b"x" + mark) * 50 + b"end"
    for size in (1, 2, 3, 7, 64, len(written)):
        counter = _RowCounter(CollectedBody(), mark, 0, 1000)
        for start in range(0, len(written), size):
            counter.write(memoryview(written)[start:start + size])
        assert counter.marks == 50 and counter.out.value() == written


# --------------------------------------------------------------------------- streamed answers

ALL = "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"  # about 1 MB of JSON on the seed graph
MEDIA = {"json": "application/sparql-results+json", "tsv": "text/tab-separated-values",
         "xml": "application/sparql-results+xml"}


@pytest.fixture(scope="module")
def streaming(built):
    running = Server(built, "--workers", "1")
    yield running
    running.stop()


def local_store(built) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(built / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.parametrize("fmt", sorted(MEDIA))
def test_a_long_answer_is_streamed_and_equals_the_engines_own_serialization(streaming, built, fmt):
    expected = local_store(built).query(ALL).serialize(format=ox.QueryResultsFormat.from_media_type(MEDIA[fmt]))
    assert len(expected) > 512 << 10  # past STREAM_AFTER: sent in pieces
    response = httpx.get(streaming.url + "/sparql", params={"query": ALL}, headers={"Accept": MEDIA[fmt]})
    assert response.status_code == 200
    assert response.headers["transfer-encoding"] == "chunked" and "content-length" not in response.headers
    assert response.content == expected


def test_a_short_answer_is_sent_whole_with_its_length(streaming):
    response = httpx.get(streaming.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert response.status_code == 200 and int(response.headers["content-length"]) == len(response.content)


def raw_get(url: str, query: str, method: str = "GET", version: str = "HTTP/1.1", then: str = "") -> bytes:
    """Everything the server sends for one request on a fresh connection (and the raw requests
    ``then``, pipelined after it), until it closes it."""
    host, port = url.removeprefix("http://").split(":")
    request = httpx.Request(method, f"{url}/sparql", params={"query": query})
    target = request.url.raw_path.decode()
    close = "" if then else "Connection: close\r\n"
    with socket.create_connection((host, int(port)), timeout=60) as connection:
        connection.sendall(f"{method} {target} {version}\r\nHost: {host}\r\n{close}\r\n{then}".encode())
        received = []
        while chunk := connection.recv(1 << 16):
            received.append(chunk)
    return b"".join(received)


def test_a_result_past_the_row_cap_after_its_first_piece_is_cut_short(built):
    """The first 256 KB (about 1,000 rows) are sent before the cap of 2,000 rows is passed: the
    response then ends without the chunked body's last chunk, so clients see it incomplete."""
    capped = Server(built, "--workers", "1", "--max-rows", "2000")
    try:
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(capped.url + "/sparql", params={"query": ALL})
        raw = raw_get(capped.url, ALL)
        assert raw.startswith(b"HTTP/1.1 200") and b"transfer-encoding: chunked" in raw.lower()
        assert not raw.endswith(b"\r\n0\r\n\r\n")  # the end of a chunked body never came
        # an answer past the cap within its first 256 KB still gets its 413; the one worker still answers
        small = httpx.get(capped.url + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2001"})
        assert small.status_code == 413 and "more than 2000 rows" in small.text
        ok = httpx.get(capped.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ok.status_code == 200 and ok.json()["boolean"] is True
    finally:
        capped.stop()
    assert "answer cut short after" in capped.process.stderr.read()


def test_a_query_that_times_out_mid_stream_is_cut_short_and_its_worker_replaced(built):
    """A cartesian product streams rows at once and would run for hours: killed at 1 s of CPU."""
    slow = Server(built, "--workers", "1", "--timeout", "1", "--max-rows", "1000000000")
    try:
        (template,) = children(slow.process.pid)
        (worker,) = children(template)
        received = 0
        with pytest.raises(httpx.RemoteProtocolError):
            with httpx.stream("GET", slow.url + "/sparql", timeout=60,
                              params={"query": "SELECT * WHERE { ?a ?p ?x . ?b ?q ?y }"}) as response:
                assert response.status_code == 200
                for piece in response.iter_raw():
                    received += len(piece)
        assert received > 256 << 10
        ok = httpx.get(slow.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ok.status_code == 200 and ok.json()["boolean"] is True
        assert children(template) != [worker]  # the killed worker has a successor
    finally:
        slow.stop()
    assert "query stopped after 1 s of CPU" in slow.process.stderr.read()


def test_a_client_that_leaves_mid_stream_frees_its_worker(streaming):
    for _ in range(2):  # with one worker, a worker kept busy would hang the next request
        with httpx.stream("GET", streaming.url + "/sparql", params={"query": ALL}) as response:
            next(response.iter_raw())
    ok = httpx.get(streaming.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def tcp_sockets(pid: int) -> list[str]:
    """The TCP sockets (inodes) process ``pid`` holds open: a worker holds none but while it writes an answer."""
    tcp = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as lines:
            tcp.update(line.split()[9] for line in list(lines)[1:])
    held = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    return [link for link in held if link.startswith("socket:[") and link[8:-1] in tcp]


def test_a_long_answer_is_written_to_the_client_by_its_worker_which_keeps_no_socket(built):
    """Handed the client's socket, the worker writes the chunks and the server the head and the end:
    the same bytes, twice on one kept-alive connection; the worker then holds no TCP socket."""
    handing = Server(built, "--workers", "1", "--log-level", "debug")
    try:
        expected = local_store(built).query(ALL).serialize(format=ox.QueryResultsFormat.JSON)
        (template,) = children(handing.process.pid)
        (worker,) = children(template)
        with httpx.Client(timeout=60) as client:
            for _ in range(2):
                response = client.get(handing.url + "/sparql", params={"query": ALL})
                assert response.status_code == 200 and response.headers["transfer-encoding"] == "chunked"
                assert response.content == expected
        assert children(template) == [worker] and tcp_sockets(worker) == []
    finally:
        handing.stop()
    log = handing.process.stderr.read()
    assert log.count(f"answer of {len(expected)} bytes written to the client by its worker") == 2


def test_a_worker_whose_answer_ends_before_the_server_says_where_it_goes_waits_for_it():
    """An answer just past its first 256 KB may end before the server's RELAY or HAND_OVER has
    come: the worker's sink then waits for it and reads it (else the next request's message
    would start with it), and sends the rest where it says (here: to the server)."""
    from incidentkg.serve.workers import DATA, END, RELAY, STREAM_AFTER, _ChannelSink, _FRAME, _receive

    server_end, worker_end = socket.socketpair()
    with server_end, worker_end:
        sink = _ChannelSink(worker_end)
        sink.start("text/plain")
        for _ in range(3):
            sink.write(b"x" * (STREAM_AFTER // 2))  # past STREAM_AFTER: ("stream", media) sent, no answer yet
        finishing = threading.Thread(target=sink.finish, args=(("ok", None),))
        finishing.start()
        assert _receive(server_end) == ("stream", "text/plain")
        finishing.join(0.2)
        assert finishing.is_alive()  # waiting for the server's word
        server_end.sendall(RELAY)
        kind, size = _FRAME.unpack(server_end.recv(_FRAME.size, socket.MSG_WAITALL))
        assert (kind, len(server_end.recv(size, socket.MSG_WAITALL))) == (DATA, 3 * (STREAM_AFTER // 2))
        assert _FRAME.unpack(server_end.recv(_FRAME.size, socket.MSG_WAITALL)) == (END, 0)
        finishing.join(10)
        with pytest.raises(BlockingIOError):  # the worker's side has nothing left to read
            worker_end.recv(1, socket.MSG_DONTWAIT)


def test_a_client_that_leaves_while_its_worker_writes_leaves_no_socket_behind(built):
    """The client reads one piece and closes: its worker is killed (or had finished), and no
    worker holds the connection; the next request is answered."""
    handing = Server(built, "--workers", "1")
    try:
        (template,) = children(handing.process.pid)
        for _ in range(2):
            with httpx.stream("GET", handing.url + "/sparql", params={"query": ALL}) as response:
                next(response.iter_raw())
        ok = httpx.get(handing.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert ok.status_code == 200 and ok.json()["boolean"] is True
        assert [tcp_sockets(worker) for worker in children(template) if alive(worker)] == [[]]
    finally:
        handing.stop()


def test_a_worker_handed_a_client_that_reads_nothing_is_free_for_the_next_query(streaming):
    """A client asks for a 4 MB answer and reads none of it: the worker writes it all into the
    socket's send buffer (4 MB asked, 8 MB given, as its channel's) and takes the next request,
    from another client, instead of waiting for the first one to read (TCP's own buffer for it
    grows to 4 MB at most, with the bookkeeping of each packet counted in)."""
    host, port = streaming.url.removeprefix("http://").split(":")
    query = "SELECT * WHERE { ?a ?p ?x . ?b ?q ?y } LIMIT 9000"  # 4.0 MB of JSON on the seed graph
    target = httpx.Request("GET", f"{streaming.url}/sparql", params={"query": query}).url.raw_path.decode()
    with socket.create_connection((host, int(port)), timeout=60) as idle:
        idle.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 10)
        idle.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert idle.recv(12) == b"HTTP/1.1 200"
        ok = httpx.get(streaming.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_http_10_and_head_requests_get_a_long_answer_from_the_server_itself(streaming, built):
    """Not chunked (HTTP/1.0: the body ends with the connection) or without a body (HEAD): the
    worker is not handed the socket, and the bytes on the wire are what HTTP says."""
    expected = local_store(built).query(ALL).serialize(format=ox.QueryResultsFormat.JSON)
    head, _, body = raw_get(streaming.url, ALL, version="HTTP/1.0").partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"chunked" not in head.lower() and body == expected
    host = streaming.url.removeprefix("http://")
    answered = raw_get(streaming.url, ALL, method="HEAD",
                       then=f"GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
    head, _, rest = answered.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and rest.startswith(b"HTTP/1.1 200")  # no body after the HEAD's head
    assert rest.endswith(b'"status":"ok"') or b'"status":"ok"' in rest


# --------------------------------------------------------------------------- renicing

LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y }"  # about 1 s of CPU on the seed graph


def niceness_while(server: Server, query: str) -> tuple[dict[int, int], list[int], httpx.Response]:
    """The highest niceness each worker had while ``query`` ran, the workers after it, its answer."""
    (template,) = children(server.process.pid)
    seen = {pid: 0 for pid in children(template)}
    answer: dict = {}
    asking = threading.Thread(target=lambda: answer.update(
        response=httpx.get(server.url + "/sparql", params={"query": query}, timeout=120)))
    asking.start()
    while asking.is_alive():
        for pid in seen:
            try:
                seen[pid] = max(seen[pid], os.getpriority(os.PRIO_PROCESS, pid))
            except ProcessLookupError:
                pass
        threading.Event().wait(0.02)
    asking.join()
    return seen, children(template), answer["response"]


def test_a_long_query_is_reniced_and_its_worker_set_back_after_it(built):
    server = Server(built, "--workers", "2", "--renice-after", "0.3")
    try:
        seen, after, response = niceness_while(server, LONG)
        assert response.status_code == 200 and response.json()["results"]["bindings"][0]["n"]["value"] == "18662400"
        assert sorted(seen.values()) == [0, 10]  # the long query's worker only
        assert sorted(after) == sorted(seen)  # kept, not replaced
        assert [os.getpriority(os.PRIO_PROCESS, pid) for pid in after] == [0, 0]
        seen, after, response = niceness_while(server, "ASK { ?s ?p ?o }")
        assert response.status_code == 200 and set(seen.values()) == {0}  # a short query is not reniced
    finally:
        server.stop()


def test_long_queries_are_reniced_by_default_and_never_with_renice_after_0(built):
    # the default changed from off to 0.2 s when a demoted query started to give up its place
    for options, expected in (((), [0, 10]), (("--renice-after", "0"), [0, 0])):
        server = Server(built, "--workers", "2", *options)
        try:
            seen, _, response = niceness_while(server, LONG)
            assert response.status_code == 200 and sorted(seen.values()) == expected, options
        finally:
            server.stop()


def test_a_demoted_query_gives_up_its_worker_to_a_short_query(built):
    """With one worker, a short query asked while a long one runs gets a worker forked for it
    once the long one is demoted, and is answered before the long one times out; afterwards the
    pool is back to one worker, at niceness 0."""
    server = Server(built, "--workers", "1", "--timeout", "3", "--renice-after", "0.1")
    try:
        (template,) = children(server.process.pid)
        (first,) = children(template)
        cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"  # runs into the timeout
        slow: dict = {}
        asking = threading.Thread(target=lambda: slow.update(response=httpx.get(
            server.url + "/sparql", params={"query": cartesian}, timeout=120)))
        asking.start()
        while asking.is_alive() and os.getpriority(os.PRIO_PROCESS, first) != 10:
            threading.Event().wait(0.01)
        assert asking.is_alive()  # demoted while it runs
        short = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=120)
        assert short.status_code == 200 and short.json()["boolean"] is True
        assert asking.is_alive()  # answered while the long query still ran, on a second worker
        workers = children(template)
        assert len(workers) == 2 and first in workers
        assert {pid: os.getpriority(os.PRIO_PROCESS, pid) for pid in workers} == {
            pid: (10 if pid == first else 0) for pid in workers}
        asking.join()
        assert slow["response"].status_code == 503 and "query stopped after 3 s" in slow["response"].text
        for _ in range(100):  # the killed worker: a moment until the kernel has removed it
            if not alive(first):
                break
            threading.Event().wait(0.05)
        assert not alive(first)
        (extra,) = children(template)  # the one forked for the short query stays; nothing else is forked
        assert extra != first and os.getpriority(os.PRIO_PROCESS, extra) == 0
        again = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=120)
        assert again.status_code == 200 and children(template) == [extra]
    finally:
        server.stop()


def test_the_debug_log_has_a_line_per_request_and_per_fork(built):
    server = Server(built, "--workers", "1", "--log-level", "debug")
    try:
        ok = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert ok.status_code == 200
    finally:
        server.stop()
    log = server.process.stderr.read()
    assert "forked worker" in log and "(1 workers, 0 requests waiting)" in log
    (line,) = [line for line in log.splitlines() if "request: waited" in line]
    assert "(query 1 of it)" in line and "CPU" in line and "waiting for a core" in line and "page faults" in line


def test_a_bad_log_level_is_a_usage_error(built):
    result = runner.invoke(app, ["serve", "--data", str(built), "--log-level", "loud"])
    assert result.exit_code != 0 and "--log-level must be warning, info or debug" in result.output


class HeldEndpoint:
    """A SPARQL endpoint on 127.0.0.1 that answers its first request (no rows) only once
    :attr:`release` is set: a query calling it with ``SERVICE`` waits without using CPU."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/sparql"
        self.asked, self.release = threading.Event(), threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            connection.recv(65536)
            self.asked.set()
            self.release.wait(60)
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                               b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))

    def close(self) -> None:
        self.release.set()
        self.listener.close()


def ask_in_background(server: Server, answers: dict, name: str, query: str) -> threading.Thread:
    """A thread that GETs ``query`` from ``server`` and keeps the response as ``answers[name]``."""
    asking = threading.Thread(target=lambda: answers.update({name: httpx.get(
        server.url + "/sparql", params={"query": query}, timeout=120)}))
    asking.start()
    return asking


def ask_until_demoted(ask, workers: list[int]) -> threading.Thread:
    """Ask (with ``ask``) a query that runs into the timeout; return once one of ``workers`` is at niceness 10."""
    long = ask("long", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }")
    while long.is_alive() and 10 not in [os.getpriority(os.PRIO_PROCESS, pid) for pid in workers]:
        threading.Event().wait(0.01)
    return long


@contextlib.contextmanager
def long_query_demoted(built):
    """A server with two workers, ``--timeout 3``, demotion after 0.1 s and SERVICE allowed, and a
    held SERVICE endpoint; yields them with the asking helpers, the template and worker pids and
    the long query's thread, once that query's worker is demoted; stops both afterwards."""
    server = Server(built, "--workers", "2", "--timeout", "3", "--renice-after", "0.1", "--allow-service")
    endpoint = HeldEndpoint()
    answers: dict = {}
    ask = functools.partial(ask_in_background, server, answers)
    try:
        (template,) = children(server.process.pid)
        workers = children(template)
        yield server, endpoint, ask, answers, template, workers, ask_until_demoted(ask, workers)
    finally:
        endpoint.close()
        server.stop()


def test_no_worker_is_forked_while_a_running_query_is_not_demoted(built):
    """With two workers, one on a long query (demoted) and one on a query waiting for a SERVICE
    answer (no CPU: not demoted), a third request waits for the second worker instead of a worker
    forked for it (a fork's first query is slower than that wait: benchmarks/README.md, x14b), and
    gets it as soon as the SERVICE query ends, before the long query's timeout."""
    with long_query_demoted(built) as (server, endpoint, ask, answers, template, workers, long):
        waiting = ask("service", f"SELECT ?s WHERE {{ SERVICE <{endpoint.url}> {{ ?s ?p ?o }} }}")
        assert endpoint.asked.wait(30) and long.is_alive()
        short = ask("short", "ASK { ?s ?p ?o }")
        short.join(1.0)
        assert short.is_alive() and sorted(children(template)) == sorted(workers)  # waits; nothing forked
        endpoint.release.set()
        short.join(30)
        assert not short.is_alive() and long.is_alive()  # answered on the SERVICE query's worker
        assert answers["short"].status_code == 200 and answers["short"].json()["boolean"] is True
        waiting.join(30)
        assert answers["service"].status_code == 200, answers["service"].text
        assert sorted(children(template)) == sorted(workers)
        long.join()
        assert answers["long"].status_code == 503 and "query stopped after 3 s" in answers["long"].text


def test_a_demoted_query_is_sched_idle_while_a_query_that_is_not_demoted_runs(built):
    """SCHED_IDLE, not only niceness 10, while another query runs (at niceness 10 a demoted query
    still takes about a tenth of a core the short one wants); SCHED_OTHER while it runs alone,
    so that other programs do not starve it; after it, its worker as before."""
    with long_query_demoted(built) as (server, endpoint, ask, answers, template, workers, long):
        (demoted,) = [pid for pid in workers if os.getpriority(os.PRIO_PROCESS, pid) == 10]
        assert long.is_alive() and os.sched_getscheduler(demoted) == os.SCHED_OTHER  # alone
        waiting = ask("service", f"SELECT ?s WHERE {{ SERVICE <{endpoint.url}> {{ ?s ?p ?o }} }}")
        assert endpoint.asked.wait(30) and long.is_alive()
        assert os.sched_getscheduler(demoted) == os.SCHED_IDLE  # while a query that is not demoted runs
        endpoint.release.set()
        waiting.join(30)
        assert answers["service"].status_code == 200, answers["service"].text
        assert long.is_alive() and os.sched_getscheduler(demoted) == os.SCHED_OTHER  # alone again
        long.join()
        assert answers["long"].status_code == 503
        (other,) = [pid for pid in workers if pid != demoted]  # the demoted one was killed at the timeout
        assert (os.sched_getscheduler(other), os.getpriority(os.PRIO_PROCESS, other)) == (os.SCHED_OTHER, 0)
