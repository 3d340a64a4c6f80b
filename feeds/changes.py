"""Changes feeds: what portals edit, remove and restore after publishing, with short word diffs.

`changes.rss`, `changes.atom` (and `changes.xml`, the RSS under the name readers often expect) for
every source, and `changes/source/<id>.rss|.atom` per source. Each change has its own stable GUID.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.dates import to_vn
from crawler.text import slugify
from store.db import Database
from store.models import Article, ArticleChange, Source
from store.repo import changes, sources

from .build import atomic_write, new_feed, set_updated, write_feed

if TYPE_CHECKING:
    from .build import WrittenFeed

KIND_LABEL = {"edited": "Sửa", "removed": "Gỡ bỏ", "restored": "Khôi phục"}
SUMMARY_CHARS = 500


def diff_html(diff: str) -> str:
    """`[-old-]` / `{+new+}` markers as <del>/<ins>, everything escaped."""
    escaped = html.escape(diff)
    escaped = re.sub(r"\[-(.*?)-\]", r"<del>\1</del>", escaped, flags=re.S)
    escaped = re.sub(r"\{\+(.*?)\+\}", r"<ins>\1</ins>", escaped, flags=re.S)
    return "".join(f"<p>{line}</p>" for line in escaped.splitlines() if line)


def _write(out: Path, path: str, title: str, description: str, base_url: str,
           rows: list[tuple[ArticleChange, Article, Source]]) -> WrittenFeed:
    from .build import FeedSpec, WrittenFeed

    fg = new_feed(path, title, description, base_url)
    dates = [to_vn(c.at) for c, _, _ in rows]
    set_updated(fg, (d for d in dates if d is not None))
    for c, a, src in rows:
        fe = fg.add_entry(order="append")
        guid = f"{a.url}#change-{c.id}"
        fe.id(guid)
        fe.guid(guid, permalink=False)
        fe.title(f"[{KIND_LABEL.get(c.kind, c.kind)}] {a.title or a.url}")
        fe.link(href=a.fetched_url, rel="alternate")
        when = to_vn(c.at)
        fe.published(when)
        fe.updated(when)
        summary = c.summary if len(c.summary) <= SUMMARY_CHARS else c.summary[: SUMMARY_CHARS - 1] + "…"
        fe.summary(summary or KIND_LABEL.get(c.kind, c.kind))
        fe.content(diff_html(c.summary) or html.escape(c.kind), type="CDATA")
        fe.category(term=c.kind, label=KIND_LABEL.get(c.kind, c.kind), scheme="change")
        fe.category(term=slugify(src.province), label=src.province, scheme="province")
        fe.category(term=slugify(src.agency), label=src.agency, scheme="agency")
    files = write_feed(fg, out, path, base_url)
    return WrittenFeed(FeedSpec(path, title, description), len(rows), files)


def build_change_feeds(db: Database, out: Path, base_url: str, limit: int) -> list[WrittenFeed]:
    written = [_write(out, "changes", "portalwatch: bài viết bị sửa, gỡ, khôi phục",
                      "Edits, removals and restorations of articles on the monitored portals", base_url,
                      changes(db, limit=limit))]
    atomic_write(out / "changes.xml", (out / "changes.rss").read_bytes())
    for s in sources(db):
        written.append(_write(out, f"changes/source/{s.id}", f"portalwatch: thay đổi - {s.name}",
                              f"Edits, removals and restorations on {s.name}", base_url,
                              changes(db, source_id=s.id, limit=limit)))
    return written
