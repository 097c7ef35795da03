"""RDF: namespaces, IRI minting and the mapping from kg.model objects to quads."""
