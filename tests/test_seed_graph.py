"""The seed graph holds what the five articles say, each claim with its provenance."""

from __future__ import annotations

from rdflib import RDF, SKOS, Literal

from incidentkg.graph.sparql import select
from incidentkg.ontology.validate import quote_problems, shacl_problems
from incidentkg.ontology.vocab import ID, IKG


def test_seed_graph_passes_the_shapes(seed_graph):
    assert shacl_problems(seed_graph) == []


def test_every_quote_stands_at_its_offsets(seed_graph, seed_corpus):
    assert quote_problems(seed_graph) == []
    claims = [claim for article in seed_corpus.articles for claim in article.claims]
    assert len(claims) >= 60
    for article in seed_corpus.articles:
        for claim in article.claims:
            assert article.body[claim.start:claim.end] == claim.quote


def test_every_claim_has_exactly_one_claimant_article_quote_and_date(seed_graph):
    for claim in seed_graph.subjects(RDF.type, IKG.Claim):
        for prop in (IKG.claimant, IKG.inArticle, IKG.quote, IKG.madeAt, IKG.stance, IKG.claimType):
            assert len(list(seed_graph.objects(claim, prop))) == 1, (claim, prop)


def _time(graph, node):
    time = graph.value(node, IKG.occurredAt)
    return str(graph.value(time, IKG.earliest)), str(graph.value(time, IKG.latest))


def test_the_four_named_incidents_exist_with_their_dates(seed_graph):
    wuhan, shanghai, apt = ID["wuhan-emc-cyberattack"], ID["shanghai-police-leak"], ID["apt-c-39-operations"]
    assert (wuhan, RDF.type, IKG.Cyberattack) in seed_graph
    assert (shanghai, RDF.type, IKG.DataLeak) in seed_graph
    assert (apt, RDF.type, IKG.EspionageCampaign) in seed_graph
    assert _time(seed_graph, wuhan)[1] == "2023-07-25"
    assert _time(seed_graph, shanghai)[0].startswith("2022-")
    earliest, latest = _time(seed_graph, apt)
    assert earliest < "2011" and latest <= "2021-07-20"
    exchange = [row for row in select(seed_graph, """
        SELECT ?event ?earliest WHERE {
          ?event a/rdfs:subClassOf* ikg:Event ; ikg:occurredAt/ikg:earliest ?earliest .
          ?claim ikg:madeDuring ?event ; ikg:claimant id:zhao-lijian .
        }""")]
    assert exchange and all(row["earliest"].startswith("2021-07") for row in exchange)


def test_relative_dates_are_resolved_with_reasoning(seed_graph):
    rows = select(seed_graph, """
        SELECT ?expression ?earliest ?reasoning WHERE {
          ?time ikg:dateBasis ikg:relative ; ikg:dateExpression ?expression ;
                ikg:earliest ?earliest ; ikg:dateReasoning ?reasoning .
        }""")
    resolved = {(row["expression"], row["earliest"]) for row in rows}
    assert ("on Wednesday", "2023-07-26") in resolved
    assert ("on Tuesday", "2023-07-25") in resolved
    assert all(row["reasoning"] for row in rows)


def test_an_undatable_article_says_so(seed_graph):
    time = seed_graph.value(ID["article/000_b4afc840318ef8b5"], IKG.publishedAt)
    assert seed_graph.value(time, IKG.dateBasis) in (IKG.inferred, IKG.unknown)
    assert seed_graph.value(time, IKG.dateReasoning)
    assert seed_graph.value(ID["article/000_b4afc840318ef8b5"], IKG.publishedAt) is not None


def test_aliases_are_merged_into_one_node_each(seed_graph):
    def node_named(name):
        return {s for s in seed_graph.subjects(SKOS.altLabel, Literal(name))} | \
               {s for s in seed_graph.subjects(SKOS.prefLabel, Literal(name))}

    for name in ("Foreign Ministry", "Ministry of Foreign Affairs", "China's foreign ministry"):
        assert node_named(name) == {ID["china-mfa"]}, name
    for name in ("360", "360 Security Technology", "China Cyber Security Company 360"):
        assert node_named(name) == {ID["qihoo-360"]}, name


def test_articles_mention_the_merged_nodes(seed_graph):
    mentioning = set(seed_graph.subjects(IKG.mentions, ID["qihoo-360"]))
    assert len(mentioning) >= 4


def test_noise_does_not_reach_the_graph(seed_graph):
    texts = " ".join(str(o) for o in seed_graph.objects() if isinstance(o, Literal))
    assert "Fran?ais" not in texts
    assert "中文字幕" not in texts
    assert "Most Viewed in 24 Hours" not in texts
    assert "Got likes0" not in texts


def test_copies_record_the_original_outlet_and_the_carrier(seed_graph):
    from rdflib import DCTERMS

    article = ID["article/000_b4afc840318ef8b5"]
    assert seed_graph.value(article, DCTERMS.publisher) == ID["cm-jornal"]
    assert seed_graph.value(article, IKG.carriedBy) == ID["24-news-reporters"]


def test_contradicting_leak_sizes_both_stay(seed_graph):
    rows = select(seed_graph, """
        SELECT ?value ?quote WHERE {
          ?claim ikg:about id:shanghai-police-leak ; ikg:claimType ikg:figure ;
                 ikg:measure "people affected" ; ikg:value ?value ; ikg:quote ?quote .
        }""")
    quotes = " | ".join(row["quote"] for row in rows)
    assert "7 million" in quotes and "hundreds of millions" in quotes


# --- questions an investigator asks -------------------------------------------------------

def test_which_organisations_detected_the_wuhan_attack(seed_graph):
    rows = select(seed_graph, """
        SELECT DISTINCT ?detector WHERE {
          ?claim ikg:about id:wuhan-emc-cyberattack ; ikg:claimType ikg:detection ; ikg:claimant ?c .
          { ?claim ikg:accused|ikg:claimant ?detector } UNION { ?claim ikg:reportedVia ?detector }
        }""")
    detection_text = select(seed_graph, """
        SELECT ?quote WHERE { ?claim ikg:about id:wuhan-emc-cyberattack ; ikg:claimType ikg:detection ;
                              ikg:quote ?quote }""")
    assert any("360" in row["quote"] for row in detection_text)
    assert any("Virus" in row["quote"] for row in detection_text)
    assert rows


def test_who_attributed_the_wuhan_attack_to_whom_and_where(seed_graph):
    rows = select(seed_graph, """
        SELECT ?claimant ?accused ?article WHERE {
          ?claim ikg:about id:wuhan-emc-cyberattack ; ikg:claimType ikg:attribution ;
                 ikg:claimant ?claimant ; ikg:accused ?accused ; ikg:inArticle ?article .
        }""")
    to_us = {(r["claimant"], r["article"]) for r in rows if r["accused"] == str(ID["united-states"])}
    assert to_us, rows
    assert any(article.endswith("001_b53a57626e27720d") for _, article in to_us)


def test_all_incidents_in_time_order(seed_graph):
    rows = select(seed_graph, """
        SELECT ?incident ?start WHERE {
          ?incident a/rdfs:subClassOf* ikg:Incident ; ikg:occurredAt ?t .
          OPTIONAL { ?t ikg:earliest ?e } OPTIONAL { ?t ikg:latest ?l }
          BIND(COALESCE(?e, ?l) AS ?start) FILTER(BOUND(?start))
        } ORDER BY ?start ?incident""")
    order = [row["incident"] for row in rows]
    named = [str(ID[n]) for n in ("apt-c-39-operations", "shanghai-police-leak", "wuhan-emc-cyberattack")]
    assert [o for o in order if o in named] == named
