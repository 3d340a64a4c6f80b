"""The cluster sync on a large store: `python -m bench.clusters [--articles N] [--new K]`.

A real SQLite store filled through the store's upsert with N articles (distinct bodies, one in ten a
near copy of an earlier one, as republished press releases are), clustered once. Then K new
articles arrive (a batch's worth) and are clustered twice: by the incremental sync (store.clusters,
band keys looked up for what changed) and by the former sync: every stored signature read and run
through LSH (without writing anything). Both must give the same clusters; the times and their ratio are printed, and
the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from portaltext.dedupe import cluster_ids, signature, text_hash
from store import open_db
from store.clusters import rebuild_clusters, sync_clusters
from store.db import Database
from store.models import Article
from store.monitor import ArticleData, upsert_article
from store.repo import upsert_source

NOW = datetime(2026, 12, 1, tzinfo=UTC)
VOCAB = [f"tu{i}" for i in range(20000)]


def _body(rng: random.Random, bodies: list[str]) -> str:
    if bodies and rng.random() < 0.1:
        words = rng.choice(bodies).split()
        for pos in rng.sample(range(len(words)), 4):
            words[pos] = rng.choice(VOCAB)
        return " ".join(words)
    return " ".join(rng.choice(VOCAB) for _ in range(rng.randint(80, 200)))


def _store(db: Database, rng: random.Random, bodies: list[str], start: int, count: int) -> None:
    for i in range(start, start + count):
        body = _body(rng, bodies)
        bodies.append(body)
        upsert_article(db, ArticleData(
            source_id=f"s{i % 50}", url=f"http://127.0.0.1/{i}.html", fetched_url=f"http://127.0.0.1/{i}.html",
            title=f"Bài {i}", published_at=None, author=None, lead=None, text=body, html="", captions=[],
            content_hash=hashlib.sha256(body.encode()).hexdigest(), is_meeting=False, text_hash=text_hash(body),
            minhash=signature(body)), [timedelta(days=1)], NOW)


def _clusters(db: Database) -> dict[int, int | None]:
    with db.session() as s:
        return dict(s.execute(select(Article.id, Article.cluster_id)).tuples().all())


def _former_sync(db: Database) -> dict[int, int | None]:
    """What each sync did before the bands: read every signature, LSH over all, confirm candidates."""
    with db.session() as s:
        rows = s.execute(select(Article.id, Article.minhash).order_by(Article.id)).tuples().all()
    found = cluster_ids((aid, sig) for aid, sig in rows if sig is not None)
    return {aid: found.get(aid) for aid, _ in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000, help="articles stored first, e.g. --articles 20000")
    parser.add_argument("--new", type=int, default=50, help="articles that arrive after, e.g. --new 50")
    args = parser.parse_args()
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(f"sqlite:///{Path(tmp) / 'c.db'}")
        for sid in range(50):
            upsert_source(db, f"s{sid}", f"S{sid}", "Hà Tĩnh", "UBND", ["http://127.0.0.1/"])
        bodies: list[str] = []
        _store(db, rng, bodies, 0, args.articles)
        started = time.perf_counter()
        rebuild_clusters(db)
        first = time.perf_counter() - started
        _store(db, rng, bodies, args.articles, args.new)
        started = time.perf_counter()
        sync_clusters(db)
        incremental = time.perf_counter() - started
        after_incremental = _clusters(db)
        started = time.perf_counter()
        former = _former_sync(db)
        full = time.perf_counter() - started
        same = former == after_incremental
        clustered = sum(c is not None for c in after_incremental.values())
        db.dispose()
    print(f"{args.articles:,} articles clustered from scratch in {first:.2f} s ({clustered:,} in clusters after)")
    print(f"{args.new} new articles: incremental sync {incremental:.3f} s, former full sync {full:.2f} s, "
          f"ratio {full / incremental:.0f}x; same clusters: {same}")
    print(json.dumps({"articles": args.articles, "new": args.new, "incremental_s": round(incremental, 3),
                      "full_s": round(full, 2), "ratio": round(full / incremental, 1), "same": same}))
    if not same:
        raise SystemExit("the incremental sync and the full computation disagree")


if __name__ == "__main__":
    main()
