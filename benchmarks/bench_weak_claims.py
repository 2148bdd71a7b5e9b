"""Time the weak-claim check of `incidentkg validate` on a generated corpus.

    python benchmarks/generate.py --triples 100k --out /tmp/corpus-100k
    python benchmarks/bench_weak_claims.py /tmp/corpus-100k

Prints the triple and claim counts, the seconds the check took (best of three) and the load
averages before and after.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from incidentkg.ontology.annotations import load_corpus
from incidentkg.ontology.mapping import corpus_triples
from incidentkg.ontology.validate import weak_claims
from incidentkg.ontology.vocab import IKG


def main(folder: Path) -> None:
    triples = list(corpus_triples(load_corpus(folder)))
    claims = sum(1 for _, p, _ in triples if p == IKG.quote)
    print(f"load average before: {os.getloadavg()}")
    times = []
    for _ in range(3):
        started = time.perf_counter()
        warnings = weak_claims(triples)
        times.append(time.perf_counter() - started)
    print(f"{len(triples):,} triples, {claims:,} claims, {len(warnings):,} warnings: "
          f"weak_claims best {min(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
