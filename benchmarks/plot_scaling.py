"""How each cost grows with the data: a table and a log-log plot from one bench_build and one bench_store run.

    python benchmarks/plot_scaling.py --build build.json [more.json] --store store.json [more.json] --out benchmarks/scaling.png

Prints a Markdown table (one row per measure, one column per size, and the growth exponent
between each two consecutive sizes: 1.0 is linear, above 1 grows faster than the data) and draws the
same measures against the triple count on log-log axes, with a line of slope 1 for comparison.
Needs matplotlib (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

# (label, unit, how to read it from one size's build and store reports)
SERIES = (
    ("build time", "s", lambda b, s: _stage(b, "total", "seconds")),
    ("build peak memory", "MB", lambda b, s: _stage(b, "total", "peak_mb")),
    ("store size", "MB", lambda b, s: s["store_mb"]),
    ("store load (write_store)", "s", lambda b, s: s["load"]["write_store"]["seconds"]),
    ("store load (bare Store.bulk_load)", "s", lambda b, s: s["load"]["bare Store.bulk_load"]["seconds"]),
    ("name lookup", "ms", lambda b, s: _command(s, "find_entity (name lookup)")),
    ("@article-claims (bound p50)", "ms", lambda b, s: _bound(s, "@article-claims")),
    ("@entities-by-alias (bound p50)", "ms", lambda b, s: _bound(s, "@entities-by-alias")),
    ("graph sources NAME (bound p50)", "ms", lambda b, s: _bound(s, "graph sources NAME")),
    ("graph neighbours NAME (bound p50)", "ms", lambda b, s: _bound(s, "graph neighbours NAME")),
    ("graph path A B (bound p50)", "ms", lambda b, s: _bound(s, "graph path A B")),
    ("graph timeline --from --to (bound p50)", "ms", lambda b, s: _bound(s, "graph timeline --from --to")),
    ("graph sources NAME (hub)", "ms", lambda b, s: _command(s, "graph sources NAME")),
    ("graph contradictions", "ms", lambda b, s: _command(s, "graph contradictions")),
    ("graph timeline --limit 50", "ms", lambda b, s: _page(s, "command", "graph timeline --limit 50")),
    ("graph rank --limit 50", "ms", lambda b, s: _page(s, "command", "graph rank --limit 50")),
    ("@timeline first page", "ms", lambda b, s: _page(s, "query", "timeline")),
    ("@sources first page", "ms", lambda b, s: _page(s, "query", "sources")),
    ("view knowledge_graph (memory)", "ms", lambda b, s: _view(s, "knowledge_graph")),
)


def _stage(build: dict, stage: str, key: str) -> float | None:
    return next((row[key] for row in build["stages"] if row["stage"] == stage), None)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def _command(store: dict, name: str) -> float | None:
    return _ms(next((c.get("seconds") for c in store.get("commands", ()) if c["command"] == name), None))


def _page(store: dict, key: str, name: str) -> float | None:
    """The first page of the saved query (``key`` "query") or graph command ("command") ``name``."""
    return _ms(next((q.get("seconds") for q in store.get("pages", ()) if q.get(key) == name), None))


def _bound(store: dict, name: str) -> float | None:
    return _ms(next((q.get("p50_s") for q in store.get("bound", ()) if q["question"] == name), None))


def _view(store: dict, name: str) -> float | None:
    return _ms(next((v.get("seconds") for v in store.get("views", ()) if v["view"] == name), None))


def merged(paths: list[Path]) -> list[dict]:
    """The reports of several ``bench_store.py --json`` runs (``--sections`` apart), one per size,
    in the order the sizes first appear; a later run's sections replace an earlier one's."""
    sizes: dict[str, dict] = {}
    for path in paths:
        for report in json.loads(path.read_text()):
            sizes.setdefault(report["size"], {}).update(report)
    return list(sizes.values())


def exponent(xs: list[float], ys: list[float | None], at: int = -1) -> float | None:
    """The slope of log y against log x from size ``at - 1`` to size ``at`` (default: the two largest).

    >>> round(exponent([1e5, 1e6], [2.0, 20.0]), 2)
    1.0
    """
    if len(xs) < 2 or ys[at] is None or ys[at - 1] is None or min(ys[at], ys[at - 1]) <= 0:
        return None
    return math.log(ys[at] / ys[at - 1]) / math.log(xs[at] / xs[at - 1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, nargs="+", required=True, help="bench_build.py --json outputs")
    parser.add_argument("--store", type=Path, nargs="+", required=True, help="bench_store.py --json outputs")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("scaling.png"))
    args = parser.parse_args(argv)
    builds = {b["size"]: b for path in args.build for b in json.loads(path.read_text())}
    stores = sorted((s for s in merged(args.store) if s["size"] in builds), key=lambda s: s["triples"])
    sizes = [s["size"] for s in stores]
    xs = [s["triples"] for s in stores]
    table = {label: (unit, [read(builds[s["size"]], s) for s in stores]) for label, unit, read in SERIES}

    steps = range(1, len(sizes))
    print("| measure | " + " | ".join(f"{size} ({x:,} triples)" for size, x in zip(sizes, xs)) + " | "
          + " | ".join(f"exponent {sizes[i - 1]}→{sizes[i]}" for i in steps) + " |")
    print("| --- | " + " | ".join("---:" for _ in sizes) + " | " + " | ".join("---:" for _ in steps) + " |")
    for label, (unit, ys) in table.items():
        slopes = [exponent(xs[: i + 1], ys[: i + 1]) for i in steps]
        cells = " | ".join("-" if y is None else f"{y:,.1f} {unit}" if y >= 1 else f"{y:.3f} {unit}" for y in ys)
        print(f"| {label} | {cells} | " + " | ".join("-" if e is None else f"{e:.2f}" for e in slopes) + " |")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 6), dpi=110)
    axes.set_prop_cycle(color=plt.cm.tab20.colors)
    for label, (unit, ys) in table.items():
        points = [(x, y) for x, y in zip(xs, ys) if y is not None and y > 0]
        if points:
            axes.plot(*zip(*points), marker="o", label=f"{label} ({unit})")
    first = xs[0]
    axes.plot(xs, [x / first for x in xs], linestyle="--", color="grey", label="slope 1 (linear), from 1")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("triples")
    axes.set_ylabel("cost (unit in the legend)")
    axes.set_title("incidentkg: cost against graph size (one run per size, 2-core shared machine)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7, loc="upper left")
    figure.tight_layout()
    figure.savefig(args.out, metadata={"Software": None})
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
