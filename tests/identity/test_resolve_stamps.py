"""The resolution layer's stamps (kg.resolve): per article, a digest of the mentions its joins were
written from, so ``kg resolve`` confirms a current layer without reading it, and finds what changed
behind kg's back — an article's mentions (by its stamp) or a block's statements (by its count)."""

from __future__ import annotations

from pathlib import Path

from kg.ingest import ingest_file
from kg.layer_graphs import article_digests, is_block_graph, is_resolution_graph, stamp_graph
from kg.mentions import mentions_in
from kg.resolve import rebuild
from tests.identity.test_identity import BASE, CITIES, Q, dump_resolution, page

ARTICLES = Q + "SELECT DISTINCT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle } }"
STAMPS = Q + "SELECT ?g ?a ?d WHERE { GRAPH ?g { ?a kg:layerStamp ?d } }"


def _three(store, tmp_path: Path) -> list[str]:
    for i, city in enumerate(CITIES[:3]):
        ingest_file(store, page(tmp_path, f"s{i}", city, f"2023-05-0{i + 2}", f"{city}会议",
                                f"本报讯 {city}召开会议。市委书记王伟出席，副市长柯望舒主持。"), base=BASE)
    return sorted(str(r["a"]) for r in store.query(ARTICLES).rows())


def _writes(store) -> list[str]:
    """Record the store's writes: ("update", text) for SPARQL updates, the graph IRIs for graph writes."""
    log: list = []
    upd, rep, add = store.update, store.replace_graphs, store.add_to_graphs
    store.update = lambda text, *a, **kw: (log.append(("update", text)), upd(text, *a, **kw))[1]
    store.replace_graphs = lambda ups: (log.extend(("replace", u.iri) for u in ups), rep(ups))[1]
    store.add_to_graphs = lambda ups, **kw: (log.extend(("add", u.iri) for u in ups), add(ups, **kw))[1]
    return log


def _from_scratch(store) -> list[str]:
    store.remove_graphs([g for g in store.graph_iris() if is_resolution_graph(g)])
    rebuild(store)
    return dump_resolution(store)


def test_ingest_stamps_every_article_with_the_digest_of_its_mentions(store, tmp_path: Path) -> None:
    arts = _three(store, tmp_path)
    rows = {(str(r["g"]), str(r["a"]), str(r["d"])) for r in store.query(STAMPS).rows()}
    want = {(stamp_graph(a), a, f"{d:016x}") for a, d in article_digests(mentions_in(store, arts)).items()}
    assert rows == want and len(want) == 3
    before = dump_resolution(store)
    assert _from_scratch(store) == before  # a first build stamps alike


def test_a_mention_changed_behind_kgs_back_is_found_by_its_stamp_and_only_its_article_refreshed(
        store, tmp_path: Path) -> None:
    arts = _three(store, tmp_path)
    store.update(Q + f"""DELETE {{ GRAPH <{arts[1]}> {{ ?m kg:identityBasis ?b }} }}
        INSERT {{ GRAPH <{arts[1]}> {{ ?m kg:identityBasis kg:SamePaper }} }}
        WHERE {{ GRAPH <{arts[1]}> {{ ?m kg:writtenName "柯望舒"@zh ; kg:identityBasis ?b }} }}""")  # no refresh
    stale = dump_resolution(store)
    log = _writes(store)
    rebuild(store)
    assert dump_resolution(store) != stale
    assert [kind for kind, _ in log] == ["update"]  # one refresh, no block rewritten whole
    assert arts[1] in log[0][1] and arts[0] not in log[0][1] and arts[2] not in log[0][1]
    assert any("SamePaper" in line for line in dump_resolution(store))
    assert dump_resolution(store) == _from_scratch(store)


def test_a_block_edited_behind_kgs_back_is_found_by_its_count_and_only_it_rewritten(store, tmp_path: Path) -> None:
    _three(store, tmp_path)
    before = dump_resolution(store)
    blocks = sorted(g for g in store.graph_iris() if is_block_graph(g))
    assert len(blocks) == 2
    store.update(Q + 'DELETE WHERE { GRAPH ?b { ?b kg:writtenName "柯望舒"@zh . ?j kg:jurisdiction ?x } }')
    log = _writes(store)
    rebuild(store)
    assert dump_resolution(store) == before
    rewritten = {iri for kind, iri in log if kind in ("add", "replace")}
    assert len(rewritten) == 1 and rewritten < set(blocks)  # the other block left alone


def test_a_layer_without_stamps_is_written_again_once_then_left_alone(store, tmp_path: Path) -> None:
    """A layer of the version before stamps (or stamps lost): every article differs and is refreshed
    (in a large store, where most articles differ, the layer is written again whole), stamps included;
    the next run writes nothing."""
    arts = _three(store, tmp_path)
    before = dump_resolution(store)
    store.remove_graphs([stamp_graph(arts[0])])
    rebuild(store)
    assert dump_resolution(store) == before
    log = _writes(store)
    rebuild(store)
    assert log == []


def test_when_most_of_the_layer_differs_it_is_written_again_whole(store, tmp_path: Path, monkeypatch) -> None:
    """Most articles unstamped (a layer of the version before stamps) or most blocks lost: the layer is
    dropped and written again by the bulk loader, not refreshed article by article."""
    import kg.resolve

    monkeypatch.setattr(kg.resolve, "MOST_MIN", 0)
    arts = _three(store, tmp_path)
    before = dump_resolution(store)
    blocks = sorted(g for g in store.graph_iris() if is_block_graph(g))
    for lost in ([stamp_graph(arts[0])], blocks):
        store.remove_graphs(lost)
        log = _writes(store)
        rebuild(store)
        assert dump_resolution(store) == before
        assert "update" not in {kind for kind, _ in log}  # no article refreshed
        assert {iri for kind, iri in log if kind == "add"} == set(blocks) | {stamp_graph(arts[0])}


def test_only_stamped_articles_are_looked_for_in_the_layer(store, tmp_path: Path) -> None:
    """The refresh looks for an article's old joins only where the layer holds its stamp (joins and stamp
    are written together): a new article has none to look for. A store without a layer for the base
    (stamps lost, a plain load) has every article looked for; and an article written again with another
    name leaves the layer ``kg resolve`` builds from scratch."""
    from kg.resolve import joined_before

    arts = _three(store, tmp_path)
    new = arts[0].rsplit("/", 1)[0] + "/never-written"
    assert joined_before(store, [*arts, new]) == (arts, arts, True)
    ingest_file(store, page(tmp_path, "s1", CITIES[1], "2023-05-03", f"{CITIES[1]}会议",
                            f"本报讯 {CITIES[1]}召开会议。市委书记王伟出席，副市长司马砚主持。"), base=BASE)
    assert dump_resolution(store) == _from_scratch(store)
    store.remove_graphs([stamp_graph(arts[0])])
    assert joined_before(store, [*arts, new]) == ([*arts, new], [], False)


def test_kg_resolve_finds_the_old_joins_of_an_article_whose_stamp_was_lost(store, tmp_path: Path) -> None:
    """An article's stamp lost and its mentions changed behind kg's back: the refresh does not look for its
    old joins (it has no stamp), and ``kg resolve`` finds them by its blocks' counts all the same."""
    arts = _three(store, tmp_path)
    store.update(Q + f"""DELETE {{ GRAPH ?g {{ <{arts[1]}> kg:layerStamp ?d }} }}
        WHERE {{ GRAPH ?g {{ <{arts[1]}> kg:layerStamp ?d }} }} ;
        DELETE {{ GRAPH <{arts[1]}> {{ ?m kg:identityBasis ?b }} }}
        INSERT {{ GRAPH <{arts[1]}> {{ ?m kg:identityBasis kg:SamePaper }} }}
        WHERE {{ GRAPH <{arts[1]}> {{ ?m kg:writtenName "柯望舒"@zh ; kg:identityBasis ?b }} }}""")
    rebuild(store)
    assert dump_resolution(store) == _from_scratch(store)
