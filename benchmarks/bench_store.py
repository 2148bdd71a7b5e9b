"""Store and question benchmark: every figure of issue 15 from one run, on the builds of bench_build.py.

For each size, reads the folder ``bench_build.py --keep DIR`` wrote (``DIR/build-<size>``: the
on-disk store and ``graph.nt`` a real build made) and prints, with the load average on every line:

- **load**: ``write_store`` of ``graph.nt`` into a fresh folder against a bare ``Store.bulk_load``
  of the same dump, alternating, ``--load-runs`` of each (target: the medians within 1.25x),
  and the store's size on disk;
- **the bound class** (the target's own: questions bound to one entity, pair or window whose
  answers have at most 1,000 rows): every saved query with a parameter and ``graph sources``,
  ``neighbours``, ``ego``, ``path`` and ``timeline --from --to`` (a 7-day window), each on a
  sample of up to 20 bindings drawn by a seeded rule (:func:`candidates`), on the on-disk store
  opened as the CLI opens it, and answered as the CLI answers it (a window of ``@timeline`` is
  read from the build's answer; ``@timeline, evaluated`` is the store's evaluation of the same
  bindings, beside it): p50 and p90 over the sample (target: p50 < 100 ms) and, at the
  ``--rdflib-sizes``, the median ratio to rdflib in memory, for the saved queries and the
  commands alike (target: >= 10x);
- **the hub**: the same questions on the most frequent values (the article with the most
  claims, the most-mentioned entity...), whose answers are beyond the class (no target of their
  own), a name lookup (target < 10 ms), ``contradictions`` in full (target < 1 s) and pairwise;
- **first pages**: the first 50 rows (what ``--limit 50`` reads) of every whole-graph question:
  every saved query unbound (from the answer the build wrote, as ``query`` reads it) and the
  whole-graph commands ``graph timeline``, ``rank``, ``communities`` and ``as-of DAY`` (target < 300 ms);
- **views** from the in-memory store (``open_data(DIR, in_memory=True)``; target < 5 s each).

    python benchmarks/bench_store.py --builds /tmp/incidentkg-bench --sizes 100k,1m,3m \\
        [--rdflib-sizes 1m] [--cap 30] [--store-cap 120] [--load-runs 2] [--sections load,bound,hub,pages,views] \\
        [--questions '@timeline;@timeline, evaluated'] [--json out.json]

Each store measurement runs in a worker process (Oxigraph's Rust evaluation cannot be
interrupted by a signal) and is killed after ``--store-cap`` s; rdflib runs stop after ``--cap`` s.
Times are medians of 3 to 21 runs after a first, cold run (one run when it is slow).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from incidentkg.graph.sparql import rows, saved_queries, select
from incidentkg.graph.store import DUMP_FILE, STORE_DIR, open_data, split_lines, write_store

LIMIT_BOUND, LIMIT_NAME, LIMIT_FULL, LIMIT_PAGE, LIMIT_VIEW = 0.1, 0.01, 1.0, 0.3, 5.0
PAGE = 50
SECTIONS = ("load", "bound", "hub", "pages", "views")
SAMPLE, MAX_ROWS, TRIES, SAMPLE_SEED = 20, 1000, 60, 15
"""The bound class: ``SAMPLE`` bindings of each question whose answers have at most
``MAX_ROWS`` rows, the first of ``TRIES`` candidates in a seeded order (``SAMPLE_SEED``)."""
WINDOW_DAYS = 7
RDFLIB_SAMPLE = 3


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


def _ordered(data_dir: str):
    """The build's time-ordered timeline file, as ``graph timeline`` reads it (None if the build has none)."""
    from incidentkg.graph.ordered import timeline_file
    from incidentkg.graph.output import current_build

    return timeline_file(current_build(data_dir))


# What each graph command does on the hub picks, as the CLI runs it (name lookups included).
def _commands(params: dict, data_dir: str):
    from incidentkg.graph import questions

    window = date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
    ordered = _ordered(data_dir)
    return {
        "find_entity (name lookup)": (LIMIT_NAME, lambda s: [questions.find_entity(s, params["name"])]),
        "graph sources NAME": (None, lambda s: list(questions.sources(s, questions.find_entity(s, params["name"])))),
        "graph timeline --from --to": (None, lambda s: list(questions.timeline(s, *window, ordered=ordered))),
        "graph neighbours NAME": (None, lambda s: questions.neighbours(s, questions.find_entity(s, params["name"]))),
        "graph path A B": (None, lambda s: questions.paths(s, params["claimant"], params["incident"])),
        "graph ego NAME": (None, lambda s: list(questions.ego(s, questions.find_entity(s, params["name"])))),
        "graph contradictions": (LIMIT_FULL, lambda s: list(questions.contradictions(s))),
        "graph contradictions --pairwise": (None, lambda s: list(questions.contradictions(s, pairwise=True))),
    }


def _page_commands(params: dict, data_dir: str):
    """The graph commands that answer a whole-graph question, as ``--limit 50`` reads them: from
    the answers the build wrote (:mod:`incidentkg.graph.whole`), computed from the graph when
    it wrote none (an older build)."""
    from incidentkg.graph import questions, views
    from incidentkg.graph.output import current_build
    from incidentkg.graph.whole import stored_as_of, stored_rows

    ordered, day, folder = _ordered(data_dir), date.fromisoformat(params["date"]), current_build(data_dir)

    def rank(s):  # `graph rank` (--top 20) --limit 50
        written = stored_rows(folder, "rank", 20)
        return list(islice(questions.rank(views.knowledge_graph(s)) if written is None else written, PAGE))

    def communities(s):
        written = stored_rows(folder, "communities")
        return list(islice(questions.communities(views.knowledge_graph(s)) if written is None else written, PAGE))

    def as_of(s):  # as `graph as-of DAY` lists it: the claims known by then, in IRI order
        written = stored_as_of(folder, day)
        return list(islice(questions.claims_as_of(s, day) if written is None else written, PAGE))

    return {
        "graph timeline --limit 50": lambda s: list(islice(questions.timeline(s, ordered=ordered), PAGE)),
        "graph rank --limit 50": rank,
        "graph communities --limit 50": communities,
        "graph as-of DAY --limit 50": as_of,
    }


# Candidate values of each parameter: every distinct value in the data, in IRI order.
_CANDIDATES = {
    "article": "SELECT DISTINCT ?x WHERE { ?c ikg:inArticle ?x }",
    "incident": "SELECT DISTINCT ?x WHERE { ?c ikg:about ?x . ?x a ?k . ?k rdfs:subClassOf* ikg:Incident }",
    "claimant": "SELECT DISTINCT ?x WHERE { ?c ikg:claimant ?x }",
    "target": "SELECT DISTINCT ?x WHERE { ?i ikg:target ?x }",
    "entity": "SELECT DISTINCT ?x WHERE { ?a ikg:mentions ?x }",
    "authority": "SELECT DISTINCT ?x WHERE { ?u ikg:namedBy ?x }",
    "date": "SELECT DISTINCT ?x WHERE { ?a dcterms:issued ?x }",
    "pair": "SELECT DISTINCT ?x ?y WHERE { ?c ikg:claimant ?x ; ikg:about ?y }",
}


def candidates(store: ox.Store) -> dict[str, list[dict]]:
    """For each kind of binding, the first :data:`TRIES` candidates in a seeded order.

    The rule, not a hand: every distinct value of the parameter in the data, sorted, shuffled
    by ``random.Random(f"{SAMPLE_SEED}:{kind}")``. Names are the labels of the entities; a
    window is the :data:`WINDOW_DAYS` days from a publication day; a pair is a claimant and an
    incident of one of its claims (``graph path``).
    """
    found = {}
    for kind, query in _CANDIDATES.items():
        values = sorted((tuple(str(v) for v in row.values()) for row in select(store, query)))
        random.Random(f"{SAMPLE_SEED}:{kind}").shuffle(values)
        found[kind] = values[:TRIES]
    bindings = {kind: [{kind: value[0]} for value in values] for kind, values in found.items() if kind != "pair"}
    bindings["pair"] = [{"first": x, "second": y} for x, y in found["pair"]]
    label = "SELECT ?e ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l LIMIT 1"
    bindings["name"] = [{"name": select(store, label, {"e": b["entity"]})[0]["l"]} for b in bindings["entity"]]
    bindings["window"] = [{"from": b["date"], "to": (date.fromisoformat(b["date"]) + timedelta(WINDOW_DAYS - 1)).isoformat()}
                          for b in bindings["date"]]
    bindings["status"] = [{"status": "draft"}, {"status": "accepted"}]
    return bindings


# What each bound question reads: the saved queries by their parameter, the graph commands
# (as the CLI runs them, name lookups included) by kind of binding.
_QUERY_KIND = {"article": "article", "incident": "incident", "claimant": "claimant", "target": "target",
               "entity": "entity", "name": "name", "date": "date", "authority": "authority", "status": "status",
               "from": "window"}


def query_kind(name: str) -> str:
    """The kind of binding a saved query takes (its first parameter's)."""
    return _QUERY_KIND[saved_queries()[name].parameters[0]]


def _bound_commands(data_dir: str):
    from incidentkg.graph import questions

    from incidentkg.graph.index import open_index
    from incidentkg.graph.output import current_build

    ordered = _ordered(data_dir)
    folder = current_build(data_dir)

    def window(b):
        return date.fromisoformat(b["from"]), date.fromisoformat(b["to"])

    def index_of(s):
        """As the CLI reads a store: with the lookup index its build wrote, opened once a call
        (cached per process); rdflib has none."""
        return open_index(folder) if isinstance(s, ox.Store) else None

    def named(question):
        """``question`` bound to the entity a binding names, the index read once for the name
        lookup and the question."""
        def ask(s, b):
            index = index_of(s)
            return question(s, questions.find_entity(s, b["name"], index=index), index=index)
        return ask

    return {
        "graph sources NAME": ("name", named(lambda s, node, index: list(questions.sources(s, node, index=index)))),
        "graph neighbours NAME": ("name", named(lambda s, node, index: questions.neighbours(s, node, index=index))),
        "graph ego NAME": ("name", named(lambda s, node, index: list(questions.ego(s, node, index=index)))),
        "graph path A B": ("pair", lambda s, b: questions.paths(s, b["first"], b["second"], index=index_of(s))),
        # rdflib answers from its graph: the ordered file is the build's, read beside the store
        "graph timeline --from --to": ("window", lambda s, b: list(questions.timeline(
            s, *window(b), ordered=ordered if isinstance(s, ox.Store) else None))),
    }


def sample_worker(data_dir: str, name: str, bindings: list[dict], budget: float) -> dict:
    """Time ``name`` (``@query`` or a bound command) on each binding in turn, keeping the first
    :data:`SAMPLE` whose answers have at most :data:`MAX_ROWS` rows (the class), until the
    candidates or ``budget`` seconds run out. Each time is the median of 3 to 5 runs after a cold one."""
    store = open_data(data_dir)
    if name.startswith("@"):
        from incidentkg.graph.ordered import saved_answer
        from incidentkg.graph.output import current_build

        query, evaluated = name[1:].removesuffix(EVALUATED), name.endswith(EVALUATED)
        text, folder = saved_queries()[query].text, current_build(data_dir)

        def call(b):  # as `incidentkg query @name --param ...` answers it: from the build if it can
            written = None if evaluated else saved_answer(folder, query, b)
            return select(store, text, b) if written is None else list(written)
    else:
        command = _bound_commands(data_dir)[name][1]

        def call(b):
            return command(store, b)
    kept, beyond, failed, started = [], [], 0, time.perf_counter()
    for binding in bindings:
        if len(kept) >= SAMPLE or time.perf_counter() - started > budget:
            break
        try:
            seconds, result = timed(lambda: call(binding), budget=0.5, max_runs=5)
        except Exception:  # e.g. an ambiguous name: not a binding of this question
            failed += 1
            continue
        (kept if len(result) <= MAX_ROWS else beyond).append({"binding": binding, "rows": len(result), "seconds": seconds})
    return {"kept": kept, "beyond": len(beyond), "failed": failed, "load": os.getloadavg()[0]}


EVALUATED = ", evaluated"
"""Suffix of a saved query's name in the bound class when the store evaluates it even where
``incidentkg query`` reads the answer from the build (``@timeline`` with a window): the engine's
time beside the command's, from the same run."""


def p50_p90(values: list[float]) -> tuple[float | None, float | None]:
    """The median and the 90th percentile (nearest rank) of ``values``; None for no values."""
    if not values:
        return None, None
    ordered = sorted(values)
    return statistics.median(ordered), ordered[math.ceil(0.9 * len(ordered)) - 1]


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
    if kind == "sample":
        print(json.dumps(sample_worker(data_dir, name, params["bindings"], params["budget"])))
        return
    store = open_data(data_dir)  # the on-disk store, as the CLI opens it
    if kind == "query":
        text = saved_queries()[name].text
        seconds, result = timed(lambda: select(store, text, _bound(name, params)))
    elif kind == "page":  # as `query @name --limit 50` reads it: the build's answer if it wrote one
        from incidentkg.graph.ordered import saved_answer
        from incidentkg.graph.output import current_build

        text, folder = saved_queries()[name].text, current_build(data_dir)
        seconds, result = timed(lambda: list(islice(saved_answer(folder, name) or rows(store, text), PAGE)))
    elif kind == "pagecmd":
        command = _page_commands(params, data_dir)[name]
        seconds, result = timed(lambda: command(store), budget=3.0)
    else:
        command = _commands(params, data_dir)[name][1]  # made once: only the command is timed
        seconds, result = timed(lambda: command(store), budget=3.0)
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


LOADERS = ("bare Store.bulk_load", "write_store")


def measure_load(data_dir: Path, scratch: Path, runs: int = 2) -> dict:
    """``write_store`` of the build's dump (in the pieces the build gives it) against a bare
    ``Store.bulk_load`` of it, alternating, ``runs`` of each: the ratio of the medians.

    One run of each was too noisy on a shared machine: the same code gave 1.13x and 1.51x at 3M."""
    dump = (data_dir / DUMP_FILE).read_bytes()
    scratch.mkdir(parents=True, exist_ok=True)
    report = {label: {"runs": [], "loads": []} for label in LOADERS}
    for _ in range(runs):
        for label in LOADERS:
            target = scratch / label.replace(" ", "-")
            shutil.rmtree(target, ignore_errors=True)
            report[label]["loads"].append(os.getloadavg()[0])
            started = time.perf_counter()
            if label == "write_store":
                write_store(split_lines(dump), target)
            else:
                store = ox.Store(str(target))
                store.bulk_load(input=dump, format=ox.RdfFormat.N_TRIPLES)
                store.flush()
                del store
            report[label]["runs"].append(time.perf_counter() - started)
            shutil.rmtree(target, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    for label in LOADERS:
        report[label].update(seconds=statistics.median(report[label]["runs"]), load=report[label]["loads"][0])
    report["ratio"] = report["write_store"]["seconds"] / report["bare Store.bulk_load"]["seconds"]
    return report


def run_size(size: str, builds: Path, with_rdflib: bool, cap: float, store_cap: float,
             sections: tuple[str, ...] = SECTIONS, load_runs: int = 2, only: set[str] | None = None) -> dict:
    data_dir = builds / f"build-{size}"
    store = open_data(data_dir)
    report = {"size": size, "triples": len(store),
              "store_mb": sum(p.stat().st_size for p in (data_dir / STORE_DIR).rglob("*") if p.is_file()) / 1e6}
    params = parameters(store)
    bindings = candidates(store) if "bound" in sections else {}
    del store
    report["params"] = params
    print(f"\n== {size}: {report['triples']:,} triples, store {report['store_mb']:.0f} MB on disk "
          f"(load average {os.getloadavg()[0]:.2f})", flush=True)

    if "load" in sections:
        report["load"] = loaded = measure_load(data_dir, builds / f"scratch-{size}", load_runs)
        runs = {label: ", ".join(f"{r:.2f}" for r in loaded[label]["runs"]) for label in LOADERS}
        print(f"   load ({load_runs} alternating runs each, median): bare Store.bulk_load "
              f"{loaded['bare Store.bulk_load']['seconds']:.2f} s ({runs['bare Store.bulk_load']}), write_store "
              f"{loaded['write_store']['seconds']:.2f} s ({runs['write_store']}): {loaded['ratio']:.2f}x, "
              f"<= 1.25x: {'ok' if loaded['ratio'] <= 1.25 else 'MISS'}  "
              f"(load {', '.join(f'{x:.1f}' for x in loaded['write_store']['loads'])})", flush=True)

    graph = None
    if with_rdflib and {"bound", "hub"} & set(sections):
        from rdflib import Graph

        started = time.perf_counter()
        graph = Graph().parse(data_dir / DUMP_FILE, format="nt")
        print(f"   rdflib: parsed {DUMP_FILE} in {time.perf_counter() - started:.1f} s", flush=True)

    if "bound" in sections:
        report["bound"] = measure_bound(data_dir, bindings, graph, cap, store_cap, only)
    if "hub" in sections:
        report.update(measure_hub(data_dir, params, graph, cap, store_cap))
    del graph

    if "pages" in sections:
        print(f"   {'first page (50 rows), unbound':<34} {'rows':>7} {'store ms':>10}", flush=True)
        report["pages"] = []
        for name in saved_queries():
            measured = on_store(data_dir, "page", name, params, store_cap)
            print(f"   {'@' + name:<34} {measured.get('rows', '?'):>7} {_ms(measured.get('seconds')):>10}  "
                  f"{verdict(measured.get('seconds'), LIMIT_PAGE)}  (load {measured.get('load', 0):.1f})"
                  f"{' stopped' if measured.get('capped') else ''}", flush=True)
            report["pages"].append({"query": name, **measured})
        for name in _page_commands(params, str(data_dir)):
            measured = on_store(data_dir, "pagecmd", name, params, store_cap)
            print(f"   {name:<34} {measured.get('rows', '?'):>7} {_ms(measured.get('seconds')):>10}  "
                  f"{verdict(measured.get('seconds'), LIMIT_PAGE)}  (load {measured.get('load', 0):.1f})"
                  f"{' stopped' if measured.get('capped') else ''}{measured.get('error', '')}", flush=True)
            report["pages"].append({"command": name, **measured})

    if "views" in sections:
        report["views"] = []
        for name in VIEWS:
            measured = on_store(data_dir, "view", name, params, store_cap)
            print(f"   view {name:<29} {_ms(measured.get('seconds')):>10}  {verdict(measured.get('seconds'), LIMIT_VIEW)}  "
                  f"({measured.get('shape', '')}; in-memory load {measured.get('load_s', 0):.1f} s; "
                  f"load {measured.get('load', 0):.1f}){measured.get('error', '')}", flush=True)
            report["views"].append({"view": name, **measured})
    return report


def measure_bound(data_dir: Path, bindings: dict[str, list[dict]], graph, cap: float, store_cap: float,
                  only: set[str] | None = None) -> list[dict]:
    """The bound class: each saved query with a parameter and each bound graph command (or those
    named in ``only``) on its sample (:func:`sample_worker`); p50 and p90 over the sample, and,
    with ``graph``, the median ratio rdflib/store over the first :data:`RDFLIB_SAMPLE` bindings
    of the sample."""
    print(f"   bound class: up to {SAMPLE} bindings per question with <= {MAX_ROWS:,} rows, "
          f"from {TRIES} candidates in a seeded order", flush=True)
    print(f"   {'question':<30} {'n':>3} {'beyond':>6} {'rows p50/max':>12} {'p50 ms':>8} {'p90 ms':>8} "
          f"{'rdflib':>7}", flush=True)
    from incidentkg.graph.ordered import WINDOW_QUERY

    questions = [("@" + name, query_kind(name)) for name, saved in saved_queries().items() if saved.parameters]
    questions.insert(questions.index(("@" + WINDOW_QUERY, "window")) + 1, ("@" + WINDOW_QUERY + EVALUATED, "window"))
    questions += [(name, kind) for name, (kind, _) in _bound_commands(str(data_dir)).items()]
    if only:
        questions = [(name, kind) for name, kind in questions if name in only]
    found = []
    for name, kind in questions:
        if not bindings[kind]:
            print(f"   {name:<30}   -      -            -        -        -        -  (no {kind} in the data)", flush=True)
            continue
        budget = store_cap * 0.8
        measured = on_store(data_dir, "sample", name, {"bindings": bindings[kind], "budget": budget}, store_cap)
        kept = measured.get("kept", [])
        p50, p90 = p50_p90([k["seconds"] for k in kept])
        ratios = []
        if graph is not None:
            if name.startswith("@"):
                text = saved_queries()[name[1:].removesuffix(EVALUATED)].text

                def on_rdflib(binding):
                    return select(graph, text, binding)
            else:
                command = _bound_commands(str(data_dir))[name][1]

                def on_rdflib(binding):
                    return command(graph, binding)
            for k in kept[:RDFLIB_SAMPLE]:
                rdflib_s, _ = timed(lambda: on_rdflib(k["binding"]), cap=cap, budget=1.0, max_runs=3)
                ratios.append((cap if rdflib_s is None else rdflib_s) / k["seconds"])
        rows = [k["rows"] for k in kept]
        if not any(rows):  # nothing to find (no drafts in a generated corpus): no ratio to speak of
            ratios = []
        ratio = statistics.median(ratios) if ratios else None
        ok = p50 is not None and p50 < LIMIT_BOUND and (ratio is None or ratio >= 10)
        print(f"   {name:<30} {len(kept):>3} {measured.get('beyond', '?'):>6} "
              f"{(f'{statistics.median(rows):.0f}/{max(rows)}' if rows else '-'):>12} {_ms(p50, none='-'):>8} "
              f"{_ms(p90, none='-'):>8} "
              f"{'-' if ratio is None else f'{ratio:.0f}x':>7}  p50 < 100 ms{', >= 10x' if ratios else ''}: "
              f"{'ok' if ok else 'MISS'}  (load {measured.get('load', 0):.1f}){measured.get('error', '')}"
              f"{' stopped' if measured.get('capped') else ''}", flush=True)
        found.append({"question": name, "kind": kind, **measured, "p50_s": p50, "p90_s": p90,
                      "rdflib_ratio": ratio, "ok": ok})
    return found


def measure_hub(data_dir: Path, params: dict, graph, cap: float, store_cap: float) -> dict:
    """Every bound question on the hub picks (:func:`parameters`: the most frequent values, whose
    answers are beyond the bound class), and the whole-graph commands."""
    report = {}
    print(f"   {'hub: bound saved query':<34} {'rows':>7} {'store ms':>10} {'rdflib ms':>10} {'ratio':>7}", flush=True)
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
        print(f"   {name:<34} {measured.get('rows', '?'):>7} {_ms(seconds):>10} "
              f"{'-' if graph is None else _ms(rdflib_s, cap):>10} {'-' if ratio is None or graph is None else f'{ratio:.0f}x':>7}"
              f"  (load {measured.get('load', 0):.1f}){measured.get('error', '')}", flush=True)
        report["queries"].append({"query": name, **measured, "rdflib_s": rdflib_s})

    print(f"   {'hub and whole-graph commands':<34} {'rows':>7} {'store ms':>10}", flush=True)
    report["commands"] = []
    for name, (limit, _) in _commands(params, str(data_dir)).items():
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
    return report


def _ms(seconds: float | None, cap: float | None = None, none: str = "stopped") -> str:
    if seconds is None:
        return f">{cap * 1000:.0f}" if cap else none
    return f"{seconds * 1000:.1f}" if seconds >= 0.001 else f"{seconds * 1000:.3f}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--builds", type=Path, default=Path("/tmp/incidentkg-bench"),
                        help="where bench_build.py --keep wrote build-<size>/")
    parser.add_argument("--sizes", default="100k,1m,3m")
    parser.add_argument("--rdflib-sizes", default="1m", help="sizes at which rdflib in memory is compared")
    parser.add_argument("--cap", type=float, default=30.0, help="seconds before an rdflib run is stopped")
    parser.add_argument("--store-cap", type=float, default=120.0, help="seconds before a store measurement is stopped")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"which parts to run, of {','.join(SECTIONS)} (to split a long run)")
    parser.add_argument("--load-runs", type=int, default=2, help="alternating runs of each store load")
    parser.add_argument("--questions", help="only these questions of the bound class, separated by ';' "
                                            "(e.g. '@timeline;@timeline, evaluated;graph timeline --from --to')")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return
    with_rdflib = {s.strip() for s in args.rdflib_sizes.split(",")}
    reports = []
    for size in (s.strip() for s in args.sizes.split(",")):
        sections = tuple(part.strip() for part in args.sections.split(","))
        only = {name.strip() for name in args.questions.split(";")} if args.questions else None
        reports.append(run_size(size, args.builds, size in with_rdflib, args.cap, args.store_cap, sections,
                                args.load_runs, only))
        if args.json:
            args.json.write_text(json.dumps(reports, indent=2) + "\n")


if __name__ == "__main__":
    main()
