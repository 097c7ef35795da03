"""The web layer: HTTP service, SPARQL endpoint and the HTML entity pages."""
