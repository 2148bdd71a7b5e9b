"""The ``incidentkg`` command line: a thin typer skin over the library.

Errors a user can cause print one line (``Error: seeds/001.yaml:14: claim c3 has no claimant``)
and exit with 1 (bad input) or 2 (bad usage, such as a malformed query); tracebacks are for bugs.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from .config import DEFAULT_OUT
from .exceptions import AnnotationError, IncidentKGError, UsageError
from .export import FORMATS as EXPORT_FORMATS  # a table of names: the formats import on use
from .seeds import SEEDS_DIR

# The CLI must start at once: modules that pull in networkx, numpy, rdflib's SPARQL engine or the
# page writer are imported inside the commands that use them, never here.

EXIT_CODES: dict[type[BaseException], int] = {UsageError: 2, IncidentKGError: 1}
"""Exit code of each error class, looked up along the raised error's MRO."""


def exit_code(error: BaseException) -> int:
    """The exit code :data:`EXIT_CODES` gives ``error`` (1 for any other incidentkg error)."""
    return next((EXIT_CODES[cls] for cls in type(error).__mro__ if cls in EXIT_CODES), 1)


def report_errors(command: Callable) -> Callable:
    """Run ``command``; an :class:`IncidentKGError` becomes ``Error: ...`` lines and its exit code."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except IncidentKGError as error:
            problems = error.problems if isinstance(error, AnnotationError) else [error]
            for problem in problems:
                typer.echo(f"Error: {problem}", err=True)
            raise typer.Exit(exit_code(error)) from None
    return run


app = typer.Typer(
    help="Turn news articles about cyber incidents into a timeline knowledge graph with provenance.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)

DataOption = typer.Option(DEFAULT_OUT, "--data", help="Folder a build wrote (graph.ttl, store/).")
TimeoutOption = typer.Option(30.0, "--timeout", help="Stop a query after this many seconds (0: no limit).")
AllowServiceOption = typer.Option(False, "--allow-service", help="Let SERVICE clauses query other endpoints.")
FormatOption = typer.Option("table", "--format", "-f", help="table, json or csv (json and csv stream every row).")
LimitOption = typer.Option(None, "--limit", help="At most this many rows (default: all; 50 in a table on a terminal).")
OffsetOption = typer.Option(0, "--offset", help="Skip this many rows first.")
FORMATS = ("table", "json", "csv")
PAGE = 50
"""Rows a table on a terminal shows when no --limit is given."""


def command(group: typer.Typer, name: str, **options) -> Callable[[Callable], Callable]:
    """Register a sub-command of ``group`` whose incidentkg errors are reported by :func:`report_errors`."""
    def register(function: Callable) -> Callable:
        group.command(name, **options)(report_errors(function))
        return function
    return register


def parse_params(params: list[str]) -> dict[str, str]:
    """``["name=value", ...]`` as a dict; a malformed item is a usage error."""
    parsed = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param wants name=value, got {item!r}")
        parsed[name.lstrip("?$")] = value
    return parsed


def check_format(fmt: str) -> str:
    """``fmt`` if it is one of :data:`FORMATS`; a usage error otherwise."""
    if fmt not in FORMATS:
        raise UsageError(f"--format must be {', '.join(FORMATS[:-1])} or {FORMATS[-1]}, not {fmt!r}")
    return fmt


def check_page(limit: Optional[int], offset: int) -> None:
    """A usage error unless ``limit`` (if given) and ``offset`` are at least 0."""
    if (limit is not None and limit < 0) or offset < 0:
        raise UsageError(f"--limit and --offset must be 0 or more, got {limit} and {offset}")


def parse_day(text: Optional[str], option: str) -> Optional[date]:
    """``YYYY-MM-DD`` as a date (``None`` stays ``None``); anything else is a usage error."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} wants a date YYYY-MM-DD, got {text!r}") from None


@contextmanager
def progress_bars(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback ``(stage, done, total)`` that draws one bar per stage on stderr (or nothing)."""
    if not enabled:
        yield lambda stage, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bars

    tasks: dict[str, int] = {}
    with Bars(TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
              console=Console(stderr=True)) as bars:
        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage, total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield advance


@command(app, "build")
def build_command(
    seeds: Path = typer.Option(SEEDS_DIR, "--seeds", help="Folder of articles and annotations."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder to write the graph files to."),
    html: bool = typer.Option(True, "--html/--no-html", help="Also draw graph.html."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Draw progress bars (default: when stderr is a terminal)."),
    keep_going: bool = typer.Option(False, "--keep-going", help="Build the articles that load; the graph "
                                    "and the page say which files were left out and why (exit 1)."),
    export: Optional[str] = typer.Option(None, "--export", help="Also write these formats, e.g. stix,csv "
                                                                "(see 'incidentkg export')."),
) -> None:
    """Map the articles to RDF and write graph.ttl, graph.nt, store/ and graph.html.

    A build that fails writes nothing: OUT stays the previous complete build.
    """
    from .pipeline import build

    formats = [name.strip() for name in (export or "").split(",") if name.strip()]
    with progress_bars(sys.stderr.isatty() if progress is None else progress) as advance:
        report = build(seeds, out, html=html, exports=formats, keep_going=keep_going, progress=advance)
    counts = report.counts
    typer.echo(f"Wrote {report.out_dir}/: {counts['articles']} articles, {counts['entities']} entities, "
               f"{counts['incidents']} incidents, {counts['events']} events, {counts['claims']} claims, "
               f"{counts['triples']} triples.")
    for path in report.exports:
        typer.echo(f"Wrote {path}")
    if report.problems:
        for problem in report.problems:
            typer.echo(f"Error: {problem}", err=True)
        typer.echo(f"Error: {len({p.path for p in report.problems})} file(s) left out; the graph holds the "
                   "other articles and names them (ikg:LeftOutFile).", err=True)
        raise typer.Exit(1)


@command(app, "validate")
def validate_command(out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder a build wrote.")) -> None:
    """Check a built graph against the SHACL shapes and every quote against its article."""
    from rdflib import Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax

    from .ontology.validate import validate_graph, weak_claims

    turtle = out / "graph.ttl"
    if not turtle.exists():
        raise UsageError(f"{turtle}: not found; run 'incidentkg build --out {out}' first")
    try:
        graph = Graph().parse(turtle, format="turtle")
    except BadSyntax as error:
        raise IncidentKGError(f"{turtle}:{error.lines + 1}: bad Turtle: {error._why}") from None
    problems = validate_graph(graph)
    for problem in problems:
        typer.echo(f"Error: {problem}", err=True)
    for warning in weak_claims(graph):  # claims whose words do not name whom they accuse
        typer.echo(f"Warning: {warning}", err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{turtle}: valid (SHACL shapes and quotes).")


@command(app, "query")
def query_command(
    query: str = typer.Argument(..., help="SPARQL text, a path to a .rq file, or @name of a saved query."),
    data: Path = DataOption,
    fmt: str = FormatOption,
    param: list[str] = typer.Option([], "--param", "-p", help="Bind a variable: name=value (repeatable)."),
    limit: Optional[int] = LimitOption, offset: int = OffsetOption,
    timeout: float = TimeoutOption,
    allow_service: bool = AllowServiceOption,
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help="Ask this SPARQL 1.1 endpoint instead of --data."),
) -> None:
    """Run a SPARQL query on a built graph, or on any SPARQL endpoint with --endpoint."""
    from .graph.limits import check_query, run_with_timeout
    from .graph.ordered import saved_answer
    from .graph.output import current_build
    from .graph.parameters import bind, parameter_kinds
    from .graph.sparql import resolve_query, results_json, rows, with_page
    from .graph.store import open_data

    check_format(fmt)
    check_page(limit, offset)
    text = check_query(resolve_query(query), allow_service)
    params = parse_params(param)
    if endpoint:
        from .serve.client import remote_query

        typer.echo(remote_query(endpoint, with_page(text, limit, offset), fmt, params, timeout))
        return
    folder = current_build(data)  # once: the store and the answers come from one build
    source = open_data(folder)
    terms = bind(source, params, parameter_kinds(text))
    # A whole-graph question the build answered (in order), or a window of its timeline, is read,
    # not evaluated again.
    written = saved_answer(folder, query[1:], terms) if fmt != "json" and query.startswith("@") else None
    if written is not None:
        def answer() -> None:
            print_rows(written, fmt, limit, offset)
    elif fmt == "json":  # the W3C results format, streamed by Oxigraph; the page is the engine's
        def answer() -> None:
            sys.stdout.flush()
            results_json(source, with_page(text, limit, offset), terms, output=sys.stdout.buffer)
            sys.stdout.buffer.write(b"\n")
    else:
        def answer() -> None:
            print_rows(rows(source, text, terms), fmt, limit, offset)
    run_with_timeout(answer, timeout)


@command(app, "queries")
def queries_command() -> None:
    """List the saved SPARQL queries (run one with 'incidentkg query @name')."""
    from .graph.sparql import saved_queries

    for query in saved_queries().values():
        params = f"  [params: {', '.join(query.parameters)}]" if query.parameters else ""
        typer.echo(f"@{query.name:<22} {query.title}{params}")


# --------------------------------------------------------------------------- incidentkg graph

class TimedGroup(typer.core.TyperGroup):
    """A command group whose sub-commands run under the group's ``--timeout``."""

    def invoke(self, ctx):
        from .graph.limits import run_with_timeout

        return report_errors(run_with_timeout)(super().invoke, ctx.params.get("timeout"), ctx)


graph_app = typer.Typer(help="Ask the graph: neighbours, paths, rank, timeline, contradictions, sources...",
                        no_args_is_help=True, cls=TimedGroup)
app.add_typer(graph_app, name="graph")

# How the graph commands of this run treat drafted items (set by `incidentkg graph --drafts`),
# and the drafted items of the store they opened.
_drafts = {"mode": "show", "review": {}}


@graph_app.callback()
def graph_options(
    drafts: str = typer.Option("show", "--drafts", help="show: drafted items marked with a status column; "
                                                        "hide: left out."),
    timeout: float = TimeoutOption,
) -> None:
    """Ask the graph: neighbours, paths, rank, timeline, contradictions, sources...

    The options come before the sub-command (``incidentkg graph --timeout 10 rank``); --timeout
    is applied by :class:`TimedGroup`.
    """
    _drafts.update(mode=drafts, review={})


def open_source(data: Path, *, in_memory: bool = False):
    """The store a build wrote in ``data`` (loaded into memory for whole-graph reads), with its
    drafted items noted."""
    from .graph.drafts import check_mode, review_table
    from .graph.store import open_data

    check_mode(_drafts["mode"])
    source = open_data(data, in_memory=in_memory)
    _drafts["review"] = review_table(source)
    return source


def bound_source(data: Path):
    """``(source, index)`` of ``data`` for a command bound to one entity: the store
    (:func:`open_source`) and the lookup index its build wrote (None if it wrote none this
    version reads), resolved once so that both come from one build."""
    from .graph.index import open_index
    from .graph.output import current_build

    folder = current_build(data)
    return open_source(folder), open_index(folder)


def find_entity(source, name: str, index=None) -> str:
    """The IRI of the entity ``name`` names (label, alias, id or IRI; the key looked up in the
    build's lookup ``index`` if given); not a draft under ``--drafts hide``."""
    from .exceptions import EntityNotFound
    from .graph.questions import find_entity

    iri = find_entity(source, name, index=index)
    if iri in hidden():
        raise EntityNotFound(f"{name!r} names a draft, which --drafts hide leaves out")
    return iri


def knowledge_graph(source):
    """The networkx knowledge graph of ``source`` (without drafts under ``--drafts hide``)."""
    from .graph.drafts import without_drafts
    from .graph.views import knowledge_graph

    graph = knowledge_graph(source)
    return without_drafts(graph, _drafts["review"]) if _drafts["mode"] == "hide" else graph


def hidden() -> set[str]:
    """The nodes a local walk leaves out: the drafts under ``--drafts hide``, else none."""
    from .graph.drafts import drafts_in

    return drafts_in(_drafts["review"]) if _drafts["mode"] == "hide" else set()


def whole_graph_source(data: Path):
    """``(build folder, source)`` of ``data`` for a whole-graph command, resolved once so that
    the store and the answers the build wrote come from one build."""
    from .graph.output import current_build

    folder = current_build(data)
    return folder, open_source(folder)


def stored_rows(folder: Path, command: str, limit: Optional[int] = None):
    """The rows of the whole-graph ``command`` the build in ``folder`` wrote (at most ``limit``),
    or ``None`` when it wrote none or ``--drafts hide`` asks for the graph without drafts,
    which the build did not rank."""
    from .graph.whole import stored_rows

    return None if _drafts["mode"] == "hide" else stored_rows(folder, command, limit)


def print_rows(rows, fmt: str, limit: Optional[int] = None, offset: int = 0) -> None:
    """Print ``rows`` (any iterable) from ``offset`` on, at most ``limit`` of them, as a table,
    JSON or CSV, drafts marked or left out (``incidentkg graph --drafts``). JSON and CSV stream;
    a table on a terminal without ``limit`` shows the first :data:`PAGE` rows and says how many
    more there are."""
    from itertools import islice

    from .graph.sparql import write_rows

    check_format(fmt)
    check_page(limit, offset)
    if _drafts["review"] or _drafts["mode"] == "hide":
        from .graph.drafts import mark_rows

        rows = mark_rows(rows, _drafts["review"], _drafts["mode"])
    page = PAGE if fmt == "table" and limit is None and sys.stdout.isatty() else None
    more = write_rows(islice(rows, offset, None if limit is None else offset + limit), fmt, sys.stdout, page=page)
    if more:
        typer.echo(f"... {more:,} more rows (--offset {offset + PAGE} for the next page; "
                   "--format csv or json for all)", err=True)


@command(graph_app, "neighbours")
def neighbours_command(name: str, depth: int = typer.Option(1, "--depth", "-k", min=0),
                       data: Path = DataOption, fmt: str = FormatOption,
                       limit: Optional[int] = LimitOption, offset: int = OffsetOption) -> None:
    """Everything within DEPTH links of an entity."""
    from .graph import questions

    source, index = bound_source(data)
    print_rows(questions.neighbours(source, find_entity(source, name, index), depth, leave_out=hidden(), index=index),
               fmt, limit, offset)


@command(graph_app, "path")
def path_command(first: str, second: str, max_length: int = typer.Option(4, "--max-length", min=1),
                 data: Path = DataOption, fmt: str = FormatOption,
                 limit: Optional[int] = LimitOption, offset: int = OffsetOption) -> None:
    """The shortest path and the other simple paths between two entities, with their claims."""
    from .graph import questions

    source, index = bound_source(data)
    ends = find_entity(source, first, index), find_entity(source, second, index)
    print_rows(questions.paths(source, *ends, max_length, leave_out=hidden(), index=index), fmt, limit, offset)


@command(graph_app, "rank")
def rank_command(top: int = typer.Option(20, "--top", min=1), data: Path = DataOption, fmt: str = FormatOption,
                 limit: Optional[int] = LimitOption, offset: int = OffsetOption) -> None:
    """Actors by PageRank, with their betweenness."""
    from .graph import questions

    folder, source = whole_graph_source(data)
    # The build ranked the whole graph (drafts shown): read its answer, unless drafts are hidden.
    written = stored_rows(folder, "rank", top)
    print_rows(questions.rank(knowledge_graph(source), top) if written is None else written, fmt, limit, offset)


@command(graph_app, "communities")
def communities_command(data: Path = DataOption, fmt: str = FormatOption,
                        limit: Optional[int] = LimitOption, offset: int = OffsetOption) -> None:
    """Communities of the knowledge graph (Louvain)."""
    from .graph import questions

    folder, source = whole_graph_source(data)
    written = stored_rows(folder, "communities")
    print_rows(questions.communities(knowledge_graph(source)) if written is None else written, fmt, limit, offset)


@command(graph_app, "ego")
def ego_command(name: str, radius: int = typer.Option(1, "--radius", "-k", min=0),
                data: Path = DataOption, fmt: str = FormatOption,
                limit: Optional[int] = LimitOption, offset: int = OffsetOption) -> None:
    """The nodes of an entity's ego graph."""
    from .graph import questions

    source, index = bound_source(data)
    graph = questions.ego(source, find_entity(source, name, index), radius, leave_out=hidden(), index=index)
    print_rows(({"label": d["label"], "type": d["type"], "iri": n} for n, d in sorted(graph.nodes(data=True))),
               fmt, limit, offset)


@command(graph_app, "timeline")
def timeline_command(start: Optional[str] = typer.Option(None, "--from"), end: Optional[str] = typer.Option(None, "--to"),
                     incident: Optional[str] = typer.Option(None, "--incident"),
                     data: Path = DataOption, fmt: str = FormatOption,
                     limit: Optional[int] = LimitOption, offset: int = OffsetOption) -> None:
    """Incidents, events and claims in time order."""
    from .graph import questions

    from .graph.ordered import timeline_file
    from .graph.output import current_build

    folder = current_build(data)  # once: the store and the ordered file come from one build
    source = open_source(folder)
    focus = find_entity(source, incident) if incident else None
    # The build wrote the timeline in order (builds before it did not): read it, not the graph.
    print_rows(questions.timeline(source, parse_day(start, "--from"), parse_day(end, "--to"), focus,
                                  ordered=timeline_file(folder)), fmt, limit, offset)


@command(graph_app, "as-of")
def as_of_command(day: str, data: Path = DataOption, fmt: str = FormatOption,
                  limit: Optional[int] = LimitOption, offset: int = OffsetOption) -> None:
    """The claims known on DAY: only those from articles published by then."""
    from .graph import questions
    from .graph.whole import stored_as_of

    folder, source = whole_graph_source(data)
    known = parse_day(day, "DAY")
    # The build wrote every claim with the day from which it is known (drafts are marked or
    # left out row by row, as before): a page is read, not computed.
    written = stored_as_of(folder, known)
    print_rows(questions.claims_as_of(source, known) if written is None else written, fmt, limit, offset)


@command(graph_app, "contradictions")
def contradictions_command(data: Path = DataOption, fmt: str = FormatOption,
                           pairwise: bool = typer.Option(False, "--pairwise",
                                                         help="One row per pair of claims that disagree."),
                           limit: Optional[int] = LimitOption, offset: int = OffsetOption) -> None:
    """Claims that cannot all be right: one row per conflict, each value with its claims,
    claimants and articles (or, with --pairwise, every disagreeing pair with its quotes)."""
    from .graph import questions

    print_rows(questions.contradictions(open_source(data), pairwise=pairwise), fmt, limit, offset)


@command(graph_app, "sources")
def sources_command(name: str, data: Path = DataOption, fmt: str = FormatOption,
                    limit: Optional[int] = LimitOption, offset: int = OffsetOption) -> None:
    """Which outlets and articles support, allege or deny what about an entity."""
    from .graph import questions

    source, index = bound_source(data)
    print_rows(questions.sources(source, find_entity(source, name, index), index=index), fmt, limit, offset)


# --------------------------------------------------------------------------- incidentkg export

@command(app, "export")
def export_command(
    fmt: str = typer.Argument(..., metavar="FORMAT", help=f"One of {', '.join(sorted(EXPORT_FORMATS))}."),
    data: Path = DataOption,
    out: Optional[Path] = typer.Option(None, "--out", help="File (folder for csv) to write; default: the format's "
                                                           "own name here (graph.stix.json, graph-csv/, ...)."),
    view: Optional[str] = typer.Option(None, "--view", help="gexf, graphml, csv: knowledge (default), accusations, "
                                                             "incident-actor, actors, co-mentions or timeline."),
    focus: Optional[str] = typer.Option(None, "--focus", help="html: only the neighbourhood of this entity."),
    depth: Optional[int] = typer.Option(None, "--depth", min=0, help="html: how many links around --focus (2)."),
    start: Optional[str] = typer.Option(None, "--from", help="html: items from this day on."),
    end: Optional[str] = typer.Option(None, "--to", help="html: items up to this day."),
) -> None:
    """Write the graph in a format other tools read: STIX 2.1, MISP, JSON-LD, GraphML, GEXF, CSV..."""
    from .export import export, exporter_class
    from .graph.index import open_index
    from .graph.output import current_build

    exporter = exporter_class(fmt)  # an unknown format fails before the store is opened
    folder = current_build(data)  # resolved once, so that the store and the index are of one build
    source = open_source(folder, in_memory=True)  # every format reads most of the graph
    options = {"focus": find_entity(source, focus) if focus else None, "depth": depth,
               "start": parse_day(start, "--from"), "end": parse_day(end, "--to"),
               "index": open_index(folder) if "index" in exporter.options else None}
    for path in export(source, fmt, out, view=view, **{k: v for k, v in options.items() if v is not None}):
        typer.echo(f"Wrote {path}")


# --------------------------------------------------------------------------- incidentkg review

@command(app, "review")
def review_command(
    corpus: Path = typer.Argument(..., help="A corpus folder (incidentkg ingest writes one)."),
    article: Optional[str] = typer.Argument(None, help="Only this article (its id, or its .txt/.yaml file name)."),
    accept_all: bool = typer.Option(False, "--accept-all", help="Accept every pending draft item, without asking."),
    accept: list[str] = typer.Option([], "--accept", help="Accept this item (<article id>/<item id>, or a bare "
                                                          "id when it is unambiguous); repeatable."),
) -> None:
    """Review draft annotations: accept, reject or fix what the extractor drafted.

    Without --accept-all or --accept, an interactive terminal flow shows each draft item with its
    words highlighted in the article: a accept, r reject, c/t/s/x fix claimant/type/stance/accused,
    n/p next/previous, q quit. Every decision is written to the annotation file at once.
    """
    from .review.drafts import ReviewSession

    session = ReviewSession(corpus, article)
    for problem in session.corpus.problems:  # a file that does not load cannot be reviewed
        typer.echo(f"Warning: {problem} (not reviewable until fixed)", err=True)
    if accept_all or accept:
        chosen = list(session.items) if accept_all else [session.find(name) for name in accept]
        for item in dict.fromkeys(chosen):
            session.accept(item)
            typer.echo(f"accepted {item.key}")
        typer.echo(f"{len(chosen)} item(s) accepted; {len(session.items)} still to review.")
        return
    if not session.items:
        typer.echo(f"{corpus}: no draft items to review.")
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the interactive review needs a terminal; use --accept-all or --accept ID in scripts")
    from .review.app import ReviewApp

    review = ReviewApp(session)
    review.run()
    for what, key in review.decisions:
        typer.echo(f"{what} {key}")


# --------------------------------------------------------------------------- incidentkg serve / push

@command(app, "serve")
def serve_command(
    data: Path = DataOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; beyond loopback, "
                             "$INCIDENTKG_TOKEN must hold the bearer token every request carries."),
    port: int = typer.Option(7878, "--port"),
    timeout: float = typer.Option(30.0, "--timeout", help="Stop a query after this many seconds of CPU, or 3 "
                                  "times that in wall-clock time (0: no limit)."),
    max_rows: int = typer.Option(100_000, "--max-rows", help="Refuse results with more rows (or triples)."),
    max_body: int = typer.Option(1 << 20, "--max-body", help="Refuse requests larger than this (bytes)."),
    workers: int = typer.Option(4, "--workers", help="Queries evaluated at once, each in a worker process "
                                "(killed at the --timeout)."),
    queue: int = typer.Option(64, "--queue", help="Requests that may wait for a worker; past that, 503."),
    renice_after: float = typer.Option(0.2, "--renice-after", help="Demote a query once it has used this many "
                                       "seconds of CPU: its worker's priority is lowered and a short query need not "
                                       "wait for it, so short queries go first (0: never; benchmarks/README.md)."),
    allow_update: bool = typer.Option(False, "--allow-update", help="Run SPARQL updates (in memory only)."),
    allow_service: bool = AllowServiceOption,
    log_level: str = typer.Option("warning", "--log-level", help="What the server logs to stderr: warning (answers "
                                  "cut short), info, or debug (also one line per request: its wait for a worker, "
                                  "CPU, waits for a core, page faults; each worker forked)."),
) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint (/sparql), with an offline query page (/)."""
    import logging
    import os

    import uvicorn

    from .serve.app import TOKEN_VARIABLE, HandingProtocol, Limits, create_app, is_loopback, load_graph

    token = os.environ.get(TOKEN_VARIABLE) or None
    if not is_loopback(host) and not token:
        raise UsageError(f"--host {host} is not a loopback address: set ${TOKEN_VARIABLE} to the bearer "
                         "token that every request must then carry")
    if log_level.lower() not in ("warning", "info", "debug"):
        raise UsageError(f"--log-level must be warning, info or debug, not {log_level!r}")
    if workers < 1 or queue < 0 or renice_after < 0:
        raise UsageError(f"--workers must be at least 1, --queue and --renice-after at least 0, not {workers}, "
                         f"{queue} and {renice_after:g}")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    logging.getLogger("incidentkg").addHandler(handler)
    logging.getLogger("incidentkg").setLevel(log_level.upper())
    store = load_graph(data)
    limits = Limits(timeout=timeout, max_rows=max_rows, max_body=max_body, workers=workers, queued=queue,
                    renice_after=renice_after)
    application = create_app(store, limits, allow_update=allow_update, allow_service=allow_service,
                             token=token, views_dir=data)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"incidentkg serve: {len(store)} triples from {data}/graph.nt at http://{shown}:{port}/ "
               f"(SPARQL: /sparql{', read-write' if allow_update else ', read-only'}"
               f"{', token required' if token else ''})", err=True)
    uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False, http=HandingProtocol)


@command(app, "push")
def push_command(
    endpoint: str = typer.Option(..., "--endpoint", help="Graph Store Protocol URL (Oxigraph: http://HOST:7878/store, "
                                 "Virtuoso: http://HOST:8890/sparql-graph-crud-auth)."),
    graph: Optional[str] = typer.Option(None, "--graph", help="Target named graph (default: a versioned IRI of this build)."),
    data: Path = DataOption,
    replace: bool = typer.Option(False, "--replace", help="Replace the graph's triples instead of adding to them."),
    update_endpoint: Optional[str] = typer.Option(None, "--update-endpoint",
                                                  help="SPARQL Update URL (default: ENDPOINT's last segment -> update, "
                                                  "Virtuoso's sparql-graph-crud[-auth] -> sparql[-auth])."),
    chunk: int = typer.Option(50_000, "--chunk", help="Triples per request."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress"),
) -> None:
    """Send the graph to a triple store (SPARQL 1.1 Graph Store Protocol); credentials from
    $INCIDENTKG_TOKEN or $INCIDENTKG_USER / $INCIDENTKG_PASSWORD."""
    from .serve.client import push

    if chunk < 1:
        raise UsageError(f"--chunk must be at least 1, not {chunk}")
    with progress_bars(sys.stderr.isatty() if progress is None else progress) as advance:
        pushed = push(endpoint, data, graph, replace=replace, update_url=update_endpoint,
                      chunk_triples=chunk, progress=advance)
    typer.echo(f"Pushed {pushed['triples']} triples in {pushed['chunks']} chunk(s) to <{pushed['graph']}> at {endpoint}.")


# --------------------------------------------------------------------------- incidentkg ingest

@command(app, "ingest")
def ingest_command(
    paths: list[Path] = typer.Argument(..., help="Article files (.txt .md .html .json .pdf) and folders of them."),
    corpus: Path = typer.Option(Path("incidentkg-corpus"), "--corpus", help="The corpus folder to add drafts to."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Draw a progress bar (default: when stderr is a terminal)."),
    nlp: bool = typer.Option(False, "--nlp", help="Read claimants and accused from spaCy's dependency parse "
                                                  "(needs the optional extra: pip install 'incidentkg[nlp]')."),
) -> None:
    """Add articles to a corpus as draft annotations; build it with `incidentkg build --seeds CORPUS`.

    A file that cannot be ingested is named with the reason and the others go on; the exit code
    is 1 when any failed.
    """
    from .ingest import ingest

    with progress_bars(sys.stderr.isatty() if progress is None else progress) as advance:
        report = ingest(paths, corpus, progress=advance, nlp=nlp)
    for path, stem, what in report.done:
        typer.echo(f"{what}: {path} -> {corpus / stem}.yaml")
    for _, reason in report.failures:
        typer.echo(f"Error: {reason}", err=True)
    typer.echo(f"{len(report.done)} ingested, {len(report.failures)} failed, into {corpus}")
    if report.failures:
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the ``incidentkg`` console script."""
    app(prog_name="incidentkg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
