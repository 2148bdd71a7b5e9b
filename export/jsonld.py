"""JSON-LD of the RDF graph, compacted with the context shipped as ``ontology/context.jsonld``.

One node object per subject, in the sorted N-Triples' order, one per line; IRIs under a prefix of
the context are written as compact IRIs (``id:china``, ``ikg:claimant``). The context is
written into the document, so it reads offline; it is the same one linked-data tools can load from
the package. The result parses back to the same triples (tested).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path

import orjson
import pyoxigraph as ox
import rdflib

from ..graph.serialize import ntriples
from ..graph.views import gc_paused
from . import Exporter
from .forked import forked_map, worker_count

CONTEXT_FILE = files("incidentkg.ontology") / "context.jsonld"
_RDF_TYPE_TERM = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PARALLEL_FROM = 200_000
"""The number of triples from which the node objects are made in forked processes (:mod:`.forked`)."""


@cache
def context() -> dict[str, str]:
    """The shipped JSON-LD context: prefix -> namespace IRI."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


@cache
def compact(iri: str) -> str:
    """``iri`` as a compact IRI of :func:`context` where a prefix covers it, else unchanged.

    >>> compact("https://w3id.org/incidentkg/id/china"), compact("urn:x")
    ('id:china', 'urn:x')
    """
    for prefix, namespace in context().items():
        # A suffix starting with "//" would be read as an absolute IRI ("id://x").
        if iri.startswith(namespace) and not iri[len(namespace):].startswith("//"):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


# An N-Triples escape: \uXXXX, \UXXXXXXXX or a character after a backslash (ECHAR).
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescaped(match: re.Match) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ECHARS[match.group(3)]


def _value(term: str) -> dict | str:
    """The JSON-LD value of an N-Triples object ``term``: a node reference or a literal."""
    if term[0] == "<":
        return {"@id": compact(term[1:-1])}
    if term[0] == "_":
        return {"@id": term}
    end = term.rindex('"')  # a language tag or datatype IRI holds no quote; escaped ones are \"
    text = term[1:end]
    if "\\" in text:
        text = _ESCAPE.sub(_unescaped, text)
    suffix = term[end + 1:]
    if suffix.startswith("@"):
        return {"@value": text, "@language": suffix[1:]}
    if suffix.startswith("^^"):
        datatype = suffix[3:-1]
        return text if datatype == _XSD_STRING else {"@value": text, "@type": compact(datatype)}
    return text


def sorted_lines(source: ox.Store | rdflib.Graph) -> list[str]:
    """The lines of ``source``'s canonical N-Triples (:func:`.rdf.sorted_ntriples`), as text,
    without their line breaks, in the same order.

    The text is sorted, not the bytes: UTF-8 keeps code point order, so the order is the same,
    and the lines are split once.
    """
    data = ntriples(source) if isinstance(source, rdflib.Graph) else \
        source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    lines = data.decode("utf-8").split("\n")
    lines.pop()  # the empty text after the last line break
    lines.sort()
    return lines


def node_objects(lines: Iterable[str]) -> list[dict]:
    """The JSON-LD node objects of sorted N-Triples ``lines``: one per subject, properties in order.

    The lines are split as Oxigraph writes them (``subject predicate object .``, one space
    apart, no space in a subject or predicate), not parsed into terms: parsing took longer than
    writing the N-Triples. Each line of a subject follows the one before, sorted.

    >>> node_objects(['<urn:a> <urn:p> "say \\\\"hi\\\\""@en .', '<urn:a> <urn:q> <urn:b> .'])
    [{'@id': 'urn:a', 'urn:p': [{'@value': 'say "hi"', '@language': 'en'}], 'urn:q': [{'@id': 'urn:b'}]}]
    """
    nodes: list[dict] = []
    subject = node = None
    # Made once per text: a graph names the same nodes and predicates in many triples.
    references: dict[str, dict] = {}
    keys: dict[str, str] = {}
    for line in lines:
        term, predicate, obj = line[:-2].split(" ", 2)
        if term != subject:
            subject = term
            node = {"@id": compact(term[1:-1]) if term[0] == "<" else term}
            nodes.append(node)
        if obj[0] == "<":
            value = references.get(obj)
            if value is None:
                value = references[obj] = {"@id": compact(obj[1:-1])}
            if predicate == _RDF_TYPE_TERM:
                node.setdefault("@type", []).append(value["@id"])
                continue
        elif obj[-1] == '"' and "\\" not in obj:  # most literals: plain text, nothing escaped
            value = obj[1:-1]
        else:
            value = _value(obj)
        key = keys.get(predicate)
        if key is None:
            key = keys[predicate] = compact(predicate[1:-1])
        found = node.get(key)
        if found is None:
            node[key] = [value]
        else:
            found.append(value)
    return nodes


def subject_chunks(lines: Sequence[str], parts: int) -> list[Sequence[str]]:
    """Sorted N-Triples ``lines`` cut into at most ``parts`` runs of about equal length, each
    cut between two subjects, so that every subject's node object is made from one run.

    >>> subject_chunks(["<a> <p> 1 .", "<a> <q> 2 .", "<b> <p> 3 .", "<c> <p> 4 ."], 2)
    [['<a> <p> 1 .', '<a> <q> 2 .'], ['<b> <p> 3 .', '<c> <p> 4 .']]
    """
    chunks, start = [], 0
    for part in range(1, parts):
        end = max(start, len(lines) * part // parts)
        if end == 0:
            continue
        subject = lines[end - 1][:lines[end - 1].index(" ")]
        while end < len(lines) and lines[end].startswith(subject + " "):
            end += 1
        if end > start:
            chunks.append(lines[start:end])
            start = end
    if start < len(lines):
        chunks.append(lines[start:])
    return chunks


def jsonld_document(lines: Sequence[str]) -> bytes:
    """A JSON-LD document (``@context`` and ``@graph``) of sorted N-Triples ``lines``, one node a line.

    The node objects of a large graph are made in forked processes (:mod:`.forked`), each
    from a run of whole subjects; the runs are joined in order, so the bytes are the same.
    """
    chunks = subject_chunks(lines, worker_count(len(lines), PARALLEL_FROM))
    nodes = b",\n".join(forked_map(lambda chunk: b",\n".join(orjson.dumps(node) for node in node_objects(chunk)), chunks))
    return b'{"@context": ' + orjson.dumps(context()) + b',\n"@graph": [\n' + nodes + b"\n]}\n"


class JSONLDExporter(Exporter):
    """The graph as compacted JSON-LD (``graph.jsonld``)."""

    name = "jsonld"
    default_path = "graph.jsonld"

    def write(self, source) -> None:
        self.lines = sorted_lines(source)

    def finalize(self) -> list[Path]:
        with gc_paused():
            return self.write_file(jsonld_document(self.lines))
