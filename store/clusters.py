"""Near-duplicate clusters, kept in step with the stored signatures at the cost of what changed.

A cluster is a connected component of the graph whose edges join two articles that share an LSH
band and whose signatures agree on at least THRESHOLD of their hash values (portaltext.dedupe);
`articles.cluster_id` is its smallest member id, NULL for an article alone.

Each article with a signature has its band keys in `article_bands`. The store deletes them when it
changes an article's signature (store.monitor.upsert_article), so what a sync has to look at is
exactly the articles with a signature and no bands (new or edited) and the clustered ones without
bands (edited to no signature): the "dirty" ones, found by one anti-join, whatever process or run
wrote them. A dirty article that was in a cluster takes its whole cluster back to the start (an edit
can split it); then each of those articles in id order looks up its candidates by band key,
confirms them on the signatures and joins their clusters. Edges between two articles that are both
untouched cannot have changed, so this gives the components a full computation gives: a hypothesis
test compares the two over random sequences of additions and edits.

A store whose bands were never filled (before migration 0009, or a rebuild) gets one full
computation (`rebuild_clusters`, in memory), which also writes every band.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import delete, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from .db import Database
from .models import Article, ArticleBand, DerivedState

STATE = "clusters"
BANDED = "bands-v1"  # derived_state.fingerprint once every signature's bands are stored


def sync_clusters(db: Database) -> bool:
    """Bring clusters up to date; True when anything had to be (re)computed."""
    with db.session() as s:
        state = s.get(DerivedState, STATE)
        banded = state is not None and state.fingerprint == BANDED
    if not banded:
        rebuild_clusters(db)
        return True
    return update_dirty(db) > 0


def rebuild_clusters(db: Database) -> int:
    """Every cluster and band computed again from every stored signature; returns the number of
    articles that belong to a cluster of two or more."""
    # Imported here: datasketch pulls in scipy (1.5 s), which commands that never cluster should not pay.
    from portaltext.dedupe import band_keys, cluster_ids

    with db.session() as s:
        rows = s.execute(select(Article.id, Article.minhash, Article.cluster_id)
                         .where(or_(Article.minhash.is_not(None), Article.cluster_id.is_not(None)))
                         .order_by(Article.id)).all()
        assignment = cluster_ids((aid, sig) for aid, sig, _ in rows if sig is not None)
        clustered = 0
        for aid, _, current in rows:
            wanted = assignment.get(aid)
            clustered += wanted is not None
            if wanted != current:
                s.execute(update(Article).where(Article.id == aid).values(cluster_id=wanted))
        s.execute(delete(ArticleBand))
        _insert_bands(s, ((aid, band_keys(sig)) for aid, sig, _ in rows if sig is not None))
        _mark_banded(s)
        return clustered


def update_dirty(db: Database) -> int:
    """Cluster the articles whose signature is new, changed or gone; returns how many were dirty."""
    from portaltext.dedupe import band_keys, similar

    with db.session() as s:
        no_bands = ~exists().where(ArticleBand.article_id == Article.id)
        # Locked (PostgreSQL; SQLite has one writer anyway): a body edited while this sync runs waits,
        # then drops the bands written here for its old signature, and is dirty for the next sync.
        dirty = s.execute(select(Article.id, Article.minhash, Article.cluster_id)
                          .where(no_bands, or_(Article.minhash.is_not(None), Article.cluster_id.is_not(None)))
                          .order_by(Article.id).with_for_update()).all()
        if not dirty:
            return 0
        # Their clusters start again: an edit can split one, and its other members re-link below.
        touched = {cid for _, _, cid in dirty if cid is not None}
        relink: dict[int, bytes] = {aid: sig for aid, sig, _ in dirty if sig is not None}
        if touched:
            members = s.execute(select(Article.id, Article.minhash).where(Article.cluster_id.in_(touched))).all()
            relink.update({aid: sig for aid, sig in members if sig is not None})
            s.execute(update(Article).where(Article.cluster_id.in_(touched)).values(cluster_id=None))
        s.execute(update(Article).where(Article.id.in_([aid for aid, _, _ in dirty])).values(cluster_id=None))
        unbanded = {aid for aid, sig, _ in dirty if sig is not None}
        for aid in sorted(relink):
            # Derived from the signature: the stored keys of an untouched member are these same keys.
            keys = band_keys(relink[aid])
            candidates = s.execute(select(ArticleBand.article_id, Article.minhash, Article.cluster_id)
                                   .join(Article, Article.id == ArticleBand.article_id)
                                   .where(ArticleBand.key.in_(keys), ArticleBand.article_id != aid)
                                   .distinct()).all()
            linked = [(cid, cluster) for cid, sig, cluster in candidates if sig is not None and similar(relink[aid], sig)]
            if linked:
                _join(s, aid, linked)
            if aid in unbanded:
                _insert_bands(s, [(aid, keys)])
        return len(dirty)


def _join(s: Session, aid: int, linked: list[tuple[int, int | None]]) -> None:
    """Put `aid`, its confirmed neighbours and their clusters into one cluster, named by its smallest
    member (a cluster's id is already its smallest member's)."""
    current = s.scalar(select(Article.cluster_id).where(Article.id == aid))
    ids = {aid, *(other for other, _ in linked)}
    clusters = {c for _, c in linked if c is not None} | ({current} if current is not None else set())
    root = min(ids | clusters)
    s.execute(update(Article).where(or_(Article.id.in_(ids), Article.cluster_id.in_(clusters)))
              .values(cluster_id=root))


def _insert_bands(s: Session, banded: Iterable[tuple[int, list[int]]]) -> None:
    rows = [{"article_id": aid, "band": band, "key": key} for aid, keys in banded for band, key in enumerate(keys)]
    for start in range(0, len(rows), 5000):
        s.execute(insert(ArticleBand), rows[start:start + 5000])


def _mark_banded(s: Session) -> None:
    state = s.get(DerivedState, STATE)
    if state is None:
        s.add(DerivedState(name=STATE, fingerprint=BANDED, computed_at=datetime.now(UTC)))
    else:
        state.fingerprint, state.computed_at = BANDED, datetime.now(UTC)

