"""The entity page views by kind: the store and an entity IRI in, a plain view model out (None when
unknown). One module per page kind (``kg.web.pages.person`` …), sharing ``common``, ``paging`` and
``lists``; the view model is what the HTML template renders and what the page's JSON twin serialises."""

from __future__ import annotations

from kg.web.pages.article import article
from kg.web.pages.event import event
from kg.web.pages.organization import organization
from kg.web.pages.person import person
from kg.web.pages.place import place
from kg.web.pages.post import post

VIEWS = {"person": person, "organization": organization, "event": event, "article": article, "post": post,
         "place": place}
# views taking the pages of their other lists
MANY_LISTS = frozenset({"person", "organization", "event", "post", "place"})
