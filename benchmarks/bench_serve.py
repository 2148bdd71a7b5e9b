"""``incidentkg serve`` over HTTP vs in process vs the ``oxigraph`` server, on one generated corpus.

Builds (or reuses) a corpus with ``benchmarks/generate.py`` and ``incidentkg build``, then, in one
run, sends the same query texts to

- ``in-process``: pyoxigraph on an in-memory store (the engine alone, results iterated),
- ``A incidentkg serve``: design A, Starlette/uvicorn + pyoxigraph in memory (``POST /sparql``),
- ``B oxigraph serve``: the ``oxigraph`` server holding the graph in memory, the engine of design B,
- ``B + front``: design B whole, that server behind a thin Starlette/httpx proxy (what the page
  and ``/queries`` would be served by),
- ``oxigraph serve-read-only``: the ``oxigraph`` server on the build's on-disk store,

with 1, 4 and 16 client threads (keep-alive connections), and prints p50/p99 latency,
throughput and failures per target, query and client count; then runs a query that times out
on design A and measures the other clients' latency meanwhile. Load averages are printed with
the numbers: the machine is shared.

    python benchmarks/bench_serve.py --triples 100k [--work /tmp/incidentkg-bench] [--requests 40]

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


def in_process(store: ox.Store, text: str, runs: int) -> dict:
    times, rows = [], 0
    for _ in range(runs + 1):
        start = time.perf_counter()
        rows = len(list(store.query(text, prefixes=PREFIX_MAP)))
        times.append(time.perf_counter() - start)
    times = times[1:]  # the first run warms caches
    return {"p50_ms": 1000 * statistics.median(times), "p99_ms": 1000 * percentile(times, 0.99), "rows": rows}


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
    args = parser.parse_args(argv)
    triples = parse_size(args.triples)
    corpus, out = args.work / f"corpus-{args.triples}", args.work / f"out-{args.triples}"
    ensure_corpus(triples, corpus)
    if not (out / "graph.nt").exists():
        build(corpus, out, html=False)
    oxigraph = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    print(f"corpus {corpus} -> {out}; load average at start {os.getloadavg()}", flush=True)

    store = ox.Store()
    store.bulk_load(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    picked = pick_parameters(store)
    texts = {name: bound_text(name, picked) for name in QUERIES}
    print(f"{len(store)} triples; parameters: " + ", ".join(f"{k}={v}" for k, v in picked.items()), flush=True)

    processes, targets = [], {}
    try:
        port = free_port()
        processes.append(subprocess.Popen([sys.executable, "-m", "incidentkg", "serve", "--data", str(out),
                                           "--port", str(port), "--timeout", "5"], stderr=subprocess.DEVNULL))
        targets["A incidentkg serve"] = f"http://127.0.0.1:{port}/sparql"
        memory_port, disk_port, front_port = free_port(), free_port(), free_port()
        processes.append(subprocess.Popen([oxigraph, "serve", "--bind", f"127.0.0.1:{memory_port}", "--timeout-s", "5"],
                                          stderr=subprocess.DEVNULL))
        wait_until_up(f"http://127.0.0.1:{memory_port}/query", processes[-1])
        httpx.post(f"http://127.0.0.1:{memory_port}/store?default", content=(out / "graph.nt").read_bytes(),
                   headers={"Content-Type": "application/n-triples"}, timeout=600).raise_for_status()
        targets["B oxigraph serve"] = f"http://127.0.0.1:{memory_port}/query"
        processes.append(subprocess.Popen([sys.executable, "-c", THIN_FRONT, targets["B oxigraph serve"],
                                           str(front_port)], stderr=subprocess.DEVNULL))
        targets["B + front"] = f"http://127.0.0.1:{front_port}/sparql"
        store_copy = args.work / f"store-copy-{args.triples}"  # serve-read-only must not share the build's lock
        shutil.rmtree(store_copy, ignore_errors=True)
        shutil.copytree(out / "store", store_copy)
        processes.append(subprocess.Popen([oxigraph, "serve-read-only", "--location", str(store_copy),
                                           "--bind", f"127.0.0.1:{disk_port}", "--timeout-s", "5"],
                                          stderr=subprocess.DEVNULL))
        targets["oxigraph serve-read-only"] = f"http://127.0.0.1:{disk_port}/query"
        for process, url in zip(processes, [targets[t].replace("/sparql", "/health") if i == 0 else targets[t]
                                            for i, t in enumerate(targets)]):
            wait_until_up(url, process)

        report = {"triples": len(store), "results": []}
        for name, text in texts.items():
            local = in_process(store, text, runs=20)
            print(f"\n{name}: {local['rows']} rows; in-process p50 {local['p50_ms']:.1f} ms, p99 {local['p99_ms']:.1f} ms; "
                  f"load {os.getloadavg()[0]:.2f}", flush=True)
            report["results"].append({"query": name, "target": "in-process", **local})
            for target, url in targets.items():
                for clients in CLIENTS:
                    measured = over_http(url, text, clients, args.requests)
                    report["results"].append({"query": name, "target": target, "clients": clients, **measured})
                    print(f"  {target:<26} {clients:>2} clients: p50 {measured['p50_ms']:7.1f} ms  p99 "
                          f"{measured['p99_ms']:7.1f} ms  {measured['rps']:7.1f} req/s  failed {measured['failed']}"
                          f"  (load {os.getloadavg()[0]:.2f})", flush=True)

        print("\nDuring a query that times out (5 s) on each server, 4 other clients ask article-claims:")
        for target in ("A incidentkg serve", "B + front"):
            url = targets[target]
            slow = threading.Thread(target=lambda: httpx.post(url, data={"query": CARTESIAN}, timeout=120))
            slow.start()
            time.sleep(0.2)
            measured = over_http(url, texts["article-claims"], 4, args.requests)
            slow.join()
            report["results"].append({"query": "article-claims during a timeout", "target": target, "clients": 4, **measured})
            print(f"  {target:<26}  4 clients: p50 {measured['p50_ms']:7.1f} ms  p99 {measured['p99_ms']:7.1f} ms  "
                  f"failed {measured['failed']}  (load {os.getloadavg()[0]:.2f})", flush=True)
        report["loadavg_end"] = os.getloadavg()
        (args.work / f"bench_serve-{args.triples}.json").write_text(json.dumps(report, indent=1))
        print(f"\nload average at end {os.getloadavg()}")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
