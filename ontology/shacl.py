"""SHACL Core validation of the shipped shapes, in one pass over the triples.

pyshacl checks the seed graph in a second, but a million-triple graph in minutes, which is more
than a whole build may take. Our shapes use a small part of SHACL Core: targets by class,
subject and object; property shapes on predicate paths; counts, classes, datatypes, lengths,
patterns, ranges, ``sh:in`` and the logical ``sh:or``/``sh:not``/``sh:and``/``sh:node``. This
module validates exactly that part and refuses a shapes graph that uses anything else, so a new
shape can never be silently ignored. ``tests/test_shacl.py`` checks it against pyshacl, the
reference implementation, on the seed graph and on broken copies of it.

>>> from incidentkg.ontology.annotations import load_corpus
>>> from incidentkg.ontology.mapping import corpus_to_graph
>>> from incidentkg.ontology.vocab import IKG
>>> from incidentkg.seeds import SEEDS_DIR
>>> graph = corpus_to_graph(load_corpus(SEEDS_DIR))
>>> validate(graph, shipped_shapes())
[]
>>> claim = next(graph.subjects(IKG.stance, None))
>>> broken = [*graph, (claim, IKG.stance, IKG.Article)]
>>> [(v.path.fragment, v.component.fragment) for v in validate(broken, shipped_shapes())]
[('stance', 'ClassConstraintComponent'), ('stance', 'MaxCountConstraintComponent')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from .schema import SHAPES_FILE
from ..exceptions import ShapesError

Term = URIRef | BNode | Literal


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result."""

    focus: Term
    path: URIRef | None
    component: URIRef
    value: Term | None
    message: str
    severity: URIRef = SH.Violation


@dataclass(frozen=True)
class Constraint:
    """One constraint parameter of a shape (``sh:maxCount 1``), with the test it stands for."""

    parameter: URIRef
    argument: object
    component: URIRef
    test: Callable  # (data, value, argument) -> bool, or for counts (number of values, argument) -> bool
    counts: bool


@dataclass(frozen=True)
class Shape:
    """A node shape, or a property shape when ``path`` is set."""

    node: Term
    path: URIRef | None
    constraints: tuple[Constraint, ...]
    properties: tuple[Shape, ...]
    message: str | None
    severity: URIRef
    targets: tuple[tuple[URIRef, Term], ...] = ()


class Data:
    """The data graph as the validator reads it: each subject's values by predicate.

    Predicates and classes are kept as plain strings: rdflib terms compare in Python, and a
    million-triple graph compares them tens of millions of times.
    """

    def __init__(self, triples: Iterable[tuple[Term, Term, Term]], predicates: set[str] | None = None):
        """Index ``triples``, or only those whose predicate is in ``predicates`` when given."""
        self.values: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            key = str(p)
            if predicates is None or key in predicates:
                self.values[s][key].append(o)
        self._supers: dict[str, frozenset[str]] = {}
        self._pairs: dict[str, list[tuple[Term, Term]]] = {}

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        """Distinct values of ``predicate`` on ``subject``, in insertion order."""
        found = self.values.get(subject)
        return list(dict.fromkeys(found.get(predicate, ()))) if found else []

    def pairs(self, predicate: str) -> list[tuple[Term, Term]]:
        """Every (subject, object) of ``predicate``, by subject in insertion order.

        Read once per predicate: every class-targeted shape asks for ``rdf:type``, and a scan
        of every subject per shape costs more than the checks themselves.
        """
        if predicate not in self._pairs:
            self._pairs[predicate] = [(subject, obj) for subject, values in self.values.items()
                                      for obj in values.get(predicate, ())]
        return self._pairs[predicate]

    def superclasses(self, cls: str) -> frozenset[str]:
        """``cls`` and everything it is an ``rdfs:subClassOf*`` of, in this data graph."""
        if cls not in self._supers:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(URIRef(todo.pop()), _SUBCLASS_OF):
                    if str(parent) not in seen:
                        seen.add(str(parent))
                        todo.append(str(parent))
            self._supers[cls] = frozenset(seen)
        return self._supers[cls]

    def is_instance(self, node: Term, cls: Term) -> bool:
        """SHACL's instance test: ``node rdf:type/rdfs:subClassOf* cls``."""
        cls = str(cls)
        return any(cls in self.superclasses(str(t)) for t in self.objects(node, _TYPE))

    def focus_nodes(self, shape: Shape) -> list[Term]:
        """The targets of ``shape``, each once, in a stable order."""
        found: dict[Term, None] = {}
        for kind, value in shape.targets:
            if kind == SH.targetNode:
                found[value] = None
            elif kind == SH.targetClass:
                found.update((s, None) for s, t in self.pairs(_TYPE) if str(value) in self.superclasses(str(t)))
            elif kind == SH.targetSubjectsOf:
                found.update((s, None) for s, _ in self.pairs(str(value)))
            elif kind == SH.targetObjectsOf:
                found.update((o, None) for _, o in self.pairs(str(value)))
        return list(found)


_TYPE, _SUBCLASS_OF = str(RDF.type), str(RDFS.subClassOf)


def read_predicates(shapes: Iterable[Shape]) -> set[str]:
    """Every predicate validating ``shapes`` reads: paths, targets, types and subclasses."""
    found = {_TYPE, _SUBCLASS_OF}
    todo = list(shapes)
    while todo:
        shape = todo.pop()
        if shape.path is not None:
            found.add(str(shape.path))
        found.update(str(value) for kind, value in shape.targets if kind in (SH.targetSubjectsOf, SH.targetObjectsOf))
        todo.extend(shape.properties)
        todo.extend(v for c in shape.constraints if isinstance(c.argument, tuple)
                    for v in c.argument if isinstance(v, Shape))
    return found


# --------------------------------------------------------------------------- reading shapes

_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
# Predicates that describe a shape without constraining anything.
_DESCRIPTIVE = {RDF.type, RDFS.comment, RDFS.label, SH.message, SH.severity, SH.name, SH.description,
                SH.order, SH.group, SH.path, SH.property, SH.deactivated, *_TARGETS}
_LISTS = {SH["in"], SH["or"], SH["and"]}


def read_shapes(graph: Graph) -> list[Shape]:
    """Every active node shape of a shapes graph, in IRI order.

    Raises
    ------
    ShapesError
        When a shape uses a constraint, a path or a target this module does not implement.
    """
    roots = {s for s in graph.subjects(RDF.type, SH.NodeShape)}
    roots |= {s for kind in _TARGETS for s in graph.subjects(kind, None)}
    return [_read_shape(graph, node) for node in sorted(roots, key=str)
            if graph.value(node, SH.deactivated) != Literal(True)]


def _read_shape(graph: Graph, node: Term) -> Shape:
    path = graph.value(node, SH.path)
    if path is not None and not isinstance(path, URIRef):
        raise ShapesError(f"{node}: only predicate paths are supported, not {path!r}")
    constraints = []
    for predicate, value in sorted(graph.predicate_objects(node)):
        if predicate in _DESCRIPTIVE:
            continue
        if predicate not in _COMPONENTS:
            raise ShapesError(f"{node}: unsupported SHACL parameter {predicate}")
        if predicate in _LISTS:
            value = tuple(Collection(graph, value))
        if predicate in _SHAPE_VALUED:
            value = tuple(_read_shape(graph, v) for v in (value if isinstance(value, tuple) else (value,)))
        counts = predicate in _COUNT_TESTS
        constraints.append(Constraint(predicate, value, _component(predicate),
                                      _COUNT_TESTS[predicate] if counts else _VALUE_TESTS[predicate], counts))
    properties = tuple(_read_shape(graph, p) for p in sorted(graph.objects(node, SH.property), key=str))
    message = graph.value(node, SH.message)
    return Shape(node, path, tuple(constraints), properties, str(message) if message is not None else None,
                 graph.value(node, SH.severity) or SH.Violation,
                 tuple(sorted((kind, value) for kind in _TARGETS for value in graph.objects(node, kind))))


@cache
def shipped_shapes() -> tuple[Shape, ...]:
    """The shapes of ``ontology/shapes.ttl``."""
    return tuple(read_shapes(Graph().parse(data=SHAPES_FILE.read_text(encoding="utf-8"), format="turtle")))


# --------------------------------------------------------------------------- constraint components

def _number(term: Term) -> Decimal | None:
    if not isinstance(term, Literal) or term.ill_typed:
        return None
    try:
        return Decimal(str(term))
    except InvalidOperation:
        return None


def _datatype_ok(value: Term, datatype: URIRef) -> bool:
    if not isinstance(value, Literal) or value.ill_typed:
        return False
    actual = value.datatype or (RDF.langString if value.language else XSD.string)
    return actual == datatype


def _conforms(data: Data, node: Term, shapes: tuple[Shape, ...]) -> list[bool]:
    return [not any(True for _ in _check(data, shape, node)) for shape in shapes]


# Each value-level component: (data, value node, parameter) -> whether the value conforms.
_VALUE_TESTS: dict[URIRef, Callable[[Data, Term, object], bool]] = {
    SH["class"]: lambda data, value, cls: not isinstance(value, Literal) and data.is_instance(value, cls),
    SH.datatype: lambda data, value, datatype: _datatype_ok(value, datatype),
    SH.nodeKind: lambda data, value, kind: kind in _NODE_KINDS[type(value)],
    SH.minLength: lambda data, value, n: not isinstance(value, BNode) and len(str(value)) >= int(n),
    SH.maxLength: lambda data, value, n: not isinstance(value, BNode) and len(str(value)) <= int(n),
    SH.pattern: lambda data, value, regex: not isinstance(value, BNode) and bool(re.search(str(regex), str(value))),
    SH.minInclusive: lambda data, value, n: (x := _number(value)) is not None and x >= _number(n),
    SH.maxInclusive: lambda data, value, n: (x := _number(value)) is not None and x <= _number(n),
    SH.minExclusive: lambda data, value, n: (x := _number(value)) is not None and x > _number(n),
    SH.maxExclusive: lambda data, value, n: (x := _number(value)) is not None and x < _number(n),
    SH["in"]: lambda data, value, members: value in members,
    SH["or"]: lambda data, value, shapes: any(_conforms(data, value, shapes)),
    SH["and"]: lambda data, value, shapes: all(_conforms(data, value, shapes)),
    SH["not"]: lambda data, value, shapes: not any(_conforms(data, value, shapes)),
    SH.node: lambda data, value, shapes: all(_conforms(data, value, shapes)),
}
_NODE_KINDS = {
    URIRef: {SH.IRI, SH.BlankNodeOrIRI, SH.IRIOrLiteral},
    BNode: {SH.BlankNode, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral},
    Literal: {SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral},
}
# Each count-level component: (number of values, parameter) -> whether the count conforms.
_COUNT_TESTS: dict[URIRef, Callable[[int, object], bool]] = {
    SH.minCount: lambda count, n: count >= int(n),
    SH.maxCount: lambda count, n: count <= int(n),
}
_COMPONENTS = {**_VALUE_TESTS, **_COUNT_TESTS}
_SHAPE_VALUED = {SH["or"], SH["and"], SH["not"], SH.node}
# Where the names of the results differ from the parameter's (sh:class -> sh:ClassConstraintComponent).
_COMPONENT_NAMES = {SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive", SH.minExclusive: "MinExclusive",
                    SH.maxExclusive: "MaxExclusive", SH.minCount: "MinCount", SH.maxCount: "MaxCount",
                    SH.minLength: "MinLength", SH.maxLength: "MaxLength", SH.nodeKind: "NodeKind"}


def _component(parameter: URIRef) -> URIRef:
    local = str(parameter)[len(str(SH)):]
    return SH[_COMPONENT_NAMES.get(parameter, local[:1].upper() + local[1:]) + "ConstraintComponent"]


# --------------------------------------------------------------------------- validation

def _check(data: Data, shape: Shape, focus: Term) -> Iterable[Violation]:
    values = data.objects(focus, str(shape.path)) if shape.path is not None else [focus]
    message = shape.message or ""
    for c in shape.constraints:
        if c.counts:
            if not c.test(len(values), c.argument):
                yield Violation(focus, shape.path, c.component, None,
                                message or f"{len(values)} values, {c.parameter.fragment} {c.argument}", shape.severity)
            continue
        for value in values:
            if not c.test(data, value, c.argument):
                yield Violation(focus, shape.path, c.component, value,
                                message or f"value {value} breaks {c.parameter.fragment}", shape.severity)
    for prop in shape.properties:
        for value in values:
            yield from _check(data, prop, value)


def validate(triples: Iterable[tuple[Term, Term, Term]], shapes: Iterable[Shape]) -> list[Violation]:
    """Every result of validating ``triples`` (ontology included) against ``shapes``.

    Parameters
    ----------
    triples : iterable of (subject, predicate, object)
        The data graph: an rdflib ``Graph`` or any iterable of rdflib-term triples.
    shapes : iterable of Shape
        From :func:`read_shapes` or :func:`shipped_shapes`.

    Returns
    -------
    list of Violation
        Sorted by focus node, path, component and value; empty when the data conforms.
    """
    shapes = tuple(shapes)
    data = Data(triples, read_predicates(shapes))
    results = [violation for shape in shapes for focus in data.focus_nodes(shape)
               for violation in _check(data, shape, focus)]
    return sorted(results, key=lambda v: (str(v.focus), str(v.path or ""), str(v.component), str(v.value or "")))
