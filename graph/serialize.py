"""The graph files a build writes: sorted canonical N-Triples, and Turtle made from them.

Both are written from plain triples (rdflib terms), without building an rdflib ``Graph``: a
million-triple graph is serialised in seconds, and the same triples always give the same bytes,
whatever order they came in.

>>> from rdflib import Literal, URIRef
>>> data = ntriples([(URIRef("urn:b"), URIRef("urn:p"), Literal('say "hi"\\n')),
...                  (URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b"))])
>>> print(data.decode(), end="")
<urn:a> <urn:p> <urn:b> .
<urn:b> <urn:p> "say \\"hi\\"\\n" .
>>> print(turtle(data, {"ex": "urn:"}).decode(), end="")
@prefix ex: <urn:> .
ex:a ex:p ex:b .
ex:b ex:p "say \\"hi\\"\\n" .
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from itertools import chain

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef

# Canonical N-Triples escapes, as Oxigraph writes them: ECHAR where one exists, else \uXXXX.
_ESCAPES = {code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)}
_ESCAPES.update({ord("\b"): "\\b", ord("\t"): "\\t", ord("\n"): "\\n", ord("\f"): "\\f", ord("\r"): "\\r",
                 ord('"'): '\\"', ord("\\"): "\\\\"})
# Characters an IRI may not hold in N-Triples (IRIREF).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@cache  # a graph repeats few IRIs many times
def _iri(iri: str) -> str:
    if _NOT_IN_IRI.search(iri):
        raise ValueError(f"not a valid IRI for N-Triples: {iri!r}")
    return f"<{iri}>"


def term_ntriples(term: URIRef | BNode | Literal) -> str:
    """One term in canonical N-Triples.

    >>> term_ntriples(Literal("2023", datatype=XSD.gYear))
    '"2023"^^<http://www.w3.org/2001/XMLSchema#gYear>'

    Raises
    ------
    ValueError
        For an IRI that N-Triples cannot hold (a space, ``<``, ``"`` ...).
    """
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        quoted = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language.lower()}"  # canonical form, as Oxigraph writes it
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{quoted}^^{term_ntriples(term.datatype)}"
        return quoted
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def ntriples(triples: Iterable[tuple]) -> bytes:
    """Canonical N-Triples of ``triples``: one line each, duplicates dropped, lines sorted."""
    # UTF-8 keeps code point order, so sorting the encoded lines sorts the text.
    lines = {f"{term_ntriples(s)} {term_ntriples(p)} {term_ntriples(o)} .\n".encode() for s, p, o in triples}
    return b"".join(sorted(lines))


def turtle(ntriples_data: bytes | Iterable[bytes], prefixes: Mapping[str, str]) -> bytes:
    """Turtle of an N-Triples document (or of its pieces, in order), in its order, with
    ``prefixes`` (name -> IRI text) declared and used.

    Oxigraph writes it, grouping the consecutive triples of a subject; given sorted N-Triples the
    Turtle is sorted too, so it diffs as well as the N-Triples.
    """
    pieces = [ntriples_data] if isinstance(ntriples_data, bytes) else ntriples_data
    parsed = chain.from_iterable(ox.parse(input=piece, format=ox.RdfFormat.N_TRIPLES) for piece in pieces)
    return ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes))


def store_ntriples(store: ox.Store) -> bytes:
    """Canonical N-Triples of an Oxigraph store's default graph, as :func:`ntriples` writes them.

    Oxigraph writes each term canonically and a store holds no triple twice, so sorting its lines
    gives :func:`ntriples`'s bytes without turning a million terms into rdflib objects.
    """
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return b"".join(sorted(data.splitlines(keepends=True)))
