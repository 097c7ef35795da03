"""A body's stated short form (青禾市生态环境保护委员会办公室（以下简称“市环委办”）) is that body wherever the
article uses it: one organisation named by the full name, the short form an alternate name, its posts named
by the full name (kg.rdf.identity.stated_short_forms, kg.rdf.mapping.with_stated_full_names). Invented texts."""

from __future__ import annotations

from pathlib import Path

from kg.ingest import ingest_file
from kg.rdf.identity import stated_short_forms
from kg.store import open_store
from tests.identity.test_identity import BASE, Q, page

ORGS = Q + "SELECT ?o ?n WHERE { ?o a schema:Organization ; schema:name ?n }"


def test_the_full_name_is_read_before_the_bracket() -> None:
    text = ("本报讯 3月2日，青禾市生态环境保护委员会办公室（以下简称“市环委办”）召开会议。会议由青禾市城市管理综合"
            "执法局(以下简称市城管局)承办。青禾市对外经济贸易合作局（简称“外经局”）参加。和平区人民政府（下称“区政府”）")
    assert stated_short_forms(text) == [
        ("和平区人民政府", "区政府"),  # 和 begins the place: not a lead word
        ("青禾市城市管理综合执法局", "市城管局"),  # 会议由 ran into the name
        ("青禾市对外经济贸易合作局", "外经局"),  # 对 inside a name is not a lead word
        ("青禾市生态环境保护委员会办公室", "市环委办"),
    ]
    assert stated_short_forms("市环委办主任柯望舒出席。") == []


def test_a_later_short_form_is_the_body_it_was_stated_for(tmp_path: Path) -> None:
    s = open_store(tmp_path / "store")
    try:
        ingest_file(s, page(tmp_path, "a", "青禾市", "2023-03-02", "青禾市环委办会议",
                            "本报讯 3月2日，青禾市生态环境保护委员会办公室（以下简称“市环委办”）召开会议。"
                            "市环委办主任柯望舒出席并讲话。"), base=BASE)
        ingest_file(s, page(tmp_path, "b", "青禾市", "2023-03-03", "青禾市检查",
                            "本报讯 3月3日，市环委办主任柯望舒带队检查。"), base=BASE)  # no statement here
        orgs = {str(r["n"]): str(r["o"]) for r in s.query(ORGS).rows()}
        assert "青禾市生态环境保护委员会办公室" in orgs
        alts = {str(r["a"]) for r in s.query(Q + f"SELECT ?a WHERE {{ <{orgs['青禾市生态环境保护委员会办公室']}> "
                                                  "schema:alternateName ?a }").rows()}
        assert "市环委办" in alts
        posts = {str(r["l"]) for r in s.query(Q + "SELECT ?l WHERE { ?p a org:Post ; rdfs:label ?l }").rows()}
        assert "青禾市生态环境保护委员会办公室主任" in posts
        # the article without the statement keeps the short form it printed: statements do not travel
        assert "青禾市环委办" in orgs and "青禾市环委办主任" in posts
    finally:
        s.close()
