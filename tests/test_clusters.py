"""Near-duplicate clusters kept up to date incrementally (store.clusters) give what a full computation
over every stored signature gives, after any sequence of new articles, edits that change a body,
and edits that leave too little text for a signature. Real stores (SQLite; the scenario also on
PostgreSQL), written through the store's own upsert."""

from __future__ import annotations

import hashlib
import random
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portaltext.dedupe import cluster_ids, signature, text_hash
from store import open_db
from store.clusters import sync_clusters
from store.db import Database
from store.monitor import ArticleData, upsert_article
from store.repo import upsert_source

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
STEPS = [timedelta(days=1)]
_rng = random.Random(7)
_VOCAB = [f"tu{i}" for i in range(3000)]


def _family(n_variants: int) -> list[str]:
    """A body and variants of it with more and more words replaced: some stay near-duplicates of the
    body, some of each other only, some of nothing."""
    base = [_rng.choice(_VOCAB) for _ in range(90)]
    texts = [" ".join(base)]
    for k in range(1, n_variants):
        words = list(base)
        for pos in _rng.sample(range(len(words)), 3 * k):
            words[pos] = _rng.choice(_VOCAB)
        texts.append(" ".join(words))
    return texts


_A, _B = _family(5), _family(5)
# A bridge: half of A's body and half of B's, near neither or both depending on the cut.
POOL = [*_A, *_B, " ".join(_A[0].split()[:50] + _B[0].split()[50:]), *_family(3), "quá ngắn", "cũng ngắn"]


def _write(db: Database, slot: int, body: str) -> None:
    upsert_article(db, ArticleData(
        source_id="s", url=f"http://127.0.0.1/tin/{slot}.html", fetched_url=f"http://127.0.0.1/tin/{slot}.html",
        title=f"Bài {slot}", published_at=None, author=None, lead=None, text=body, html=f"<p>{body}</p>", captions=[],
        content_hash=hashlib.sha256(body.encode()).hexdigest(), is_meeting=False, text_hash=text_hash(body),
        minhash=signature(body)), STEPS, NOW)


def _stored(db: Database) -> dict[int, int | None]:
    from sqlalchemy import select

    from store.models import Article

    with db.session() as s:
        return {aid: cid for aid, cid in s.execute(select(Article.id, Article.cluster_id))}


def _full(db: Database) -> dict[int, int | None]:
    """What a computation from scratch over the stored signatures assigns (clusters of one: None)."""
    from sqlalchemy import select

    from store.models import Article

    with db.session() as s:
        rows = s.execute(select(Article.id, Article.minhash).order_by(Article.id)).all()
    found = cluster_ids((aid, sig) for aid, sig in rows if sig is not None)
    return {aid: found.get(aid) for aid, _ in rows}


def _new_store(url: str) -> Database:
    db = open_db(url)
    upsert_source(db, "s", "S", "Hà Tĩnh", "UBND", ["http://127.0.0.1/"])
    return db


_TEMPLATE = Path(tempfile.mkdtemp(prefix="pw-clusters-")) / "template.db"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, len(POOL) - 1)), min_size=1, max_size=30),
       st.integers(1, 6))
def test_incremental_clusters_equal_a_full_computation(ops: list[tuple[int, int]], sync_every: int) -> None:
    if not _TEMPLATE.exists():
        _new_store(f"sqlite:///{_TEMPLATE}").dispose()  # migrated once, copied for each example
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(_TEMPLATE, Path(tmp) / "c.db")
        db = open_db(f"sqlite:///{tmp}/c.db")
        try:
            for n, (slot, text) in enumerate(ops):
                _write(db, slot, POOL[text])
                if n % sync_every == 0:
                    sync_clusters(db)
            sync_clusters(db)
            assert _stored(db) == _full(db)
            assert sync_clusters(db) is False, "nothing left to do"
        finally:
            db.dispose()


def test_edits_split_and_join_clusters_on_both_backends(db_target: Path | str) -> None:
    url = str(db_target) if "://" in str(db_target) else f"sqlite:///{db_target}"
    db = _new_store(url)
    try:
        _write(db, 1, _A[0])
        _write(db, 2, _B[0])
        assert sync_clusters(db) is True  # the first sync computes everything and stores the bands
        _write(db, 3, _A[1])  # a near copy of 1
        sync_clusters(db)
        assert _stored(db) == {1: 1, 2: None, 3: 1}
        _write(db, 1, _B[1])  # 1 is now a near copy of 2: the cluster {1, 3} splits, {1, 2} forms
        sync_clusters(db)
        assert _stored(db) == {1: 1, 2: 1, 3: None} == _full(db)
        _write(db, 1, "quá ngắn")  # no signature left: alone again
        sync_clusters(db)
        assert _stored(db) == {1: None, 2: None, 3: None} == _full(db)
        assert sync_clusters(db) is False
    finally:
        db.dispose()
