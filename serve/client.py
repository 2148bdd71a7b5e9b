"""Talking to other SPARQL services: a query to any SPARQL 1.1 endpoint (``incidentkg query
--endpoint``), and a push of the graph to a triple store over the SPARQL 1.1 Graph Store HTTP
Protocol (``incidentkg push``).

Credentials come from the environment, never from the command line (which ``ps`` shows to every
user): ``$INCIDENTKG_TOKEN`` is sent as a bearer token, or ``$INCIDENTKG_USER`` and
``$INCIDENTKG_PASSWORD`` as HTTP Basic authentication (Fuseki, GraphDB), or Digest when the
server's challenge asks for it (Virtuoso).

A push never leaves the target half-written: the triples go, in chunks, into a staging graph,
and one SPARQL Update then moves (``--replace``) or adds them into the target. The first chunk
is a ``PUT``, which empties the staging graph, so a push that was interrupted is simply run again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox

from ..exceptions import EndpointError, QueryTimeout, StoreError, UsageError
from ..graph.sparql import format_rows

GRAPH_BASE = "https://w3id.org/incidentkg/graph/"
"""Named graphs a push writes to by default: this, then the first 16 hex digits of the SHA-256
of ``graph.nt``, so one build always lands in one graph, and a new build in a new one."""

CHUNK_TRIPLES = 50_000


def credentials() -> dict:
    """``httpx`` keyword arguments for the credentials in the environment (none if unset)."""
    token = os.environ.get("INCIDENTKG_TOKEN")
    if token:
        return {"headers": {"Authorization": f"Bearer {token}"}}
    user = os.environ.get("INCIDENTKG_USER")
    if user:
        return {"auth": ChallengeAuth(user, os.environ.get("INCIDENTKG_PASSWORD", ""))}
    return {}


class ChallengeAuth(httpx.Auth):
    """HTTP authentication as the server's first 401 asks: Digest when it challenges for Digest
    (Virtuoso's ``/sparql-auth`` and ``/sparql-graph-crud-auth``, which answer a Basic header with
    a bare 401), Basic otherwise (Fuseki, GraphDB). No password is sent before that 401.

    Examples
    --------
    >>> client = httpx.Client(auth=ChallengeAuth("pusher", "secret"))
    """

    requires_request_body = True  # the refused request is sent again, body and all

    def __init__(self, user: str, password: str):
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request):
        if self._chosen is None:
            response = yield request
            if response.status_code != 401:
                return
            challenges = response.headers.get_list("www-authenticate")
            digest = any(challenge.lower().startswith("digest ") for challenge in challenges)
            self._chosen = self._digest if digest else self._basic
        yield from self._chosen.auth_flow(request)


def _send(client: httpx.Client, method: str, url: str, what: str, **options) -> httpx.Response:
    """One request, or :class:`EndpointError` saying what failed, where and why."""
    try:
        response = client.request(method, url, **options)
    except httpx.TimeoutException:
        raise QueryTimeout(f"{url}: no answer within the --timeout ({what})") from None
    except httpx.TransportError as error:
        raise EndpointError(f"{url}: cannot be reached ({error}) ({what})") from None
    if response.status_code >= 400:
        detail = " ".join(response.text.split())[:300] or response.reason_phrase
        raise EndpointError(f"{url} answered {response.status_code} to {what}: {detail}")
    return response


def remote_query(endpoint: str, query: str, fmt: str = "table", params: dict | None = None,
                 timeout: float | None = 30.0) -> str:
    """The answer of ``endpoint`` to ``query``, printed as ``incidentkg query --format fmt`` prints.

    ``json`` is the endpoint's own SPARQL Results JSON (Turtle for CONSTRUCT and DESCRIBE);
    ``table`` and ``csv`` show every value as text.
    """
    if params:
        raise UsageError("--param cannot be sent to an endpoint (the SPARQL 1.1 Protocol has no parameters); "
                         "an incidentkg server binds them at /queries/NAME?param=value")
    graphs = "text/turtle" if fmt == "json" else "application/n-triples"
    accept = f"application/sparql-results+json, {graphs};q=0.9"
    with httpx.Client(timeout=timeout or None, **credentials()) as client:
        response = _send(client, "POST", endpoint, "the query", data={"query": query}, headers={"Accept": accept})
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if fmt == "json":
        return response.text.rstrip("\n")
    if media in ("application/sparql-results+json", "application/json"):
        result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        if isinstance(result, ox.QueryBoolean):
            rows = [{"ask": bool(result)}]
        else:
            names = [variable.value for variable in result.variables]
            rows = [{name: None if term is None else term.value for name, term in zip(names, solution)}
                    for solution in result]
    else:
        triples = ox.parse(response.content, format=ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES)
        rows = sorted(({"subject": t.subject.value, "predicate": t.predicate.value, "object": t.object.value}
                       for t in triples), key=lambda row: tuple(row.values()))
    return format_rows(rows, fmt)


def default_graph_iri(data_dir: Path | str) -> str:
    """The versioned named graph a push of ``data_dir`` writes to when given none."""
    return GRAPH_BASE + hashlib.sha256(_graph_file(data_dir).read_bytes()).hexdigest()[:16]


def _graph_file(data_dir: Path | str) -> Path:
    path = Path(data_dir) / "graph.nt"
    if not path.is_file():
        raise StoreError(f"{path}: not found; run 'incidentkg build --out {data_dir}' first")
    return path


def update_endpoint_of(store_url: str) -> str:
    """The SPARQL Update URL next to a Graph Store URL: the last path segment becomes ``update``
    (Oxigraph ``/store`` -> ``/update``, Fuseki ``/ds/data`` -> ``/ds/update``), except Virtuoso's
    ``/sparql-graph-crud[-auth]``, whose updates go to ``/sparql[-auth]``."""
    base, last = store_url.rstrip("/").rsplit("/", 1)
    if last.startswith("sparql-graph-crud"):
        return f"{base}/{last.replace('-graph-crud', '')}"
    return f"{base}/update"


def push(store_url: str, data_dir: Path | str, graph: str | None = None, *, replace: bool = False,
         update_url: str | None = None, chunk_triples: int = CHUNK_TRIPLES, timeout: float | None = 300.0,
         progress: Callable[[str, int, int], None] = lambda stage, done, total: None) -> dict:
    """Send ``data_dir/graph.nt`` to the Graph Store at ``store_url``, into the named graph ``graph``.

    Parameters
    ----------
    store_url : str
        The Graph Store Protocol URL (Oxigraph ``http://host:7878/store``, Fuseki
        ``http://host:3030/ds/data``, Virtuoso ``http://host:8890/sparql-graph-crud-auth``).
    graph : str or None
        Target named graph; :func:`default_graph_iri` when ``None``.
    replace : bool
        Replace the target's triples (one ``MOVE``) instead of adding to them (one ``ADD``).
    update_url : str or None
        The SPARQL Update URL; :func:`update_endpoint_of` ``store_url`` when ``None``.
    progress : callable
        Called with ``("uploading", chunks sent, chunks)``.

    Returns
    -------
    dict
        ``{"graph": IRI, "triples": N, "chunks": K}``.

    Raises
    ------
    EndpointError
        When a request fails; the message names the chunk. The target graph is then unchanged.
    """
    lines = _graph_file(data_dir).read_bytes().splitlines(keepends=True)
    graph = graph or default_graph_iri(data_dir)
    try:
        target, staging = ox.NamedNode(graph), ox.NamedNode(graph + ".incidentkg-staging")
    except ValueError:
        raise UsageError(f"--graph {graph!r} is not an IRI") from None
    chunks = [lines[start:start + chunk_triples] for start in range(0, max(len(lines), 1), chunk_triples)]
    with httpx.Client(timeout=timeout or None, **credentials()) as client:
        for number, chunk in enumerate(chunks, 1):
            first = (number - 1) * chunk_triples + 1
            # PUT first: it empties what an interrupted push left in the staging graph.
            _send(client, "PUT" if number == 1 else "POST", store_url,
                  f"chunk {number} of {len(chunks)} (lines {first}-{first + len(chunk) - 1}); "
                  "the target graph is unchanged, run push again",
                  params={"graph": staging.value}, content=b"".join(chunk),
                  headers={"Content-Type": "application/n-triples"})
            progress("uploading", number, len(chunks))
        # str() of a NamedNode is its escaped <IRI>: nothing of --graph is pasted into the update raw.
        swap = (f"MOVE {staging} TO {target}" if replace
                else f"ADD {staging} TO {target} ; DROP SILENT GRAPH {staging}")
        _send(client, "POST", update_url or update_endpoint_of(store_url),
              "the final update that moves the staging graph in; the target graph is unchanged, run push again",
              data={"update": swap})
    return {"graph": graph, "triples": len(lines), "chunks": len(chunks)}
