"""Threat-actor groups matched to the MISP galaxy's threat-actor clusters, offline.

The galaxy ships with ``pymispgalaxies``; a group resolves to a cluster when one of its names
(label or alias) is, case-insensitively, the value or a synonym of exactly one cluster value.
A name that several clusters claim resolves to none: a wrong match is worse than no match.

>>> match = resolve_threat_actor(["APT-C-39"])
>>> match.value, match.tag
('Longhorn', 'misp-galaxy:threat-actor="Longhorn"')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

GALAXY = "threat-actor"


@dataclass(frozen=True)
class GalaxyMatch:
    """The cluster value a group resolved to: its name, UUID, synonyms and description."""

    value: str
    uuid: str
    synonyms: tuple[str, ...]
    description: str | None
    galaxy: str = GALAXY

    @property
    def tag(self) -> str:
        """The MISP machine tag of the cluster value (``misp-galaxy:threat-actor="Longhorn"``)."""
        return f'misp-galaxy:{self.galaxy}="{self.value}"'


@cache
def galaxy_index() -> dict[str, GalaxyMatch]:
    """Every unambiguous name of the threat-actor galaxy, lower-cased, and its cluster value."""
    from pymispgalaxies import Cluster

    claimed: dict[str, set[str]] = defaultdict(set)
    values: dict[str, GalaxyMatch] = {}
    for value in Cluster(GALAXY).values():
        synonyms = tuple(sorted(value.meta.synonyms)) if value.meta else ()
        values[value.uuid] = GalaxyMatch(value.value, value.uuid, synonyms, value.description)
        for name in (value.value, *synonyms):
            claimed[name.casefold()].add(value.uuid)
    return {name: values[next(iter(uuids))] for name, uuids in claimed.items() if len(uuids) == 1}


def resolve_threat_actor(names: Iterable[str]) -> GalaxyMatch | None:
    """The one cluster value any of ``names`` resolves to, or ``None`` (none, or several)."""
    index = galaxy_index()
    found = {index[name.casefold()] for name in names if name.casefold() in index}
    return found.pop() if len(found) == 1 else None
