"""The main job as one library call: seeds in, a folder of graph files out.

>>> import tempfile
>>> report = build(out_dir=tempfile.mkdtemp())
>>> report.counts["articles"]
5
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib import RDF

from .config import DEFAULT_OUT
from .exceptions import AnnotationError, BuildError
from .export import export, exporter_class
from .export.page import write_graph_page
from .graph.index import write_index
from .graph.ordered import ANSWERS_DIR, TIMELINE_FILE, write_answers, write_timeline
from .graph.output import check_replaceable, replacing
from .graph.questions import timeline_entries
from .graph.serialize import ntriples, turtle
from .graph.store import DUMP_FILE, GRAPH_FILE, STORE_DIR, in_memory_store, split_lines, write_store
from .graph.views import gc_paused
from .graph.whole import COMMANDS_DIR, write_command_answers
from .ontology.annotations import Problem, load_corpus
from .ontology.mapping import corpus_triples, left_out_triples
from .ontology.prefixes import PREFIX_MAP
from .ontology.schema import load_ontology
from .ontology.validate import validate_graph
from .ontology.vocab import IKG
from .seeds import SEEDS_DIR

HTML_FILE = "graph.html"


@dataclass
class BuildReport:
    """What a build made, and the problems of the input files it left out (``keep_going``)."""

    out_dir: Path
    counts: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)  # the export files, as paths in ``out_dir``


T = TypeVar("T")
Progress = Callable[[str, int, int], None]
"""A build reports its progress as ``(stage, done, total)``; ``done == total`` ends a stage."""


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def count_kinds(triples: Iterable[tuple]) -> dict[str, int]:
    """How many articles, entities, incidents, events and claims the data of a graph holds.

    Counts the typed resources of the data namespace (``rdf:type`` of an ``ikg:`` class).
    """
    ontology = load_ontology()
    kinds = {"articles": IKG.Article, "incidents": IKG.Incident, "events": IKG.Event, "claims": IKG.Claim}
    counts = dict.fromkeys(["articles", "entities", "incidents", "events", "claims"], 0)
    typed = {(node, cls) for node, predicate, cls in triples
             if predicate == RDF.type and str(cls).startswith(IKG._NS) and not str(node).startswith(IKG._NS)}
    for _, cls in typed:
        for name, ancestor in kinds.items():
            if ontology.is_a(cls, ancestor):
                counts[name] += 1
                break
        else:
            if ontology.is_a(cls, IKG.Thing):
                counts["entities"] += 1
    return counts


def build(seeds_dir: Path | str = SEEDS_DIR, out_dir: Path | str = DEFAULT_OUT, *, html: bool = True,
          exports: Sequence[str] = (), keep_going: bool = False, progress: Progress = _quiet) -> BuildReport:
    """Map the articles of ``seeds_dir`` and write the graph files to ``out_dir``.

    Writes ``graph.ttl`` (ontology and data), ``graph.nt`` (sorted N-Triples), the Oxigraph
    ``store/``, ``timeline.jsonl`` and ``answers/`` (the timeline in time order and the answers
    of the saved queries without parameters, :mod:`.graph.ordered`), ``index.sqlite`` and
    ``index.arrays`` (the nodes, their links as arrays of numbers, and the bound answers'
    places, :mod:`.graph.index`), ``commands/`` (the answers
    of ``graph rank``, ``communities`` and ``as-of``, :mod:`.graph.whole`) and ``graph.html`` into a
    new folder, and switches ``out_dir`` to it at the end
    (:mod:`.graph.output`): ``out_dir`` is always the previous complete build or the new one.
    A build that fails writes nothing. ``progress`` is called as each stage advances (the
    command line draws it as progress bars).

    Parameters
    ----------
    exports : sequence of str
        Export formats (:data:`.export.FORMATS`) to write beside ``graph.ttl``, under their
        default names, before the switch: a build is complete with its exports or not at all.
    keep_going : bool
        Build the articles that load even when others do not; the graph then says which files
        it left out and why (``ikg:LeftOutFile``), and so does the page.

    Raises
    ------
    AnnotationError
        When an input file has a problem (with ``keep_going``: when the catalog is broken or no
        article loads).
    BuildError
        When ``out_dir`` may not be replaced or written, or the built graph does not pass
        validation.
    """
    check_replaceable(out_dir)  # before the work, not after it
    for name in exports:
        exporter_class(name)  # an unknown format fails before the work too
    # A build holds millions of objects and makes no cycles worth collecting; each full
    # collection walks all of them (half of the mapping time at a million triples).
    with gc_paused():
        return _build(Path(seeds_dir), Path(out_dir), html, tuple(exports), keep_going, progress)


def _build(seeds_dir: Path, out_dir: Path, html: bool, exports: tuple[str, ...], keep_going: bool,
           progress: Progress) -> BuildReport:
    corpus = load_corpus(seeds_dir, progress=progress)
    left_out = corpus.problems
    if left_out and not keep_going:
        raise AnnotationError(left_out)
    with _stage(progress, "mapping"):
        triples = list(corpus_triples(corpus))
        triples.extend(left_out_triples(left_out, seeds_dir))
    del corpus
    # Validation only reads the triples: it runs beside the writing, and nothing is swapped in
    # until it has passed.
    progress("validating", 0, 1)
    validation = _in_child_process(validate_graph, triples)
    counts = count_kinds(triples)
    with _stage(progress, "writing N-Triples"):
        data = ntriples(triples)
    del triples  # from here on the graph lives in the N-Triples and the store
    counts["triples"] = data.count(b"\n")
    pieces = split_lines(data)  # the store loads them side by side
    del data

    with replacing(out_dir) as staging:
        with (staging / DUMP_FILE).open("wb") as dump:
            dump.writelines(pieces)
        # Oxigraph loads the store without holding the GIL: Python writes the Turtle meanwhile.
        with ThreadPoolExecutor(max_workers=1) as loader:
            progress("loading the store", 0, 1)
            loaded = loader.submit(write_store, pieces, staging / STORE_DIR)
            with _stage(progress, "writing Turtle"):
                (staging / GRAPH_FILE).write_bytes(turtle(pieces, PREFIX_MAP))
            loaded.result()
            progress("loading the store", 1, 1)
        # The timeline, the page and the exports read most of the graph: from a copy in memory.
        memory = in_memory_store(pieces)
        # The whole-graph commands (rank, communities, as-of) are answered beside the rest:
        # networkx's work is one core's, and validation has mostly finished by now.
        progress("answering whole-graph commands", 0, 1)
        commands = _in_child_process(write_command_answers, memory, staging / COMMANDS_DIR)
        with _stage(progress, "ordering the timeline"):
            write_timeline(timeline_entries(memory), staging / TIMELINE_FILE)
            write_answers(memory, staging / ANSWERS_DIR)
        with _stage(progress, "indexing links and bound answers"):
            write_index(memory, staging)
        if html:
            with _stage(progress, "drawing the page"):
                write_graph_page(memory, staging / HTML_FILE)
        written = []
        for name in exports:
            with _stage(progress, f"exporting {name}"):
                written += export(memory, name, staging / exporter_class(name).default_path)
        del pieces, memory
        commands()
        progress("answering whole-graph commands", 1, 1)
        problems = validation()
        progress("validating", 1, 1)
        if problems:
            raise BuildError("the built graph is invalid:\n" + "\n".join(problems))
    return BuildReport(out_dir, counts, left_out, [out_dir / path.relative_to(staging) for path in written])


def _in_child_process(function: Callable[..., T], *args) -> Callable[[], T]:
    """Start ``function(*args)`` in a forked process; return a call that waits for its result.

    A forked child sees the parent's memory as it was, so large arguments are not copied or
    pickled; only the result comes back. Where processes cannot fork, it runs here and now.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        value = function(*args)
        return lambda: value
    receive, send = multiprocessing.Pipe(duplex=False)

    def run() -> None:
        try:
            send.send((True, function(*args)))
        except BaseException as error:  # the parent re-raises it
            send.send((False, f"{type(error).__name__}: {error}"))
        # Leave at once: a normal exit flushes stdio, whose locks another thread of the parent
        # (a progress bar) may have held at the fork, and the child would wait for ever.
        os._exit(0)

    child = multiprocessing.get_context("fork").Process(target=run, daemon=True)
    child.start()
    send.close()

    def result() -> T:
        try:
            ok, value = receive.recv()
        except EOFError:
            raise RuntimeError(f"{function.__name__} died in its process (exit code {child.exitcode})") from None
        finally:
            child.join()
        if not ok:
            raise RuntimeError(f"{function.__name__} failed in its process: {value}")
        return value

    return result


@contextmanager
def _stage(progress: Progress, name: str) -> Iterator[None]:
    progress(name, 0, 1)
    yield
    progress(name, 1, 1)
