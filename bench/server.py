"""The readers' server under load: `python -m bench.server [--articles 100000]`.

Builds a store of N synthetic articles (paragraphs of the farm's corpus recombined, a fifth of them
meeting reports with records), indexes it for search, and runs `portalwatch serve` on it. Then,
from client threads with keep-alive connections on 127.0.0.1:

- requests per second for a 200-item feed (`/feeds/meetings.rss?limit=200`): unconditional, with
  If-None-Match (a reader polling an unchanged feed: 304), and with the response cache off (every
  request renders the feed from the database);
- search latency over all N articles: the search page (`/search?q=`, ranked, 20 results with
  snippets and a total count) and a filtered feed (`/feeds/meetings.atom?q=&limit=20`), with the
  cache off so that every request searches.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import insert

from portaltext.meeting import EXTRACTOR_VERSION
from portaltext.meeting.kinds import KINDS
from store import open_db
from store.models import Article, Meeting, Source
from store.search import sync_search
from tests.conftest import Served
from tests.farm.content import generate

PROVINCES = ["Vĩnh Phúc", "Hà Tĩnh", "Lạng Sơn", "Quảng Nam", "Nghệ An"]
QUERIES = ["hoi nghi so ket", "Đảng ủy", "dang uy", "giám sát", "ky hop thu 7", "giai ngan von dau tu cong",
           "tiếp xúc cử tri", "cai cach hanh chinh", "phong chong thien tai", "chuyen doi so"]


def build_store(db_path: Path, n: int, seed: int = 7) -> float:
    """N articles, with search index; returns the seconds spent indexing."""
    rng = random.Random(seed)
    corpus = generate(seed=2024, per_portal=60)
    titles = [a.title for a in corpus]
    paragraphs = [p for a in corpus for p in a.paragraphs if len(p) > 60]
    db = open_db(str(db_path))
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with db.session() as s:
        s.execute(insert(Source), [{"id": f"portal{i}", "name": f"Cổng thông tin {p}", "province": p, "agency": "UBND tỉnh",
                                    "start_urls": [f"http://portal{i}.example/"]} for i, p in enumerate(PROVINCES)])
    kinds = sorted(KINDS)
    for first in range(0, n, 5000):
        articles, meetings = [], []
        for i in range(first, min(n, first + 5000)):
            body = "\n\n".join(rng.sample(paragraphs, 4))
            published = start + timedelta(minutes=37 * i)
            meeting = i % 5 == 0
            articles.append({"id": i + 1, "source_id": f"portal{i % 5}", "url": f"http://portal{i % 5}.example/a/{i}",
                             "fetched_url": f"http://portal{i % 5}.example/a/{i}", "title": f"{rng.choice(titles)} ({i})",
                             "published_at": published, "text": body, "html": "".join(f"<p>{p}</p>" for p in body.split("\n\n")),
                             "captions": [], "content_hash": hashlib.sha256(body.encode()).hexdigest(), "is_meeting": meeting,
                             "first_seen": published, "last_seen": published})
            if meeting:
                meetings.append({"article_id": i + 1, "kind": kinds[i % len(kinds)], "detail": {}, "event_date": published.date(),
                                 "province": PROVINCES[i % 5], "extractor_version": EXTRACTOR_VERSION,
                                 "content_hash": articles[-1]["content_hash"], "extracted_at": published})
        with db.session() as s:
            s.execute(insert(Article), articles)
            s.execute(insert(Meeting), meetings)
    t = time.perf_counter()
    sync_search(db)
    took = time.perf_counter() - t
    db.dispose()
    return took


def hammer(port: int, path: str, seconds: float, threads: int, headers: dict[str, str] | None = None) -> tuple[float, set[int]]:
    """Requests per second from `threads` keep-alive clients for `seconds`; and the statuses seen."""
    counts = [0] * threads
    statuses: set[int] = set()
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            conn.request("GET", path, headers=headers or {})
            resp = conn.getresponse()
            resp.read()
            statuses.add(resp.status)
            counts[k] += 1
        conn.close()

    pool = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
    t = time.perf_counter()
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    return sum(counts) / (time.perf_counter() - t), statuses


def latencies(port: int, paths: list[str], rounds: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    out = []
    for _ in range(rounds):
        for path in paths:
            t = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200, (path, resp.status)
            out.append((time.perf_counter() - t) * 1000)
    conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path, sources = Path(tmp) / "bench.db", Path(tmp) / "none.toml"
        t = time.perf_counter()
        index_s = build_store(db_path, args.articles)
        print(f"store: {args.articles} articles built in {time.perf_counter() - t:.1f} s (search index {index_s:.1f} s), "
              f"{db_path.stat().st_size / 1e6:.0f} MB", flush=True)
        feed = "/feeds/meetings.rss?limit=200"
        rows: list[tuple[str, str]] = []
        cached = Served(db_path, sources)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", cached.port, timeout=120)
            conn.request("GET", feed)
            resp = conn.getresponse()
            body = resp.read()
            etag = resp.getheader("ETag") or ""
            conn.close()
            items = body.count(b"<item>")
            rps, st = hammer(cached.port, feed, args.seconds, args.threads)
            label = f"200-item feed ({len(body) / 1e6:.1f} MB, {items} items), no validator"
            rows.append((label, f"{rps:,.0f} req/s {sorted(st)}"))
            rps304, st = hammer(cached.port, feed, args.seconds, args.threads, {"If-None-Match": etag})
            rows.append(("same feed, If-None-Match (304)", f"{rps304:,.0f} req/s {sorted(st)}"))
            rpsgz, st = hammer(cached.port, feed, args.seconds, args.threads, {"Accept-Encoding": "gzip"})
            rows.append(("same feed, gzip", f"{rpsgz:,.0f} req/s {sorted(st)}"))
        finally:
            cached.stop()
        uncached = Served(db_path, sources, "--cache", "0")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", uncached.port, timeout=120)
            conn.request("GET", feed)
            resp = conn.getresponse()
            resp.read()
            etag = resp.getheader("ETag") or ""  # this server's own (self links name its port)
            conn.close()
            rps0, st = hammer(uncached.port, feed, args.seconds, args.threads)
            rows.append(("same feed, cache off (rendered from the database each time)", f"{rps0:,.0f} req/s {sorted(st)}"))
            rps0_304, st = hammer(uncached.port, feed, args.seconds, args.threads, {"If-None-Match": etag})
            rows.append(("same feed, cache off, If-None-Match (304 after rendering)", f"{rps0_304:,.0f} req/s {sorted(st)}"))
            for label, template in (("search page /search?q= (20 results, snippets, count)", "/search?q={}"),
                                    ("search in a feed /feeds/meetings.atom?q=&limit=20", "/feeds/meetings.atom?q={}&limit=20")):
                ms = latencies(uncached.port, [template.format(quote(q)) for q in QUERIES], rounds=3)
                rows.append((f"{label}, {len(QUERIES)} queries x 3",
                             f"median {statistics.median(ms):.0f} ms, p95 {sorted(ms)[int(len(ms) * 0.95) - 1]:.0f} ms, "
                             f"max {max(ms):.0f} ms"))
        finally:
            uncached.stop()
    print(f"\nreaders' server, {args.articles:,} articles, {args.threads} client threads, {args.seconds:.0f} s each:")
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


if __name__ == "__main__":
    sys.exit(main())
