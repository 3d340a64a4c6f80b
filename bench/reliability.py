"""Work bounds under hostile input (issue 13): `python -m bench.reliability`.

- Search snippets over a 4.8 MB article with a common word (240,000 hits): the one-pass window
  against the quadratic one it replaced (the latter measured on a cut of the hits only, then
  scaled, because on all of them it runs for minutes).
- Extraction of a page of N `<p>a</p>` (N up to a million): seconds and peak memory, each size in a
  process of its own.
- `serve` memory under cache-busting: 600 requests to a large page differing only in `_=N`, and
  600 differing in a real parameter (`page=N`), against a store with one 2 MB article.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from store.search import Hit, _densest, _hits
from tests.conftest import Served

PARAGRAPH = "Đại biểu phát biểu tại phiên thảo luận. "


def _quadratic(hits: list[Hit], width: int) -> Hit:
    return max(hits, key=lambda h: (len({o.word for o in hits if h.start - width // 3 <= o.start < h.start + 2 * width // 3}),
                                    -h.start))


def bench_snippets() -> dict[str, float]:
    from portaltext.text import fold_chars

    text = PARAGRAPH * 120_000
    all_hits = _hits(fold_chars(text), ["dai", "bieu"])
    t = time.perf_counter()
    _densest(all_hits, 220)
    linear_all = time.perf_counter() - t
    sample = all_hits[:4000]
    t = time.perf_counter()
    _quadratic(sample, 220)
    quad_sample = time.perf_counter() - t
    scale = (len(all_hits) / len(sample)) ** 2
    return {"hits": len(all_hits), "one_pass_s": linear_all, "quadratic_s_estimated": quad_sample * scale}


def _extract_child(n: int) -> None:
    from crawler.extract import extract_article

    page = "<html><head><title>T</title></head><body><h1>Tiêu đề bài viết</h1>" + "<p>a</p>" * n + "</body></html>"
    t = time.perf_counter()
    extract_article(page, "http://bench.test/a.html")
    print(json.dumps({"seconds": time.perf_counter() - t,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def bench_extraction(sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)) -> list[dict[str, float]]:
    out = []
    for n in sizes:
        run = subprocess.run([sys.executable, "-m", "bench.reliability", "--extract-child", str(n)],
                             capture_output=True, text=True, check=True, timeout=900)
        out.append({"elements": n, **json.loads(run.stdout.strip().splitlines()[-1])})
    return out


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_cache_busting(requests: int = 600) -> dict[str, float]:
    from bench.server import build_store
    from store import open_db
    from store.models import Article
    from store.search import sync_search

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "pw.db"
        build_store(db_path, 2000)
        db = open_db(str(db_path))
        with db.session() as s:  # one long article in the results of every search
            a = s.get(Article, 1)
            assert a is not None
            a.text = "Hội nghị sơ kết. " * 120_000
            a.content_hash = "long"
        sync_search(db)
        db.dispose()
        sources = Path(tmp) / "sources.toml"
        sources.write_text("", encoding="utf-8")
        served = Served(db_path, sources)
        try:
            pid = served.proc.pid
            result = {"rss_start_mb": _rss_mb(pid)}
            for label, param in (("busters", "_"), ("pages", "page")):
                for n in range(requests):
                    value = n + 1 if param == "_" else n % 400 + 1
                    with urllib.request.urlopen(f"{served.base}/search?q=hoi+nghi&{param}={value}", timeout=120) as r:
                        r.read()
                result[f"rss_after_{label}_mb"] = _rss_mb(pid)
            return result
        finally:
            served.stop()


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--extract-child":
        _extract_child(int(sys.argv[2]))
        return
    os.environ.setdefault("PORTALWATCH_LOG_LEVEL", "ERROR")
    snippets = bench_snippets()
    print(f"snippet over {snippets['hits']:,} hits: one pass {snippets['one_pass_s']:.3f} s; "
          f"the quadratic window it replaced ~{snippets['quadratic_s_estimated']:.0f} s (scaled from 4,000 hits)")
    for row in bench_extraction():
        print(f"extraction of {int(row['elements']):>9,} <p>: {row['seconds']:6.2f} s, peak {row['peak_mb']:.0f} MB")
    cache = bench_cache_busting()
    print(f"serve RSS: {cache['rss_start_mb']:.0f} MB at start, {cache['rss_after_busters_mb']:.0f} MB after 600 "
          f"requests differing in _=N, {cache['rss_after_pages_mb']:.0f} MB after 600 more differing in page=N "
          "(cache bounded at 64 MB)")


if __name__ == "__main__":
    main()
