"""Which claims cannot all be right: found once, while the build holds the claims.

Two kinds of conflict, each one resource per subject (and measure):

- **figure**: figures of one measure on one subject that give different values;
- **stance**: on one subject, a denial against an assertion or allegation where both name the
  same party (and the claimants differ), or where the denier is, or speaks for, the party the
  other claim accuses (is it, or is affiliated with, part of or a national of it, transitively).

The same rules give the pairs of claims that disagree (:func:`figure_pairs`,
:func:`stance_pairs`), so that a pairwise listing needs no quadratic query.

>>> a = ClaimFacts("urn:a", "urn:leak", "urn:police", ikg("asserted"), (), "people", Decimal(7))
>>> b = ClaimFacts("urn:b", "urn:leak", "urn:hacker", ikg("asserted"), (), "people", Decimal(9))
>>> [(c.kind, c.claims) for c in find_conflicts([a, b], lambda actor: {actor})]
[('figure', ('urn:a', 'urn:b'))]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from .terms import IKG

DENIED = str(IKG.denied)
# The links along which a denier speaks for a party (a spokesperson for a ministry, for a country).
SPEAKS_FOR = (IKG.affiliatedWith, IKG.partOf, IKG.country)


def ikg(name: str) -> str:
    """The IRI of an ontology term, as text (``ikg("denied")``)."""
    return str(IKG[name])


@dataclass(frozen=True)
class ClaimFacts:
    """What the conflict rules read of a claim (IRIs as text)."""

    iri: str
    subject: str
    claimant: str
    stance: str
    accused: tuple[str, ...] = ()
    measure: str | None = None
    value: Decimal | None = None
    article: str = ""


@dataclass(frozen=True)
class Conflict:
    """One conflict: its kind, subject, measure (figures), claims and disputed parties (sorted IRIs)."""

    kind: str
    subject: str
    measure: str | None
    claims: tuple[str, ...]
    parties: tuple[str, ...] = ()

    def sides(self, facts: dict[str, ClaimFacts]) -> list[tuple[Decimal | str, list[ClaimFacts]]]:
        """The conflict's claims grouped by the value (figures) or the stance they take, in
        order (smallest value first; stances by IRI)."""
        groups: dict[Decimal | str, list[ClaimFacts]] = defaultdict(list)
        for claim in self.claims:
            fact = facts[claim]
            groups[fact.value if self.kind == "figure" else fact.stance].append(fact)
        return sorted(groups.items())

    def iri(self, data_namespace: str) -> str:
        """A stable IRI under ``data_namespace``: ``conflict/figure/<subject>/<measure>`` or
        ``conflict/stance/<subject>``."""
        local = self.subject[len(data_namespace):] if self.subject.startswith(data_namespace) else quote(self.subject, safe="")
        tail = f"/{quote(self.measure, safe='')}" if self.kind == "figure" else ""
        return f"{data_namespace}conflict/{self.kind}/{local}{tail}"


def reach_along(links: Iterable[tuple[str, str]]) -> Callable[[str], set[str]]:
    """``actor -> {actor and everything it reaches}`` along ``(from, to)`` links (:data:`SPEAKS_FOR`)."""
    out: dict[str, list[str]] = defaultdict(list)
    for source, target in links:
        out[source].append(target)
    cache: dict[str, set[str]] = {}

    def reach(actor: str) -> set[str]:
        if actor not in cache:
            seen, todo = {actor}, [actor]
            while todo:
                for nxt in out.get(todo.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            cache[actor] = seen
        return cache[actor]

    return reach


def figure_pairs(claims: Iterable[ClaimFacts]) -> Iterator[tuple[str, str]]:
    """``(a, b)`` with ``a < b`` of the figures of one subject and measure whose values differ."""
    figures = sorted((c for c in claims if c.value is not None), key=lambda c: c.iri)
    for i, first in enumerate(figures):
        for second in figures[i + 1:]:
            if first.value != second.value:
                yield first.iri, second.iri


def stance_pairs(claims: Iterable[ClaimFacts], reach: Callable[[str], set[str]]) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """``(a, b, parties)`` with ``a < b`` of the claims of one subject that a denial opposes.

    ``parties`` are the sorted IRIs both name, or that the other side accuses and the denier is
    or speaks for (``reach(denier's claimant)``).
    """
    claims = list(claims)
    denials = [c for c in claims if c.stance == DENIED]
    others = [c for c in claims if c.stance != DENIED and c.accused]
    found = []
    for denial in denials:
        speaks_for = reach(denial.claimant)
        for other in others:
            parties = set(other.accused) & speaks_for
            if denial.claimant != other.claimant:
                parties |= set(other.accused) & set(denial.accused)
            if parties:
                first, second = sorted((denial.iri, other.iri))
                found.append((first, second, tuple(sorted(parties))))
    return iter(sorted(set(found)))


def find_conflicts(claims: Iterable[ClaimFacts], reach: Callable[[str], set[str]]) -> list[Conflict]:
    """Every conflict among ``claims``, sorted by kind, subject and measure.

    ``reach`` gives an actor and the parties it speaks for (see :func:`reach_along`).
    """
    by_figure: dict[tuple[str, str], list[ClaimFacts]] = defaultdict(list)
    by_subject: dict[str, list[ClaimFacts]] = defaultdict(list)
    for claim in claims:
        if claim.value is not None and claim.measure is not None:
            by_figure[claim.subject, claim.measure].append(claim)
        by_subject[claim.subject].append(claim)
    conflicts = [Conflict("figure", subject, measure, tuple(sorted(c.iri for c in figures)))
                 for (subject, measure), figures in by_figure.items()
                 if len({c.value for c in figures}) > 1]
    for subject, subject_claims in by_subject.items():
        pairs = list(stance_pairs(subject_claims, reach))
        if pairs:
            conflicts.append(Conflict("stance", subject, None,
                                      tuple(sorted({iri for a, b, _ in pairs for iri in (a, b)})),
                                      tuple(sorted({p for *_, parties in pairs for p in parties}))))
    return sorted(conflicts, key=lambda c: (c.kind, c.subject, c.measure or ""))
