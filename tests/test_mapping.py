"""How articles become triples: mentions found by name, and the files the triples are written to."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import XSD, Graph, Literal, URIRef

from incidentkg.graph.serialize import ntriples, term_ntriples, turtle
from incidentkg.ontology.annotations import Thing
from incidentkg.ontology.mapping import NameIndex
from incidentkg.ontology.prefixes import PREFIX_MAP
from incidentkg.ontology.vocab import IKG

NAMES = {"us": ["United States", "U.S.", "US"], "apt": ["APT-C-39", "APT"], "hash": ["#OpChina", "#Op"],
         "cia": ["CIA", "Central Intelligence Agency"], "wuhan": ["Wuhan", "Wuhan Earthquake Monitoring Center"],
         "e": ["Émile"]}
TEXTS = [
    "The U.S. and the USSR; United States-based, US-made. USA is not US.",
    "APT-C-39 (APT) and APT28; APTs; #OpChina and #Op and a#OpChina; #Opera.",
    "the Central Intelligence Agency's CIA-linked group; CIAs; _CIA",
    "Wuhan Earthquake Monitoring Center in Wuhan; Wuhan Earthquake Monitoring Centers",
    "Émile, Émiles, l'Émile", "", "US", "U.S",
]


def _things() -> list[Thing]:
    return [Thing(thing_id, IKG.Country, names[0], tuple(names[1:]), (), None, None, "", 0)
            for thing_id, names in NAMES.items()]


def _by_regex(text: str) -> set[str]:
    """The reference: one alternation of every name, longest first, as whole words."""
    meanings = {name: thing_id for thing_id, names in NAMES.items() for name in names}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(meanings, key=lambda n: (-len(n), n))))
                         + r")(?!\w)")
    return {meanings[match.group()] for match in pattern.finditer(text)}


@pytest.mark.parametrize("text", TEXTS)
def test_mentions_are_found_as_a_longest_first_alternation_would(text):
    assert NameIndex.of(_things()).mentioned(text) == _by_regex(text)


def test_mentions_in_running_text():
    index = NameIndex.of(_things())
    assert index.mentioned("Wuhan Earthquake Monitoring Centers") == {"wuhan"}  # the short name, not the long
    assert index.mentioned("#Opera and U.S.") == {"us"}


def test_ntriples_escape_every_control_character_as_oxigraph_does():
    text = "".join(map(chr, range(0x00, 0xA0))) + "\u2028 é \\ \""
    assert term_ntriples(Literal(text)) == str(ox.Literal(text))
    assert term_ntriples(Literal("x", lang="zh-Hans")) == str(ox.Literal("x", language="zh-Hans"))


def test_an_iri_ntriples_cannot_hold_is_refused():
    with pytest.raises(ValueError, match="not a valid IRI"):
        term_ntriples(URIRef("https://example.org/a b"))


def test_ntriples_and_turtle_hold_the_same_graph(seed_graph):
    data = ntriples(seed_graph)
    lines = data.decode().splitlines()
    assert lines == sorted(set(lines)) and len(lines) == len(seed_graph)
    from_nt = Graph().parse(data=data, format="nt")
    from_ttl = Graph().parse(data=turtle(data, PREFIX_MAP), format="turtle")
    assert set(from_nt) == set(seed_graph) == set(from_ttl)


def test_typed_literals_keep_their_datatype(seed_graph):
    data = ntriples([(URIRef("urn:a"), URIRef("urn:p"), Literal("2023-07", datatype=XSD.gYearMonth))])
    assert data == b'<urn:a> <urn:p> "2023-07"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .\n'


def test_the_predeclared_prefixes_are_the_vocabularies_the_mapping_uses():
    from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

    from incidentkg.ontology.vocab import ID, IKG, SCHEMA

    used = {"ikg": IKG._NS, "id": ID, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "skos": SKOS, "prov": PROV,
            "time": TIME, "dcterms": DCTERMS, "schema": SCHEMA, "xsd": XSD}
    assert {prefix: str(namespace) for prefix, namespace in used.items()} == PREFIX_MAP


def test_the_text_terms_and_rdflibs_name_the_same_iris():
    from incidentkg.ontology import terms, vocab

    assert {name: str(vocab.IKG[name]) for name in terms.IKG_TERMS} == {name: terms.IKG[name] for name in terms.IKG_TERMS}
    assert all(type(terms.IKG[name]) is str for name in terms.IKG_TERMS)  # equal to a scan's text, unlike a URIRef
    namespaces = ("ID", "SCHEMA", "SKOSXL", "MISP_CLUSTER", "ISO3166", "ONTOLOGY_IRI")
    assert [str(getattr(vocab, name)) for name in namespaces] == [str(getattr(terms, name)) for name in namespaces]


@pytest.mark.parametrize("name", ["incidentkg.ontology.terms", "incidentkg.ontology.keys",
                                  "incidentkg.ontology.prefixes", "incidentkg.ontology.vocab"])
def test_docstring_examples_of_the_vocabulary_modules(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0

def test_turtle_is_the_bytes_oxigraph_writes_for_every_kind_of_term():
    # Local names that need escapes or cannot be one, a name that is a whole namespace, blank
    # nodes, rdf:type as an object, bare and quoted typed literals, language tags, escapes.
    xsd = "http://www.w3.org/2001/XMLSchema#"
    data = "".join(sorted(f"{line}\n" for line in [
        '<urn:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:T> .',
        '<urn:a> <urn:p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> .',
        '<urn:a> <urn:p> <urn:x/y.z.> .', '<urn:a> <urn:p> <urn:-x> .', '<urn:a> <urn:p> <urn:.x> .',
        '<urn:a> <urn:p> <urn:x~(y)%41> .', '<urn:a> <urn:p> <urn:> .', '<urn:a> <urn:p> <urn:\u00b7x> .',
        '<urn:a> <urn:p> <urn:x\u00d7y> .', '<urn:a> <urn:p> <urn:2:x\u00e9> .', '<urn:a> <urn:q> _:b1 .',
        '_:b1 <urn:p> "x"@en-gb .', '_:b1 <urn:p> "say \\"hi\\"\\n\\u0007" .', '<urn:a> <urn:p> <other:x> .',
        *(f'<urn:n> <urn:v> "{value}"^^<{xsd}{kind}> .' for kind, values in (
            ("integer", ["12", "-3", "+4", "1.0", "x"]), ("decimal", ["1.5", ".5", "-2.", "7"]),
            ("double", ["1e3", "1.5E-2", ".5e1", "1.5", "INF"]), ("boolean", ["true", "false", "1"]),
            ("date", ["2020-01-01"]), ("gYear", ["2020"])) for value in values),
        '<urn:n> <urn:w> "1"^^<urn:type> .',
    ]))
    prefixes = {"ex": "urn:", "xsd": xsd, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                "ikg": "https://w3id.org/incidentkg/ontology#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    oxigraph = ox.serialize(ox.parse(input=data.encode(), format=ox.RdfFormat.N_TRIPLES),
                            format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert turtle(data.encode(), prefixes) == oxigraph
    assert turtle(b"", prefixes) == ox.serialize([], format=ox.RdfFormat.TURTLE, prefixes=prefixes) == b""
