"""The ``incidentkg`` command line: a thin typer skin over the library.

Errors a user can cause print one line (``Error: seeds/001.yaml:14: claim c3 has no claimant``)
and exit with 1 (bad input) or 2 (bad usage, such as a malformed query); tracebacks are for bugs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from .export.page import write_graph_page
from .graph import questions
from .graph.views import knowledge_graph
from .graph.sparql import QueryError, format_rows, resolve_query, results_json, saved_queries, select
from .graph.store import StoreError, open_data
from .ontology.annotations import AnnotationError
from .pipeline import DEFAULT_OUT, BuildError, Progress, build
from .seeds import SEEDS_DIR

app = typer.Typer(
    help="Turn news articles about cyber incidents into a timeline knowledge graph with provenance.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)

DataOption = typer.Option(DEFAULT_OUT, "--data", help="Folder a build wrote (graph.ttl, store/).")
FormatOption = typer.Option("table", "--format", "-f", help="table, json or csv.")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def parse_params(params: list[str]) -> dict[str, str]:
    """``["name=value", ...]`` as a dict; a malformed item is a usage error."""
    parsed = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise fail(f"--param wants name=value, got {item!r}", 2)
        parsed[name.lstrip("?$")] = value
    return parsed


@contextmanager
def progress_bars(enabled: bool) -> Iterator[Progress]:
    """A build progress callback that draws one bar per stage on stderr (or nothing)."""
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


@app.command("build")
def build_command(
    seeds: Path = typer.Option(SEEDS_DIR, "--seeds", help="Folder of articles and annotations."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder to write the graph files to."),
    html: bool = typer.Option(True, "--html/--no-html", help="Also draw graph.html."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Draw progress bars (default: when stderr is a terminal)."),
) -> None:
    """Map the articles to RDF and write graph.ttl, graph.nt, store/ and graph.html."""
    try:
        with progress_bars(sys.stderr.isatty() if progress is None else progress) as advance:
            report = build(seeds, out, html=html, progress=advance)
    except AnnotationError as error:
        for problem in error.problems:
            typer.echo(f"Error: {problem}", err=True)
        raise typer.Exit(1) from None
    except BuildError as error:
        raise fail(str(error)) from None
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


@app.command("validate")
def validate_command(out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder a build wrote.")) -> None:
    """Check a built graph against the SHACL shapes and every quote against its article."""
    from rdflib import Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax

    from .ontology.validate import validate_graph

    turtle = out / "graph.ttl"
    if not turtle.exists():
        raise fail(f"{turtle}: not found; run 'incidentkg build --out {out}' first")
    try:
        graph = Graph().parse(turtle, format="turtle")
    except BadSyntax as error:
        raise fail(f"{turtle}:{error.lines + 1}: bad Turtle: {error._why}") from None
    problems = validate_graph(graph)
    for problem in problems:
        typer.echo(f"Error: {problem}", err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{turtle}: valid (SHACL shapes and quotes).")


@app.command("query")
def query_command(
    query: str = typer.Argument(..., help="SPARQL text, a path to a .rq file, or @name of a saved query."),
    data: Path = DataOption,
    fmt: str = FormatOption,
    param: list[str] = typer.Option([], "--param", "-p", help="Bind a variable: name=value (repeatable)."),
) -> None:
    """Run a SPARQL query on a built graph."""
    if fmt not in {"table", "json", "csv"}:
        raise fail(f"--format must be table, json or csv, not {fmt!r}", 2)
    try:
        text = resolve_query(query)
        source = open_data(data)
        params = parse_params(param)
        if fmt == "json":
            typer.echo(results_json(source, text, params))
        else:
            typer.echo(format_rows(select(source, text, params), fmt))
    except QueryError as error:
        raise fail(str(error), 2) from None
    except StoreError as error:
        raise fail(str(error)) from None


@app.command("queries")
def queries_command() -> None:
    """List the saved SPARQL queries (run one with 'incidentkg query @name')."""
    for query in saved_queries().values():
        params = f"  [params: {', '.join(query.parameters)}]" if query.parameters else ""
        typer.echo(f"@{query.name:<22} {query.title}{params}")


# --------------------------------------------------------------------------- incidentkg graph

graph_app = typer.Typer(help="Ask the graph: neighbours, paths, rank, timeline, contradictions, sources...",
                        no_args_is_help=True)
app.add_typer(graph_app, name="graph")


def _open(data: Path):
    try:
        return open_data(data)
    except StoreError as error:
        raise fail(str(error)) from None


def _entity(source, name: str) -> str:
    try:
        return questions.find_entity(source, name)
    except questions.EntityError as error:
        raise fail(str(error)) from None


def _date(text: Optional[str], option: str) -> Optional[date]:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option} wants a date YYYY-MM-DD, got {text!r}", 2) from None


def _print(rows: list[dict], fmt: str) -> None:
    if fmt not in {"table", "json", "csv"}:
        raise fail(f"--format must be table, json or csv, not {fmt!r}", 2)
    typer.echo(format_rows(rows, fmt))


@graph_app.command("neighbours")
def neighbours_command(name: str, depth: int = typer.Option(1, "--depth", "-k"),
                       data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Everything within DEPTH links of an entity."""
    source = _open(data)
    _print(questions.neighbours(knowledge_graph(source), _entity(source, name), depth), fmt)


@graph_app.command("path")
def path_command(first: str, second: str, max_length: int = typer.Option(4, "--max-length"),
                 data: Path = DataOption, fmt: str = FormatOption) -> None:
    """The shortest path and the other simple paths between two entities, with their claims."""
    source = _open(data)
    _print(questions.paths(knowledge_graph(source), _entity(source, first), _entity(source, second), max_length), fmt)


@graph_app.command("rank")
def rank_command(top: int = typer.Option(20, "--top"), data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Actors by PageRank, with their betweenness."""
    _print(questions.rank(knowledge_graph(_open(data)), top), fmt)


@graph_app.command("communities")
def communities_command(data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Communities of the knowledge graph (Louvain)."""
    _print(questions.communities(knowledge_graph(_open(data))), fmt)


@graph_app.command("ego")
def ego_command(name: str, radius: int = typer.Option(1, "--radius", "-k"),
                data: Path = DataOption, fmt: str = FormatOption) -> None:
    """The nodes of an entity's ego graph."""
    source = _open(data)
    kg = knowledge_graph(source)
    center = _entity(source, name)
    graph = questions.ego(kg, center, radius)
    _print([{"label": d["label"], "type": d["type"], "iri": n} for n, d in sorted(graph.nodes(data=True))], fmt)


@graph_app.command("timeline")
def timeline_command(start: Optional[str] = typer.Option(None, "--from"), end: Optional[str] = typer.Option(None, "--to"),
                     incident: Optional[str] = typer.Option(None, "--incident"),
                     data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Incidents, events and claims in time order."""
    source = _open(data)
    focus = _entity(source, incident) if incident else None
    _print(questions.timeline(source, _date(start, "--from"), _date(end, "--to"), focus), fmt)


@graph_app.command("as-of")
def as_of_command(day: str, data: Path = DataOption, fmt: str = FormatOption) -> None:
    """The claims known on DAY: only those from articles published by then."""
    known = questions.as_of(_open(data), _date(day, "DAY"))
    claims = [n for n, t in known.nodes(data="type") if t == "Claim"]
    _print([{"claim": known.nodes[c]["label"], "made": known.nodes[c]["when"], "iri": c} for c in sorted(claims)], fmt)


@graph_app.command("contradictions")
def contradictions_command(data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Claims that cannot both be right, each side with its quote, claimant and article."""
    _print(questions.contradictions(_open(data)), fmt)


@graph_app.command("sources")
def sources_command(name: str, data: Path = DataOption, fmt: str = FormatOption) -> None:
    """Which outlets and articles support, allege or deny what about an entity."""
    source = _open(data)
    _print(questions.sources(source, _entity(source, name)), fmt)


# --------------------------------------------------------------------------- incidentkg export

export_app = typer.Typer(help="Write the graph in other forms.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("html")
def export_html_command(
    data: Path = DataOption,
    out: Path = typer.Option(Path("graph.html"), "--out", help="The page to write."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Only the neighbourhood of this entity."),
    depth: int = typer.Option(2, "--depth", help="How many links around --focus."),
    start: Optional[str] = typer.Option(None, "--from"), end: Optional[str] = typer.Option(None, "--to"),
) -> None:
    """Write the interactive offline page of the whole graph or of a neighbourhood."""
    source = _open(data)
    center = _entity(source, focus) if focus else None
    write_graph_page(source, out, focus=center, depth=depth,
                     start=_date(start, "--from"), end=_date(end, "--to"))
    typer.echo(f"Wrote {out}")


def main() -> None:
    """Entry point of the ``incidentkg`` console script."""
    app(prog_name="incidentkg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
