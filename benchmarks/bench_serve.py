"""``incidentkg serve`` over HTTP vs in process vs the ``oxigraph`` server, on one generated corpus.

Builds (or reuses) a corpus with ``benchmarks/generate.py`` and ``incidentkg build``, then, in one
run, sends the same query texts to

- ``in-process``: pyoxigraph on an in-memory store (the engine alone, results iterated),
- ``A incidentkg serve``: design A, Starlette/uvicorn + pyoxigraph in memory (``POST /sparql``),
  queries evaluated in worker processes,
- ``A threads``: with ``--threads-src DIR``, the same design as it was before issue 14's worker
  processes (queries on threads, the slots refused with 503), the ``incidentkg`` package of an
  older checkout laid out in ``DIR`` and run with ``PYTHONPATH=DIR``,
- ``A before``: with ``--before-src DIR``, any other checkout laid out the same way (the code
  before a change, measured in the same run as the change),
- ``A no renice``: this checkout's ``incidentkg serve --renice-after 0`` (no query demoted: no
  worker reniced, none given up to a short query; the default demotes after 0.2 s of CPU),
- ``B oxigraph serve``: the ``oxigraph`` server holding the graph in memory, the engine of design B,
- ``B + front``: design B whole, that server behind a thin Starlette/httpx proxy (what the page
  and ``/queries`` would be served by),
- ``oxigraph serve-read-only``: the ``oxigraph`` server on the build's on-disk store,

with 1, 4 and 16 client threads (keep-alive connections), and prints p50/p99 latency,
throughput and failures per target, query and client count, and design A's HTTP overhead: the
median over paired runs of one HTTP request (its whole body read) minus the in-process run next to
it, against two in-process baselines run in each pair, *iterated* (the engine's solutions made into
Python terms, what ``incidentkg query`` does) and *serialised* (pyoxigraph writing the same JSON
bytes the server sends, which is what the server's worker does before the transfer); each pair
sends the request with httpx and with a raw-socket HTTP/1.1 reader (:class:`RawClient`, a client
that costs little: httpx's own read of 7 MB is about 13 ms of CPU), and prints both overheads and
each client's CPU. Then, on
each A target and B + front, 4 clients ask a short query (``entities-by-alias``) first alone and then while a query runs
past the 5 s timeout; it prints their p50/p99 both times, the slow request's answer, and for A
and A threads the CPU the server's processes use in the 2 s after that answer (a server that
really stopped the query is idle). Load averages are printed with the numbers: the machine is
shared. Last come the issue's targets, each with the numbers it was judged on and met or missed.

    python benchmarks/bench_serve.py --triples 100k [--work /tmp/incidentkg-bench] [--requests 40]
    python benchmarks/bench_serve.py --data /work/bench/build-1m --targets "A incidentkg serve,oxigraph serve-read-only"

``--data DIR`` takes an existing build (its ``graph.nt`` and ``store/``, which is only read)
instead of generating one; ``--targets`` names the targets to run (default: all); ``--queries``
the saved queries to time (``""``: none, only the timeout probe).

Parameters are bound the same way for every target: a ``BIND(term AS ?param)`` first in the
outer ``WHERE``, the term written by pyoxigraph (the servers under test have no other way in
common; this is benchmark code with values taken from the data, not user input).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402

from generate import ensure_corpus, parse_size  # noqa: E402
from incidentkg.graph.sparql import saved_queries  # noqa: E402
from incidentkg.ontology.prefixes import PREFIX_MAP  # noqa: E402
from incidentkg.pipeline import build  # noqa: E402

QUERIES = ("article-claims", "entities-by-alias", "sources", "claims-by-claimant")
CLIENTS = (1, 4, 16)
PROBE = "entities-by-alias"  # what the other clients ask during a timed-out query
TARGETS = ("A incidentkg serve", "A threads", "A before", "A no renice", "B oxigraph serve", "B + front",
           "oxigraph serve-read-only")
SERVE_OPTIONS = {"A no renice": ["--renice-after", "0"]}  # beyond "--timeout 5"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
PICKS = {  # a busy value of each parameter, from the data itself
    "article": "SELECT ?v (COUNT(*) AS ?n) WHERE { ?c ikg:inArticle ?v } GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1",
    "claimant": "SELECT ?v (COUNT(*) AS ?n) WHERE { ?c ikg:claimant ?v } GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1",
    "entity": "SELECT ?v (COUNT(*) AS ?n) WHERE { ?c ikg:about ?v } GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(2400):
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.TransportError:
            if process.poll() is not None:
                raise SystemExit(f"{process.args} exited")
            time.sleep(0.05)
    raise SystemExit(f"{url} did not answer")


def pick_parameters(store: ox.Store) -> dict[str, ox.NamedNode | ox.Literal]:
    """Busy values for the benchmarked queries' parameters."""
    picked = {}
    for name in ("article", "claimant", "entity"):
        picked[name] = next(iter(store.query(PICKS[name], prefixes=PREFIX_MAP)))["v"]
    label = next(iter(store.query(f"SELECT ?l WHERE {{ {picked['entity']} rdfs:label ?l }}", prefixes=PREFIX_MAP)))["l"]
    picked["name"] = ox.Literal(label.value.split()[0])  # a partial name: exact and partial matches
    return picked


def bound_text(name: str, picked: dict) -> str:
    """The saved query ``name`` with its parameters bound by a ``BIND`` first in the outer WHERE."""
    saved = saved_queries()[name]
    binds = " ".join(f"BIND({picked[p]} AS ?{p})" for p in saved.parameters if p in picked)
    head, where, rest = saved.text.partition("WHERE {")
    return f"{head}{where} {binds}{rest}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process ``pid`` and its descendants still alive."""
    def tree(root: int) -> list[int]:
        try:
            with open(f"/proc/{root}/task/{root}/children") as listing:
                return [root] + [p for child in listing.read().split() for p in tree(int(child))]
        except FileNotFoundError:
            return []
    ticks = 0
    for member in tree(pid):
        try:
            with open(f"/proc/{member}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except FileNotFoundError:
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def during_a_timeout(url: str, text: str, requests: int, server_pid: int | None) -> dict:
    """4 clients asking ``text`` while a query runs past the server's timeout; the slow request's
    status and time, and the server's CPU seconds in the 2 s after its answer."""
    slow: dict = {}

    def ask_slow() -> None:
        start = time.perf_counter()
        try:
            response = httpx.post(url, data={"query": CARTESIAN}, timeout=30)
            slow.update(status=response.status_code, answer=response.text.strip()[:80])
        except httpx.TimeoutException:
            slow.update(status=None, answer="no answer within 30 s")
        slow["seconds"] = time.perf_counter() - start

    thread = threading.Thread(target=ask_slow)
    slow["started"] = time.time()
    thread.start()
    time.sleep(0.2)
    slow["clients_started"] = time.time()
    measured = over_http(url, text, 4, requests)
    slow["clients_ended"] = time.time()
    thread.join()
    if server_pid:
        time.sleep(0.3)  # a killed worker is gone by then (its CPU time would go with it)
        before = cpu_seconds(server_pid)
        time.sleep(2)
        slow["cpu_after_s"] = cpu_seconds(server_pid) - before
    return {**measured, "slow": slow}


def iterated(store: ox.Store, text: str) -> int:
    """``text`` run in process, its solutions made into Python terms; the number of rows."""
    return len(list(store.query(text, prefixes=PREFIX_MAP)))


def serialised(store: ox.Store, text: str) -> bytes:
    """``text`` run in process and written by pyoxigraph as SPARQL Results JSON (the server's body)."""
    return store.query(text, prefixes=PREFIX_MAP).serialize(format=ox.QueryResultsFormat.JSON)


def in_process(store: ox.Store, text: str, runs: int) -> dict:
    """p50/p99 of ``runs`` in-process runs iterated (the first run warms caches, not counted), and
    the p50 of as many serialised, alternating."""
    times, written, rows = [], [], iterated(store, text)
    for _ in range(runs):
        start = time.perf_counter()
        iterated(store, text)
        middle = time.perf_counter()
        serialised(store, text)
        times.append(middle - start)
        written.append(time.perf_counter() - middle)
    return {"p50_ms": 1000 * statistics.median(times), "p99_ms": 1000 * percentile(times, 0.99), "rows": rows,
            "serialised_p50_ms": 1000 * statistics.median(written)}


class RawClient:
    """POSTs over one keep-alive TCP socket, each response read with ``recv_into`` into one
    buffer kept across requests, with no more parsing than HTTP/1.1 needs (``Content-Length`` or
    chunked) and one copy of the body: a client that costs little, so that what an HTTP request
    adds over in process is the server's. httpx's own read of a 7 MB answer takes about 13 ms of
    CPU (benchmarks/README.md, branch x14b).

    >>> RawClient.chunk_size(b"1f4;name=value")
    500
    """

    def __init__(self, url: str):
        address = httpx.URL(url)
        self.host, self.port, self.path = address.host, address.port, address.raw_path.decode("ascii")
        self.socket = self.connect()
        self.buffer, self.start, self.end = bytearray(16 << 20), 0, 0  # unread: buffer[start:end]

    def connect(self) -> socket.socket:
        connection = socket.create_connection((self.host, self.port))
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def post(self, form: dict) -> tuple[int, bytes]:
        """The status and the body of a form POST to the client's URL, on a new connection when
        the server has closed the kept one (uvicorn does after 5 s idle: in process runs of a
        slow query between two requests, on a busy machine, take longer)."""
        try:
            return self.send(form)
        except ConnectionError:
            if self.end:  # part of the answer came: not an idle connection closed
                raise
            self.socket.close()
            self.socket = self.connect()
            return self.send(form)

    def send(self, form: dict) -> tuple[int, bytes]:
        content = str(httpx.QueryParams(form)).encode("ascii")
        left = self.buffer[self.start:self.end]
        self.buffer[:len(left)], self.start, self.end = left, 0, len(left)
        self.socket.sendall(f"POST {self.path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: application/sparql-"
                            f"results+json\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                            f"{len(content)}\r\n\r\n".encode("ascii") + content)
        head = self.line(b"\r\n\r\n").decode("latin-1").lower().split("\r\n")
        status = int(head[0].split()[1])
        headers = dict(line.split(":", 1) for line in head[1:] if ":" in line)
        if "content-length" in headers:
            spans = [self.exactly(int(headers["content-length"]))]
        else:
            spans = []
            while size := self.chunk_size(self.line(b"\r\n")):
                spans.append(self.exactly(size))
                self.exactly(2)  # the chunk's CRLF
            self.line(b"\r\n")  # the empty trailer
        with memoryview(self.buffer) as view:
            return status, b"".join(view[at:at + size] for at, size in spans)

    @staticmethod
    def chunk_size(line: bytes) -> int:
        return int(line.split(b";")[0], 16)

    def fill(self) -> None:
        """Receive more into the buffer (grown when full: offsets into it stay valid)."""
        if self.end == len(self.buffer):
            self.buffer.extend(bytes(len(self.buffer)))
        with memoryview(self.buffer) as view:
            received = self.socket.recv_into(view[self.end:])
        if not received:
            raise ConnectionError("the server closed the connection")
        self.end += received

    def line(self, end: bytes) -> bytes:
        while (at := self.buffer.find(end, self.start, self.end)) < 0:
            self.fill()
        line = bytes(self.buffer[self.start:at])
        self.start = at + len(end)
        return line

    def exactly(self, size: int) -> tuple[int, int]:
        """The offset and size of the next ``size`` bytes, received into the buffer."""
        while self.end - self.start < size:
            self.fill()
        self.start += size
        return self.start - size, size

    def close(self) -> None:
        self.socket.close()


def overhead(store: ox.Store, url: str, text: str, runs: int) -> dict:
    """Medians of ``runs`` paired differences: one HTTP request (body read whole) minus the
    in-process run of the same pair, iterated and serialised (both run in each pair, in turn
    first, then the request), so that a pair sees one load and the noise of a shared machine
    cancels out in part. Each pair sends the request twice, with httpx and with a
    :class:`RawClient` (in turn first), and times the CPU of each client's thread. Also whether
    the server's body is byte for byte the in-process JSON, for both clients."""
    over: dict[str, list[float]] = {key: [] for key in ("iterated", "serialised", "raw_iterated", "raw_serialised")}
    client_cpu: dict[str, list[float]] = {"httpx": [], "raw": []}
    same_bytes = True
    raw = RawClient(url)
    with httpx.Client(timeout=120, headers={"Accept": "application/sparql-results+json"}) as session:
        session.post(url, data={"query": text})
        raw.post({"query": text})
        for pair in range(runs):
            timed = {}
            for kind in (("iterated", "serialised") if pair % 2 else ("serialised", "iterated")):
                start = time.perf_counter()
                body = serialised(store, text) if kind == "serialised" else iterated(store, text)
                timed[kind] = time.perf_counter() - start
                if kind == "serialised":
                    expected = body
            for client in (("httpx", "raw") if pair % 2 else ("raw", "httpx")):
                start, cpu = time.perf_counter(), time.thread_time()
                if client == "httpx":
                    response = session.post(url, data={"query": text})
                    status, content = response.status_code, response.content
                else:
                    status, content = raw.post({"query": text})
                elapsed = time.perf_counter() - start
                client_cpu[client].append(time.thread_time() - cpu)
                if status != 200:
                    raise SystemExit(f"{url}: {client} got {status}: {content[:200]!r}")
                same_bytes &= content == expected
                prefix = "" if client == "httpx" else "raw_"
                for kind in ("iterated", "serialised"):
                    over[prefix + kind].append(elapsed - timed[kind])
    raw.close()
    median = {key: 1000 * statistics.median(values) for key, values in over.items()}
    return {"overhead_p50_ms": median["iterated"], "overhead_serialised_p50_ms": median["serialised"],
            "raw_overhead_p50_ms": median["raw_iterated"], "raw_overhead_serialised_p50_ms": median["raw_serialised"],
            "client_cpu_p50_ms": {key: 1000 * statistics.median(values) for key, values in client_cpu.items()},
            "pairs": runs, "same_bytes": same_bytes}


def over_http(url: str, text: str, clients: int, requests: int) -> dict:
    """``clients`` threads each sending ``requests // clients`` POSTs of ``text`` to ``url``."""
    per_client = max(2, requests // clients)
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal failures
        with httpx.Client(timeout=120, headers={"Accept": "application/sparql-results+json"}) as session:
            session.post(url, data={"query": text})  # warm the connection
            for _ in range(per_client):
                start = time.perf_counter()
                response = session.post(url, data={"query": text})
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    failures += response.status_code != 200

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for done in [pool.submit(client) for _ in range(clients)]:
            done.result()
    wall = time.perf_counter() - start
    return {"p50_ms": 1000 * statistics.median(latencies), "p99_ms": 1000 * percentile(latencies, 0.99),
            "rps": len(latencies) / wall, "failed": failures, "requests": len(latencies)}


def target_lines(results: list[dict], target: str = "A incidentkg serve",
                 reference: str = "oxigraph serve-read-only") -> list[str]:
    """The issue's four targets judged on ``results`` (the report's list), one line each: what was
    measured, and met, missed, or not measured in this run.

    >>> target_lines([{"query": "q", "target": "A incidentkg serve", "clients": 1, "overhead_p50_ms": 3.0,
    ...                "overhead_serialised_p50_ms": 1.0, "pairs": 16}])[0]
    'HTTP overhead < 2 ms at p50 over in process: over iterated q +3.0 ms: missed; over serialised q +1.0 ms: met'
    """
    def verdict(ok: bool) -> str:
        return "met" if ok else "missed"

    mine = [r for r in results if r["target"] == target]
    lines = []
    paired = [r for r in mine if "overhead_p50_ms" in r]
    if paired:
        parts = []
        for key, label in (("overhead_p50_ms", "iterated"), ("overhead_serialised_p50_ms", "serialised"),
                           ("raw_overhead_serialised_p50_ms", "serialised, raw-socket client")):
            if not all(key in r for r in paired):
                continue
            values = ", ".join(f"{r['query']} {r[key]:+.1f} ms" for r in paired)
            parts.append(f"over {label} {values}: {verdict(all(r[key] < 2 for r in paired))}")
        lines.append("HTTP overhead < 2 ms at p50 over in process: " + "; ".join(parts))
    else:
        lines.append("HTTP overhead < 2 ms at p50 over in process: not measured")
    theirs = {r["query"]: r["rps"] for r in results if r["target"] == reference and r.get("clients") == 4}
    ours = {r["query"]: r["rps"] for r in mine if r.get("clients") == 4 and r["query"] in theirs}
    if ours:
        values = ", ".join(f"{q} {ours[q]:.1f} vs {theirs[q]:.1f}" for q in ours)
        lines.append(f"4 clients, req/s at least {reference}'s: {values}: "
                     f"{verdict(all(ours[q] >= theirs[q] for q in ours))}")
    else:
        lines.append(f"4 clients, req/s at least {reference}'s: not measured (run both with 4 clients)")
    counted = [r for r in mine if "failed" in r]
    failed = sum(r["failed"] for r in counted)
    lines.append(f"no failed request: {failed} failed of {sum(r['requests'] for r in counted)}: {verdict(failed == 0)}"
                 if counted else "no failed request: not measured")
    during = [r for r in mine if r["query"].endswith("during a timeout")]
    lines.append(f"others' p99 < 250 ms during a timed-out query: {during[0]['p99_ms']:.1f} ms: "
                 f"{verdict(during[0]['p99_ms'] < 250)}" if during else
                 "others' p99 < 250 ms during a timed-out query: not measured")
    return lines


THIN_FRONT = '''
import sys, httpx, uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
backend = sys.argv[1]
client = httpx.AsyncClient(timeout=None, limits=httpx.Limits(max_connections=64))
async def sparql(request):
    answer = await client.post(backend, content=await request.body(),
                               headers={"Content-Type": request.headers["content-type"],
                                        "Accept": request.headers.get("accept", "*/*")})
    return Response(answer.content, status_code=answer.status_code, media_type=answer.headers.get("content-type"))
uvicorn.run(Starlette(routes=[Route("/sparql", sparql, methods=["POST"])]), host="127.0.0.1",
            port=int(sys.argv[2]), log_level="warning")
'''


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="100k")
    parser.add_argument("--work", type=Path, default=Path("/tmp/incidentkg-bench"))
    parser.add_argument("--requests", type=int, default=48, help="requests per target, query and client count")
    parser.add_argument("--data", type=Path, help="an existing build to serve (read only) instead of generating one")
    parser.add_argument("--threads-src", type=Path, help="an older incidentkg laid out as a package, for 'A threads'")
    parser.add_argument("--before-src", type=Path, help="another incidentkg laid out as a package, for 'A before'")
    parser.add_argument("--queries", default=",".join(QUERIES), help="saved queries to time, comma-separated "
                        "('': none, only the timeout probe)")
    parser.add_argument("--server-log", type=Path, help="a folder for each A server's stderr, run with "
                        "'--log-level debug' (a line per request: wait for a worker, CPU, waits for a core)")
    parser.add_argument("--targets", help="comma-separated targets to run (default: all; 'A threads' only "
                        "with --threads-src); 'NAME:4/16' runs NAME with 4 and 16 clients only")
    args = parser.parse_args(argv)
    client_counts = {}  # target -> the client counts it runs with
    for item in (args.targets.split(",") if args.targets else TARGETS):
        name, _, counts = item.strip().partition(":")
        client_counts[name] = tuple(int(c) for c in counts.split("/")) if counts else CLIENTS
    serve_code = {"A incidentkg serve": None, "A no renice": None, "A threads": args.threads_src,
               "A before": args.before_src}
    chosen = [name for name in client_counts
              if args.targets or name not in serve_code or name == "A no renice" or serve_code[name]]
    if set(chosen) - set(TARGETS):
        raise SystemExit(f"unknown target(s) {sorted(set(chosen) - set(TARGETS))}; the targets are {TARGETS}")
    for name, option in (("A threads", "--threads-src"), ("A before", "--before-src")):
        if name in chosen and not serve_code[name]:
            raise SystemExit(f"the target {name!r} needs {option}")
    if args.data:
        out = args.data
        args.work.mkdir(parents=True, exist_ok=True)
    else:
        corpus, out = args.work / f"corpus-{args.triples}", args.work / f"out-{args.triples}"
        ensure_corpus(parse_size(args.triples), corpus)
        if not (out / "graph.nt").exists():
            build(corpus, out, html=False)
    oxigraph = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    print(f"build {out}; load average at start {os.getloadavg()}", flush=True)

    store = ox.Store()
    store.bulk_load(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    picked = pick_parameters(store)
    texts = {name: bound_text(name, picked) for name in {*filter(None, args.queries.split(",")), PROBE}}
    print(f"{len(store)} triples; parameters: " + ", ".join(f"{k}={v}" for k, v in picked.items()), flush=True)

    processes: dict[str, subprocess.Popen] = {}
    targets: dict[str, str] = {}
    try:
        for name, extra_path in serve_code.items():
            if name in chosen:
                port = free_port()
                env = {**os.environ, "PYTHONPATH": str(extra_path)} if extra_path else None
                log, logging = subprocess.DEVNULL, []
                if args.server_log and not extra_path:  # another checkout may not know --log-level
                    args.server_log.mkdir(parents=True, exist_ok=True)
                    log = open(args.server_log / f"{name.replace(' ', '-')}.log", "w")
                    logging = ["--log-level", "debug"]
                processes[name] = subprocess.Popen([sys.executable, "-m", "incidentkg", "serve", "--data", str(out),
                                                    "--port", str(port), "--timeout", "5",
                                                    *SERVE_OPTIONS.get(name, []), *logging],
                                                   stderr=log, env=env,
                                                   cwd=extra_path)  # "-m" looks in the folder it starts in first
                targets[name] = f"http://127.0.0.1:{port}/sparql"
                wait_until_up(targets[name].replace("/sparql", "/health"), processes[name])
        if {"B oxigraph serve", "B + front"} & set(chosen):
            memory_port = free_port()
            processes["B oxigraph serve"] = subprocess.Popen(
                [oxigraph, "serve", "--bind", f"127.0.0.1:{memory_port}", "--timeout-s", "5"], stderr=subprocess.DEVNULL)
            wait_until_up(f"http://127.0.0.1:{memory_port}/query", processes["B oxigraph serve"])
            httpx.post(f"http://127.0.0.1:{memory_port}/store?default", content=(out / "graph.nt").read_bytes(),
                       headers={"Content-Type": "application/n-triples"}, timeout=600).raise_for_status()
            targets["B oxigraph serve"] = f"http://127.0.0.1:{memory_port}/query"
        if "B + front" in chosen:
            front_port = free_port()
            processes["B + front"] = subprocess.Popen([sys.executable, "-c", THIN_FRONT, targets["B oxigraph serve"],
                                                       str(front_port)], stderr=subprocess.DEVNULL)
            targets["B + front"] = f"http://127.0.0.1:{front_port}/sparql"
            wait_until_up(targets["B + front"], processes["B + front"])
        if "oxigraph serve-read-only" in chosen:
            disk_port = free_port()
            store_copy = args.work / "store-copy"  # serve-read-only must not share the build's lock
            shutil.rmtree(store_copy, ignore_errors=True)
            shutil.copytree(out / "store", store_copy)
            processes["oxigraph serve-read-only"] = subprocess.Popen(
                [oxigraph, "serve-read-only", "--location", str(store_copy), "--bind", f"127.0.0.1:{disk_port}",
                 "--timeout-s", "5"], stderr=subprocess.DEVNULL)
            targets["oxigraph serve-read-only"] = f"http://127.0.0.1:{disk_port}/query"
            wait_until_up(targets["oxigraph serve-read-only"], processes["oxigraph serve-read-only"])
        targets = {name: url for name, url in targets.items() if name in chosen}

        report = {"triples": len(store), "results": []}
        for name in filter(None, args.queries.split(",")):
            text = texts[name]
            local = in_process(store, text, runs=20)
            print(f"\n{name}: {local['rows']} rows; in-process p50 {local['p50_ms']:.1f} ms, p99 {local['p99_ms']:.1f} ms "
                  f"(iterated), serialised to JSON p50 {local['serialised_p50_ms']:.1f} ms; load {os.getloadavg()[0]:.2f}",
                  flush=True)
            report["results"].append({"query": name, "target": "in-process", **local})
            for target, url in targets.items():
                for clients in client_counts[target]:
                    measured = over_http(url, text, clients, args.requests)
                    report["results"].append({"query": name, "target": target, "clients": clients, **measured})
                    print(f"  {target:<26} {clients:>2} clients: p50 {measured['p50_ms']:7.1f} ms  p99 "
                          f"{measured['p99_ms']:7.1f} ms  {measured['rps']:7.1f} req/s  failed {measured['failed']}"
                          f"  (load {os.getloadavg()[0]:.2f})", flush=True)
            for target in serve_code:
                if target in targets:
                    paired = overhead(store, targets[target], text, args.requests)
                    report["results"].append({"query": name, "target": target, "clients": 1, **paired})
                    print(f"  {target:<26} HTTP overhead (median of {paired['pairs']} paired runs): "
                          f"{paired['overhead_p50_ms']:+.1f} ms over iterated, {paired['overhead_serialised_p50_ms']:+.1f} "
                          f"ms over serialised with httpx (its CPU {paired['client_cpu_p50_ms']['httpx']:.1f} ms); "
                          f"{paired['raw_overhead_p50_ms']:+.1f} / {paired['raw_overhead_serialised_p50_ms']:+.1f} ms "
                          f"with a raw socket (its CPU {paired['client_cpu_p50_ms']['raw']:.1f} ms)"
                          f"{'' if paired['same_bytes'] else ' (body not the in-process JSON)'}  "
                          f"(load {os.getloadavg()[0]:.2f})", flush=True)

        print(f"\n4 clients ask {PROBE}, alone and during a query that times out (5 s) on each server:")
        for target in chosen:  # in the order --targets gives: alternated between runs, none always first
            if target not in targets or target not in (*serve_code, "B + front"):
                continue
            url = targets[target]
            alone = over_http(url, texts[PROBE], 4, args.requests)
            during = during_a_timeout(url, texts[PROBE], args.requests,
                                      processes[target].pid if target.startswith("A ") else None)
            report["results"].append({"query": f"{PROBE} alone", "target": target, "clients": 4, **alone})
            report["results"].append({"query": f"{PROBE} during a timeout", "target": target, "clients": 4, **during})
            slow = during["slow"]
            cpu = f"; server CPU in the 2 s after: {slow['cpu_after_s']:.2f} s" if "cpu_after_s" in slow else ""
            if args.server_log:
                cpu += "; " + ", ".join(f"{key} {time.strftime('%H:%M:%S', time.gmtime(slow[key]))}"
                                        f".{int(slow[key] % 1 * 1000):03d}" for key in
                                        ("started", "clients_started", "clients_ended"))
            print(f"  {target:<26} alone  p50 {alone['p50_ms']:7.1f} ms  p99 {alone['p99_ms']:7.1f} ms  failed "
                  f"{alone['failed']}\n  {'':<26} during p50 {during['p50_ms']:7.1f} ms  p99 {during['p99_ms']:7.1f} ms  "
                  f"failed {during['failed']}  (load {os.getloadavg()[0]:.2f})\n  {'':<26} slow request: "
                  f"{slow['status']} after {slow['seconds']:.1f} s {slow['answer']!r}{cpu}", flush=True)
        report["loadavg_end"] = os.getloadavg()
        (args.work / f"bench_serve-{len(store)}.json").write_text(json.dumps(report, indent=1))
        print("\nTargets (issue 14), for A incidentkg serve:")
        for line in target_lines(report["results"]):
            print(f"  {line}")
        print(f"\nload average at end {os.getloadavg()}")
    finally:
        for process in processes.values():
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
