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
FormatOption = typer.Option("table", "--format", "-f", help="table, json or csv.")
FORMATS = ("table", "json", "csv")


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
) -> None:
    """Map the articles to RDF and write graph.ttl, graph.nt, store/ and graph.html."""
    from .pipeline import build

    with progress_bars(sys.stderr.isatty() if progress is None else progress) as advance:
        report = build(seeds, out, html=html, progress=advance)
    counts = report.counts
    typer.echo(f"Wrote {report.out_dir}/: {counts['articles']} articles, {counts['entities']} entities, "
               f"{counts['incidents']} incidents, {counts['events']} events, {counts['claims']} claims, "
               f"{counts['triples']} triples.")
    if report.problems:
        for problem in report.problems:
            typer.echo(f"Error: {problem}", err=True)
        typer.echo(f"Error: {len({p.path for p in report.problems})} file(s) set aside; "
                   "the graph holds the other articles.", err=True)
        raise typer.Exit(1)


@command(app, "validate")
def validate_command(out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder a build wrote.")) -> None:
    """Check a built graph against the SHACL shapes and every quote against its article."""
    from rdflib import Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax

    from .ontology.validate import validate_graph

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
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{turtle}: valid (SHACL shapes and quotes).")


@command(app, "query")
def query_command(
    query: str = typer.Argument(..., help="SPARQL text, a path to a .rq file, or @name of a saved query."),
    data: Path = DataOption,
    fmt: str = FormatOption,
    param: list[str] = typer.Option([], "--param", "-p", help="Bind a variable: name=value (repeatable)."),
) -> None:
    """Run a SPARQL query on a built graph."""
    from .graph.sparql import format_rows, resolve_query, results_json, select
    from .graph.store import open_data

    check_format(fmt)
    text = resolve_query(query)
    params = parse_params(param)
    source = open_data(data)
    if fmt == "json":
        typer.echo(results_json(source, text, params))
    else:
        typer.echo(format_rows(select(source, text, params), fmt))


@command(app, "queries")
def queries_command() -> None:
    """List the saved SPARQL queries (run one with 'incidentkg query @name')."""
    from .graph.sparql import saved_queries

    for query in saved_queries().values():
        params = f"  [params: {', '.join(query.parameters)}]" if query.parameters else ""
        typer.echo(f"@{query.name:<22} {query.title}{params}")


# --------------------------------------------------------------------------- incidentkg graph

graph_app = typer.Typer(help="Ask the graph: neighbours, paths, rank, timeline, contradictions, sources...",
                        no_args_is_help=True)
app.add_typer(graph_app, name="graph")


def open_source(data: Path):
    """The store a build wrote in ``data``."""
    from .graph.store import open_data

    return open_data(data)


def find_entity(source, name: str) -> str:
    """The IRI of the entity ``name`` names (label, alias, id or IRI)."""
    from .graph.questions import find_entity

    return find_entity(source, name)


def knowledge_graph(source):
    """The networkx knowledge graph of ``source``."""
    from .graph.views import knowledge_graph

    return knowledge_graph(source)


def print_rows(rows: list[dict], fmt: str) -> None:
    """Print ``rows`` as a table, JSON or CSV."""
    from .graph.sparql import format_rows

    typer.echo(format_rows(rows, check_format(fmt)))


@command(graph_app, "neighbours")
def neighbours_command(name: str, depth: int = typer.Option(1, "--depth", "-k"),
                       data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Everything within DEPTH links of an entity."""
    from .graph import questions

    source = open_source(data)
    print_rows(questions.neighbours(knowledge_graph(source), find_entity(source, name), depth), fmt)


@command(graph_app, "path")
def path_command(first: str, second: str, max_length: int = typer.Option(4, "--max-length"),
                 data: Path = DataOption, fmt: str = FormatOption) -> None:
    """The shortest path and the other simple paths between two entities, with their claims."""
    from .graph import questions

    source = open_source(data)
    ends = find_entity(source, first), find_entity(source, second)
    print_rows(questions.paths(knowledge_graph(source), *ends, max_length), fmt)


@command(graph_app, "rank")
def rank_command(top: int = typer.Option(20, "--top"), data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Actors by PageRank, with their betweenness."""
    from .graph import questions

    print_rows(questions.rank(knowledge_graph(open_source(data)), top), fmt)


@command(graph_app, "communities")
def communities_command(data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Communities of the knowledge graph (Louvain)."""
    from .graph import questions

    print_rows(questions.communities(knowledge_graph(open_source(data))), fmt)


@command(graph_app, "ego")
def ego_command(name: str, radius: int = typer.Option(1, "--radius", "-k"),
                data: Path = DataOption, fmt: str = FormatOption) -> None:
    """The nodes of an entity's ego graph."""
    from .graph import questions

    source = open_source(data)
    graph = questions.ego(knowledge_graph(source), find_entity(source, name), radius)
    print_rows([{"label": d["label"], "type": d["type"], "iri": n} for n, d in sorted(graph.nodes(data=True))], fmt)


@command(graph_app, "timeline")
def timeline_command(start: Optional[str] = typer.Option(None, "--from"), end: Optional[str] = typer.Option(None, "--to"),
                     incident: Optional[str] = typer.Option(None, "--incident"),
                     data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Incidents, events and claims in time order."""
    from .graph import questions

    source = open_source(data)
    focus = find_entity(source, incident) if incident else None
    print_rows(questions.timeline(source, parse_day(start, "--from"), parse_day(end, "--to"), focus), fmt)


@command(graph_app, "as-of")
def as_of_command(day: str, data: Path = DataOption, fmt: str = FormatOption) -> None:
    """The claims known on DAY: only those from articles published by then."""
    from .graph import questions

    known = questions.as_of(open_source(data), parse_day(day, "DAY"))
    claims = [n for n, t in known.nodes(data="type") if t == "Claim"]
    print_rows([{"claim": known.nodes[c]["label"], "made": known.nodes[c]["when"], "iri": c}
                for c in sorted(claims)], fmt)


@command(graph_app, "contradictions")
def contradictions_command(data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Claims that cannot both be right, each side with its quote, claimant and article."""
    from .graph import questions

    print_rows(questions.contradictions(open_source(data)), fmt)


@command(graph_app, "sources")
def sources_command(name: str, data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Which outlets and articles support, allege or deny what about an entity."""
    from .graph import questions

    source = open_source(data)
    print_rows(questions.sources(source, find_entity(source, name)), fmt)


# --------------------------------------------------------------------------- incidentkg export

export_app = typer.Typer(help="Write the graph in other forms.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@command(export_app, "html")
def export_html_command(
    data: Path = DataOption,
    out: Path = typer.Option(Path("graph.html"), "--out", help="The page to write."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Only the neighbourhood of this entity."),
    depth: int = typer.Option(2, "--depth", help="How many links around --focus."),
    start: Optional[str] = typer.Option(None, "--from"), end: Optional[str] = typer.Option(None, "--to"),
) -> None:
    """Write the interactive offline page of the whole graph or of a neighbourhood."""
    from .export.page import write_graph_page

    source = open_source(data)
    center = find_entity(source, focus) if focus else None
    write_graph_page(source, out, focus=center, depth=depth,
                     start=parse_day(start, "--from"), end=parse_day(end, "--to"))
    typer.echo(f"Wrote {out}")


# --------------------------------------------------------------------------- incidentkg ingest

@command(app, "ingest")
def ingest_command(
    paths: list[Path] = typer.Argument(..., help="Article files (.txt .md .html .json .pdf) and folders of them."),
    corpus: Path = typer.Option(Path("incidentkg-corpus"), "--corpus", help="The corpus folder to add drafts to."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Draw a progress bar (default: when stderr is a terminal)."),
) -> None:
    """Add articles to a corpus as draft annotations; build it with `incidentkg build --seeds CORPUS`.

    A file that cannot be ingested is named with the reason and the others go on; the exit code
    is 1 when any failed.
    """
    from .ingest import ingest

    with progress_bars(sys.stderr.isatty() if progress is None else progress) as advance:
        report = ingest(paths, corpus, progress=advance)
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
