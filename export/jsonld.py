"""JSON-LD of the RDF graph, compacted with the context shipped as ``ontology/context.jsonld``.

One node object per subject, in the sorted N-Triples' order, one per line; IRIs under a prefix of
the context are written as compact IRIs (``id:china``, ``ikg:claimant``). The context is
written into the document, so it reads offline; it is the same one linked-data tools can load from
the package. The result parses back to the same triples (tested).
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path

import orjson
import pyoxigraph as ox

from . import Exporter
from .rdf import sorted_ntriples

CONTEXT_FILE = files("incidentkg.ontology") / "context.jsonld"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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


def _node_ref(term: ox.NamedNode | ox.BlankNode) -> str:
    return compact(term.value) if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _value(term) -> dict | str:
    if not isinstance(term, ox.Literal):
        return {"@id": _node_ref(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value != _XSD_STRING:
        return {"@value": term.value, "@type": compact(term.datatype.value)}
    return term.value


def node_objects(ntriples_data: bytes) -> list[dict]:
    """The JSON-LD node objects of sorted N-Triples: one per subject, properties in order."""
    nodes: dict[str, dict] = {}
    for triple in ox.parse(input=ntriples_data, format=ox.RdfFormat.N_TRIPLES):
        ref = _node_ref(triple.subject)
        node = nodes.get(ref)
        if node is None:
            node = nodes[ref] = {"@id": ref}
        predicate = triple.predicate.value
        if predicate == _RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(triple.object.value))
        else:
            node.setdefault(compact(predicate), []).append(_value(triple.object))
    return list(nodes.values())


def jsonld_document(ntriples_data: bytes) -> bytes:
    """A JSON-LD document (``@context`` and ``@graph``) of sorted N-Triples, one node a line."""
    lines = b",\n".join(orjson.dumps(node) for node in node_objects(ntriples_data))
    return b'{"@context": ' + orjson.dumps(context()) + b',\n"@graph": [\n' + lines + b"\n]}\n"


class JSONLDExporter(Exporter):
    """The graph as compacted JSON-LD (``graph.jsonld``)."""

    name = "jsonld"
    default_path = "graph.jsonld"

    def write(self, source) -> None:
        self.data = sorted_ntriples(source)

    def finalize(self) -> list[Path]:
        return self.write_file(jsonld_document(self.data))
