"""Generate a synthetic incidentkg corpus in the seeds folder format (``seeds/README.md``).

Deterministic: everything comes from one seeded ``random.Random`` (no wall clock, no hashing of
memory addresses), so the same ``--triples``/``--seed`` always writes byte-identical files.

The corpus has the seeds' shape: a ``catalog.yaml`` (actors of every type with aliases, places,
countries, malware, sectors, incidents and shared events with stated, inferred, interval and
unknown dates) and ``NNNNN_<hash>.txt`` + ``.yaml`` article pairs (header noise around the body,
datelines, copies of earlier articles carried by another outlet, article-local events with
relative dates, claims whose quotes stand verbatim in the body, conflicting ``figure`` claims on
the same incident and measure). Mentions follow a Zipf-like law: a few actors are everywhere,
most appear once or twice.

    python benchmarks/generate.py --triples 10000 --out /tmp/corpus-10k --check

The article count is chosen from an exact-as-possible count of the triples the real mapping will
make (``--check`` runs the real loader and mapping and prints the true count).
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import random
import shutil
import sys
import time
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

MARKER = "GENERATED.json"
GENERATOR_VERSION = 1

_CONS = "b c d f g k l m n p r s t v z br dr kr tr st sh th".split()
_VOWS = "a e i o u ai ea ou".split()
_WEEKDAYS = list(calendar.day_name)
_MONTHS = list(calendar.month_name)[1:]
_FILLER_NOUNS = ("network equipment, data systems, servers, monitoring stations, email accounts, "
                 "customer records, backup systems, remote access tools, firewalls, databases, "
                 "supply chains, software updates, internal networks, cloud services").split(", ")
_FILLER_VERBS = ("said, reported, stated, noted, added, warned, confirmed, explained, told reporters, "
                 "wrote").split(", ")
_FILLER_ADJ = ("sophisticated, coordinated, persistent, unprecedented, serious, targeted, large-scale, "
               "malicious, covert, repeated, significant, organised").split(", ")
_RELATIVE = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "yesterday",
             "today", "recently", "last week", "earlier this week", "this month", "on the 3rd",
             "in May", "last July", "this year"]
_MEASURES = [("people affected", "people"), ("records leaked", "records"),
             ("hosts infected", "hosts"), ("ransom demanded", "USD"), ("servers compromised", "servers")]
_QUALIFIERS = ["exactly", "more than", "about", "up to", "at least"]
_SECTORS = ["energy sector", "banking sector", "healthcare providers", "telecommunications operators",
            "aerospace industry", "research institutions", "government agencies", "water utilities",
            "shipping companies", "universities", "defence contractors", "retail chains",
            "election infrastructure", "satellite operators", "railway operators"]


def _q(text) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(text), ensure_ascii=False)


class Generator:
    def __init__(self, target: int, seed: int = 42):
        self.rng = random.Random(seed)
        self.target = target
        self.seed = seed
        self.used_names: set[str] = set()
        self.things: dict[str, dict] = {}
        self.triples = 0
        from incidentkg.ontology.dates import parse_when  # the real date logic, for exact counts
        from incidentkg.ontology.mapping import time_triples
        from incidentkg.ontology.schema import ontology_graph
        self._parse_when, self._time_triples = parse_when, time_triples
        self.triples = len(ontology_graph())

    # ------------------------------------------------------------------ names and counting
    def root(self) -> str:
        while True:
            word = "".join(self.rng.choice(_CONS) + self.rng.choice(_VOWS)
                           for _ in range(self.rng.choice((2, 3, 3)))) + self.rng.choice(("n", "r", "l", "", "s"))
            word = word.capitalize()
            if word not in self.used_names and len(word) >= 5:
                self.used_names.add(word)
                return word

    def acronym(self, words: list[str]) -> str | None:
        acro = "".join(w[0] for w in words if w[:1].isupper()).upper()
        acro += self.rng.choice("ACGIKNST")
        if len(acro) >= 3 and acro not in self.used_names:
            self.used_names.add(acro)
            return acro
        return None

    def time_count(self, spec, anchor=None) -> int:
        when = self._parse_when(spec, anchor=anchor)
        return 1 + sum(1 for _ in self._time_triples("urn:x", when))  # + occurredAt/madeAt/publishedAt

    def when_of(self, spec, anchor=None):
        return self._parse_when(spec, anchor=anchor)

    # ------------------------------------------------------------------ things
    def add(self, kind: str, cls: str, label: str, aliases=(), props=None, when=None, comment=None,
            anchor=None) -> str:
        thing_id = f"{kind}-{len(self.things):05d}"
        props = {k: v for k, v in (props or {}).items() if v}
        aliases = [a for a in aliases if a and a != label]
        thing = dict(id=thing_id, type=cls, label=label, aliases=aliases, props=props, when=when,
                     comment=comment, kind=kind)
        self.things[thing_id] = thing
        count = 3 + len(aliases) + (1 if comment else 0)
        count += sum(len(v) if isinstance(v, list) else 1 for v in props.values())
        if when is not None:
            count += self.time_count(when, anchor)
        self.triples += count
        return thing_id

    def random_date(self, lo=date(2019, 1, 1), hi=date(2024, 6, 30)) -> date:
        return lo + timedelta(days=self.rng.randrange((hi - lo).days))

    def incident_when(self):
        r = self.rng.random()
        d = self.random_date()
        if r < 0.3:
            return d.isoformat()
        if r < 0.45:
            return d.strftime("%Y-%m")
        if r < 0.55:
            return str(d.year)
        if r < 0.75:
            start = d - timedelta(days=self.rng.randrange(30, 900))
            return {"from": start.strftime("%Y-%m"), "to": d.isoformat(), "basis": "inferred",
                    "reasoning": f"The first report dates the activity to {start:%B %Y}; it was disclosed on {d:%d %B %Y}."}
        if r < 0.88:
            return {"to": d.isoformat(), "basis": "inferred",
                    "reasoning": f"Reported on {d:%d %B %Y}; no article says when it began."}
        return {"unknown": "The articles describe the activity in general terms, with no dates."}

    def build_catalog(self, n_articles: int) -> None:
        r, n = self.rng, n_articles
        self.countries = [self.add("country", "Country", self.root() + "ia") for _ in range(min(60, 8 + n // 40))]
        self.places = [self.add("place", "Place", self.root(), props={"country": r.choice(self.countries)})
                       for _ in range(10 + n // 20)]
        self.sectors = [self.add("sector", "Sector", s) for s in _SECTORS]
        self.outlets = []
        for _ in range(8 + n // 30):
            root = self.root()
            label = f"{root} {r.choice(['Daily', 'Times', 'News', 'Post', 'Herald', 'Network TV'])}"
            self.outlets.append(self.add("outlet", "MediaOutlet", label, aliases=[root] if r.random() < 0.3 else []))
        self.journalists = {o: [self.add("person", "Person", f"{self.root()} {self.root()}", props={"affiliated_with": o})
                                for _ in range(r.choice((0, 1, 2, 2, 3)))] for o in self.outlets}
        self.gov = []
        for _ in range(8 + n // 12):
            root = self.root()
            label = f"Ministry of {root} Affairs" if r.random() < 0.5 else f"{root} Security Agency"
            aliases = [f"{root} ministry" if label.startswith("Ministry") else f"{root} agency"]
            if (acro := self.acronym(label.split())) and r.random() < 0.5:
                aliases.append(acro)
            self.gov.append(self.add("gov", "GovernmentBody", label, aliases=aliases,
                                     props={"country": r.choice(self.countries)}, comment=f"A government body ({root})."))
        self.companies = []
        for _ in range(8 + n // 8):
            root = self.root()
            label = f"{root} {r.choice(['Technologies', 'Security', 'Systems', 'Labs', 'Group', 'Bank', 'Airlines'])}"
            self.companies.append(self.add("company", "Company", label, aliases=[root] if r.random() < 0.6 else [],
                                           props={"country": r.choice(self.countries)}))
        self.orgs = [self.add("org", "Organization", f"{self.root()} {r.choice(['Institute', 'Foundation', 'Center', 'Association'])}",
                              props={"country": r.choice(self.countries)}) for _ in range(5 + n // 20)]
        self.intl = [self.add("intl", "InternationalOrganization", f"{self.root()} Alliance") for _ in range(4)]
        self.apts = []
        for i in range(8 + n // 12):
            root = self.root()
            label = f"APT-{root}-{i}" if r.random() < 0.4 else f"{root} {r.choice(['Group', 'Team', 'Spider', 'Panda', 'Bear'])}"
            aliases = [f"{root} hackers"] + ([f"UNC{1000 + i}"] if r.random() < 0.3 else [])
            self.apts.append(self.add("apt", "ThreatActorGroup", label, aliases=aliases,
                                      props={"affiliated_with": r.choice(self.countries) if r.random() < 0.4 else None}))
        self.malware = [self.add("malware", "Malware", f"{self.root()}{r.choice(['Loader', 'Rat', 'Wiper', 'Door', 'Locker'])}")
                        for _ in range(8 + n // 20)]
        institutions = self.gov + self.companies + self.orgs
        self.people = []
        for _ in range(20 + n // 4):
            first, last = self.root(), self.root()
            self.people.append(self.add("person", "Person", f"{first} {last}", aliases=[last] if r.random() < 0.5 else [],
                                        props={"affiliated_with": r.choice(institutions), "country": r.choice(self.countries)}))
        # Actors ranked by "fame": a Zipf-like law over a shuffled list of every actor.
        self.actors = self.countries + self.gov + self.companies + self.orgs + self.intl + self.apts + self.people + self.outlets
        r.shuffle(self.actors)
        self.actor_cum = list(accumulate(1.0 / (rank + 1) ** 1.1 for rank in range(len(self.actors))))
        self.accusables = self.apts + self.countries
        self.incidents = []
        self.figures: dict[str, dict] = {}
        for _ in range(10 + n // 5):
            root = self.root()
            cls = r.choice(["Cyberattack", "Cyberattack", "DataLeak", "EspionageCampaign", "Incident"])
            noun = {"Cyberattack": "cyberattack", "DataLeak": "data leak", "EspionageCampaign": "espionage campaign",
                    "Incident": "incident"}[cls]
            label = f"{root} {noun}"
            props = {"target": r.sample(self.companies + self.gov + self.sectors, r.choice((1, 1, 2, 3))),
                     "location": r.choice(self.places + self.countries)}
            if cls != "Incident" or r.random() < 0.5:
                props["affected"] = f"Systems of the target of the {root} {noun}, as described by the articles."
            if r.random() < 0.5:
                props["used_malware"] = r.choice(self.malware)
            inc = self.add("incident", cls, label, aliases=[f"{root} attack", f"{root} breach"][: r.choice((0, 1, 2))],
                           props=props, when=self.incident_when())
            self.incidents.append(inc)
            self.figures[inc] = {m: r.choice([1200, 52000, 310000, 5310000, 7000000, 23000000])
                                 for m, _ in r.sample(_MEASURES, 2)}
        self.incident_cum = list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(self.incidents))))
        self.events = []
        for _ in range(5 + n // 10):
            cls = r.choice(["PressConference", "OfficialStatement", "ReportPublication", "LawEnactment", "Prosecution", "Meeting"])
            body = r.choice(self.gov + self.companies)
            d = self.random_date()
            when = d.isoformat() if r.random() < 0.7 else {"date": d.isoformat(), "basis": "inferred",
                                                           "reasoning": f"Two articles date it to {d:%d %B %Y}."}
            self.events.append(self.add("event", cls, f"{self.things[body]['label']} {cls.lower()} of {d:%d %B %Y}",
                                        props={"participant": [body] + self.pick_actors(1), "concerns": self.pick_incident(),
                                               "location": r.choice(self.places)}, when=when))

    def pick_actors(self, k: int) -> list[str]:
        return self.rng.choices(self.actors, cum_weights=self.actor_cum, k=k)

    def pick_incident(self) -> str:
        return self.rng.choices(self.incidents, cum_weights=self.incident_cum, k=1)[0]

    def name(self, thing_id: str) -> str:
        thing = self.things[thing_id]
        return self.rng.choice([thing["label"], thing["label"], *thing["aliases"]])

    # ------------------------------------------------------------------ articles
    def filler(self, names: list[str]) -> str:
        r = self.rng
        a, b = r.sample(_FILLER_NOUNS, 2)
        templates = [
            f"Officials said the {r.choice(_FILLER_ADJ)} intrusion affected {a} and {b}",
            f"The incident has raised concerns about the safety of {a} across the region",
            f"Analysts noted that {b} had been exposed for months before anyone noticed",
            f"Experts have long warned that {a} are a weak point for many organisations",
        ]
        sentence = r.choice(templates)
        if names:
            sentence += ", according to " + " and ".join(names)
        return sentence + "."

    def quote_for(self, ctype: str, about: str, accused: list[str], figure, seen: set[str]):
        r = self.rng
        about_name = self.name(about)
        for attempt in range(50):
            adj, noun = r.choice(_FILLER_ADJ), r.choice(_FILLER_NOUNS)
            if ctype == "figure":
                measure, unit, value, qual = figure
                text = f"{qual} {value:,} {unit} were counted in the {about_name}" if qual != "exactly" else f"{value:,} {unit} were counted in the {about_name}"
            elif ctype in ("attribution", "accusation"):
                text = f"the {adj} {about_name} was carried out by {' and '.join(self.name(a) for a in accused)} against {noun}"
            elif ctype == "denial":
                text = f"we have never carried out any {adj} operation against {noun} and reject these groundless claims"
            elif ctype == "condemnation":
                text = f"we strongly condemn the {adj} {about_name} and its damage to {noun}"
            elif ctype == "demand":
                text = f"those responsible for the {about_name} must stop their {adj} attacks on {noun}"
            elif ctype == "detection":
                text = f"{adj} malicious code was found in the {noun} after the {about_name}"
            elif ctype == "warning":
                text = f"further {adj} attacks on {noun} are likely in the coming weeks"
            else:
                text = f"the {about_name} disrupted {noun} in a {adj} way"
            if attempt:
                text += f" in {r.randrange(2, 60)} locations"
            if text not in seen:
                seen.add(text)
                return text
        raise RuntimeError("could not make a unique quote")

    def article(self, index: int, original: dict | None) -> tuple[str, str, str, int]:
        """One article: (stem, text, yaml, triples)."""
        r = self.rng
        if original is not None:  # a copy of an earlier article, carried by another outlet
            body, claims, title = original["body"], original["claims"], original["title"]
            publisher, authors = original["publisher"], original["authors"]
            carrier = r.choice([o for o in self.outlets if o != publisher])
            pub = original["published_date"] + timedelta(days=r.choice((0, 0, 1, 2)))
            dateline, local = original["dateline"], []
            mentioned = original["mentioned"]
        else:
            carrier = None
            publisher = r.choice(self.outlets) if r.random() < 0.95 else None
            authors = r.sample(self.journalists[publisher], min(len(self.journalists[publisher]), r.choice((0, 1, 1, 2)))) if publisher else []
            pub = self.random_date(date(2020, 1, 1), date(2024, 12, 31))
            topic = self.pick_incident()
            title = f"{self.things[topic]['label'].capitalize()} raises alarm over {r.choice(_FILLER_NOUNS)}"
            dateline = None
            sentences, mentioned, seen = [], set(), set()
            if r.random() < 0.4:
                city = r.choice(self.places)
                expr = f"{self.things[city]['label'].upper()}, {pub:%B} {pub.day}"
                dateline = {"date": pub.isoformat(), "basis": "dateline", "expression": expr}
                sentences.append(f"{expr} -- A new report on the {self.things[topic]['label']} was published.")
            else:
                sentences.append(f"A new report on the {self.things[topic]['label']} was published by investigators.")
            mentioned.add(topic)
            anchor_spec = dateline or {"date": pub.isoformat(), "basis": "stated"}
            local = []
            if r.random() < 0.3:  # an event only this article reports, dated relative to it
                rel = r.choice(_RELATIVE[:5])
                participant = self.pick_actors(1)[0]
                spec = {"relative": rel}
                eid = self.add("local-event", r.choice(["Event", "OfficialStatement", "PressConference"]),
                               f"{self.things[participant]['label']} statement {index} on the {self.things[topic]['label']}",
                               props={"participant": [participant], "concerns": topic}, when=spec,
                               anchor=self.when_of(anchor_spec))
                local.append(eid)
            claims = []
            n_claims = max(1, min(30, int(r.expovariate(1 / 8)) + 1))
            shared_quote = None
            for c in range(n_claims):
                ctype = r.choice(["attribution", "attribution", "accusation", "detection", "condemnation", "denial",
                                  "demand", "figure", "figure", "warning", "description", "description"])
                claimant = self.pick_actors(1)[0]
                about = topic if r.random() < 0.75 else (r.choice(local) if local and r.random() < 0.5 else
                                                         r.choice(self.events) if r.random() < 0.3 else self.pick_incident())
                accused = []
                if ctype in ("attribution", "accusation", "denial"):
                    accused = list(dict.fromkeys(r.choices(self.accusables, k=r.choice((1, 1, 2)))))
                stance = {"denial": "denied", "accusation": "alleged"}.get(ctype, r.choice(["asserted", "asserted", "alleged"]))
                figure = None
                if ctype == "figure":
                    if about not in self.figures:
                        about = topic
                    measure = r.choice(sorted(self.figures[about]))
                    unit = dict(_MEASURES)[measure]
                    value = int(self.figures[about][measure] * r.choice((1, 1, 1, 0.5, 1.4, 2, 0.1)))
                    figure = (measure, unit, value, r.choice(_QUALIFIERS))
                claim = {"id": f"c{c + 1}", "type": ctype, "claimant": claimant, "about": about, "stance": stance,
                         "accused": accused, "figure": figure}
                if shared_quote and r.random() < 0.08 and ctype == shared_quote[1]:  # two claimants, one sentence
                    claim["quote"], claim["about"], claim["accused"] = shared_quote[0], shared_quote[2], shared_quote[3]
                    claim["figure"] = shared_quote[4]
                    claims.append(claim)
                    continue
                quote = self.quote_for(ctype, about, accused, figure, seen)
                shared_quote = (quote, ctype, about, accused, figure)
                claim["quote"] = quote
                mentioned.update((claimant, about, *accused))
                if r.random() < 0.15:
                    claim["via"] = r.choice(self.outlets + self.gov)
                    mentioned.add(claim["via"])
                if r.random() < 0.4:
                    claim["made"] = r.choice(_RELATIVE)
                elif r.random() < 0.05:
                    claim["made"] = (pub - timedelta(days=r.randrange(1, 20))).isoformat()
                if about not in self.events and about not in local and r.random() < 0.1:
                    claim["during"] = r.choice(local or self.events)
                when_words = f" {claim['made']}" if isinstance(claim.get("made"), str) and not claim["made"][0].isdigit() else ""
                speaker = self.name(claimant)
                if "via" in claim:
                    lead = f"According to {self.name(claim['via'])}, {speaker} said{when_words} that {quote}."
                else:
                    lead = r.choice([f"{speaker} said{when_words} that {quote}.", f"“{quote.capitalize()},” {speaker} said{when_words}."])
                    if lead.startswith("“"):  # the quote as written starts with a capital: keep it verbatim
                        claim["quote"] = quote.capitalize()
                        shared_quote = (claim["quote"], *shared_quote[1:])
                sentences.append(lead)
                if r.random() < 0.03:  # the same words again later: the claim is about the second occurrence
                    sentences.append(f"Later, {speaker} repeated that {claim['quote']}.")
                    claim["occurrence"] = 2 if (lead.count(claim["quote"]) == 1) else 3
                # background sentences naming other actors (the Zipf-distributed mentions)
                for _ in range(r.choice((0, 1, 1, 2))):
                    others = self.pick_actors(r.choice((0, 1, 2)))
                    mentioned.update(others)
                    sentences.append(self.filler([self.name(o) for o in others]))
                claims.append(claim)
            for eid in local:
                mentioned.add(eid)
                sentences.append(f"The {self.things[eid]['label']} was widely covered.")
            sentences.append(f"The investigation into the {self.things[topic]['label']} is continuing ({index}).")
            paragraphs, i = [], 0
            while i < len(sentences):
                k = r.choice((2, 3, 4))
                paragraphs.append(" ".join(sentences[i:i + k]))
                i += k
            body = "\n\n".join(paragraphs)
            for claim in claims:
                mentioned.update(x for x in (claim.get("via"), claim.get("claimant"), claim.get("about")) if x)
                mentioned.update(claim["accused"])
        outlet_name = self.things[carrier or publisher]["label"] if (carrier or publisher) else "Aggregator"
        stamp = f"Updated: {pub.isoformat()} {r.randrange(24):02d}:{r.randrange(60):02d}"
        header = f"{outlet_name} | Home | World | Tech | Opinion\n\n{title}\n\n{stamp}\n\nShare: Facebook Twitter\n\n"
        footer = "\n\nMost Viewed in 24 Hours\nCopyright 2024. All rights reserved.\nBUY CHEAP WATCHES ONLINE best price\n"
        text = header + body + footer
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        stem = f"{index:05d}_{digest}"
        unknown_date = original is None and r.random() < 0.03
        published_spec = {"unknown": "The page shows no date."} if unknown_date else \
            {"date": pub.isoformat(), "basis": "stated", "expression": stamp}
        published_when = self.when_of(published_spec)
        dateline_when = self.when_of(dateline, anchor=published_when) if dateline else None
        anchor = dateline_when or published_when
        first, last = body.split("\n\n")[0].split(". ")[0], body.rsplit("\n\n", 1)[-1][-60:]
        # ---- the annotation
        y = [f"# Synthetic article {index} (benchmarks/generate.py, seed {self.seed}).", "article:",
             f"  title: {_q(title)}", f"  publisher: {publisher or 'null'}", f"  carried_by: {carrier or 'null'}",
             f"  author: [{', '.join(authors)}]",
             f"  published: {json.dumps(published_spec, ensure_ascii=False)}",
             # no 'dateline: null' line: the loader reads null as an explicit unknown dateline,
             # which would then anchor every relative date (and every claim) as unknown.
             *([f"  dateline: {json.dumps(dateline, ensure_ascii=False)}"] if dateline else []),
             f"  reliability: {r.choice('ABCDEFF')}", "  language: en", "  body:",
             f"    start: {_q(first)}", f"    end: {_q(last)}"]
        count = 8 + (1 if publisher else 0) + (1 if carrier else 0) + len(authors)  # type label title language fullText sourceFile sha256 reliability
        count += self.time_count(published_spec) + (1 if published_when.day else 0)
        y.append("things:" + ("" if local else " []"))
        for eid in local:
            y.extend(self.thing_yaml(self.things[eid], indent="  "))
        y.append("claims:")
        for claim in claims:
            y.append(f"  - id: {claim['id']}")
            y.append(f"    type: {claim['type']}")
            y.append(f"    claimant: {claim['claimant']}")
            if claim.get("via"):
                y.append(f"    via: {claim['via']}")
            y.append(f"    about: {claim['about']}")
            if claim["accused"]:
                y.append(f"    accused: [{', '.join(claim['accused'])}]")
            y.append(f"    stance: {claim['stance']}")
            y.append(f"    quote: {_q(claim['quote'])}")
            if claim.get("occurrence"):
                y.append(f"    occurrence: {claim['occurrence']}")
            made = claim.get("made")
            made_spec = None
            if made:
                made_spec = {"date": made} if made[0].isdigit() else {"relative": made}
                y.append(f"    made: {json.dumps(made_spec)}")
            if claim.get("during"):
                y.append(f"    during: {claim['during']}")
            if claim["figure"]:
                measure, unit, value, qual = claim["figure"]
                y.append(f"    figure: {{measure: {_q(measure)}, value: {value}, unit: {_q(unit)}, qualifier: {_q(qual)}}}")
                count += 4
            count += 10 + len(claim["accused"]) + (1 if claim.get("via") else 0) + (1 if claim.get("during") else 0)
            count += self.time_count(made_spec, anchor) if made_spec else self.time_count_when(anchor)
        count += len(mentioned)
        if original is None:
            self.last_original = dict(body=body, claims=claims, title=title, publisher=publisher, authors=authors,
                                      published_date=pub, dateline=dateline, mentioned=mentioned)
        return stem, text, "\n".join(y) + "\n", count

    def time_count_when(self, when) -> int:
        return 1 + sum(1 for _ in self._time_triples("urn:x", when))

    def thing_yaml(self, thing: dict, indent: str = "  ") -> list[str]:
        lines = [f"{indent}- id: {thing['id']}", f"{indent}  type: {thing['type']}", f"{indent}  label: {_q(thing['label'])}"]
        if thing["aliases"]:
            lines.append(f"{indent}  aliases: [{', '.join(_q(a) for a in thing['aliases'])}]")
        for key, value in thing["props"].items():
            if isinstance(value, list):
                lines.append(f"{indent}  {key}: [{', '.join(value)}]")
            elif key == "affected":
                lines.append(f"{indent}  {key}: {_q(value)}")
            else:
                lines.append(f"{indent}  {key}: {value}")
        if thing["when"] is not None:
            lines.append(f"{indent}  when: {json.dumps(thing['when'], ensure_ascii=False)}")
        if thing["comment"]:
            lines.append(f"{indent}  comment: {_q(thing['comment'])}")
        return lines

    # ------------------------------------------------------------------ the corpus
    def write(self, out: Path) -> dict:
        per_article = 260  # rough triples per article (incl. its share of the catalog), only to size the catalog
        n_est = max(5, round(self.target / per_article))
        self.build_catalog(n_est)
        catalog_ids = list(self.things)
        articles, index = [], 0
        while self.triples < self.target or index < 3:
            original = self.last_original if index and self.rng.random() < 0.12 else None
            stem, text, annotation, count = self.article(index, original)
            self.triples += count
            articles.append((stem, text, annotation))
            index += 1
        if out.exists():
            if any(out.iterdir()) and not (out / MARKER).exists():
                raise SystemExit(f"{out} exists and was not made by this generator; refusing to overwrite it")
            shutil.rmtree(out)
        out.mkdir(parents=True)
        lines = [f"# Synthetic catalog (benchmarks/generate.py --triples {self.target} --seed {self.seed}).", "things:"]
        for thing_id in catalog_ids:
            lines.extend(self.thing_yaml(self.things[thing_id]))
        (out / "catalog.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        for stem, text, annotation in articles:
            (out / f"{stem}.txt").write_text(text, encoding="utf-8")
            (out / f"{stem}.yaml").write_text(annotation, encoding="utf-8")
        info = {"generator_version": GENERATOR_VERSION, "target_triples": self.target, "seed": self.seed,
                "articles": len(articles), "catalog_things": len(catalog_ids), "estimated_triples": self.triples}
        (out / MARKER).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        return info


def parse_size(text: str) -> int:
    text = str(text).strip().lower().replace("_", "")
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if text.endswith(suffix):
            return int(float(text[:-1]) * factor)
    return int(text)


def ensure_corpus(triples: int, out: Path, seed: int = 42) -> dict:
    """Generate the corpus unless ``out`` already holds the same one (same size, seed, version)."""
    marker = out / MARKER
    if marker.exists():
        info = json.loads(marker.read_text())
        if (info.get("target_triples"), info.get("seed"), info.get("generator_version")) == (triples, seed, GENERATOR_VERSION):
            return info
    return Generator(triples, seed).write(out)


def check(out: Path) -> int:
    """The number of triples the real loader and mapping make of the corpus in ``out``."""
    from incidentkg.ontology.annotations import load_corpus
    from incidentkg.ontology.mapping import corpus_to_graph

    corpus = load_corpus(out)
    if corpus.problems:
        for problem in corpus.problems[:20]:
            print(problem, file=sys.stderr)
        raise SystemExit(f"{len(corpus.problems)} problems in the generated corpus")
    return len(corpus_to_graph(corpus))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="10k", help="target triple count: 10000, 10k, 100k, 1m")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced if it was generated)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--check", action="store_true", help="load and map the corpus and print the real triple count")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    info = Generator(parse_size(args.triples), args.seed).write(args.out)
    print(f"wrote {info['articles']} articles, {info['catalog_things']} catalog things to {args.out} "
          f"(estimated {info['estimated_triples']} triples) in {time.perf_counter() - started:.1f} s")
    if args.check:
        started = time.perf_counter()
        actual = check(args.out)
        print(f"check: {actual} triples from the real mapping (target {parse_size(args.triples)}, "
              f"estimate off by {info['estimated_triples'] - actual:+d}) in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
