"""The exporter protocol and the graph formats: N-Triples, Turtle, JSON-LD, GraphML, GEXF, CSV."""

from __future__ import annotations

import csv
import doctest
import importlib
import json
import sys

import networkx as nx
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from incidentkg.cli import app
from incidentkg.exceptions import IncidentKGError, NotFound, UsageError
from incidentkg.export import FORMATS, export, exporter_class, forked
from incidentkg.export.jsonld import CONTEXT_FILE
from incidentkg.export.networks import VIEWS, appears, plain_attributes, view
from incidentkg.ontology.mapping import PREFIX_MAP
from incidentkg.ontology.schema import ontology_graph
from incidentkg.ontology.vocab import ID, IKG

runner = CliRunner()
GRAPH_FORMATS = ("graphml", "gexf")
FORKED_FORMATS = ("misp", "jsonld", "stix")  # the exports whose parts are made side by side


@pytest.mark.parametrize("name", ["incidentkg.export", "incidentkg.export.networks", "incidentkg.export.jsonld",
                                  "incidentkg.export.neo4j_csv", "incidentkg.export.galaxy", "incidentkg.export.stix",
                                  "incidentkg.export.forked",
                                  "incidentkg.graph.serialize"])
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_every_format_is_registered_and_importable():
    for name in FORMATS:
        assert exporter_class(name).name == name


def test_an_unknown_format_lists_the_formats():
    with pytest.raises(NotFound) as error:
        exporter_class("gephi")
    assert "'gephi'" in str(error.value) and all(name in str(error.value) for name in FORMATS)


def test_an_unknown_view_lists_the_views(seed_store, tmp_path):
    with pytest.raises(NotFound) as error:
        export(seed_store, "graphml", tmp_path / "g.graphml", view="gossip")
    assert all(name in str(error.value) for name in VIEWS)


def test_an_rdf_format_takes_no_view(seed_store, tmp_path):
    with pytest.raises(UsageError, match="takes no --view"):
        export(seed_store, "turtle", tmp_path / "g.ttl", view="knowledge")


def test_the_rdf_formats_write_the_build_files(built, tmp_path):
    from incidentkg.graph.store import open_data

    source = open_data(built)
    for name, file in (("ntriples", "graph.nt"), ("turtle", "graph.ttl")):
        [path] = export(source, name, tmp_path / file)
        assert path.read_bytes() == (built / file).read_bytes()


def test_the_jsonld_context_is_the_project_prefixes():
    assert json.loads(CONTEXT_FILE.read_text(encoding="utf-8")) == {"@context": PREFIX_MAP}


def test_jsonld_round_trips_to_the_same_graph(seed_graph, seed_store, tmp_path):
    [path] = export(seed_store, "jsonld", tmp_path / "graph.jsonld")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["@context"] == PREFIX_MAP
    assert any(node["@id"] == "id:china" for node in document["@graph"])  # compacted by the context
    assert isomorphic(rdflib.Graph().parse(path, format="json-ld"), seed_graph)


def _edges(graph: nx.Graph) -> dict:
    if graph.is_multigraph():
        return {(u, v, k): data for u, v, k, data in graph.edges(keys=True, data=True)}
    if graph.is_directed():
        return {(u, v): data for u, v, data in graph.edges(data=True)}
    return {tuple(sorted((u, v))): data for u, v, data in graph.edges(data=True)}


def _read(fmt: str, path, directed_multi: nx.Graph) -> nx.Graph:
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=directed_multi.is_multigraph())
    return nx.read_gexf(path)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
@pytest.mark.parametrize("name", list(VIEWS))
def test_graph_files_read_back_with_the_same_nodes_edges_and_attributes(seed_store, tmp_path, fmt, name):
    original = view(seed_store, name)
    [path] = export(seed_store, fmt, tmp_path / f"graph.{fmt}", view=name)
    read = _read(fmt, path, original)
    assert set(read.nodes) == set(original.nodes)
    for node, data in original.nodes(data=True):
        expected = plain_attributes(data)
        if fmt == "gexf" and appears(data):
            expected["start"] = appears(data)
        assert read.nodes[node] == expected
    expected_edges, read_edges = _edges(original), _edges(read)
    assert read_edges.keys() == expected_edges.keys()
    for edge, data in expected_edges.items():
        found = {k: v for k, v in read_edges[edge].items() if not (fmt == "gexf" and k in ("id", "start"))}
        assert found == plain_attributes(data)


def test_gexf_plays_the_graph_over_time(seed_store, tmp_path):
    [path] = export(seed_store, "gexf", tmp_path / "graph.gexf")
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    read = nx.read_gexf(path)
    attack = read.nodes[str(ID["wuhan-emc-cyberattack"])]
    assert attack["start"] == appears(view(seed_store, "knowledge").nodes[str(ID["wuhan-emc-cyberattack"])])
    # an edge enters once both its ends are there
    for u, v, data in read.edges(data=True):
        starts = [read.nodes[n].get("start") for n in (u, v) if read.nodes[n].get("start")]
        assert data.get("start") == (max(starts) if starts else None)


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_has_the_neo4j_import_shape(seed_store, tmp_path):
    nodes_csv, edges_csv = export(seed_store, "csv", tmp_path / "neo4j")
    nodes, edges = _rows(nodes_csv), _rows(edges_csv)
    assert list(nodes[0])[:2] == [":ID", ":LABEL"] and "aliases:string[]" in nodes[0]
    assert list(edges[0])[:3] == [":START_ID", ":END_ID", ":TYPE"]
    by_id = {row[":ID"]: row for row in nodes}
    assert by_id[str(ID["china"])][":LABEL"].split(";")[0] == "Country"
    assert "Actor" in by_id[str(ID["china"])][":LABEL"].split(";")
    assert all(row[":START_ID"] in by_id and row[":END_ID"] in by_id for row in edges)
    knowledge = view(seed_store, "knowledge")
    assert len(nodes) == knowledge.number_of_nodes() and len(edges) == knowledge.number_of_edges()
    # the seed articles' own text, with its commas, quotes and line breaks, comes back whole
    text = str(seed_store.query("SELECT ?t WHERE { ?a <%s> ?t }" % IKG.fullText).__next__()["t"].value)
    assert by_id[next(iri for iri, row in by_id.items() if row["text"] == text)]["type"] == "Article"
    assert sum("," in row["text"] and '"' in row["text"] and "\n" in row["text"] for row in nodes) >= 1


def test_csv_quotes_commas_quotes_and_line_breaks(tmp_path):
    tricky = 'He said, "we deny it,"\nand left; then:\r\n"no comment", said the "ministry".'
    graph = rdflib.Graph()
    for triple in ontology_graph():
        graph.add(triple)
    article = ID["article/tricky"]
    graph.add((article, RDF.type, IKG.Article))
    graph.add((article, RDFS.label, Literal('A title, with "quotes"\nand a line break')))
    graph.add((article, IKG.fullText, Literal(tricky)))
    nodes_csv, _ = export(graph, "csv", tmp_path / "neo4j")
    [row] = _rows(nodes_csv)
    assert row["text"] == tricky and row["label"] == 'A title, with "quotes"\nand a line break'


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_export_is_byte_identical_across_runs(seed_store, tmp_path, name):
    first = export(seed_store, name, tmp_path / "first" / exporter_class(name).default_path)
    second = export(seed_store, name, tmp_path / "second" / exporter_class(name).default_path)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


@pytest.mark.parametrize("name", FORKED_FORMATS)
def test_an_export_made_in_forked_processes_is_the_same_bytes(seed_store, tmp_path, monkeypatch, name):
    made_here = export(seed_store, name, tmp_path / "here" / exporter_class(name).default_path)
    # The seeds are far below the real thresholds.
    monkeypatch.setattr(importlib.import_module(f"incidentkg.export.{name}"), "PARALLEL_FROM", 0)
    made_forked = export(seed_store, name, tmp_path / "forked" / exporter_class(name).default_path)
    assert [p.read_bytes() for p in made_here] == [p.read_bytes() for p in made_forked]


def test_forked_chunks_come_back_in_order_and_a_failure_is_raised():
    chunks = forked.balanced_chunks(list(range(10)), [1] * 10, 3)
    assert [len(chunk) for chunk in chunks] == [4, 3, 3]  # closed at 4/10, 7/10, the rest
    assert forked.forked_map(lambda chunk: [n * n for n in chunk], chunks) == [[0, 1, 4, 9], [16, 25, 36], [49, 64, 81]]
    with pytest.raises(ZeroDivisionError):
        forked.forked_map(lambda chunk: 1 / chunk[0], [[1], [0]])


def test_the_command_writes_a_format(built, tmp_path):
    out = tmp_path / "accusations.graphml"
    result = runner.invoke(app, ["export", "graphml", "--data", str(built), "--out", str(out), "--view", "accusations"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output and nx.read_graphml(out).number_of_edges() > 0


def test_the_command_still_writes_the_page_of_a_neighbourhood(built, tmp_path):
    out = tmp_path / "page.html"
    result = runner.invoke(app, ["export", "html", "--data", str(built), "--out", str(out), "--focus", "Mao Ning"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("arguments, message", [
    (["export", "gephi"], "no export format 'gephi'; formats: csv, gexf, graphml, html"),
    (["export", "gexf", "--view", "gossip"], "no view 'gossip' for gexf; views: knowledge, accusations"),
    (["export", "stix", "--view", "knowledge"], "the stix export takes no --view"),
    (["export", "csv", "--focus", "China"], "the csv export takes no option focus"),
])
def test_bad_usage_is_one_line_and_exit_2(built, arguments, message):
    result = runner.invoke(app, arguments + ["--data", str(built)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_build_writes_the_exports_beside_the_graph(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--out", str(out), "--no-html", "--export", "stix,csv,jsonld"])
    assert result.exit_code == 0, result.output
    for name in ("graph.ttl", "graph.stix.json", "graph-csv/nodes.csv", "graph-csv/edges.csv", "graph.jsonld"):
        assert (out / name).exists(), name


def test_build_refuses_an_unknown_format_before_building(tmp_path):
    result = runner.invoke(app, ["build", "--out", str(tmp_path / "out"), "--export", "stix,gephi"])
    assert result.exit_code == 2 and "no export format 'gephi'" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_an_rdflib_graph_and_a_store_export_the_same_bytes(seed_graph, seed_store, tmp_path, name):
    from_graph = export(seed_graph, name, tmp_path / "graph" / exporter_class(name).default_path)
    from_store = export(seed_store, name, tmp_path / "store" / exporter_class(name).default_path)
    assert [p.read_bytes() for p in from_graph] == [p.read_bytes() for p in from_store]


def test_a_missing_optional_library_is_a_one_line_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymisp", None)  # what an install without the extra sees
    monkeypatch.delitem(sys.modules, "incidentkg.export.misp", raising=False)
    with pytest.raises(IncidentKGError, match=r"^the misp export needs pymisp: pip install 'incidentkg\[export\]'$"):
        exporter_class("misp")


def test_jsonld_keeps_every_kind_of_literal_and_blank_node(tmp_path):
    import pyoxigraph as ox

    from incidentkg.graph.serialize import ntriples

    graph = rdflib.Graph()
    subject, blank = rdflib.URIRef("https://w3id.org/incidentkg/id/x"), rdflib.BNode("b1")
    texts = ['say "hi" \\ back', "line\nbreak\ttab\rcr", "bell\x07 del\x7f nul\x00", "émigré 中文 \U0001F600",
             "\u2028separator\x85next", "ends with a quote\"", "ends with a backslash\\", ""]
    for number, text in enumerate(texts):
        graph.add((subject, RDFS.comment, Literal(text + str(number))))
    graph.add((subject, RDFS.label, Literal("Chine", lang="fr")))
    graph.add((subject, RDFS.label, Literal("2023", datatype=rdflib.XSD.gYear)))
    graph.add((subject, RDFS.seeAlso, blank))
    graph.add((blank, RDF.type, IKG.Claim))
    graph.add((blank, RDFS.label, Literal("x")))
    store = ox.Store()
    store.bulk_load(input=ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    for source in (store, graph):  # the store names its blank nodes itself
        [path] = export(source, "jsonld", tmp_path / "graph.jsonld")
        assert isomorphic(rdflib.Graph().parse(path, format="json-ld"), graph)


def test_xml_text_escapes_as_the_xml_library_does():
    from xml.sax.saxutils import escape, quoteattr

    from incidentkg.export.networks import xml_text

    for text in ["plain", "a<b>&c", 'say "hi"', "tab\tline\nreturn\r", "bell\x07", "ok \ufffe", "émigré", ""]:
        clean = text.replace("\x07", "\ufffd").replace("\ufffe", "\ufffd")
        assert xml_text(text) == escape(clean)
        assert f'"{xml_text(text, attribute=True)}"' == quoteattr(clean.replace('"', "\0"), {"\0": "&quot;",
                                                                                           "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def test_csv_lines_are_the_csv_module_s_and_quote_a_lone_carriage_return():
    import io

    from incidentkg.export.neo4j_csv import csv_line

    rows = [["plain", "a,b", 'say "hi"', "two\nlines", "crlf\r\n", " lead", "trail ", "", "tab\t", "\u2028", '"'],
            # lines with nothing to quote, and lines where one field alone needs it (the check of the whole line)
            ["plain", "", " spaced ", "\u2028"], ["", ""], ["a,b"], ["", "a,", "b"], ['"'], ["x", "y,\r"]]
    written = io.StringIO()
    csv.writer(written, lineterminator="\n").writerows(rows)
    assert "".join(map(csv_line, rows)) == written.getvalue()
    assert list(csv.reader(io.StringIO(csv_line(["a\rb", "c"]), newline=""))) == [["a\rb", "c"]]


def test_csv_columns_are_typed_by_their_values(tmp_path):
    from incidentkg.export.neo4j_csv import _write_table

    rows = [(["a"], {"n": 1, "x": 1.5, "flag": True, "tags": ["p", "q"], "mixed": 1, "text": None}),
            (["b"], {"n": None, "x": 2.0, "flag": False, "tags": [], "mixed": "one"})]
    _write_table(tmp_path / "t.csv", [":ID"], rows)
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines() == [
        ":ID,flag:boolean,mixed,n:long,tags:string[],text,x:double", "a,true,1,1,p;q,,1.5", "b,false,one,,,,2.0"]


def test_plain_attributes_join_lists_and_leave_out_what_is_missing():
    data = {"b": ["x", "y"], "a": [3, 1], "c": ("t",), "d": {"z", "w"}, "e": [], "f": None, "g": "", "h": 2, "i": True}
    assert plain_attributes(data) == {"a": "3; 1", "b": "x; y", "c": "t", "d": "w; z", "h": 2, "i": True}
    assert list(plain_attributes(data)) == ["a", "b", "c", "d", "h", "i"]


def test_the_knowledge_graph_read_from_the_build_index_is_the_store_s(built):
    from incidentkg.graph.index import open_index
    from incidentkg.graph.store import open_data
    from incidentkg.graph.views import knowledge_items

    index = open_index(built)
    assert index is not None and index.walks
    nodes, links = index.knowledge_items()
    store_nodes, store_links = knowledge_items(open_data(built, in_memory=True))
    assert list(nodes.items()) == list(store_nodes.items()) and links == store_links  # in the same order
    assert len(links) > 100 and any(data["claims"] for _, _, _, data in links)
    assert _without_links(index).knowledge_items() is None


def _without_links(index):
    """A copy of the (cached, shared) ``index`` as a build writes it when a node has two labels:
    no links."""
    from incidentkg.graph.index import BuildIndex

    return BuildIndex(index.folder, index.db, {**dict(index.db.execute("SELECT key, value FROM meta")), "walks": "no"})


def _spied_index_reads(monkeypatch) -> list:
    """The calls of ``BuildIndex.knowledge_items`` from now on (each still reads the index)."""
    from incidentkg.graph.index import BuildIndex

    calls, read = [], BuildIndex.knowledge_items
    monkeypatch.setattr(BuildIndex, "knowledge_items", lambda self: calls.append(self.folder) or read(self))
    return calls


@pytest.mark.parametrize("name", ["graphml", "gexf", "csv"])
def test_a_view_export_reads_the_build_index_and_writes_the_same_bytes(built, tmp_path, monkeypatch, name):
    from incidentkg.graph.index import open_index
    from incidentkg.graph.store import open_data

    source, path = open_data(built, in_memory=True), exporter_class(name).default_path
    without = export(source, name, tmp_path / "store" / path)
    calls = _spied_index_reads(monkeypatch)
    index = open_index(built)
    with_index = export(source, name, tmp_path / "index" / path, index=index)
    assert calls == [index.folder]
    assert [p.read_bytes() for p in with_index] == [p.read_bytes() for p in without]
    # No links in the index: the store is read.
    assert [p.read_bytes() for p in export(source, name, tmp_path / "none" / path, index=_without_links(index))] == \
        [p.read_bytes() for p in without]
    # Another view is never read from the index.
    export(source, name, tmp_path / "view" / path, view="accusations", index=open_index(built))
    assert len(calls) == 2


def test_the_command_exports_the_knowledge_graph_from_the_build_index(built, tmp_path, monkeypatch):
    from incidentkg.graph.store import open_data

    calls = _spied_index_reads(monkeypatch)
    result = runner.invoke(app, ["export", "gexf", "--data", str(built), "--out", str(tmp_path / "graph.gexf")])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    [expected] = export(open_data(built, in_memory=True), "gexf", tmp_path / "store.gexf")
    assert (tmp_path / "graph.gexf").read_bytes() == expected.read_bytes()
