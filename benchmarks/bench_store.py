"""Store and question benchmark: every figure of issue 15 from one run, on the builds of bench_build.py.

For each size, reads the folder ``bench_build.py --keep DIR`` wrote (``DIR/build-<size>``: the
on-disk store and ``graph.nt`` a real build made) and prints, with the load average on every line:

- **load**: ``write_store`` of ``graph.nt`` into a fresh folder against a bare ``Store.bulk_load``
  of the same dump, in the same run (target: within 1.25x), and the store's size on disk;
- **saved queries bound to one entity, pair or window** on the on-disk store, opened as the
  CLI opens it (target: p50 < 100 ms), and, at the ``--rdflib-sizes``, the same query on rdflib
  in memory (target: >= 10x slower there);
- **graph commands** as the CLI runs them: a name lookup (target < 10 ms), ``sources`` and
  ``timeline`` bound, ``neighbours`` and ``path`` (target p50 < 100 ms), ``contradictions`` in
  full (target < 1 s) and pairwise;
- **first pages**: the first 50 rows (what ``--limit 50`` reads) of every whole-graph question
  (target < 300 ms);
- **views** from the in-memory store (``open_data(DIR, in_memory=True)``; target < 5 s each).

    python benchmarks/bench_store.py --builds /tmp/incidentkg-bench --sizes 100k,1m,3m \\
        [--rdflib-sizes 1m] [--cap 30] [--store-cap 120] [--json out.json]

Each store measurement runs in a worker process (Oxigraph's Rust evaluation cannot be
interrupted by a signal) and is killed after ``--store-cap`` s; rdflib runs stop after ``--cap`` s.
Times are medians of 3 to 21 runs after a first, cold run (one run when it is slow).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from incidentkg.graph.sparql import rows, saved_queries, select
from incidentkg.graph.store import DUMP_FILE, STORE_DIR, open_data, split_lines, write_store

LIMIT_BOUND, LIMIT_NAME, LIMIT_FULL, LIMIT_PAGE, LIMIT_VIEW = 0.1, 0.01, 1.0, 0.3, 5.0
PAGE = 50


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


_PICK = {
    "claimant": "SELECT ?x WHERE { ?c ikg:claimant ?x } GROUP BY ?x ORDER BY DESC(COUNT(?c)) ?x LIMIT 1",
    "incident": """SELECT ?x WHERE { ?c ikg:about ?x . ?x a ?k . ?k rdfs:subClassOf* ikg:Incident }
                   GROUP BY ?x ORDER BY DESC(COUNT(?c)) ?x LIMIT 1""",
    "entity": "SELECT ?x WHERE { ?a ikg:mentions ?x } GROUP BY ?x ORDER BY DESC(COUNT(?a)) ?x LIMIT 1",
    "article": "SELECT ?x WHERE { ?c ikg:inArticle ?x } GROUP BY ?x ORDER BY DESC(COUNT(?c)) ?x LIMIT 1",
    "target": "SELECT ?x WHERE { ?i ikg:target ?x } GROUP BY ?x ORDER BY DESC(COUNT(?i)) ?x LIMIT 1",
}


def parameters(store: ox.Store) -> dict[str, str]:
    """Values for the questions' parameters, picked from the data: the most frequent claimant,
    the most-claimed-about incident, the most-mentioned entity (and its label), the article with
    the most claims, the most frequent target, the median publication day and its year."""
    picked = {key: select(store, query)[0]["x"] for key, query in _PICK.items()}
    days = [row["d"] for row in select(store, "SELECT ?d WHERE { ?a dcterms:issued ?d } ORDER BY ?d")]
    middle = str(days[len(days) // 2]) if days else "2022-06-30"
    picked["name"] = select(store, "SELECT ?e ?l WHERE { ?e rdfs:label ?l }", {"e": picked["entity"]})[0]["l"]
    return {**picked, "date": middle, "from": f"{middle[:4]}-01-01", "to": f"{middle[:4]}-12-31"}


def _bound(name: str, params: dict) -> dict:
    return {p: params[p] for p in saved_queries()[name].parameters if p in params}


# What each graph command does, as the CLI runs it (name lookups included).
def _commands(params: dict):
    from incidentkg.graph import questions, views
    from datetime import date

    window = date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
    return {
        "find_entity (name lookup)": (LIMIT_NAME, lambda s: [questions.find_entity(s, params["name"])]),
        "graph sources NAME": (LIMIT_BOUND, lambda s: list(questions.sources(s, questions.find_entity(s, params["name"])))),
        "graph timeline --from --to": (LIMIT_BOUND, lambda s: list(questions.timeline(s, *window))),
        "graph neighbours NAME": (LIMIT_BOUND, lambda s: questions.neighbours(s, questions.find_entity(s, params["name"]))),
        "graph path A B": (LIMIT_BOUND, lambda s: questions.paths(s, params["claimant"], params["incident"])),
        "graph ego NAME": (LIMIT_BOUND, lambda s: list(questions.ego(s, questions.find_entity(s, params["name"])))),
        "graph contradictions": (LIMIT_FULL, lambda s: list(questions.contradictions(s))),
        "graph contradictions --pairwise": (None, lambda s: list(questions.contradictions(s, pairwise=True))),
        "graph timeline --limit 50": (LIMIT_PAGE, lambda s: list(islice(questions.timeline(s), PAGE))),
    }


VIEWS = ("knowledge_graph", "accusation_network", "incident_actor_graph", "co_mention_graph", "timeline_graph")


def worker(data_dir: str, kind: str, name: str, params_json: str) -> None:
    """Subprocess side: time one measurement on the build in ``data_dir``; print it as JSON."""
    params = json.loads(params_json)
    load = os.getloadavg()[0]
    if kind == "view":
        from incidentkg.graph import views

        started = time.perf_counter()
        store = open_data(data_dir, in_memory=True)
        load_s = time.perf_counter() - started
        seconds, net = timed(lambda: getattr(views, name)(store), budget=3.0, max_runs=3)
        print(json.dumps({"seconds": seconds, "load_s": load_s, "load": load,
                          "shape": f"{net.number_of_nodes()} nodes, {net.number_of_edges()} edges"}))
        return
    store = open_data(data_dir)  # the on-disk store, as the CLI opens it
    if kind == "query":
        text = saved_queries()[name].text
        seconds, result = timed(lambda: select(store, text, _bound(name, params)))
    elif kind == "page":
        text = saved_queries()[name].text
        seconds, result = timed(lambda: list(islice(rows(store, text), PAGE)))
    else:
        seconds, result = timed(lambda: _commands(params)[name][1](store), budget=3.0)
    print(json.dumps({"seconds": seconds, "rows": len(result), "load": load}))


def on_store(data_dir: Path, kind: str, name: str, params: dict, cap: float) -> dict:
    """Run :func:`worker` in a subprocess, killed after ``cap`` seconds."""
    try:
        done = subprocess.run([sys.executable, __file__, "--worker", str(data_dir), kind, name, json.dumps(params)],
                              capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {"capped": True}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:120]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def verdict(seconds: float | None, limit: float | None) -> str:
    if limit is None:
        return "(no target)"
    return f"< {limit * 1000:.0f} ms: " + ("ok" if seconds is not None and seconds < limit else "MISS")


def measure_load(data_dir: Path, scratch: Path) -> dict:
    """``write_store`` of the build's dump against a bare ``Store.bulk_load`` of it, one run each."""
    dump = (data_dir / DUMP_FILE).read_bytes()
    scratch.mkdir(parents=True, exist_ok=True)
    report = {}
    for label in ("bare Store.bulk_load", "write_store"):
        target = scratch / label.replace(" ", "-")
        shutil.rmtree(target, ignore_errors=True)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        if label == "write_store":
            write_store(split_lines(dump), target)
        else:
            store = ox.Store(str(target))
            store.bulk_load(input=dump, format=ox.RdfFormat.N_TRIPLES)
            store.flush()
            del store
        report[label] = {"seconds": time.perf_counter() - started, "load": load}
        shutil.rmtree(target, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    report["ratio"] = report["write_store"]["seconds"] / report["bare Store.bulk_load"]["seconds"]
    return report


def run_size(size: str, builds: Path, with_rdflib: bool, cap: float, store_cap: float) -> dict:
    data_dir = builds / f"build-{size}"
    store = open_data(data_dir)
    report = {"size": size, "triples": len(store),
              "store_mb": sum(p.stat().st_size for p in (data_dir / STORE_DIR).rglob("*") if p.is_file()) / 1e6}
    params = parameters(store)
    del store
    report["params"] = params
    print(f"\n== {size}: {report['triples']:,} triples, store {report['store_mb']:.0f} MB on disk "
          f"(load average {os.getloadavg()[0]:.2f})", flush=True)
    print("   parameters: " + ", ".join(f"{k}={str(v).rsplit('/', 1)[-1]}" for k, v in params.items()), flush=True)

    report["load"] = loaded = measure_load(data_dir, builds / f"scratch-{size}")
    print(f"   load: bare Store.bulk_load {loaded['bare Store.bulk_load']['seconds']:.2f} s "
          f"(load {loaded['bare Store.bulk_load']['load']:.1f}), write_store {loaded['write_store']['seconds']:.2f} s "
          f"(load {loaded['write_store']['load']:.1f}): {loaded['ratio']:.2f}x, "
          f"<= 1.25x: {'ok' if loaded['ratio'] <= 1.25 else 'MISS'}", flush=True)

    graph = None
    if with_rdflib:
        from rdflib import Graph

        started = time.perf_counter()
        graph = Graph().parse(data_dir / DUMP_FILE, format="nt")
        print(f"   rdflib: parsed {DUMP_FILE} in {time.perf_counter() - started:.1f} s", flush=True)

    print(f"   {'bound saved query':<34} {'rows':>7} {'store ms':>10} {'rdflib ms':>10} {'ratio':>7}", flush=True)
    report["queries"] = []
    for name, saved in saved_queries().items():
        if not saved.parameters:
            continue
        measured = on_store(data_dir, "query", name, params, store_cap)
        seconds = measured.get("seconds")
        rdflib_s = None
        if graph is not None and seconds is not None:
            rdflib_s, _ = timed(lambda: select(graph, saved.text, _bound(name, params)), cap=cap, budget=5.0, max_runs=5)
        ratio = None if seconds is None else (cap if rdflib_s is None else rdflib_s) / seconds
        ok = seconds is not None and seconds < LIMIT_BOUND and (graph is None or ratio >= 10)
        print(f"   {name:<34} {measured.get('rows', '?'):>7} {_ms(seconds):>10} "
              f"{'-' if graph is None else _ms(rdflib_s, cap):>10} {'-' if ratio is None or graph is None else f'{ratio:.0f}x':>7}"
              f"  < 100 ms{', >= 10x' if graph is not None else ''}: {'ok' if ok else 'MISS'}"
              f"  (load {measured.get('load', 0):.1f}){measured.get('error', '')}", flush=True)
        report["queries"].append({"query": name, **measured, "rdflib_s": rdflib_s, "ok": ok})

    print(f"   {'graph command':<34} {'rows':>7} {'store ms':>10}", flush=True)
    report["commands"] = []
    for name, (limit, _) in _commands(params).items():
        measured = on_store(data_dir, "call", name, params, store_cap)
        print(f"   {name:<34} {measured.get('rows', '?'):>7} {_ms(measured.get('seconds')):>10}  "
              f"{verdict(measured.get('seconds'), limit)}  (load {measured.get('load', 0):.1f}){measured.get('error', '')}",
              flush=True)
        report["commands"].append({"command": name, **measured, "limit_s": limit})
    if graph is not None:
        from incidentkg.graph import questions

        for name, call in (("find_entity", lambda: questions.find_entity(graph, params["name"])),
                           ("contradictions", lambda: list(questions.contradictions(graph)))):
            rdflib_s, _ = timed(call, cap=cap, budget=3.0, max_runs=5)
            print(f"   rdflib in memory: {name:<20} {_ms(rdflib_s, cap):>10}", flush=True)
            report[f"rdflib_{name}_s"] = rdflib_s
        del graph

    print(f"   {'first page (50 rows), unbound':<34} {'rows':>7} {'store ms':>10}", flush=True)
    report["pages"] = []
    for name in saved_queries():
        measured = on_store(data_dir, "page", name, params, store_cap)
        print(f"   {'@' + name:<34} {measured.get('rows', '?'):>7} {_ms(measured.get('seconds')):>10}  "
              f"{verdict(measured.get('seconds'), LIMIT_PAGE)}  (load {measured.get('load', 0):.1f})"
              f"{' stopped' if measured.get('capped') else ''}", flush=True)
        report["pages"].append({"query": name, **measured})

    report["views"] = []
    for name in VIEWS:
        measured = on_store(data_dir, "view", name, params, store_cap)
        print(f"   view {name:<29} {_ms(measured.get('seconds')):>10}  {verdict(measured.get('seconds'), LIMIT_VIEW)}  "
              f"({measured.get('shape', '')}; in-memory load {measured.get('load_s', 0):.1f} s; "
              f"load {measured.get('load', 0):.1f}){measured.get('error', '')}", flush=True)
        report["views"].append({"view": name, **measured})
    return report


def _ms(seconds: float | None, cap: float | None = None) -> str:
    if seconds is None:
        return f">{cap * 1000:.0f}" if cap else "stopped"
    return f"{seconds * 1000:.1f}" if seconds >= 0.001 else f"{seconds * 1000:.3f}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--builds", type=Path, default=Path("/tmp/incidentkg-bench"),
                        help="where bench_build.py --keep wrote build-<size>/")
    parser.add_argument("--sizes", default="100k,1m,3m")
    parser.add_argument("--rdflib-sizes", default="1m", help="sizes at which rdflib in memory is compared")
    parser.add_argument("--cap", type=float, default=30.0, help="seconds before an rdflib run is stopped")
    parser.add_argument("--store-cap", type=float, default=120.0, help="seconds before a store measurement is stopped")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return
    with_rdflib = {s.strip() for s in args.rdflib_sizes.split(",")}
    reports = []
    for size in (s.strip() for s in args.sizes.split(",")):
        reports.append(run_size(size, args.builds, size in with_rdflib, args.cap, args.store_cap))
        if args.json:
            args.json.write_text(json.dumps(reports, indent=2) + "\n")


if __name__ == "__main__":
    main()
