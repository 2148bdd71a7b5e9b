"""Check a built graph: the SHACL shapes, and that every quote stands where the claim says.

Both checks read plain triples, so the build runs them on the triples it is about to write,
without an rdflib ``Graph``; an rdflib ``Graph`` works as well.

>>> from incidentkg.ontology.annotations import load_corpus
>>> from incidentkg.ontology.mapping import corpus_to_graph
>>> from incidentkg.seeds import SEEDS_DIR
>>> validate_graph(corpus_to_graph(load_corpus(SEEDS_DIR)))
[]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable

from rdflib import RDFS, SKOS
from rdflib.namespace import SH

from .mapping import NameIndex
from .prefixes import prefixed_name
from .shacl import shipped_shapes, validate
from .vocab import ID, IKG


def shacl_problems(triples: Collection[tuple]) -> list[str]:
    """One readable line per SHACL violation: ``<focus node> <path>: <message>``."""
    problems = []
    for violation in validate(triples, shipped_shapes()):
        if violation.severity != SH.Violation:
            continue
        path = "" if violation.path is None else " " + (prefixed_name(violation.path) or f"<{violation.path}>")
        problems.append(f"{violation.focus}{path}: {violation.message}")
    return sorted(problems)


def quote_problems(triples: Collection[tuple]) -> list[str]:
    """Claims whose quote is not the article text between their recorded offsets."""
    wanted = {IKG.quote, IKG.quoteStart, IKG.quoteEnd, IKG.inArticle, IKG.fullText}
    values: dict[tuple, object] = {(s, p): o for s, p, o in triples if p in wanted}
    problems = []
    for (claim, predicate), quote in values.items():
        if predicate != IKG.quote:
            continue
        text = values.get((values.get((claim, IKG.inArticle)), IKG.fullText))
        try:
            start, end = int(values[claim, IKG.quoteStart]), int(values[claim, IKG.quoteEnd])
        except (KeyError, ValueError):
            continue  # a missing or ill-typed offset is a SHACL violation, reported there
        if text is None or str(text)[start:end] != str(quote):
            problems.append(f"{claim}: quote {str(quote)!r} is not at [{start}:{end}] of its article")
    return sorted(problems)


def validate_graph(triples: Iterable[tuple]) -> list[str]:
    """Every problem of a built graph (SHACL, then quotes); an empty list means it is valid.

    ``triples``: a list, or a ``Graph`` or any iterable, which is read once into a list (both
    checks read every triple, and iterating rdflib's store costs more than either check).
    """
    triples = triples if isinstance(triples, list) else list(triples)
    return shacl_problems(triples) + quote_problems(triples)


# --------------------------------------------------------------------------- weak claims (warnings)

# A sentence ends at . ! ? (and a closing quote) before a space, or at a line break; not after
# a lone capital letter, as in "U.S." or "J. Smith".
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?。][\"”’']?(?=\s)|\n")


def quote_sentence(text: str, start: int, end: int) -> str:
    """The sentence(s) of ``text`` that the quote at ``[start:end]`` stands in.

    >>> quote_sentence("One. Mao said the US did it. Three.", 9, 27)
    'Mao said the US did it.'
    """
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, max(end - 1, begin))
    return text[begin: after.end() if after else len(text)].strip()


def weak_claims(triples: Collection[tuple]) -> list[str]:
    """Claims whose words do not name whom they accuse: one warning line each.

    A claim's accused party must be named (by its label or an alias, as whole words) in the
    quote or the sentence the quote stands in. When none of the accused parties is named there,
    nor the claim's subject, the claim is weak. These are warnings for the curator or the
    reviewer: the graph is still valid.
    """
    wanted = {IKG.quote, IKG.quoteStart, IKG.quoteEnd, IKG.inArticle, IKG.fullText, IKG.about, IKG.accused}
    labels, data = {RDFS.label, SKOS.altLabel}, str(ID)  # looked up once, not once a triple
    values: dict[tuple, list] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    for s, p, o in triples:
        if p in wanted:
            values[s, p].append(o)
        elif p in labels and s.startswith(data):
            names[str(s)].append(str(o))
    values = dict(values)  # from here on, a missing key is missing, not made
    indexes: dict[str, NameIndex] = {}  # one per thing, made when first asked: parties recur

    def named(thing: str, text: str) -> bool:
        if thing not in indexes:
            indexes[thing] = NameIndex.of_names([(thing, names.get(thing, ()))])
        return bool(indexes[thing].mentioned(text))

    warnings = []
    for (claim, predicate), accused in values.items():
        if predicate != IKG.accused:
            continue
        try:
            start, end = int(values[claim, IKG.quoteStart][0]), int(values[claim, IKG.quoteEnd][0])
            text = str(values[values[claim, IKG.inArticle][0], IKG.fullText][0])
        except (KeyError, ValueError):
            continue  # reported by the shapes or the quote check
        sentence = quote_sentence(text, start, end)
        unnamed = sorted(str(party) for party in accused if not named(str(party), sentence))
        if not unnamed:
            continue
        parties = ", ".join(prefixed_name(party) or party for party in unnamed)
        if len(unnamed) == len(accused) and not any(named(str(a), sentence) for a in values.get((claim, IKG.about), ())):
            warnings.append(f"{claim}: weak claim: the quote and its sentence name neither its subject nor its "
                            f"accused ({parties}): {text[start:end]!r}")
        else:
            warnings.append(f"{claim}: accused {parties} not named in the quote or its sentence")
    return sorted(warnings)
