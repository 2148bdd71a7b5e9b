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

from ..graph.views import gc_paused
from . import Exporter
from .forked import forked_map, worker_count
from .rdf import sorted_lines

CONTEXT_FILE = files("incidentkg.ontology") / "context.jsonld"
_RDF_TYPE_TERM = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
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


_IRI_START, _QUOTE = ord("<"), ord('"')


def node_objects(lines: Iterable[bytes]) -> list[dict]:
    """The JSON-LD node objects of sorted N-Triples ``lines`` (UTF-8): one per subject,
    properties in order.

    The lines are split as Oxigraph writes them (``subject predicate object .``, one space
    apart, no space in a subject or predicate), not parsed into terms: parsing took longer than
    writing the N-Triples. Each line of a subject follows the one before, sorted.

    >>> node_objects([b'<urn:a> <urn:p> "say \\\\"hi\\\\""@en .', b'<urn:a> <urn:q> <urn:b> .'])
    [{'@id': 'urn:a', 'urn:p': [{'@value': 'say "hi"', '@language': 'en'}], 'urn:q': [{'@id': 'urn:b'}]}]
    """
    nodes: list[dict] = []
    subject = node = None
    # Made once per term: a graph names the same nodes and predicates in many triples.
    references: dict[bytes, dict] = {}
    keys: dict[bytes, str] = {}
    for line in lines:
        term, predicate, obj = line[:-2].split(b" ", 2)
        if term != subject:
            subject, text = term, term.decode("utf-8")
            node = {"@id": compact(text[1:-1]) if term[0] == _IRI_START else text}
            nodes.append(node)
        if obj[0] == _IRI_START:
            value = references.get(obj)
            if value is None:
                value = references[obj] = {"@id": compact(obj[1:-1].decode("utf-8"))}
            if predicate == _RDF_TYPE_TERM:
                node.setdefault("@type", []).append(value["@id"])
                continue
        elif obj[-1] == _QUOTE and b"\\" not in obj:  # most literals: plain text, nothing escaped
            value = obj[1:-1].decode("utf-8")
        else:
            value = _value(obj.decode("utf-8"))
        key = keys.get(predicate)
        if key is None:
            key = keys[predicate] = compact(predicate[1:-1].decode("utf-8"))
        found = node.get(key)
        if found is None:
            node[key] = [value]
        else:
            found.append(value)
    return nodes


def subject_chunks(lines: Sequence[bytes], parts: int) -> list[Sequence[bytes]]:
    """Sorted N-Triples ``lines`` cut into at most ``parts`` runs of about equal length, each
    cut between two subjects, so that every subject's node object is made from one run.

    >>> subject_chunks([b"<a> <p> 1 .", b"<a> <q> 2 .", b"<b> <p> 3 .", b"<c> <p> 4 ."], 2)
    [[b'<a> <p> 1 .', b'<a> <q> 2 .'], [b'<b> <p> 3 .', b'<c> <p> 4 .']]
    """
    chunks, start = [], 0
    for part in range(1, parts):
        end = max(start, len(lines) * part // parts)
        if end == 0:
            continue
        subject = lines[end - 1][:lines[end - 1].index(b" ")]
        while end < len(lines) and lines[end].startswith(subject + b" "):
            end += 1
        if end > start:
            chunks.append(lines[start:end])
            start = end
    if start < len(lines):
        chunks.append(lines[start:])
    return chunks


def jsonld_document(lines: Sequence[bytes]) -> bytes:
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
