"""The operator feed: every change of a source's health verdict (`ops.rss`, `ops.atom`, and
`ops.xml`, the RSS under the name operators' tools often expect)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.dates import to_vn
from store.db import Database
from store.health import health_events
from store.repo import sources

from .build import atomic_write, new_feed, set_updated, write_feed

if TYPE_CHECKING:
    from .build import WrittenFeed


def build_ops_feed(db: Database, out: Path, base_url: str, limit: int) -> WrittenFeed:
    from .build import FeedSpec, WrittenFeed

    names = {s.id: s.name for s in sources(db)}
    events = health_events(db, limit)
    spec = FeedSpec("ops", "portalwatch: tình trạng nguồn tin (source health)",
                    "Health changes of the monitored portals: ok, failing, broken, stale, disabled")
    fg = new_feed(spec.path, spec.title, spec.description, base_url)
    set_updated(fg, (d for d in (to_vn(e.at) for e in events) if d is not None))
    for e in events:
        fe = fg.add_entry(order="append")
        guid = f"urn:portalwatch:health:{e.source_id}:{e.id}"
        fe.id(guid)
        fe.guid(guid, permalink=False)
        fe.title(f"{names.get(e.source_id, e.source_id)}: {e.old} → {e.new}")
        fe.link(href=f"{base_url.rstrip('/')}/source/{e.source_id}.atom", rel="alternate")
        when = to_vn(e.at)
        fe.published(when)
        fe.updated(when)
        fe.summary(e.detail or e.new)
        fe.content(f"<p>{html.escape(e.detail or e.new)}</p>", type="CDATA")
        fe.category(term=e.new, label=e.new, scheme="health")
        fe.category(term=e.source_id, label=names.get(e.source_id, e.source_id), scheme="source")
    files = write_feed(fg, out, spec.path, base_url)
    atomic_write(out / "ops.xml", (out / "ops.rss").read_bytes())
    return WrittenFeed(spec, len(events), files)
