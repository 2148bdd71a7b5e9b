"""Build benchmark: wall time and peak memory of ``incidentkg.pipeline.build``, stage by stage.

For each size, a generated corpus (``benchmarks/generate.py``) is built in a fresh subprocess
that runs the stages of ``pipeline.build`` one after the other and reports, per stage, its wall
time and the process's peak RSS so far (``VmHWM``): load_corpus, corpus_to_graph, validation
(pyshacl + quote check), Turtle write, sorted N-Triples, Oxigraph store, HTML page (when
``incidentkg.export.page`` exists). The stages that may run away (validation, Turtle, HTML) run
in a forked child stopped after ``--cap`` seconds and reported as a miss; the others are stopped
by an alarm. ``--e2e`` also runs ``pipeline.build`` itself in a subprocess (same cap) and reports
its wall time and peak RSS (``ru_maxrss`` of the child).

    python benchmarks/bench_build.py --sizes 10k,100k,1m [--cap 300] [--e2e]

Target at 1M triples: < 60 s and < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def vm_hwm_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(**fields) -> None:
    print("STAGE " + json.dumps(fields), flush=True)


def forked(name: str, fn, cap: float) -> None:
    """Run ``fn`` in a forked child (sharing the parent's graph), stopped after ``cap`` seconds."""
    read, write = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        signal.alarm(int(cap) + 1)
        try:
            detail = fn()
            message = {"ok": True, "detail": detail, "peak_mb": vm_hwm_mb()}
        except BaseException as error:  # report anything, then leave without cleanup
            message = {"ok": False, "detail": f"{type(error).__name__}: {str(error)[:200]}", "peak_mb": vm_hwm_mb()}
        os.write(write, json.dumps(message).encode())
        os._exit(0)
    os.close(write)
    deadline = started + cap
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            status = None
            break
        time.sleep(0.05)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    elapsed = time.perf_counter() - started
    if status is None or not data:
        emit(stage=name, seconds=elapsed, capped=True, peak_mb=None, detail=f"stopped after {cap:.0f} s")
        return
    message = json.loads(data)
    emit(stage=name, seconds=elapsed, capped=False, peak_mb=message["peak_mb"], ok=message["ok"], detail=message["detail"])


def stages(corpus_dir: str, cap: float) -> None:
    """The child process: each stage of ``pipeline.build``, timed."""
    from incidentkg.export.page import write_graph_page
    from incidentkg.graph.store import open_store, sorted_ntriples, write_store
    from incidentkg.ontology.annotations import load_corpus
    from incidentkg.ontology.mapping import corpus_to_graph
    from incidentkg.ontology.validate import quote_problems, shacl_problems
    from incidentkg.pipeline import count_kinds, write_turtle

    out = Path(tempfile.mkdtemp(prefix="ikg-build-"))
    emit(stage="imports", seconds=0.0, peak_mb=vm_hwm_mb())

    def inline(name, fn):
        def stop(signum, frame):  # report the stage that ran out of time, then give up
            emit(stage=name, seconds=cap, capped=True, peak_mb=vm_hwm_mb(), detail=f"stopped after {cap:.0f} s")
            os._exit(3)

        signal.signal(signal.SIGALRM, stop)
        signal.alarm(int(cap))
        started = time.perf_counter()
        result = fn()
        signal.alarm(0)
        emit(stage=name, seconds=time.perf_counter() - started, peak_mb=vm_hwm_mb())
        return result

    corpus = inline("load_corpus", lambda: load_corpus(corpus_dir))
    graph = inline("corpus_to_graph", lambda: corpus_to_graph(corpus))
    emit(stage="(triples)", seconds=0.0, peak_mb=vm_hwm_mb(), detail=len(graph))
    forked("validate: pyshacl", lambda: len(shacl_problems(graph)), cap)
    forked("validate: quotes", lambda: len(quote_problems(graph)), cap)
    forked("write_turtle", lambda: write_turtle(graph, out / "graph.ttl") or (out / "graph.ttl").stat().st_size, cap)
    ntriples = inline("sorted_ntriples", lambda: sorted_ntriples(graph))
    inline("write graph.nt", lambda: (out / "graph.nt").write_bytes(ntriples))
    inline("write_store (bulk load)", lambda: write_store(ntriples, out / "store"))
    del ntriples
    inline("count_kinds", lambda: count_kinds(graph))
    # As the build does: the page is made from the store just written, not from rdflib's graph.
    forked("html page", lambda: write_graph_page(open_store(out / "store"), out / "graph.html") and None, cap)
    import shutil
    shutil.rmtree(out, ignore_errors=True)


def end_to_end(corpus_dir: Path, cap: float) -> dict:
    out = Path(tempfile.mkdtemp(prefix="ikg-e2e-")) / "out"
    code = f"from incidentkg.pipeline import build; r = build({str(corpus_dir)!r}, {str(out)!r}); print(r.counts)"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=cap)
        capped = False
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        capped = True
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # max over finished children
    import shutil
    shutil.rmtree(out.parent, ignore_errors=True)
    return {"seconds": elapsed, "capped": capped, "peak_mb": peak, "rc": process.returncode,
            "detail": f"stopped after {cap:.0f} s" if capped else
            (stdout.strip() or (stderr.strip().splitlines() or [""])[-1])[:300]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--work", type=Path, default=Path("/tmp/incidentkg-bench"))
    parser.add_argument("--cap", type=float, default=300.0, help="seconds before a stage is stopped (a miss)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--e2e", action="store_true", help="also time pipeline.build end to end")
    parser.add_argument("--stages-of", help=argparse.SUPPRESS)  # internal: run the stages in this process
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.stages_of:
        stages(args.stages_of, args.cap)
        return
    from generate import ensure_corpus, parse_size

    results = []
    for size in (s.strip() for s in args.sizes.split(",")):
        corpus_dir = args.work / f"corpus-{size}"
        info = ensure_corpus(parse_size(size), corpus_dir, args.seed)
        print(f"\n== build {size} ({info['articles']} articles, {info['estimated_triples']:,} triples)", flush=True)
        print(f"   {'stage':<26} {'seconds':>9} {'peak RSS MB':>12}  detail", flush=True)
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, __file__, "--stages-of", str(corpus_dir), "--cap", str(args.cap)],
                                   stdout=subprocess.PIPE, text=True)
        rows = []
        for line in process.stdout:
            if not line.startswith("STAGE "):
                continue
            row = json.loads(line[6:])
            rows.append(row)
            seconds = f">{args.cap:.0f}" if row.get("capped") else f"{row['seconds']:.2f}"
            peak = "-" if row.get("peak_mb") is None else f"{row['peak_mb']:.0f}"
            detail = "" if row.get("detail") is None else str(row["detail"])
            print(f"   {row['stage']:<26} {seconds:>9} {peak:>12}  {detail}", flush=True)
        process.wait()
        total = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        counted = sum(r["seconds"] for r in rows)
        print(f"   {'total (stages)':<26} {counted:>9.2f} {max((r['peak_mb'] or 0) for r in rows):>12.0f}"
              f"  wall incl. interpreter start {total:.1f} s, rc {process.returncode}", flush=True)
        result = {"size": size, "articles": info["articles"], "stages": rows, "wall_s": total, "peak_children_mb": peak}
        if args.e2e:
            e2e = end_to_end(corpus_dir, args.cap)
            print(f"   pipeline.build end to end: {'>' if e2e['capped'] else ''}{e2e['seconds']:.1f} s, "
                  f"peak RSS (max child so far) {e2e['peak_mb']:.0f} MB; {e2e['detail']}", flush=True)
            result["e2e"] = e2e
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
