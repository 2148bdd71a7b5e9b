"""MISP events of the graph's incidents (PyMISP), for a MISP instance's JSON import.

One event per incident (``info`` its label, ``date`` its first known day), carrying:

- an event report per article with claims about it (title, outlet, day, source file and
  SHA-256, full text);
- the MISP galaxy threat-actor clusters of the groups its attributions name, where a group
  resolves to one (:mod:`.galaxy`), as MISP attaches clusters: a galaxy tag and the cluster;
- every claim about it as analyst data authored by the claimant, quoting the article: an
  attribution, accusation or denial as an *opinion* whose value follows the stance (asserted
  100, alleged 75, denied 0) and whose comment names the accused, any other claim as a *note*.

Nothing in an event states an attribution as fact: the clusters say whom the claims name,
the opinions who names them, how firmly and in which words. Uuids are UUIDv5 of the graph IRIs
and times the articles' days, so the same graph gives the same bytes. The file holds
``{"response": [{"Event": ...}, ...]}``, the shape of MISP's own JSON export.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path

import orjson
from pymisp import MISPEvent, MISPGalaxy, MISPOrganisation
from pymisp.abstract import pymisp_json_default
from rdflib import URIRef

from ..graph.views import gc_paused
from ..ontology.schema import load_ontology
from ..ontology.vocab import IKG
from . import Exporter
from .claims import ATTRIBUTIONS, GraphFacts, json_bytes, uuid5_text
from .forked import balanced_chunks, forked_map, worker_count
from .galaxy import GALAXY, load_galaxy_file, resolve_threat_actor

# How firmly the claimant holds an attribution, as a MISP opinion (0 disagree .. 100 agree).
OPINIONS = {"asserted": 100, "alleged": 75, "denied": 0}
ORGANISATION = "incidentkg"
PARALLEL_FROM = 5_000
"""The number of claims from which the events are made in forked processes (:mod:`.forked`):
at 100k triples (3,349 claims) one process made them in 0.25 s, two in 0.31 s."""


def misp_uuid(*parts: str) -> str:
    """The deterministic UUID of the graph resource (or pair of resources) ``parts``."""
    return uuid5_text(" ".join(parts))


def _time(day: str, *, naive: bool = False) -> datetime:
    """Midnight UTC of ``day``; ``naive`` for analyst data, whose times PyMISP reads as UTC
    and cannot read back with an offset."""
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=None if naive else timezone.utc)


def _galaxy() -> MISPGalaxy:
    """The threat-actor galaxy, as the MISP galaxy data describes it."""
    reference = load_galaxy_file("galaxies")
    galaxy = MISPGalaxy()
    galaxy.from_dict(**{key: reference[key] for key in ("uuid", "name", "type", "description", "namespace")})
    return galaxy


class MISPEvents(GraphFacts):
    """The MISP events of one graph's incidents."""

    # What an event says of its claims and articles. Not what articles mention (at 1M, 89,000 of
    # the 225,000 links): an incident's first day is looked up (day_of), for the incidents alone.
    read_links = ("about", "accused", "claimant", "inArticle", "publisher")

    def __init__(self, source):
        super().__init__(source)
        self.midnights: dict[str, datetime] = {}  # day -> its analyst data's time, made once a day

    def incidents(self) -> list[str]:
        ontology = load_ontology()
        return [node for node, data in self.nodes.items() if ontology.is_a(URIRef(IKG._NS + data["type"]), IKG.Incident)]

    def event(self, incident: str, claims: list[dict]) -> MISPEvent:
        """The event of ``incident`` and the ``claims`` about it."""
        data = self.nodes[incident]
        days = sorted(facts["day"] for facts in claims)
        first = data["earliest"] or data["latest"] or self.day_of(incident)
        event = MISPEvent()
        event.from_dict(uuid=misp_uuid(incident), info=data["label"], date=first, analysis=0,
                        threat_level_id=4, distribution=0, published=False,
                        timestamp=_time(max(days, default=self.day_of(incident))))
        organisation = MISPOrganisation()
        organisation.from_dict(name=ORGANISATION, uuid=misp_uuid(ORGANISATION))
        event.Orgc = organisation
        for article in sorted({facts["article"] for facts in claims if facts["article"]}):
            event.add_event_report(self.label(article), self.report_text(article), uuid=misp_uuid(incident, article),
                                   timestamp=_time(self.days.get(article, self.fallback_day)))
        matches = {}
        for facts in claims:
            if facts["type"] in ATTRIBUTIONS:
                for party in facts["accused"]:
                    if self.nodes[party]["type"] == "ThreatActorGroup":
                        match = resolve_threat_actor([self.label(party), *self.nodes[party]["aliases"]])
                        if match:
                            matches[match.uuid] = match
        if matches:
            galaxy = _galaxy()
            for match in sorted(matches.values(), key=lambda m: m.value):
                event.add_tag(match.tag)
                galaxy.add_galaxy_cluster(uuid=match.uuid, value=match.value, tag_name=match.tag, type=GALAXY,
                                          description=match.description or "", meta={"synonyms": list(match.synonyms)})
            event.add_galaxy(galaxy)
        for facts in claims:
            self.add_voice(event, facts)
        return event

    def report_text(self, article: str) -> str:
        """The event report of an article: where it comes from, then its text."""
        header = [f"**{self.outlet(article)}**, {self.days.get(article, 'date unknown')}"]
        if article in self.values["file"]:
            header.append(f"source file {self.values['file'][article]}, SHA-256 {self.values['sha256'].get(article, '?')}")
        header.append(f"incidentkg: {article}")
        return "\n\n".join(header + [self.values["text"].get(article, "")])

    def add_voice(self, event: MISPEvent, facts: dict) -> None:
        """A claim as an opinion (attributions, denials) or a note, by its claimant, on ``event``.

        The analyst data go on the event as the dicts PyMISP's ``add_opinion`` / ``add_note``
        objects encode to (``MISPNote.to_dict()``: strings stripped, the opinion as a string, no
        timestamp as for any new object), not as the objects: at 1M, 33,677 of them, and making
        and encoding them cost half the export. PyMISP's encoder writes the dicts as it writes
        its own, and reads them back as notes and opinions (the tests load the file with it).
        """
        day = facts["day"]
        when = self.midnights.get(day)
        if when is None:
            when = self.midnights[day] = _time(day, naive=True)
        said = {"uuid": misp_uuid(facts["claim"]), "authors": self.label(facts["claimant"]).strip(),
                "created": when, "modified": when, "object_uuid": event.uuid, "object_type": "Event"}
        text = self.explanation(facts)
        if facts["type"] in ATTRIBUTIONS or facts["type"] == "denial":
            accused = "; ".join(self.label(party) for party in facts["accused"])
            comment = f"{facts['type']} (accused: {accused}): {text}" if accused else f"{facts['type']}: {text}"
            event.Opinion.append({**said, "opinion": str(OPINIONS[facts["stance"]]), "comment": comment.strip()})
        else:
            event.Note.append({**said, "note": f"{facts['type']}: {text}".strip(), "language": "en"})

    def claims_about(self) -> dict[str, list[dict]]:
        """The facts of every claim, by the incident (or other thing) the claim is about."""
        about: dict[str, list[dict]] = {}
        for claim in self.claims:
            facts = self.claim_facts(claim)
            about.setdefault(facts["about"], []).append(facts)
        return about

    def sorted_incidents(self) -> list[str]:
        """The incidents in the order of their events' uuids (the order of the file)."""
        return sorted(self.incidents(), key=misp_uuid)

    def events_json(self, incidents: Sequence[str], about: dict[str, list[dict]]) -> bytes:
        """The events of ``incidents`` as the items of the file's ``response`` list, comma-joined.

        Each event is written as PyMISP's ``to_json(sort_keys=True, indent=2)`` writes it (orjson
        with PyMISP's ``pymisp_json_default``: the nested objects and the times as MISP reads
        them), kept as bytes, then indented by three more levels, as :func:`~.claims.json_bytes`
        of the whole file would: JSON text holds no raw line break, so each line break is one of
        the indentation's.
        """
        return b",\n".join(
            _ITEM_START + orjson.dumps(self.event(incident, about.get(incident, [])), default=pymisp_json_default,
                                       option=_TO_JSON).replace(b"\n", _ITEM_INDENT) + _ITEM_END
            for incident in incidents)


# An event as an item of {"response": [{"Event": ...}, ...]}, indented two spaces a level.
_ITEM_START = b'    {\n      "Event": '
_ITEM_INDENT = b"\n      "
_ITEM_END = b"\n    }"
_TO_JSON = orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2  # PyMISP's to_json(sort_keys=True, indent=2)


def misp_document(source) -> bytes:
    """The file of ``source``'s incidents: ``{"response": [{"Event": ...}, ...]}``, events sorted
    by uuid, as :func:`~.claims.json_bytes` writes it.

    Events are independent, so with many claims they are made in forked processes
    (:mod:`.forked`), each a contiguous run of the sorted events; the bytes are the same.
    """
    events = MISPEvents(source)
    about = events.claims_about()
    incidents = events.sorted_incidents()
    weights = [1 + len(about.get(incident, ())) for incident in incidents]
    chunks = balanced_chunks(incidents, weights, worker_count(sum(weights), PARALLEL_FROM))
    items = [piece for piece in forked_map(lambda chunk: events.events_json(chunk, about), chunks) if piece]
    if not items:
        return json_bytes({"response": []})
    return b'{\n  "response": [\n' + b",\n".join(items) + b"\n  ]\n}\n"


class MISPExporter(Exporter):
    """The graph's incidents as MISP events in one JSON file (``graph.misp.json``)."""

    name = "misp"
    default_path = "graph.misp.json"

    def write(self, source) -> None:
        with gc_paused():
            self.document = misp_document(source)

    def finalize(self) -> list[Path]:
        return self.write_file(self.document)
