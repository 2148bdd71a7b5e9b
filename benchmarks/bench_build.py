"""Build benchmark: wall time and peak memory of ``incidentkg.pipeline.build``, stage by stage.

For each size, a generated corpus (``benchmarks/generate.py``) is built by ``pipeline.build``
itself, in a fresh subprocess, with a progress callback that records when each stage ends and
the process's peak RSS at that moment (``VmHWM``); the last line also gives the peak of the
forked validation process. The whole build is stopped after ``--cap`` seconds and reported as a
miss. Stages overlap: the store loads while the Turtle is written, and validation runs from the
end of the mapping until just before the output is swapped in.

    python benchmarks/bench_build.py --sizes 100k,1m,3m [--cap 300] [--no-html] [--json out.json] [--keep DIR]

Each size also reports the store's size on disk and the load average before and after.

Target at 1M triples: under 60 s and under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def vm_hwm_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def run_build(corpus_dir: str, out_dir: str, html: bool) -> None:
    """In the child: build, printing one ``STAGE {json}`` line as each stage ends."""
    from incidentkg.pipeline import build

    started = {}

    def record(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        started.setdefault(stage, now)
        if done == total:
            print("STAGE " + json.dumps({"stage": stage, "seconds": now - started[stage], "peak_mb": vm_hwm_mb()}),
                  flush=True)

    begin = time.perf_counter()
    report = build(corpus_dir, out_dir, html=html, progress=record)
    # The validation runs in a forked child: its peak is reported beside the build's own.
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("STAGE " + json.dumps({"stage": "total", "seconds": time.perf_counter() - begin, "peak_mb": vm_hwm_mb(),
                                 "child_peak_mb": child_mb, "counts": report.counts}), flush=True)


def folder_mb(folder: Path) -> float:
    """The size of the files under ``folder``, in MB."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def measure(corpus_dir: Path, cap: float, html: bool, keep: Path | None = None) -> dict:
    """Build ``corpus_dir`` in a subprocess; print and return its stages (and the store's size).

    With ``keep``, the build is written there and left for ``bench_store.py --builds``.
    """
    out = keep if keep is not None else Path(tempfile.mkdtemp(prefix="ikg-build-")) / "out"
    load_before = os.getloadavg()
    command = [sys.executable, __file__, "--child", str(corpus_dir), str(out), "--html" if html else "--no-html"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    stopper = threading.Timer(cap, process.kill)
    stopper.start()
    rows = []
    try:
        for line in process.stdout:
            if line.startswith("STAGE "):
                row = json.loads(line[6:])
                rows.append(row)
                child = f"  (validation process: {row['child_peak_mb']:.0f} MB)" if "child_peak_mb" in row else ""
                print(f"   {row['stage']:<22} {row['seconds']:>9.2f} {row['peak_mb']:>12.0f}{child}", flush=True)
    finally:
        stopper.cancel()
        process.kill()
        process.wait()
    finished = bool(rows) and rows[-1]["stage"] == "total"
    sizes = {"store_mb": folder_mb(out / "store"), "nt_mb": (out / "graph.nt").stat().st_size / 1e6} if finished else {}
    if keep is None:
        shutil.rmtree(out.parent, ignore_errors=True)
    if not finished:
        print(f"   stopped after {cap:.0f} s (a miss)", flush=True)
    else:
        print(f"   store {sizes['store_mb']:.0f} MB on disk, graph.nt {sizes['nt_mb']:.0f} MB; load average "
              f"{load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after", flush=True)
    return {"stages": rows, "finished": finished, "wall_s": time.perf_counter() - started,
            "loadavg_before": load_before, "loadavg_after": os.getloadavg(), **sizes}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--work", type=Path, default=Path("/tmp/incidentkg-bench"))
    parser.add_argument("--cap", type=float, default=300.0, help="seconds before a build is stopped (a miss)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--html", action=argparse.BooleanOptionalAction, default=True, help="also draw graph.html")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)  # internal: build in this process
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="write each build to KEEP/build-<size> and leave it there")
    args = parser.parse_args(argv)
    if args.child:
        run_build(*args.child, html=args.html)
        return
    from generate import ensure_corpus, parse_size

    results = []
    for size in (s.strip() for s in args.sizes.split(",")):
        corpus_dir = args.work / f"corpus-{size}"
        info = ensure_corpus(parse_size(size), corpus_dir, args.seed)
        print(f"\n== build {size} ({info['articles']} articles)", flush=True)
        print(f"   {'stage':<22} {'seconds':>9} {'peak RSS MB':>12}", flush=True)
        keep = args.keep / f"build-{size}" if args.keep else None
        results.append({"size": size, **measure(corpus_dir, args.cap, args.html, keep)})
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
