"""How fast the command line starts: whole processes, median of N runs.

Targets (issue 11): ``incidentkg --help`` under 0.25 s, and a one-article saved query on the
seed graph (``incidentkg query @article-claims --param article=...``) under 0.5 s. The baseline,
run in the same process, is a bare ``python -c pass``: the interpreter's own start, which no
change of ours can remove.

Run with the interpreter of the virtualenv incidentkg is installed in::

    .venv/bin/python benchmarks/bench_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"--help": 0.25, "query @article-claims": 0.5}


def timed(command: list[str], cwd: Path, runs: int) -> float:
    """The median wall time of ``runs`` runs of ``command``, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    script = Path(sys.executable).with_name("incidentkg")  # the console script, as a user runs it
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "incidentkg"]
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        subprocess.run([*cli, "build", "--no-html"], cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        print(f"load average at start: {os.getloadavg()}, {runs} runs each")
        baseline = timed([sys.executable, "-c", "pass"], cwd, runs)
        print(f"{'python -c pass (baseline)':<28} {baseline * 1000:7.0f} ms")
        commands = {
            "--help": [*cli, "--help"],
            "query @article-claims": [*cli, "query", "@article-claims", "--param",
                                      "article=id:article/001_b53a57626e27720d"],
        }
        for name, command in commands.items():
            median = timed(command, cwd, runs)
            verdict = "met" if median < TARGETS[name] else "MISSED"
            print(f"{'incidentkg ' + name:<28} {median * 1000:7.0f} ms  {median / baseline:5.1f}x baseline  "
                  f"target {TARGETS[name] * 1000:.0f} ms: {verdict}")
        print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
