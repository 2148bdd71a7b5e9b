"""Articles become RDF: the ontology, its SHACL shapes, the annotation reader and the mapping."""
