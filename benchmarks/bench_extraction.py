"""Extraction benchmark: how close ``incidentkg ingest``'s drafts come to curated annotations.

Three sets, scored the same way and printed one after the other, each under its name:

- the dev set (``benchmarks/devset/``): every ``raw/`` input is ingested into one fresh corpus
  (resolved against the shipped seeds catalog, countries and MISP, never the dev set's own
  catalog) and each draft is compared with the gold ``NNN_slug.yaml`` of the same stem;
- the held-out set (``benchmarks/heldout/``), in the same layout and scored the same way: written
  by someone who did not tune the extractor, it measures how the extraction generalises. It must
  never be used for tuning (read its README);
- the seeds, leave one out: each seed article is drafted against a catalog of what the other
  four name (the seeds catalog's things they mention, and their own things).

Entities are what the build finds of the corpus's names in an article's title and body plus what
its claims and byline refer to (incidents and events aside); they match on canonical id, or when a
normalised name of one is a name of the other. Incidents are those the claims are about and those
named; they match on id, name or a shared target, a same-dated one first when two gold incidents
share the target (events a claim is about, on id or name). A
claim matches a gold claim with the same type, a matching claimant and incident (or event) and an
overlapping quote; stance and the accused (the same set of parties) are scored on matched claims.
Dates must be exactly right (the same resolved label): publication dates per article, claim dates
on matched claims, event dates on matched incidents. Chrome entities are extracted entities named
in the set's ``chrome-names.list``. Why gold claims were missed is printed as totals per set (never
per article). Throughput is the rules path's ingest of each set (read, clean, extract, write),
after the names are loaded once, best of three runs.

``--nlp`` scores the spaCy path instead (``ingest --nlp``, the ``nlp`` extra) and times both
paths in the same run (the model loaded once, before the clock starts), with their ratio.

    python benchmarks/bench_extraction.py [--devset benchmarks/devset] [--heldout benchmarks/heldout] [--nlp] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

from incidentkg.ingest.corpus import Corpus, ingest_file
from incidentkg.ingest.names import known_names
from incidentkg.ontology.annotations import load_corpus
from incidentkg.ontology.mapping import NameIndex
from incidentkg.ontology.schema import load_ontology
from incidentkg.ontology.vocab import IKG
from incidentkg.seeds import SEEDS_DIR

HERE = Path(__file__).resolve().parent


def norm(name: str) -> str:
    """A name compared loosely: lower case, no leading "the", no punctuation."""
    text = re.sub(r"['’]s\b", "", name.lower())
    text = re.sub(r"^the\s+", "", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


class Side:
    """One article's entities, incidents and claims, from a loaded corpus."""

    def __init__(self, corpus, article, ontology):
        self.things = corpus.things
        self.article = article
        index = NameIndex.of(corpus.things.values())
        # The title is text of the article too (the curated set's bodies include it; a draft's
        # body starts after its header).
        ids = index.mentioned(f"{article.title}\n\n{article.body}" if article.title else article.body)
        for claim in article.claims:
            ids.update((claim.claimant, *claim.accused))
        ids.update(article.authors)
        ids.update(i for i in (article.publisher,) if i)
        self.occurrence = {i for i in ids | {c.about for c in article.claims}
                           if i in corpus.things and ontology.is_a(corpus.things[i].cls, IKG.Occurrence)}
        self.incidents = {i for i in self.occurrence if ontology.is_a(corpus.things[i].cls, IKG.Incident)}
        self.entities = {i for i in ids if i in corpus.things} - self.occurrence

    def names(self, thing_id: str) -> set[str]:
        thing = self.things[thing_id]
        return {norm(n) for n in (thing.label, *thing.aliases)} | {norm(thing_id.replace("-", " "))}

    def targets(self, thing_id: str) -> set[str]:
        return {v for info, v in self.things[thing_id].properties if info.iri == IKG.target}


def match(gold_ids, found_ids, same) -> dict[str, str]:
    """A one-to-one map found id -> gold id, exact ids first, then the unused gold for which
    ``same(found, gold)`` is highest (a bool or a rank; 0 or False is no match; ties go to the
    first gold id in sorted order)."""
    mapping, used = {}, set()
    for found in sorted(found_ids):
        if found in gold_ids and found not in used:
            mapping[found] = found
            used.add(found)
    for found in sorted(set(found_ids) - set(mapping)):
        ranked = [(same(found, g), g) for g in sorted(gold_ids) if g not in used]
        rank, gold = max(ranked, key=lambda pair: pair[0], default=(0, None))
        if rank:
            mapping[found] = gold
            used.add(gold)
    return mapping


def overlaps(found_claim, gold_claim, found_body: str) -> bool:
    start = found_body.find(gold_claim.quote)
    if start >= 0:
        return start < found_claim.end and found_claim.start < start + len(gold_claim.quote)
    return gold_claim.quote in found_claim.quote or found_claim.quote in gold_claim.quote


def score_article(gold: Side, found: Side, totals: Counter, chrome: set[str]) -> None:
    entity_map = match(gold.entities, found.entities, lambda f, g: bool(found.names(f) & gold.names(g)))
    totals["entities_gold"] += len(gold.entities)
    totals["entities_found"] += len(found.entities)
    totals["entities_matched"] += len(entity_map)
    totals["chrome_entities"] += sum(1 for f in found.entities if found.names(f) & chrome)

    def same_incident(f, g):
        """3 for a shared name; for a shared target, 2 when the dates agree too, else 1: of two
        gold incidents against one target (two Yahoo intrusions), the draft's is the same-dated."""
        if found.names(f) & gold.names(g):
            return 3
        if {entity_map.get(t, t) for t in found.targets(f)} & gold.targets(g):
            return 2 if found.things[f].when.label == gold.things[g].when.label else 1
        return 0
    incident_map = match(gold.incidents, found.incidents, same_incident)
    totals["incidents_gold"] += len(gold.incidents)
    totals["incidents_found"] += len(found.incidents)
    totals["incidents_matched"] += len(incident_map)
    for f, g in incident_map.items():
        totals["event_dates"] += 1
        totals["event_dates_right"] += found.things[f].when.label == gold.things[g].when.label
    # A claim may be about an event (a statement, a meeting) rather than an incident: events match
    # by name, so that a claim about one can match at all (they are not scored as incidents).
    event_map = match(gold.occurrence - gold.incidents, found.occurrence - found.incidents,
                      lambda f, g: bool(found.names(f) & gold.names(g)))
    subject_map = {**incident_map, **event_map}

    totals["claims_gold"] += len(gold.article.claims)
    totals["claims_found"] += len(found.article.claims)
    used = set()
    for claim in found.article.claims:
        for number, wanted in enumerate(gold.article.claims):
            if number in used or claim.claim_type != wanted.claim_type:
                continue
            if entity_map.get(claim.claimant) != wanted.claimant or subject_map.get(claim.about) != wanted.about:
                continue
            if overlaps(claim, wanted, found.article.body):
                used.add(number)
                totals["claims_matched"] += 1
                totals["stance_right"] += claim.stance == wanted.stance
                totals["accused_right"] += {entity_map.get(a, a) for a in claim.accused} == set(wanted.accused)
                totals["claim_dates_right"] += claim.made.label == wanted.made.label
                break
    missed = [wanted for number, wanted in enumerate(gold.article.claims) if number not in used]
    count_claim_misses(missed, found, entity_map, subject_map, totals)
    totals["articles"] += 1
    totals["published_right"] += gold.article.published.label == found.article.published.label


def count_claim_misses(missed, found: Side, entity_map: dict, subject_map: dict, totals: Counter) -> None:
    """Why gold claims were missed, as totals (a set's articles are not listed, so that a held-out
    set's misses can be reported without showing what to tune on).

    A missed gold claim with no drafted claim overlapping its quote counts as ``no_draft``; else
    each of type, claimant and incident counts when none of the overlapping drafts has it right
    (one claim can count under several).
    """
    for wanted in missed:
        near = [claim for claim in found.article.claims if overlaps(claim, wanted, found.article.body)]
        if not near:
            totals["claims_missed_no_draft"] += 1
            continue
        totals["claims_missed_type"] += not any(c.claim_type == wanted.claim_type for c in near)
        totals["claims_missed_claimant"] += not any(entity_map.get(c.claimant) == wanted.claimant for c in near)
        totals["claims_missed_incident"] += not any(subject_map.get(c.about) == wanted.about for c in near)


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def summary(totals: Counter) -> dict:
    t = totals
    return {
        "articles": t["articles"],
        "entity_precision": ratio(t["entities_matched"], t["entities_found"]),
        "entity_recall": ratio(t["entities_matched"], t["entities_gold"]),
        "incident_precision": ratio(t["incidents_matched"], t["incidents_found"]),
        "incident_recall": ratio(t["incidents_matched"], t["incidents_gold"]),
        "claim_precision": ratio(t["claims_matched"], t["claims_found"]),
        "claim_recall": ratio(t["claims_matched"], t["claims_gold"]),
        "stance_accuracy": ratio(t["stance_right"], t["claims_matched"]),
        "accused_accuracy": ratio(t["accused_right"], t["claims_matched"]),
        "publication_dates": ratio(t["published_right"], t["articles"]),
        "claim_dates": ratio(t["claim_dates_right"], t["claims_matched"]),
        "event_dates": ratio(t["event_dates_right"], t["event_dates"]),
        "chrome_entities": t["chrome_entities"],
        "claims_missed": (f"{t['claims_gold'] - t['claims_matched']} of {t['claims_gold']}: no draft "
                          f"{t['claims_missed_no_draft']}, type {t['claims_missed_type']}, claimant "
                          f"{t['claims_missed_claimant']}, incident {t['claims_missed_incident']}"),
        "counts": dict(sorted(t.items())),
    }


def sides(gold_corpus, found_dir: Path, ontology, stem_of) -> list[tuple[Side, Side]]:
    found_corpus = load_corpus(found_dir, ontology)
    for problem in found_corpus.problems:  # a draft that does not load is not scored: say so
        print(f"draft set aside, not scored: {problem}", file=sys.stderr)
    gold_by_stem = {a.stem: a for a in gold_corpus.articles}
    pairs = []
    for article in found_corpus.articles:
        gold = gold_by_stem.get(stem_of(article))
        if gold is not None:
            pairs.append((Side(gold_corpus, gold, ontology), Side(found_corpus, article, ontology)))
    return pairs


def ingest_all(raw: list[Path], folder: str, nlp: bool = False) -> tuple[float, float, list[str]]:
    """Ingest ``raw`` into a fresh corpus ``folder``: (names load s, ingest s, failures)."""
    corpus = Corpus(folder)
    started = time.perf_counter()
    names = corpus.names()
    loaded = time.perf_counter()
    failures = []
    for path in raw:
        try:
            ingest_file(path, corpus, names, nlp=nlp)
        except Exception as error:  # a benchmark reports, and scores what it has
            failures.append(f"{path.name}: {error}")
    return loaded - started, time.perf_counter() - loaded, failures


def throughput(raw: list[Path], nlp: bool, repeats: int) -> dict:
    """The dev set's ingest speed, best of ``repeats`` runs (the machine is shared)."""
    runs = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as folder:
            runs.append(ingest_all(raw, folder, nlp))
    load_s, ingest_s, failures = min(runs, key=lambda run: run[1])
    return {"articles": len(raw), "names_load_s": round(load_s, 3), "ingest_s": round(ingest_s, 3),
            "articles_per_s": round(len(raw) / ingest_s, 1), "runs": repeats, "failures": failures}


def chrome_names(folder: Path) -> set[str]:
    """The normalised names of a set's ``chrome-names.list`` (empty when it has none)."""
    listing = folder / "chrome-names.list"
    if not listing.exists():
        return set()
    return {norm(line) for line in listing.read_text(encoding="utf-8").splitlines() if line.strip()}


def bench_set(folder: Path, ontology, repeats: int = 3, nlp: bool = False) -> tuple[dict, dict]:
    """Score a gold set laid out as ``benchmarks/devset/``: (scores, throughput of each path)."""
    gold = load_corpus(folder, ontology)
    chrome = chrome_names(folder)
    raw = sorted((folder / "raw").iterdir())
    import pypdf, trafilatura, ftfy, charset_normalizer  # noqa: F401  (timed apart from the articles)
    speed = {"rules": throughput(raw, False, repeats)}
    if nlp:
        from incidentkg.ingest.nlp import pipeline
        pipeline()  # the model loads once per process, like the names: not an article's cost
        speed["spacy"] = throughput(raw, True, repeats)
        speed["spacy_vs_rules"] = round(speed["spacy"]["articles_per_s"] / speed["rules"]["articles_per_s"], 3)
    with tempfile.TemporaryDirectory() as folder:
        ingest_all(raw, folder, nlp)
        totals = Counter()
        for gold_side, found_side in sides(gold, Path(folder), ontology,
                                           lambda a: Path(a.source or "").stem):
            score_article(gold_side, found_side, totals, chrome)
    return summary(totals), speed


def leave_one_out_catalog(seeds, held_out: str, path: Path) -> None:
    """A catalog of the seeds catalog's things the other articles name, plus their own things."""
    catalog = yaml.safe_load((SEEDS_DIR / "catalog.yaml").read_text(encoding="utf-8"))["things"]
    index = NameIndex.of(seeds.things.values())
    named, own = set(), []
    for article in seeds.articles:
        if article.stem == held_out:
            continue
        named |= index.mentioned(article.body)
        for claim in article.claims:
            named.update((claim.claimant, claim.about, *claim.accused, *claim.via))
        own.extend(yaml.safe_load(article.text_path.with_suffix(".yaml").read_text(encoding="utf-8")).get("things") or [])
    kept = [t for t in catalog if t["id"] in named]
    for thing in kept + own:  # references to things left out would not resolve
        for key in ("country", "part_of", "affiliated_with", "participant", "concerns", "location", "affected",
                    "used_malware", "target"):
            thing.pop(key, None)
    path.write_text(yaml.safe_dump({"things": kept + own}, allow_unicode=True), encoding="utf-8")


def bench_seeds(ontology, nlp: bool = False) -> dict:
    seeds = load_corpus(SEEDS_DIR, ontology)
    totals = Counter()
    for article in seeds.articles:
        with tempfile.TemporaryDirectory() as folder:
            catalog = Path(folder) / "loo-catalog.yaml"
            leave_one_out_catalog(seeds, article.stem, catalog)
            out = Path(folder) / "corpus"
            corpus = Corpus(out)
            ingest_file(article.text_path, corpus, known_names(catalog), nlp=nlp)
            for gold_side, found_side in sides(seeds, out, ontology, lambda a: Path(a.source).stem):
                score_article(gold_side, found_side, totals, set())
    return summary(totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=HERE / "devset")
    parser.add_argument("--heldout", type=Path, default=HERE / "heldout",
                        help="the held-out set (scored, never tuned on); a folder without raw/ is skipped")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--nlp", action="store_true", help="score the spaCy path (the nlp extra) and time both paths")
    args = parser.parse_args()
    ontology = load_ontology()
    results = {"path": "spacy" if args.nlp else "rules", "load_before": os.getloadavg()}
    for name, folder in (("devset", args.devset), ("heldout", args.heldout)):
        if (folder / "raw").is_dir():
            results[name], results[f"{name}_throughput"] = bench_set(folder, ontology, nlp=args.nlp)
    results["seeds_leave_one_out"] = bench_seeds(ontology, args.nlp)
    results["load_after"] = os.getloadavg()
    names = [name for name in ("devset", "heldout", "seeds_leave_one_out") if name in results]
    print(f"{results['path'] + ' path':22}" + "".join(f"{name:>22}" for name in names))
    for key in results[names[-1]]:
        if key not in ("counts", "claims_missed"):
            print(f"  {key:20}" + "".join(f"{str(results[name].get(key)):>22}" for name in names))
    for name in names:
        print(f"== {name} claims missed: {results[name]['claims_missed']}")
    for name in ("devset", "heldout"):
        for path, speed in results.get(f"{name}_throughput", {}).items():
            print(f"== {name} throughput ({path}): {speed}")
    print(f"load average before {results['load_before']}, after {results['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
