"""Store and query benchmark: Oxigraph vs rdflib on generated corpora of 10k, 100k and 1M triples.

For each size: generate (or reuse) a corpus with ``benchmarks/generate.py``, load and map it with
the real loader and mapping (the rdflib graph is kept in memory as the second engine), dump it as
sorted N-Triples, time ``write_store`` (Oxigraph's bulk load) of that dump into a fresh on-disk store, then time
every saved query (``incidentkg.graph.sparql.saved_queries()``) through
``incidentkg.graph.sparql.select`` on both engines (median of N runs, N adaptive), and the
networkx views of ``incidentkg.graph.views`` on the store when that module exists.

    python benchmarks/bench_store.py --sizes 10k,100k,1m [--work /tmp/incidentkg-bench] [--cap 30]

Targets (at 1M): bulk load < 3 s; queries returning <= 1,000 rows < 100 ms median on the store,
larger/whole-graph answers < 1 s; each >= 10x faster than rdflib. rdflib runs longer than
``--cap`` seconds are stopped and shown as ">cap".
"""

from __future__ import annotations

import argparse
import gc
import inspect
import json
import os
import shutil
import signal
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox  # noqa: E402
from rdflib import RDF, RDFS, URIRef  # noqa: E402

from generate import ensure_corpus, parse_size  # noqa: E402
from incidentkg.graph.sparql import saved_queries, select  # noqa: E402
from incidentkg.graph.serialize import ntriples  # noqa: E402
from incidentkg.graph.store import write_store  # noqa: E402
from incidentkg.ontology.annotations import load_corpus  # noqa: E402
from incidentkg.ontology.mapping import corpus_to_graph  # noqa: E402
from incidentkg.ontology.vocab import IKG  # noqa: E402

DCTERMS_ISSUED = URIRef("http://purl.org/dc/terms/issued")


class Capped(Exception):
    pass


def _alarm(signum, frame):
    raise Capped()


def timed(fn, *, cap: float | None = None, budget: float = 2.0, max_runs: int = 21):
    """(median seconds, result) of ``fn()``, or (None, None) when one run exceeds ``cap``.

    One run first; if it is fast, more runs until ``budget`` seconds are spent (at least 3, at
    most ``max_runs``) and the median of the repeats (the first, cold run excluded) is returned.
    """
    def once():
        if cap:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, cap)
        try:
            started = time.perf_counter()
            result = fn()
            return time.perf_counter() - started, result
        finally:
            if cap:
                signal.setitimer(signal.ITIMER_REAL, 0)

    try:
        first, result = once()
    except Capped:
        return None, None
    runs = min(max_runs, int(budget / max(first, 1e-6)))
    if runs < 2:
        return first, result
    times = []
    for _ in range(max(3, runs)):
        try:
            elapsed, result = once()
        except Capped:
            return None, None
        times.append(elapsed)
    return statistics.median(times), result


def parameters(graph) -> dict[str, str]:
    """Sensible values for the saved queries' parameters, picked from the data itself."""
    claimant = Counter(graph.objects(None, IKG.claimant)).most_common(1)[0][0]
    about = Counter(o for o in graph.objects(None, IKG.about)
                    if (o, RDF.type, IKG.Event) not in graph).most_common(1)[0][0]
    mentioned = Counter(graph.objects(None, IKG.mentions)).most_common(1)[0][0]
    article = Counter(graph.objects(None, IKG.inArticle)).most_common(1)[0][0]
    target = Counter(graph.objects(None, IKG.target)).most_common(1)[0][0]
    days = sorted(str(d) for d in graph.objects(None, DCTERMS_ISSUED))
    middle = days[len(days) // 2] if days else "2022-06-30"
    return {
        "article": str(article), "incident": str(about), "claimant": str(claimant),
        "entity": str(mentioned), "target": str(target),
        "name": str(graph.value(mentioned, RDFS.label)),
        "date": middle, "from": f"{middle[:4]}-01-01", "to": f"{middle[:4]}-12-31",
    }


def worker(store_dir: str, kind: str, name: str, params_json: str) -> None:
    """Subprocess side: time one saved query (or view) on the store opened read-only."""
    store = ox.Store.read_only(store_dir)
    params = json.loads(params_json)
    if kind == "query":
        saved = saved_queries()[name]
        bound = {p: params[p] for p in saved.parameters if p in params}
        seconds, rows = timed(lambda: select(store, saved.text, bound), budget=2.0)
        print(json.dumps({"seconds": seconds, "rows": len(rows), "load": os.getloadavg()[0]}))
    else:
        from incidentkg.graph import views
        seconds, net = timed(lambda: getattr(views, name)(store), budget=3.0, max_runs=5)
        shape = (f"{net.number_of_nodes()} nodes, {net.number_of_edges()} edges"
                 if hasattr(net, "number_of_nodes") else f"{len(net)} items")
        print(json.dumps({"seconds": seconds, "shape": shape, "load": os.getloadavg()[0]}))


def on_store(store_dir: Path, kind: str, name: str, params: dict, cap: float) -> dict:
    """Run :func:`worker` in a subprocess, killed after ``cap`` seconds (Rust code ignores signals)."""
    import subprocess
    try:
        done = subprocess.run([sys.executable, __file__, "--worker", str(store_dir), kind, name, json.dumps(params)],
                              capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {"capped": True}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:100]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_size(size: str, work: Path, cap: float, seed: int, keep: bool, store_cap: float = 120.0) -> dict:
    triples_target = parse_size(size)
    corpus_dir = work / f"corpus-{size}"
    started = time.perf_counter()
    info = ensure_corpus(triples_target, corpus_dir, seed)
    gen_s = time.perf_counter() - started
    started = time.perf_counter()
    corpus = load_corpus(corpus_dir)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    graph = corpus_to_graph(corpus)
    map_s = time.perf_counter() - started
    del corpus
    started = time.perf_counter()
    nt = ntriples(graph)
    nt_s = time.perf_counter() - started
    nt_path = work / f"graph-{size}.nt"
    nt_path.write_bytes(nt)
    store_dir = work / f"store-{size}"
    shutil.rmtree(store_dir, ignore_errors=True)
    gc.collect()
    load_avg = os.getloadavg()[0]
    started = time.perf_counter()
    write_store(nt, store_dir)  # what a build does: bulk load, marker, atomic rename
    bulk_s = time.perf_counter() - started
    del nt
    store = ox.Store.read_only(str(store_dir))
    report = {"size": size, "triples": len(graph), "store_triples": len(store), "articles": info["articles"],
              "generate_s": gen_s, "load_corpus_s": load_s, "corpus_to_graph_s": map_s,
              "ntriples_s": nt_s, "bulk_load_s": bulk_s, "bulk_load_loadavg": load_avg,
              "queries": [], "views": []}
    print(f"\n== {size}: {len(graph):,} triples ({info['articles']} articles); corpus {gen_s:.1f} s, "
          f"load_corpus {load_s:.1f} s, corpus_to_graph {map_s:.1f} s, N-Triples dump {nt_s:.1f} s, "
          f"Oxigraph bulk load (write_store) {bulk_s:.2f} s (on disk; load average {load_avg:.2f})", flush=True)

    del store  # release the lock: the queries run on read-only opens in worker processes
    params = parameters(graph)
    report["params"] = params
    print("   parameters: " + ", ".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in params.items()), flush=True)
    header = f"   {'query':<22} {'rows':>7} {'store ms':>10} {'rdflib ms':>11} {'ratio':>7}  target"
    print(header + "\n   " + "-" * (len(header) - 3), flush=True)
    for name, saved in saved_queries().items():
        bound = {p: params[p] for p in saved.parameters if p in params}
        measured = on_store(store_dir, "query", name, params, store_cap)
        if "error" in measured:  # a saved query being edited may not parse yet
            print(f"   {name:<22} store error: {measured['error']}", flush=True)
            continue
        if measured.get("capped"):
            print(f"   {name:<22} {'?':>7} {'>' + str(int(store_cap * 1000)):>10}  (store run stopped; rdflib not tried)  MISS", flush=True)
            report["queries"].append({"query": name, "rows": None, "store_ms": None, "ok": False, "store_capped": True})
            continue
        store_s, rows = measured["seconds"], range(measured["rows"])
        rdflib_error = None
        try:
            rdflib_s, rdflib_rows = timed(lambda: select(graph, saved.text, bound), cap=cap, budget=5.0, max_runs=5)
        except Exception as error:  # rdflib cannot run some valid SPARQL: say so, not ">cap"
            rdflib_s, rdflib_rows, rdflib_error = None, None, str(error).splitlines()[0][:60]
        n = len(rows)
        limit = 0.1 if n <= 1000 else 1.0
        ok = store_s < limit and (rdflib_s is None or rdflib_s / store_s >= 10)
        rdflib_txt = "error" if rdflib_error else f">{cap * 1000:.0f}" if rdflib_s is None else f"{rdflib_s * 1000:.1f}"
        ratio = "-" if rdflib_error else f">{cap / store_s:.0f}" if rdflib_s is None else f"{rdflib_s / store_s:.1f}"
        same = "" if rdflib_rows is None or len(rdflib_rows) == n else f"  (rdflib rows {len(rdflib_rows)})"
        print(f"   {name:<22} {n:>7} {store_s * 1000:>10.1f} {rdflib_txt:>11} {ratio:>7}  "
              f"<{limit * 1000:.0f} ms, >=10x: {'ok' if ok else 'MISS'}{same}  (load {measured['load']:.1f})"
              + (f"  [rdflib: {rdflib_error}]" if rdflib_error else ""), flush=True)
        report["queries"].append({"query": name, "rows": n, "store_ms": store_s * 1000,
                                  "rdflib_ms": None if rdflib_s is None else rdflib_s * 1000,
                                  "rdflib_rows": None if rdflib_rows is None else len(rdflib_rows), "ok": ok,
                                  "rdflib_error": rdflib_error, "load": measured["load"]})
    try:
        from incidentkg.graph import views
    except ImportError:
        views = None
        print("   (incidentkg.graph.views not found: views skipped)")
    if views is not None:
        for name, fn in inspect.getmembers(views, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != views.__name__:
                continue
            signature = inspect.signature(fn)
            names = list(signature.parameters)
            # A view takes a source and returns a networkx graph (``scan`` is a helper).
            if not names or names[0] != "source" or "nx." not in str(signature.return_annotation):
                continue
            measured = on_store(store_dir, "view", name, params, store_cap)
            if "error" in measured:
                print(f"   view {name:<28} error: {measured['error']}", flush=True)
                continue
            if measured.get("capped"):
                print(f"   view {name:<28} >{store_cap * 1000:.0f} ms (stopped)", flush=True)
                report["views"].append({"view": name, "store_ms": None, "capped": True})
                continue
            view_s, shape = measured["seconds"], measured["shape"]
            print(f"   view {name:<28} {view_s * 1000:>9.1f} ms  ({shape})  (load {measured['load']:.1f})", flush=True)
            report["views"].append({"view": name, "store_ms": view_s * 1000, "shape": shape, "load": measured["load"]})
    if not keep:
        shutil.rmtree(store_dir, ignore_errors=True)
        nt_path.unlink(missing_ok=True)
    return report


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--work", type=Path, default=Path("/tmp/incidentkg-bench"))
    parser.add_argument("--cap", type=float, default=30.0, help="seconds before an rdflib run is stopped")
    parser.add_argument("--store-cap", type=float, default=120.0, help="seconds before a store query/view is stopped")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the N-Triples dumps and stores")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    reports = [run_size(size.strip(), args.work, args.cap, args.seed, args.keep, args.store_cap) for size in args.sizes.split(",")]
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2) + "\n")


if __name__ == "__main__":
    main()
