"""The names the extractor knows, each tied to its canonical entity.

Four authorities, in the order the canonical-id rule of ``seeds/README.md`` (*Drafts*) gives
them: the entities already in the corpus (its catalog and drafts), the shipped seeds catalog,
the countries of ISO 3166 (pycountry, plus the short names of ``country_names.yaml``) and the
threat actors of the MISP galaxy (pymispgalaxies' offline copy). A name two authorities give
belongs to the first. Names are matched as whole words, case-sensitively, longest first.

>>> slug("Cybersecurity and Infrastructure Security Agency")
'cybersecurity-and-infrastructure-security-agency'
>>> slug("China’s Ministry of State Security")
'chinas-ministry-of-state-security'
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml

_APOSTROPHES = re.compile(r"['’ʼ‘`]")
_OTHER = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """NFKD -> ASCII, lower case, apostrophes removed, other non-alphanumerics -> ``-``."""
    text = _APOSTROPHES.sub("", str(name))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _OTHER.sub("-", text).strip("-")


@dataclass(frozen=True)
class Entity:
    """A canonical entity and everything a draft needs to define it on its own.

    ``record`` is the entity's YAML mapping (id, type, label, aliases and, for incidents and
    events, when/target/...), as a draft or catalog writes it; ``same_as`` its authority links.
    """

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    authority: str = "new"  # corpus, catalog, country, misp-galaxy or new
    record: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Mention:
    """A name found in a text at ``[start, end)``."""

    start: int
    end: int
    text: str
    entity: Entity


class Gazetteer:
    """Names -> entities, with a scan that finds every known name in a text.

    >>> g = Gazetteer([Entity("apt28", "ThreatActorGroup", "APT28", ("Fancy Bear",))])
    >>> [(m.text, m.entity.id) for m in g.find("Fancy Bear, also APT28, struck.")]
    [('Fancy Bear', 'apt28'), ('APT28', 'apt28')]
    """

    def __init__(self, entities=()):
        self.by_name: dict[str, Entity] = {}
        self.by_id: dict[str, Entity] = {}
        self._by_first: dict[str, list[str]] = defaultdict(list)
        self.by_folded: dict[str, Entity] = {}  # names compared without case: "Telebots" is MISP's "TeleBots"
        for entity in entities:
            self.add(entity)

    def add(self, entity: Entity) -> None:
        """Add ``entity`` unless its id is known; names already taken stay with their entity."""
        if entity.id in self.by_id:
            return
        self.by_id[entity.id] = entity
        # Articles spell apostrophes both ways: "People's Republic" and "People’s Republic".
        spellings = (n for name in entity.names for n in dict.fromkeys((name, name.replace("’", "'"), name.replace("'", "’"))))
        for name in spellings:
            if name and name not in self.by_name:
                self.by_name[name] = entity
                self.by_folded.setdefault(name.casefold(), entity)
                names = self._by_first[_first_word(name)]
                names.append(name)
                names.sort(key=lambda n: (-len(n), n))

    def add_names(self, entity_id: str, names) -> None:
        """File more ``names`` under the known entity ``entity_id``; names already taken stay
        with their entity. Example: ``gazetteer.add_names("china", ("Beijing",))``."""
        entity = self.by_id[entity_id]
        for name in names:
            for spelling in dict.fromkeys((name, name.replace("’", "'"), name.replace("'", "’"))):
                if spelling and spelling not in self.by_name:
                    self.by_name[spelling] = entity
                    self.by_folded.setdefault(spelling.casefold(), entity)
                    filed = self._by_first[_first_word(spelling)]
                    filed.append(spelling)
                    filed.sort(key=lambda n: (-len(n), n))

    def find(self, text: str) -> list[Mention]:
        """Every known name in ``text`` as whole words; the longest wins, none overlap."""
        found, taken_until = [], 0
        for match in _WORD_START.finditer(text):
            start = match.start()
            if start < taken_until:
                continue
            for name in self._by_first.get(match.group(), ()):
                end = start + len(name)
                if text.startswith(name, start) and not (end < len(text) and (text[end].isalnum() or text[end] == "_")):
                    found.append(Mention(start, end, name, self.by_name[name]))
                    taken_until = end
                    break
        return found


_WORD_START = re.compile(r"(?<!\w)\w+")


def _first_word(name: str) -> str:
    """The key a name is filed under: its first word (names are scanned at word starts)."""
    match = _WORD_START.match(name)
    return match.group() if match else name[:1]


# --------------------------------------------------------------------------- the authorities

def catalog_entities(path: Path | str, authority: str = "catalog") -> list[Entity]:
    """The things of a ``catalog.yaml`` (or a draft's ``things:``) as entities."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [entity_of(record, authority) for record in data.get("things") or [] if isinstance(record, dict)]


def entity_of(record: dict, authority: str) -> Entity:
    """One ``things:`` mapping as an :class:`Entity`; a seeds-catalog entity links back to itself."""
    same_as = tuple(record.get("same_as") or ())
    if authority == "catalog":
        same_as = (f"catalog:{record['id']}",) + same_as
    return Entity(str(record["id"]), str(record["type"]), str(record["label"]),
                  tuple(str(a) for a in record.get("aliases") or ()), same_as, authority, dict(record))


def _regular_adjective(name: str) -> tuple[str, ...]:
    """The adjective of a one-word country name in -ia, which adds an n ("Albania": "Albanian",
    "Estonia": "Estonian"), so that "Albanian government websites" names the country as
    ``country_names.yaml`` makes "Russian" name Russia; other names' adjectives are listed there.

    >>> _regular_adjective("Albania"), _regular_adjective("Canada"), _regular_adjective("Saudi Arabia")
    (('Albanian',), (), ())
    """
    return (f"{name}n",) if re.fullmatch(r"[A-Z][a-z]+ia", name) else ()


@lru_cache(maxsize=1)
def countries() -> tuple[Entity, ...]:
    """Every ISO 3166 country, id from its common name (else its name), with short names added."""
    import pycountry

    extra = yaml.safe_load(files(__package__).joinpath("country_names.yaml").read_text(encoding="utf-8"))
    entities = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        label = getattr(country, "common_name", None) or country.name
        names = [label, country.name, getattr(country, "official_name", None), *extra.get(country.alpha_2, ()),
                 *_regular_adjective(label)]
        aliases = tuple(dict.fromkeys(n for n in names[1:] if n and n != label))
        entities.append(Entity(slug(label), "Country", label, aliases, (f"iso3166:{country.alpha_2}",), "country"))
    return tuple(entities)


_NOT_A_NAME = re.compile(r"^([A-Z]{1,3}|[a-z\d@._-]+|.*[^\x00-\x7f].*)$")


@lru_cache(maxsize=1)
def threat_actors() -> tuple[Entity, ...]:
    """The MISP threat-actor galaxy: one entity per cluster, its synonyms as aliases.

    Synonyms that would match ordinary text (three letters or fewer, all lower case) are left out.
    """
    import pymispgalaxies

    path = Path(pymispgalaxies.__file__).parent / "data" / "misp-galaxy" / "clusters" / "threat-actor.json"
    galaxy = json.loads(path.read_text(encoding="utf-8"))
    entities = []
    for cluster in sorted(galaxy["values"], key=lambda c: c["value"]):
        synonyms = (cluster.get("meta") or {}).get("synonyms") or ()
        names = {s for s in synonyms if not _NOT_A_NAME.match(s)}
        # Vendors print their names in capitals (VOODOO BEAR); articles write Voodoo Bear.
        names |= {s.title() for s in names if s.isupper() and " " in s}
        aliases = tuple(sorted(names - {cluster["value"]}))
        entities.append(Entity(slug(cluster["value"]), "ThreatActorGroup", cluster["value"], aliases,
                               (f"misp-galaxy:threat-actor/{cluster['uuid']}",), "misp-galaxy"))
    return tuple(entities)


def known_names(catalog_path: Path | str | None, corpus_entities=()) -> Gazetteer:
    """The gazetteer of a run: the corpus's entities, the seeds catalog, countries, MISP actors.

    An entity of an earlier authority that shares a name with a country or a MISP cluster gets
    that authority's link too (the seeds' ``apt-c-39`` is MISP's Longhorn).
    """
    gazetteer = Gazetteer(corpus_entities)
    if catalog_path is not None:
        for entity in catalog_entities(catalog_path):
            gazetteer.add(entity)
    for entity in (*countries(), *threat_actors()):
        owners = {gazetteer.by_name[n].id for n in entity.names
                  if n in gazetteer.by_name and gazetteer.by_name[n].authority != entity.authority}
        for owner_id in sorted(owners):
            owner = gazetteer.by_id[owner_id]
            if owner.type == entity.type and entity.same_as[0] not in owner.same_as:
                _relink(gazetteer, replace(owner, same_as=owner.same_as + entity.same_as))
        same_type = [gazetteer.by_id[i] for i in sorted(owners) if gazetteer.by_id[i].type == entity.type]
        if len(same_type) == 1:
            # The catalog's China is ISO's China: its capital and short names ("Beijing denied") are
            # the catalog entity's too, where no other entity has them.
            gazetteer.add_names(same_type[0].id, entity.names)
        if not owners:
            gazetteer.add(entity)
    # A cluster's own name is its, even where another cluster lists it among its synonyms.
    for entity in threat_actors():
        if gazetteer.by_id.get(entity.id) == entity:
            gazetteer.by_name[entity.label] = entity
    return gazetteer


def _relink(gazetteer: Gazetteer, entity: Entity) -> None:
    gazetteer.by_id[entity.id] = entity
    for name, owner in list(gazetteer.by_name.items()):
        if owner.id == entity.id:
            gazetteer.by_name[name] = entity
