"""RDF becomes answers: the store, networkx views, questions and saved SPARQL queries."""
