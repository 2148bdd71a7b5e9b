"""incidentkg: news articles about cyber incidents as a timeline knowledge graph with provenance.

The package is assembled from the repository's top-level folders:
``incidentkg.ontology`` (articles -> RDF), ``incidentkg.graph`` (RDF -> answers),
``incidentkg.export`` (answers -> files) and ``incidentkg.seeds`` (the shipped input).
"""

__version__ = "0.1.0"
