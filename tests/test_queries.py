"""The saved query library (graph/queries/*.rq) on the seed corpus, through both SPARQL engines.

Every query runs on the rdflib graph the build maps the seeds to and on an in-memory Oxigraph
store loaded from it; both must give the same rows in the same order, unbound and with
parameters. The answers are checked against what the seed articles say.
"""

from __future__ import annotations

import re

import pyoxigraph
import pytest
import rdflib

from incidentkg.graph.sparql import QueryError, saved_queries, select
from incidentkg.graph.serialize import ntriples
from incidentkg.ontology.annotations import load_corpus
from incidentkg.ontology.mapping import corpus_to_graph
from incidentkg.ontology.schema import ontology_graph
from incidentkg.seeds import SEEDS_DIR

ID = "https://w3id.org/incidentkg/id/"
IKG = "https://w3id.org/incidentkg/ontology#"

EXPECTED_QUERIES = {
    "timeline", "attributions", "claims-by-claimant", "accusation-pairs", "contradictions",
    "sources", "incidents-by-target", "entities-by-alias", "claims-as-of", "article-claims",
}

# Example bindings per query (unbound is always run as well).
EXAMPLES: dict[str, list[dict[str, str]]] = {
    "timeline": [{"from": "2021-01-01", "to": "2021-12-31"}, {"from": "2023-01-01"}, {"to": "2020-12-31"}],
    "attributions": [{"incident": ID + "wuhan-emc-cyberattack"}, {"incident": ID + "apt-c-39-operations"}],
    "claims-by-claimant": [{"claimant": ID + "zhao-lijian"}, {"claimant": ID + "cverc"}],
    "accusation-pairs": [],
    "contradictions": [],
    "sources": [{"entity": ID + "united-states"}, {"entity": ID + "wuhan-emc-cyberattack"}],
    "incidents-by-target": [{"target": ID + "wuhan-emc"}, {"target": ID + "wuhan-emergency-management-bureau"}],
    "entities-by-alias": [{"name": "Foreign Ministry"}, {"name": "360"}, {"name": "wuhan"}],
    "claims-as-of": [{"date": "2022-12-31"}, {"date": "2021-07-20"}],
    "article-claims": [{"article": ID + "article/003_b1b842b01fcdc3fe"}, {"article": ID + "article/004_8a545dddbdeb0a1d"}],
}

CASES = [(name, params) for name in sorted(EXAMPLES) for params in [{}, *EXAMPLES[name]]]

HOSTILE = [
    'x" } ; DROP ALL ; SELECT * { "',
    "' } ; DELETE WHERE { ?s ?p ?o } #",
    '"><script>alert(1)</script>',
]
# Starts with "<" and ends with ">": sparql.py reads it as an IRI, which pyoxigraph rejects.
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def graph():
    return corpus_to_graph(load_corpus(SEEDS_DIR))


@pytest.fixture(scope="module")
def store(graph):
    store = pyoxigraph.Store()
    store.bulk_load(input=ntriples(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def run(graph, store, name: str, params: dict[str, str] | None = None) -> list[dict]:
    """The rows of saved query ``name`` after checking that both engines agree on them."""
    text = saved_queries()[name].text
    from_rdflib = select(graph, text, params)
    from_oxigraph = select(store, text, params)
    assert from_rdflib == from_oxigraph, f"{name} {params}: engines differ"
    return from_rdflib


def short(iri: str | None) -> str | None:
    return iri[len(ID):] if iri and iri.startswith(ID) else iri


# ------------------------------------------------------------------------------ the library


def test_library_has_every_query():
    assert EXPECTED_QUERIES <= set(saved_queries())


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_header_declares_description_and_used_parameters(name):
    query = saved_queries()[name]
    first = query.text.splitlines()[0]
    assert re.match(r"^# [A-Z][\w ,-]*: \S", first), f"{name}: first line must be '# Title: question'"
    assert len(query.description) > 40
    body = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    projection = re.search(r"SELECT(.*?)WHERE", body, re.S).group(1)
    for parameter in query.parameters:
        used = re.findall(rf"[?$]{re.escape(parameter)}\b", body)
        assert len(used) >= 2, f"{name}: parameter {parameter} not used in the query"
        # SEP-0007 substitution (Oxigraph) binds only projected variables.
        assert re.search(rf"\?{re.escape(parameter)}\b", projection), f"{name}: {parameter} not projected"
    for prefix in set(re.findall(r"(?<![\w?$])([a-z]+):[A-Za-z]", body)) - {"http", "https"}:
        assert re.search(rf"^PREFIX {prefix}:", body, re.M), f"{name}: no PREFIX line for {prefix}:"
    assert "ORDER BY" in body.rsplit("}", 1)[-1], f"{name}: no final ORDER BY"


def test_declared_parameters():
    declared = {name: set(query.parameters) for name, query in saved_queries().items()}
    assert declared["timeline"] == {"from", "to"}
    assert declared["attributions"] == {"incident"}
    assert declared["claims-by-claimant"] == {"claimant"}
    assert declared["accusation-pairs"] == set()
    assert declared["contradictions"] == set()
    assert declared["sources"] == {"entity"}
    assert declared["incidents-by-target"] == {"target"}
    assert declared["entities-by-alias"] == {"name"}
    assert declared["claims-as-of"] == {"date"}
    assert declared["article-claims"] == {"article"}


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{'-'.join(p) or 'unbound'}" for n, p in CASES])
def test_engines_agree(graph, store, name, params):
    rows = run(graph, store, name, params)
    assert rows or params, f"{name} returns nothing unbound"
    for parameter, value in params.items():
        assert all(row[parameter] == value for row in rows), f"{name}: {parameter} not echoed"


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_empty_graph_gives_no_rows(name):
    """On the ontology alone every query answers nothing (no phantom row from an aggregate)."""
    empty = rdflib.Graph()
    for triple in ontology_graph():
        empty.add(triple)
    store = pyoxigraph.Store()
    store.bulk_load(input=ntriples(empty), format=pyoxigraph.RdfFormat.N_TRIPLES)
    for params in [{}, *EXAMPLES[name]]:
        assert run(empty, store, name, params) == [], f"{name} {params}"


# ------------------------------------------------------------------------------ safety


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", sorted(n for n in EXPECTED_QUERIES if saved_queries()[n].parameters))
def test_hostile_value_is_only_a_literal(graph, store, name, value):
    before = (len(graph), len(store))
    for parameter in saved_queries()[name].parameters:
        assert run(graph, store, name, {parameter: value}) == []
    assert (len(graph), len(store)) == before


@pytest.mark.parametrize("name", ["entities-by-alias", "attributions"])
def test_angle_bracket_value_is_only_a_literal(graph, store, name):
    before = (len(graph), len(store))
    parameter = saved_queries()[name].parameters[0]
    assert run(graph, store, name, {parameter: IMG}) == []
    assert (len(graph), len(store)) == before


def test_angle_bracket_value_never_injects(graph, store):
    """Whatever sparql.py does with ``<img ...>``, it is an error or a term, never query text."""
    before = (len(graph), len(store))
    for source in (graph, store):
        try:
            rows = select(source, saved_queries()["entities-by-alias"].text, {"name": IMG})
        except (ValueError, QueryError):
            continue
        assert rows == []
    assert (len(graph), len(store)) == before


# ------------------------------------------------------------------------------ answers


def test_detection_of_the_wuhan_attack(graph, store):
    rows = run(graph, store, "claims-by-claimant")
    detectors = {short(r["claimant"]) for r in rows
                 if r["type"] == "detection" and r["about"] == ID + "wuhan-emc-cyberattack"}
    assert {"cverc", "qihoo-360"} <= detectors
    cverc = run(graph, store, "claims-by-claimant", {"claimant": ID + "cverc"})
    assert {r["claimant"] for r in cverc} == {ID + "cverc"}
    assert any(r["type"] == "detection" and r["about"] == ID + "wuhan-emc-cyberattack" for r in cverc)


def test_attributions_of_the_wuhan_attack(graph, store):
    rows = run(graph, store, "attributions", {"incident": ID + "wuhan-emc-cyberattack"})
    assert rows and {r["incident"] for r in rows} == {ID + "wuhan-emc-cyberattack"}
    to_us = [r for r in rows if r["accused"] == ID + "united-states"]
    assert to_us, "no attribution of the Wuhan attack names the United States"
    for row in to_us:
        assert row["article"].startswith(ID + "article/")
        assert row["quote"] and row["stance"] in {"asserted", "alleged", "denied"}
    everything = run(graph, store, "attributions")
    assert [r for r in everything if r["incident"] == ID + "wuhan-emc-cyberattack"] == rows


def test_accusation_pairs(graph, store):
    rows = run(graph, store, "accusation-pairs")
    pairs = {(short(r["claimant"]), short(r["accused"])): r for r in rows}
    china_side = [pairs[c, "united-states"] for c in ("china-mfa", "zhao-lijian", "mao-ning")
                  if (c, "united-states") in pairs]
    assert china_side, "no foreign-ministry accusation of the United States"
    assert ("united-states", "china") in pairs
    for row in rows:
        types = row["types"].split(", ")
        assert types == sorted(set(types))
        assert row["articles"].split(" ") == sorted(set(row["articles"].split(" ")))
        assert int(row["claims"]) >= 1 and int(row["articleCount"]) == len(row["articles"].split(" "))
        if row["first"] and row["last"]:
            assert row["first"] <= row["last"]
    us_china = pairs["united-states", "china"]
    assert "accusation" in us_china["types"]


def test_contradictions_one_row_per_conflict(graph, store):
    rows = run(graph, store, "contradictions")
    assert [(r["conflict"], short(r["subject"]), r["measure"]) for r in rows] == [
        ("figure", "shanghai-police-leak", "people affected"),
        ("stance", "alleged-chinese-cyberattacks-2021", None),
        ("stance", "alleged-chinese-cyberattacks-2023", None)]
    people = rows[0]
    assert people["value"] == "7000000 | 100000000" and people["values"] == 2 and people["parties"] is None
    assert people["articles"] == " | ".join([ID + "article/003_b1b842b01fcdc3fe"] * 2)
    for row in rows:
        # one group of claims, claimants and articles per value, in the order of the values
        for column in ("claims", "claimants", "articles"):
            assert len(row[column].split(" | ")) == row["values"] == len(row["value"].split(" | "))
        assert row["resource"].startswith(ID + "conflict/" + row["conflict"] + "/")
    for row in rows[1:]:
        assert row["value"] == "alleged | denied" and row["parties"] == ID + "china"
    denied_2023 = rows[2]["claims"].split(" | ")[1].split()
    assert denied_2023 == [ID + "claim/002_5bab2969581254e6/c12", ID + "claim/002_5bab2969581254e6/c14"]


def test_claims_as_of_end_of_2022(graph, store):
    rows = run(graph, store, "claims-as-of", {"date": "2022-12-31"})
    assert rows
    assert not [r for r in rows if r["about"] == ID + "wuhan-emc-cyberattack"]
    assert all(r["publishedLatest"] and r["publishedLatest"] <= "2022-12-31" for r in rows)
    everything = run(graph, store, "claims-as-of")
    assert any(r["about"] == ID + "wuhan-emc-cyberattack" for r in everything)
    assert len(everything) > len(rows)
    assert {r["claim"] for r in rows} < {r["claim"] for r in everything}


def test_timeline_order(graph, store):
    rows = run(graph, store, "timeline")
    position = {r["item"]: i for i, r in enumerate(rows)}
    apt = position[ID + "apt-c-39-operations"]
    events_2021 = [position[r["item"]] for r in rows
                   if r["kind"] == "Event" and (r["earliest"] or "").startswith("2021")]
    assert events_2021 and apt < min(events_2021)
    assert max(events_2021) < position[ID + "shanghai-police-leak"] < position[ID + "wuhan-emc-cyberattack"]
    # undated items come last
    undated = [i for i, r in enumerate(rows) if not r["earliest"] and not r["latest"]]
    assert undated == list(range(len(rows) - len(undated), len(rows)))
    assert {r["kind"] for r in rows} == {"Incident", "Event", "Claim"}
    claims = [r for r in rows if r["kind"] == "Claim"]
    assert all(r["about"] and r["article"] for r in claims)
    assert any(r["reported"] for r in claims) and any(r["aboutLatest"] for r in claims)


def test_timeline_window(graph, store):
    rows = run(graph, store, "timeline", {"from": "2021-01-01", "to": "2021-12-31"})
    items = {r["item"] for r in rows}
    assert ID + "mfa-briefing-2021-07-20" in items
    assert ID + "shanghai-police-leak" not in items
    for row in rows:
        assert row["earliest"] or row["latest"]
        assert (row["latest"] or "9999") >= "2021-01-01" and (row["earliest"] or "0000") <= "2021-12-31"
    assert run(graph, store, "timeline", {"from": "not a date"}) == []


def test_entities_by_alias(graph, store):
    for name in ("Foreign Ministry", "Ministry of Foreign Affairs", "foreign ministry"):
        rows = run(graph, store, "entities-by-alias", {"name": name})
        assert ID + "china-mfa" in {r["entity"] for r in rows}, name
        assert rows[0]["match"] in {"exact", "partial"}
        assert all(name.lower() in r["alias"].lower() for r in rows)
    rows = run(graph, store, "entities-by-alias", {"name": "360"})
    assert rows[0]["entity"] == ID + "qihoo-360" and rows[0]["match"] == "exact"
    exact = run(graph, store, "entities-by-alias", {"name": "ministry of foreign affairs"})
    assert exact[0]["entity"] == ID + "china-mfa" and exact[0]["match"] == "exact"
    assert run(graph, store, "entities-by-alias", {"name": "no such name anywhere"}) == []


def test_article_claims_in_text_order(graph, store):
    article = ID + "article/003_b1b842b01fcdc3fe"
    rows = run(graph, store, "article-claims", {"article": article})
    assert len(rows) >= 2
    starts = [int(r["start"]) for r in rows]
    assert starts == sorted(starts)
    text = next(iter(select(graph, "SELECT ?t WHERE { ?a ikg:fullText ?t }", {"a": article})))["t"]
    for row in rows:
        assert text[int(row["start"]):int(row["end"])] == row["quote"]


def test_sources_of_the_united_states(graph, store):
    rows = run(graph, store, "sources", {"entity": ID + "united-states"})
    assert rows
    assert {r["position"] for r in rows} <= {"support", "allege", "deny"}
    assert all(r["reliability"] in set("ABCDEF") and int(r["claims"]) >= 1 for r in rows)
    assert any(r["publisher"] == ID + "xinhua" for r in rows)
    ranks = [["support", "allege", "deny"].index(r["position"]) for r in rows]
    assert ranks == sorted(ranks)


def test_incidents_by_target(graph, store):
    rows = run(graph, store, "incidents-by-target", {"target": ID + "wuhan-emc"})
    assert ID + "wuhan-emc-cyberattack" in {r["incident"] for r in rows}
    # a target's parent organisation finds it too (ikg:partOf)
    parent = run(graph, store, "incidents-by-target", {"target": ID + "wuhan-emergency-management-bureau"})
    assert {(r["incident"], r["directTarget"]) for r in parent} >= {(ID + "wuhan-emc-cyberattack", ID + "wuhan-emc")}
    assert any(r["location"] == ID + "wuhan" for r in rows)


# The saved queries whose answer is sorted by their parameter first, which every row names.
LEADING_PARAMETER = {"sources": "entity", "attributions": "incident", "claims-by-claimant": "claimant",
                     "article-claims": "article", "incidents-by-target": "target"}


@pytest.mark.parametrize("name", sorted(LEADING_PARAMETER))
def test_bound_answers_are_slices_of_the_unbound_one(generated_store, name):
    """On a generated corpus, the answer bound to a value is the run of the unbound answer's rows
    for that value: however a query is shaped for Oxigraph to plan it from the bound parameter,
    binding selects, and changes nothing else."""
    text, parameter = saved_queries()[name].text, LEADING_PARAMETER[name]
    everything = select(generated_store, text)
    values = sorted({row[parameter] for row in everything})
    assert len(values) > 10
    for value in values[:: max(1, len(values) // 40)]:
        assert select(generated_store, text, {parameter: value}) == [r for r in everything if r[parameter] == value]


# ------------------------------------------------------------------- plans told the parameters


def _without_plan_line(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("# plan:"))


def test_parameters_first_opens_the_where_group_only_when_the_header_asks():
    from incidentkg.graph.source import parameters_first

    node = pyoxigraph.NamedNode(ID + "wuhan-emc")
    plain = "SELECT ?t WHERE {\n  ?i ikg:target ?t\n}"
    assert parameters_first(plain, {"t": node}) == plain
    asked = "# Title: a question\n# plan: parameters first\n# the WHERE { in a comment is no group\n" + plain
    assert parameters_first(asked, {}) == asked
    told = parameters_first(asked, {"t": node})
    assert told.splitlines()[3] == f"SELECT ?t WHERE {{ VALUES (?t) {{ (<{ID}wuhan-emc>) }}"
    assert told.splitlines()[2] == "# the WHERE { in a comment is no group"
    # two parameters, in one row of the block
    both = parameters_first(asked, {"t": node, "i": pyoxigraph.NamedNode(ID + "x")})
    assert f"VALUES (?t ?i) {{ (<{ID}wuhan-emc> <{ID}x>) }}" in both


@pytest.mark.parametrize("value", HOSTILE)
def test_parameters_first_writes_a_hostile_value_as_one_literal(store, value):
    from incidentkg.graph.source import parameters_first

    text = "# plan: parameters first\nSELECT ?l WHERE { ?e rdfs:label ?l }"
    told = parameters_first(text, {"l": pyoxigraph.Literal(value)})
    assert select(store, told, {"l": value}) == []  # parsed, and the value is only a literal
    label = select(store, "SELECT ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l LIMIT 1")[0]["l"]
    assert select(store, text, {"l": label}) == [{"l": label}]


def test_incidents_by_target_is_planned_with_its_target():
    """The hint is in the header (so Oxigraph starts from the target), not in the description."""
    query = saved_queries()["incidents-by-target"]
    assert "\n# plan: parameters first" in query.text
    assert "plan:" not in query.description


def test_parameters_first_changes_no_answer(graph, store):
    """incidents-by-target gives the same rows with the hint as without, for every target of
    the seeds and for a thing that is no target, on both engines."""
    text = saved_queries()["incidents-by-target"].text
    targets = sorted({str(o) for o in graph.objects(None, rdflib.URIRef(IKG + "target"))})
    assert targets
    for target in [*targets, ID + "china"]:
        told = select(store, text, {"target": target})
        assert told == select(store, _without_plan_line(text), {"target": target}) == select(graph, text, {"target": target})
        assert all(row["target"] == target for row in told)
    assert any(select(store, text, {"target": target}) for target in targets)
