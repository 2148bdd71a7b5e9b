"""benchmarks/bench_serve.py judges the issue's targets from what it measured (no server run here)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))

from bench_serve import target_lines  # noqa: E402

A, RO = "A incidentkg serve", "oxigraph serve-read-only"


def test_every_target_is_judged_on_the_numbers_of_the_run():
    results = [
        {"query": "q", "target": A, "clients": 4, "rps": 5.0, "p50_ms": 9, "p99_ms": 20, "failed": 0, "requests": 16},
        {"query": "q", "target": RO, "clients": 4, "rps": 4.0, "p50_ms": 9, "p99_ms": 20, "failed": 0, "requests": 16},
        {"query": "big", "target": A, "clients": 4, "rps": 1.0, "p50_ms": 9, "p99_ms": 20, "failed": 1, "requests": 16},
        {"query": "big", "target": RO, "clients": 4, "rps": 2.0, "p50_ms": 9, "p99_ms": 20, "failed": 0, "requests": 16},
        {"query": "q", "target": A, "clients": 1, "overhead_p50_ms": 0.5, "overhead_serialised_p50_ms": 0.2, "pairs": 16},
        {"query": "big", "target": A, "clients": 1, "overhead_p50_ms": 12.0, "overhead_serialised_p50_ms": 1.5,
         "pairs": 16},
        {"query": "p during a timeout", "target": A, "clients": 4, "p50_ms": 100, "p99_ms": 260.4, "failed": 0,
         "requests": 16},
    ]
    overhead, throughput, failures, during = target_lines(results)
    assert overhead == ("HTTP overhead < 2 ms at p50 over in process: over iterated q +0.5 ms, big +12.0 ms: missed; "
                        "over serialised q +0.2 ms, big +1.5 ms: met")
    assert throughput == f"4 clients, req/s at least {RO}'s: q 5.0 vs 4.0, big 1.0 vs 2.0: missed"
    assert failures == "no failed request: 1 failed of 48: missed"
    assert during == "others' p99 < 250 ms during a timed-out query: 260.4 ms: missed"


def test_a_target_the_run_did_not_measure_says_so():
    lines = target_lines([{"query": "q", "target": RO, "clients": 4, "rps": 4.0, "failed": 0, "requests": 16}])
    assert all(line.endswith("not measured") or "not measured (" in line for line in lines)
