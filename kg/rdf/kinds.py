"""What kind of entity (the path segment of its IRI and its page) each class is.

Kept apart from the pages (``kg.web.pages.labels`` re-exports it) so that the search index, which
ingest updates, can read it without importing the web layer.
"""

from __future__ import annotations

KG = "https://w3id.org/newskg/ontology#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"

KIND_OF_CLASS = {
    SCHEMA + "Person": "person",
    SCHEMA + "Organization": "organization",
    SCHEMA + "NewsMediaOrganization": "organization",
    SCHEMA + "Place": "place",
    SCHEMA + "NewsArticle": "article",
    ORG + "Post": "post",
    SCHEMA + "Event": "event",
    KG + "Meeting": "event",
    KG + "Congress": "event",
    KG + "AwardCeremony": "event",
    KG + "Election": "event",
}
