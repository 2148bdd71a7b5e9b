"""Threat-actor groups matched to the MISP galaxy's threat-actor clusters, offline.

The galaxy's data ships with ``pymispgalaxies``; a group resolves to a cluster when one of its names
(label or alias) is, case-insensitively, the value or a synonym of exactly one cluster value.
A name that several clusters claim resolves to none: a wrong match is worse than no match.

>>> match = resolve_threat_actor(["APT-C-39"])
>>> match.value, match.tag
('Longhorn', 'misp-galaxy:threat-actor="Longhorn"')
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

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


def _data_dir() -> Path:
    """The MISP galaxy data pymispgalaxies ships, found without importing it (0.8 s)."""
    spec = find_spec("pymispgalaxies")
    if spec is None or spec.origin is None:
        raise ImportError("No module named 'pymispgalaxies'", name="pymispgalaxies")
    return Path(spec.origin).parent / "data" / "misp-galaxy"


DATA_DIR = _data_dir()


def load_galaxy_file(kind: str, name: str = GALAXY) -> dict:
    """The ``galaxies`` or ``clusters`` JSON file of a galaxy, parsed."""
    return json.loads((DATA_DIR / kind / f"{name}.json").read_text(encoding="utf-8"))


@cache
def galaxy_index() -> dict[str, GalaxyMatch]:
    """Every unambiguous name of the threat-actor galaxy, case-folded, and its cluster value."""
    # The cluster file as pymispgalaxies' Cluster reads it, without the checks that make Cluster()
    # take 2 s.
    claimed: dict[str, set[str]] = defaultdict(set)
    values: dict[str, GalaxyMatch] = {}
    for entry in load_galaxy_file("clusters")["values"]:
        synonyms = tuple(sorted(set((entry.get("meta") or {}).get("synonyms", []))))
        values[entry["uuid"]] = GalaxyMatch(entry["value"], entry["uuid"], synonyms, entry.get("description"))
        for name in (entry["value"], *synonyms):
            claimed[name.casefold()].add(entry["uuid"])
    return {name: values[next(iter(uuids))] for name, uuids in claimed.items() if len(uuids) == 1}


def resolve_threat_actor(names: Iterable[str]) -> GalaxyMatch | None:
    """The one cluster value any of ``names`` resolves to, or ``None`` (none, or several)."""
    index = galaxy_index()
    found = {index[name.casefold()] for name in names if name.casefold() in index}
    return found.pop() if len(found) == 1 else None
