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


# Turtle's prefixed names (PN_LOCAL), as Oxigraph's writer makes them (oxttl, trig.rs).
_PN_CHARS_U = ("A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
               "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_LOCAL_ESCAPABLE = r"_~.\-!$&'()*+,;=/?#@%"  # what a backslash may escape in a local name
_FIRST_OF_LOCAL = re.compile(f"[{_PN_CHARS_U}:0-9]")
_REST_OF_LOCAL = re.compile(f"[{_PN_CHARS}:.{_LOCAL_ESCAPABLE}]*")
_ESCAPED_IN_LOCAL = re.compile(r"[~!$&'()*+,;=/?#@%]")  # escapable, and no PN_CHARS ("." is, but the last)


def _local_name(local: str) -> str | None:
    """``local`` (not empty) as a Turtle local name, escaped as Oxigraph escapes it, or ``None``
    where it cannot be one (the IRI is then written whole)."""
    first, rest = local[0], local[1:]
    if _FIRST_OF_LOCAL.fullmatch(first):
        head = first
    elif first in _LOCAL_ESCAPABLE:
        head = "\\" + first
    else:
        return None
    if not _REST_OF_LOCAL.fullmatch(rest):
        return None
    rest = _ESCAPED_IN_LOCAL.sub(r"\\\g<0>", rest)
    return head + (rest[:-1] + "\\." if rest.endswith(".") else rest)


class _TurtleIRIs(dict):
    """Each IRI term of N-Triples (``b"<...>"``) as Turtle writes it, made once: the first
    prefix, longest namespace first, of which the rest is a local name, else the IRI whole."""

    def __init__(self, prefixes: list[tuple[str, str]]):
        super().__init__()
        self.prefixes = prefixes

    def __missing__(self, term: bytes) -> bytes:
        iri = term[1:-1].decode("utf-8")
        self[term] = written = term
        for name, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace):]
                local = _local_name(local) if local else ""
                if local is not None:
                    self[term] = written = f"{name}:{local}".encode()
                    break
        return written


_BARE_LITERALS = {  # datatype: the lexical forms Turtle writes without quotes
    "http://www.w3.org/2001/XMLSchema#boolean": re.compile(rb"true|false"),
    "http://www.w3.org/2001/XMLSchema#integer": re.compile(rb"[+-]?[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#decimal": re.compile(rb"[+-]?[0-9]*\.[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#double": re.compile(rb"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
}
_IRI_START, _QUOTE, _IRI_END = ord("<"), ord('"'), ord(">")


def turtle_lines(lines: Iterable[bytes], prefixes: Mapping[str, str]) -> bytes:
    """Turtle of sorted canonical N-Triples ``lines`` (UTF-8, without their line breaks, as
    :func:`ntriples` and :func:`store_ntriples` write them), with ``prefixes`` declared and used.

    The bytes Oxigraph's Turtle writer gives for the same triples in the same order: the
    consecutive triples of a subject grouped (``;``), of a predicate too (``,``); prefixes
    declared longest namespace first; ``a`` for ``rdf:type``; booleans, integers, decimals and
    doubles in Turtle's own syntax bare. Each line is cut at its first two spaces, not parsed
    (parsing a million triples into terms took longer than writing them), and each term is
    turned into Turtle once.

    >>> print(turtle_lines([b'<urn:a> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    ...                     b'<urn:a> <urn:p> <urn:x/y> .'], {"ex": "urn:"}).decode(), end="")
    @prefix ex: <urn:> .
    ex:a ex:p 1 , ex:x\\/y .
    """
    order = sorted(sorted(prefixes.items()), key=lambda item: -len(item[1]))  # stable: by name within a length
    iris, verbs = _TurtleIRIs(order), _TurtleIRIs(order)
    verbs[b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"] = b"a"  # as a predicate only
    typed: dict[bytes, bytes] = {}
    pieces = [f"@prefix {name}: <{namespace}> .\n".encode() for name, namespace in order]
    subject = predicate = None
    for line in lines:
        term, verb, obj = line[:-2].split(b" ", 2)
        if obj[0] == _IRI_START:
            obj = iris[obj]
        elif obj[0] == _QUOTE and obj[-1] == _IRI_END:  # a typed literal
            written = typed.get(obj)
            if written is None:
                end = obj.rindex(b'"^^<')
                bare = _BARE_LITERALS.get(obj[end + 4:-1].decode("utf-8"))
                written = typed[obj] = obj[1:end] if bare is not None and bare.fullmatch(obj[1:end]) else \
                    obj[:end + 3] + iris[obj[end + 3:]]
            obj = written
        if term == subject:
            if verb == predicate:
                pieces.append(b" , " + obj)
            else:
                predicate = verb
                pieces.append(b" ;\n\t" + verbs[verb] + b" " + obj)
        else:
            if subject is not None:
                pieces.append(b" .\n")
            subject, predicate = term, verb
            pieces.append((iris[term] if term[0] == _IRI_START else term) + b" " + verbs[verb] + b" " + obj)
    if subject is None:
        return b""  # Oxigraph declares the prefixes with the first triple
    pieces.append(b" .\n")
    return b"".join(pieces)


def turtle(ntriples_data: bytes | Iterable[bytes], prefixes: Mapping[str, str]) -> bytes:
    """Turtle of a sorted canonical N-Triples document (or of its pieces, in order, each whole
    lines), in its order, with ``prefixes`` (name -> IRI text) declared and used
    (:func:`turtle_lines`); given sorted N-Triples the Turtle is sorted too, so it diffs as
    well as the N-Triples.
    """
    pieces = [ntriples_data] if isinstance(ntriples_data, bytes) else ntriples_data
    return turtle_lines(chain.from_iterable(piece.splitlines() for piece in pieces), prefixes)


def store_ntriples(store: ox.Store) -> bytes:
    """Canonical N-Triples of an Oxigraph store's default graph, as :func:`ntriples` writes them.

    Oxigraph writes each term canonically and a store holds no triple twice, so sorting its lines
    gives :func:`ntriples`'s bytes without turning a million terms into rdflib objects.
    """
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return b"".join(sorted(data.splitlines(keepends=True)))
