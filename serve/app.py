"""The SPARQL endpoint of ``incidentkg serve``: a Starlette application over an in-memory store.

Routes:

- ``/sparql`` - the `SPARQL 1.1 Protocol <https://www.w3.org/TR/sparql11-protocol/>`_: ``GET
  ?query=``, ``POST`` form-encoded or ``application/sparql-query`` (updates as
  ``application/sparql-update`` or form ``update=``, only with ``allow_update``),
  ``default-graph-uri`` / ``named-graph-uri``, results by ``Accept``; without a query, the
  `Service Description <https://www.w3.org/TR/sparql11-service-description/>`_.
- ``/queries`` - the saved queries as JSON; ``/queries/NAME?param=value`` runs one, its parameters
  bound as RDF terms (never pasted into the query text).
- ``/health`` - ``{"status": "ok", "triples": N}`` for supervisors.
- ``/`` - the offline query page (YASGUI, vendored) and ``/views/graph.html``, the build's page.

Every query is checked by :mod:`incidentkg.graph.limits` (nesting, ``SERVICE``) and evaluated in
a worker process of :mod:`incidentkg.serve.workers` under the timeout: a query past it is killed
with its worker, so it does not hold up the others; requests wait in a bounded queue while every
worker is busy. Errors are mapped once, in :data:`STATUS`, to HTTP statuses, and answered with
their one-line message as ``text/plain``.

An answer longer than :data:`~incidentkg.serve.workers.STREAM_AFTER` bytes is streamed: sent
on to the client (``Transfer-Encoding: chunked``) piece by piece while the worker writes the
rest. An error before its first byte still gets its status and message; a query that fails
after it (past the timeout or the row cap, or its worker dies) has its response **cut short**:
the connection is closed without the chunked body's end, so every HTTP client reports an
incomplete answer, never a shorter one that looks complete, and the server logs why. Served by
:class:`HandingProtocol` (as ``incidentkg serve`` does), the long answer of a plain HTTP/1.1
request is written to the client's socket by the worker itself, as the same chunks: the server
sends the response's head and its end, and none of the bytes between
(:meth:`~incidentkg.serve.workers.ResultStream.hand_over`).

>>> from incidentkg.exceptions import QueryTimeout, UsageError
>>> http_status(QueryTimeout("query stopped after 30 s")), http_status(UsageError("bad --param"))
(503, 400)
>>> len(create_app(ox.Store()).routes)
6
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..exceptions import (Busy, Forbidden, IncidentKGError, LimitExceeded, NotAcceptable, NotFound, QueryError,
                          QueryTimeout, StoreError, Unauthorized, UsageError)
from ..graph.limits import DEFAULT_TIMEOUT, check_query
from ..graph.sparql import run_query, saved_queries
from ..ontology.mapping import PREFIX_MAP
from .results import GRAPHS, ResultSink, negotiate, triples_body, write_result
from .workers import RENICE_AFTER, ResultStream, WorkerPool

STATUS: dict[type[BaseException], int] = {
    Unauthorized: 401, Forbidden: 403, NotFound: 404, NotAcceptable: 406, LimitExceeded: 413,
    UsageError: 400, QueryTimeout: 503, Busy: 503, IncidentKGError: 500,
}
"""HTTP status of each error class, looked up along the raised error's MRO (as the CLI's
``EXIT_CODES``)."""

PAGE_DIR = Path(__file__).parent / "page"
TOKEN_VARIABLE = "INCIDENTKG_TOKEN"
"""The environment variable that holds the bearer token (never a command-line option: those
show in ``ps``)."""

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LOG = logging.getLogger("incidentkg.serve")
TRANSPORT = "incidentkg.transport"
"""The ASGI scope extension :class:`HandingProtocol` adds: ``{"transport": the connection's asyncio transport}``."""
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the server on this machine (``localhost`` or a
    loopback address; any other name may resolve to anything).

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def http_status(error: BaseException) -> int:
    """The status :data:`STATUS` gives ``error`` (500 for anything else)."""
    return next((STATUS[cls] for cls in type(error).__mro__ if cls in STATUS), 500)


@dataclass(frozen=True)
class Limits:
    """What one request may cost: its CPU seconds (see :mod:`incidentkg.serve.workers`), its result
    rows, its body; how many queries run at once (``workers``, each a process) and how many more
    may wait for one (``queued``); after how many CPU seconds a query is demoted, yielding the
    cores and its place in the pool to shorter ones (``renice_after``, 0: never)."""

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = 100_000
    max_body: int = 1 << 20
    workers: int = 4
    queued: int = 64
    renice_after: float = RENICE_AFTER


def load_graph(data_dir: Path | str) -> ox.Store:
    """The graph a build wrote to ``data_dir`` (``graph.nt``), loaded into an in-memory store.

    In memory, the saved queries answer 3-5 times faster than on the build's on-disk store.
    """
    path = Path(data_dir) / "graph.nt"
    if not path.is_file():
        raise StoreError(f"{path}: not found; run 'incidentkg build --out {data_dir}' first")
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return store


def create_app(store: ox.Store, limits: Limits = Limits(), *, allow_update: bool = False,
               allow_service: bool = False, token: str | None = None, views_dir: Path | None = None) -> Starlette:
    """The endpoint's ASGI application over ``store``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The graph to answer from (in memory, see :func:`load_graph`).
    limits : Limits
        Time, rows, body size and concurrency of queries. The worker processes are forked
        when the application starts (its lifespan), from the store as it is then.
    allow_update : bool
        Run SPARQL updates (in memory only; ``graph.nt`` is never written). Refused with 403 if not.
    allow_service : bool
        Let ``SERVICE`` calls reach other endpoints.
    token : str or None
        When given, every request must carry ``Authorization: Bearer TOKEN`` (401 if not).
    views_dir : Path or None
        A build's folder: its ``graph.html`` is served at ``/views/graph.html``.
    """
    endpoint = Endpoint(WorkerPool(store, limits.workers, limits.queued, limits.renice_after), limits,
                        allow_update, allow_service, len(store))
    routes = [
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/queries", endpoint.list_queries),
        Route("/queries/{name}", endpoint.saved_query),
        Route("/health", endpoint.health),
        Route("/", lambda request: FileResponse(PAGE_DIR / "index.html")),
        Mount("/page", StaticFiles(directory=PAGE_DIR)),
    ]
    if views_dir is not None and (views_dir / "graph.html").is_file():
        routes.append(Route("/views/graph.html", lambda request: FileResponse(views_dir / "graph.html")))
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Authorization", "Content-Type", "Accept"])]
    if token:
        middleware.append(Middleware(BearerToken, token=token))
    return Starlette(routes=routes, middleware=middleware, lifespan=endpoint.lifespan,
                     exception_handlers={IncidentKGError: error_response})


async def error_response(request: Request, error: IncidentKGError) -> Response:
    """An incidentkg error as its status and its one-line message."""
    status = http_status(error)
    headers = {"WWW-Authenticate": 'Bearer realm="incidentkg"'} if status == 401 else None
    return PlainTextResponse(f"{error}\n", status_code=status, headers=headers)


class HandingProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol (h11), whose requests carry their connection's transport in the
    scope's extension :data:`TRANSPORT`, so that a long answer's worker can be handed the socket
    (:class:`StreamedAnswer`). Run with ``uvicorn.run(app, http=HandingProtocol)``."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        app = self.app

        async def with_transport(scope, receive, send):
            scope.setdefault("extensions", {})[TRANSPORT] = {"transport": transport}
            await app(scope, receive, send)

        self.app = with_transport


def handing_transport(scope):
    """The request's asyncio transport, if a worker may write a chunked body to its socket
    itself: an HTTP/1.1 request other than ``HEAD`` (whose response is chunked and has a body) on
    a plain socket, served by :class:`HandingProtocol`; ``None`` otherwise."""
    transport = scope.get("extensions", {}).get(TRANSPORT, {}).get("transport")
    if (transport is None or scope.get("http_version") != "1.1" or scope.get("method") == "HEAD"
            or transport.get_extra_info("sslcontext") is not None or transport.get_extra_info("socket") is None):
        return None
    return transport


class StreamedAnswer(StreamingResponse):
    """A long answer sent on piece by piece as its worker writes it (chunked).

    Where it can (:func:`handing_transport`, and the response's head has left the server whole), the
    worker writes the pieces to the client's socket itself; else the server relays them. If the
    query fails after the response has started, the response is cut short: it returns without
    the body's end, and the ASGI server (uvicorn) then closes the connection, so the client sees
    an incomplete chunked body. The worker is given back (or replaced) in any case.
    """

    def __init__(self, stream: ResultStream, media_type: str):
        super().__init__(stream, media_type=media_type)
        self.stream, self.transport = stream, None

    async def stream_response(self, send) -> None:
        async with self.stream:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            try:
                # the worker's bytes must follow the head: only once the transport holds none of it
                if self.transport is not None and not self.transport.get_write_buffer_size():
                    await self.stream.hand_over(self.transport.get_extra_info("socket").fileno())
                else:
                    async for piece in self.stream:
                        await send({"type": "http.response.body", "body": piece, "more_body": True})
            except IncidentKGError as error:
                LOG.warning("answer cut short after %d bytes (the client sees an incomplete body): %s",
                            self.stream.sent, error)
                return
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def __call__(self, scope, receive, send) -> None:
        self.transport = handing_transport(scope)
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.stream.close()  # also when the response never started


class BearerToken:
    """ASGI middleware: every HTTP request must carry ``Authorization: Bearer TOKEN``."""

    def __init__(self, app, token: str):
        self.app, self.expected = app, f"Bearer {token}".encode("utf-8")

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            given = dict(scope["headers"]).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                problem = "missing bearer token" if not given else "wrong bearer token"
                error = Unauthorized(f"{problem}: send 'Authorization: Bearer ...' with the token of ${TOKEN_VARIABLE}")
                return await (await error_response(Request(scope), error))(scope, receive, send)
        await self.app(scope, receive, send)


@dataclass
class Endpoint:
    """The request handlers, sharing one pool of query workers and its limits."""

    pool: WorkerPool
    limits: Limits
    allow_update: bool
    allow_service: bool
    triples: int

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        """Fork the query workers at start-up (the server has one thread then), end them at shutdown."""
        self.pool.start()
        try:
            await self.pool.open()
            yield
        finally:
            await self.pool.close()

    async def answer(self, function, *args) -> Response:
        """The response of ``function(store, *args, max_rows, sink)``, run in a worker under the
        timeout: the whole body, or a :class:`StreamedAnswer` when it is long."""
        answer = await self.pool.answer(self.limits.timeout, function, *args, self.limits.max_rows)
        if answer.stream is not None:
            return StreamedAnswer(answer.stream, media_type=answer.media)
        return Response(bytes(answer.body), media_type=answer.media)

    async def sparql(self, request: Request) -> Response:
        """``/sparql``: a query, an update, or the service description."""
        fields = parse_qs(request.url.query, keep_blank_values=True)
        if request.method == "POST":
            body = await read_body(request, self.limits.max_body)
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media == "application/x-www-form-urlencoded":
                for name, values in parse_qs(decode(body), keep_blank_values=True).items():
                    fields.setdefault(name, []).extend(values)
            elif media in ("application/sparql-query", "application/sparql-update"):
                fields.setdefault(media.split("-")[-1], []).append(decode(body))
            else:
                raise UsageError(f"cannot read a POST body of type {media or 'none'!r}: send "
                                 "application/sparql-query, application/sparql-update or a form")
        elif "update" in fields:
            raise UsageError("an update must be sent with POST, not GET")
        query, update = one(fields, "query"), one(fields, "update")
        if query is not None and update is not None:
            raise UsageError("a request carries either a query or an update, not both")
        if update is not None:
            return await self.run_update(update)
        if query is None:
            if request.method == "POST":
                raise UsageError("no query: send query=... or update=...")
            return self.service_description(request)
        if len(query.encode("utf-8")) > self.limits.max_body:
            raise LimitExceeded(f"query of {len(query.encode('utf-8'))} bytes; the server takes at most "
                                f"{self.limits.max_body} (its --max-body)")
        check_query(query, self.allow_service)
        return await self.answer(answer_query, query, fields.get("default-graph-uri", []),
                                 fields.get("named-graph-uri", []), request.headers.get("accept"))

    async def run_update(self, update: str) -> Response:
        """An update, applied to the store the workers are forked from (it cannot be killed: past
        the timeout it gets its 503 and runs on)."""
        if not self.allow_update:
            raise Forbidden("this endpoint is read-only: updates are refused (start 'incidentkg serve "
                            "--allow-update' to accept them)")
        check_query(update, self.allow_service)
        try:
            self.triples = await asyncio.wait_for(asyncio.shield(self.pool.update(apply_update, update)),
                                                  self.limits.timeout or None)
        except asyncio.TimeoutError:
            raise QueryTimeout(f"update still running after {self.limits.timeout:g} s (the --timeout); it "
                               "will be applied when it ends") from None
        return Response(status_code=204)

    def service_description(self, request: Request) -> Response:
        """The SPARQL 1.1 Service Description of this endpoint, in the RDF format asked for."""
        service, dataset, graph = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
        languages = ["SPARQL11Query"] + (["SPARQL11Update"] if self.allow_update else [])
        triples = [
            (service, RDF_TYPE, ox.NamedNode(SD + "Service")),
            (service, ox.NamedNode(SD + "endpoint"), ox.NamedNode(str(request.url.replace(query="")))),
            *((service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + name)) for name in languages),
            *((service, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMATS + name)) for name in _RESULT_FORMATS),
            *([(service, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "BasicFederatedQuery"))]
              if self.allow_service else []),
            (service, ox.NamedNode(SD + "defaultDataset"), dataset),
            (dataset, RDF_TYPE, ox.NamedNode(SD + "Dataset")),
            (dataset, ox.NamedNode(SD + "defaultGraph"), graph),
            (graph, RDF_TYPE, ox.NamedNode(SD + "Graph")),
            (graph, VOID_TRIPLES, ox.Literal(str(self.triples), datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#integer"))),
        ]
        media = negotiate(request.headers.get("accept"), GRAPHS)
        return Response(triples_body([ox.Triple(*t) for t in triples], media, len(triples),
                                     {"sd": SD, "void": "http://rdfs.org/ns/void#"}), media_type=media)

    async def list_queries(self, request: Request) -> Response:
        """``/queries``: name, title, description, parameters and URL of every saved query."""
        return JSONResponse([
            {"name": q.name, "title": q.title, "description": q.description, "parameters": list(q.parameters),
             "url": f"/queries/{q.name}", "text": q.text}
            for q in saved_queries().values()])

    async def saved_query(self, request: Request) -> Response:
        """``/queries/NAME?param=value``: a saved query with its parameters bound as RDF terms."""
        name = request.path_params["name"]
        saved = saved_queries().get(name)
        if saved is None:
            raise NotFound(f"no saved query {name!r}; /queries lists them")
        params = dict(request.query_params)
        unknown = sorted(set(params) - set(saved.parameters))
        if unknown:
            raise UsageError(f"saved query {name!r} has no parameter {', '.join(map(repr, unknown))}; "
                             f"it takes {', '.join(saved.parameters) or 'none'}")
        return await self.answer(answer_saved, saved.text, params, request.headers.get("accept"))

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "triples": self.triples})


# --------------------------------------------------------------------------- run in a worker process

def answer_query(store: ox.Store, query: str, default_graphs: list[str], named_graphs: list[str],
                 accept: str | None, max_rows: int, out: ResultSink) -> None:
    """``query``'s result on the dataset of the graph IRIs given (the store's default graph and
    all its named graphs when none are), written to ``out``; a parse error is a :class:`QueryError`."""
    try:
        dataset = {"default_graph": [ox.NamedNode(iri) for iri in default_graphs] or None,
                   "named_graphs": [ox.NamedNode(iri) for iri in named_graphs] or None}
    except ValueError as error:
        raise UsageError(f"bad dataset: {error}") from None

    def evaluate():
        try:
            return store.query(query, prefixes=PREFIX_MAP, **dataset)
        except SyntaxError as error:
            raise QueryError(f"malformed SPARQL: {error}".splitlines()[0]) from None

    write_result(evaluate, accept, max_rows, out, PREFIX_MAP)


def answer_saved(store: ox.Store, text: str, params: dict[str, str], accept: str | None, max_rows: int,
                 out: ResultSink) -> None:
    """The result of the saved query ``text`` with ``params`` bound as terms, written to ``out``."""
    write_result(lambda: run_query(store, text, params), accept, max_rows, out, PREFIX_MAP)


def apply_update(store: ox.Store, update: str) -> int:
    """Apply ``update`` to ``store``; the number of triples afterwards."""
    try:
        store.update(update, prefixes=PREFIX_MAP)
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL update: {error}".splitlines()[0]) from None
    return len(store)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or :class:`LimitExceeded` as soon as it is known to pass ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise LimitExceeded(f"request body of {declared} bytes; the server takes at most {limit} (its --max-body)")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise LimitExceeded(f"request body over {limit} bytes (the server's --max-body)")
    return bytes(body)


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"request body is not UTF-8 (byte 0x{body[error.start]:02x} at offset {error.start})") from None


def one(fields: dict[str, list[str]], name: str) -> str | None:
    """The one value of the request field ``name`` (``None`` when absent; an error when repeated)."""
    values = fields.get(name, [])
    if len(values) > 1:
        raise UsageError(f"{len(values)} {name} fields; send one")
    return values[0] if values else None
