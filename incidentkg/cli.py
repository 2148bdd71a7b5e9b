"""The ``incidentkg`` command line: a thin typer skin over the library.

Errors a user can cause print one line (``Error: seeds/001.yaml:14: claim c3 has no claimant``)
and exit with 1 (bad input) or 2 (bad usage, such as a malformed query); tracebacks are for bugs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .graph.sparql import QueryError, format_rows, resolve_query, results_json, saved_queries, select
from .graph.store import StoreError, open_data
from .ontology.annotations import AnnotationError
from .pipeline import DEFAULT_OUT, BuildError, build
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


@app.command("build")
def build_command(
    seeds: Path = typer.Option(SEEDS_DIR, "--seeds", help="Folder of articles and annotations."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder to write the graph files to."),
) -> None:
    """Map the articles to RDF and write graph.ttl, graph.nt, store/ and graph.html."""
    try:
        report = build(seeds, out)
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
        typer.echo(f"@{query.name:<22} {query.description}{params}")


def main() -> None:
    """Entry point of the ``incidentkg`` console script."""
    app(prog_name="incidentkg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
