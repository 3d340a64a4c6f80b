"""Extraction quality on the portal farm: portalwatch's zero-config path vs trafilatura alone.

`python -m bench.extraction` prints a table of title/date/author accuracy and body F1, and the
time per page (a ratio to trafilatura alone, not a wall-clock claim).
"""

from __future__ import annotations

import time

import trafilatura

from crawler.extract import Extracted, extract_article
from portaltext.dates import parse_iso
from portaltext.text import clean
from tests.farm import Farm
from tests.farm.scoring import score_extraction


def trafilatura_alone(html: str, url: str) -> Extracted:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return Extracted(None, None, None, None, [], [], "")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    paragraphs = [clean(p) for p in text.split("\n") if clean(p)]
    published = parse_iso(data.get("date") or "") if data.get("date") else None
    return Extracted(clean(data.get("title")) or None, published, clean(data.get("author")) or None, None,
                     paragraphs, [], "")


def main() -> None:
    rows = []
    with Farm() as farm:
        for name, fn in (("portalwatch zero-config", extract_article), ("trafilatura alone", trafilatura_alone)):
            started = time.perf_counter()
            scores = score_extraction(farm, fn)
            rows.append((name, scores.as_dict(), (time.perf_counter() - started) / max(1, scores.n)))
    base = rows[1][2]
    print("| extractor | pages | title | date | author | body F1 | captions apart | time/page vs trafilatura |")
    print("|---|---|---|---|---|---|---|---|")
    for name, d, per_page in rows:
        print(f"| {name} | {d['articles']} | {d['title_accuracy']:.3f} | {d['date_accuracy']:.3f} | "
              f"{d['author_accuracy']:.3f} | {d['body_f1']:.3f} | {d['captions_apart']:.3f} | {per_page / base:.2f}x |")


if __name__ == "__main__":
    main()
