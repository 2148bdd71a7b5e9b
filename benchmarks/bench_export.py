"""Export benchmark: wall time and file size of every export format, next to writing N-Triples.

For each size, a generated corpus (``benchmarks/generate.py``) is built once without the page
(``pipeline.build``), and each format is exported from the on-disk store the build left, as
``incidentkg export FORMAT`` does. Each format is timed right after an N-Triples export of the
same store, so that the ratio of the two compares runs made under the same machine load; each
pair runs ``--repeat`` times and the fastest of each is kept (the machine is shared: other
processes only ever add time). The load averages are printed with every pair.

The exported files are written under ``--exports`` (default ``/dev/shm``, a tmpfs, where there
is one): written to the disk, the 183 MB of N-Triples at 1M cost 3.5-6.2 s of wall and 2.7-5.8 s
of CPU (kernel time of the write) against 1.6 s on tmpfs, varying with the page cache's state,
so a disk-written baseline drifts within a run (2026-12-03). On tmpfs every format and its
baseline write to memory, and the times are those of the exports alone.

    python benchmarks/bench_export.py --sizes 100k,1m [--formats stix,csv] [--repeat 2] [--json out.json]
    python benchmarks/bench_export.py --build /work/bench/build-1m [--views]   # an existing build

The view formats (GraphML, GEXF, CSV) read the knowledge graph from the build's lookup index
(``index.sqlite``), as the command does; ``--no-index`` reads it from the store, as before.

With ``--views``, each networkx view (``incidentkg export graphml --view V`` reads the same) is
also timed from the copy in memory, the fastest of ``--repeat`` runs.

Targets at 1M triples: every format under 30 s and within 2x of writing N-Triples; every view
under 5 s from the in-memory store.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FORMATS = "ntriples,turtle,jsonld,graphml,gexf,csv,stix,misp"


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (forked exporters)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_export(source, name: str, out: Path, index=None) -> tuple[float, int, float]:
    """Wall seconds, bytes and CPU seconds of one export of ``source`` in format ``name`` into
    ``out``; given the build's lookup ``index`` where the format reads one, as the command does."""
    from incidentkg.export import export, exporter_class

    exporter = exporter_class(name)
    target = out / exporter.default_path
    options = {"index": index} if index is not None and "index" in exporter.options else {}
    started, cpu = time.perf_counter(), cpu_seconds()
    paths = export(source, name, target, **options)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    size = sum(path.stat().st_size for path in paths)
    shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink()
    return seconds, size, cpu


def measure_views(source, repeat: int) -> list[dict]:
    """Seconds of each networkx view of ``source`` (fastest of ``repeat``), with load averages."""
    from incidentkg.export.networks import VIEWS, view

    rows = []
    print(f"   {'view':<15} {'seconds':>8} {'nodes':>8} {'edges':>9}   load averages", flush=True)
    for name in VIEWS:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            graph = view(source, name)
            runs.append(time.perf_counter() - started)
        load = os.getloadavg()
        rows.append({"view": name, "seconds": round(min(runs), 2), "nodes": graph.number_of_nodes(),
                     "edges": graph.number_of_edges(), "loadavg": [round(x, 2) for x in load]})
        print(f"   {name:<15} {min(runs):8.2f} {graph.number_of_nodes():8} {graph.number_of_edges():9}   "
              f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
        del graph
    return rows


def measure(build_dir: Path, formats: list[str], work: Path, repeat: int, in_memory: bool = True,
            views: bool = False, use_index: bool = True) -> dict:
    """The rows of every format (and, with ``views``, of every view) of the build in ``build_dir``;
    with ``use_index``, the formats that read the build's lookup index get it, as the command does."""
    from incidentkg.graph.index import open_index
    from incidentkg.graph.output import current_build
    from incidentkg.graph.store import open_data

    started = time.perf_counter()
    # As `incidentkg export` reads a build: into memory (graph.nt), unless --on-disk.
    source = open_data(build_dir, in_memory=in_memory)
    index = open_index(current_build(build_dir)) if use_index else None
    print(f"   opened {'in memory' if in_memory else 'on disk'} in {time.perf_counter() - started:.2f} s "
          f"({len(source)} triples; lookup index {'read' if index is not None else 'not read'})", flush=True)
    found = {"views": measure_views(source, repeat)} if views else {}
    timed_export(source, "ntriples", work)  # warm the store's caches once, as a user's second run would
    rows = []
    print(f"   {'format':<9} {'seconds':>8} {'MB':>8} {'N-Triples s':>12} {'ratio':>6} {'CPU s':>6}   load averages",
          flush=True)
    for name in formats:
        pairs = [(timed_export(source, "ntriples", work)[0], *timed_export(source, name, work, index))
                 for _ in range(repeat)]
        baseline, seconds, size = min(p[0] for p in pairs), min(p[1] for p in pairs), pairs[0][2]
        cpu = min(p[3] for p in pairs)
        load = os.getloadavg()
        rows.append({"format": name, "seconds": round(seconds, 2), "bytes": size,
                     "ntriples_seconds": round(baseline, 2), "ratio": round(seconds / baseline, 2),
                     "cpu_seconds": round(cpu, 2), "loadavg": [round(x, 2) for x in load]})
        print(f"   {name:<9} {seconds:8.2f} {size / 1e6:8.1f} {baseline:12.2f} {seconds / baseline:6.2f} {cpu:6.2f}   "
              f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    return {"opened_triples": len(source), "formats": rows, **found}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1m")
    parser.add_argument("--formats", default=FORMATS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/incidentkg-bench"))
    parser.add_argument("--exports", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
                        help="folder the exported files are written to (default /dev/shm, else under --work)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each pair; the fastest is kept")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--on-disk", action="store_true", help="read the on-disk store, not a copy in memory")
    parser.add_argument("--build", type=Path, help="export this existing build instead of generating --sizes")
    parser.add_argument("--views", action="store_true", help="also time every networkx view")
    parser.add_argument("--no-index", action="store_true",
                        help="read the views from the store, not from the build's lookup index")
    args = parser.parse_args(argv)
    print(f"load averages at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    exports_root = args.exports / f"incidentkg-bench-{os.getpid()}" if args.exports else args.work
    print(f"exports written under {exports_root}", flush=True)
    results = []
    if args.build:
        print(f"\n== export {args.build}", flush=True)
        exports = exports_root / "exports-build"
        exports.mkdir(parents=True, exist_ok=True)
        results.append({"build": str(args.build),
                        **measure(args.build, args.formats.split(","), exports, args.repeat,
                                  in_memory=not args.on_disk, views=args.views, use_index=not args.no_index)})
    from generate import ensure_corpus, parse_size

    from incidentkg.pipeline import build

    for size in () if args.build else (s.strip() for s in args.sizes.split(",")):
        corpus_dir = args.work / f"corpus-{size}"
        info = ensure_corpus(parse_size(size), corpus_dir, args.seed)
        build_dir = args.work / f"export-build-{size}"
        report = build(corpus_dir, build_dir, html=False)
        print(f"\n== export {size} ({info['articles']} articles, {report.counts['triples']} triples)", flush=True)
        exports = exports_root / f"exports-{size}"
        exports.mkdir(parents=True, exist_ok=True)
        results.append({"size": size, "triples": report.counts["triples"],
                        **measure(build_dir, args.formats.split(","), exports, args.repeat,
                                  in_memory=not args.on_disk, views=args.views, use_index=not args.no_index)})
    if args.exports:
        shutil.rmtree(exports_root, ignore_errors=True)
    print(f"load averages at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
