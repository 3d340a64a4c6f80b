"""The operator feed (`ops`): every change of a source's health verdict."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from feedgen.feed import FeedGenerator

from portaltext.dates import to_vn
from store.db import Database
from store.health import health_events
from store.repo import sources

from .changes import day_start, source_scope
from .formats import new_feed, set_updated

if TYPE_CHECKING:
    from store.browse import Query

    from .build import FeedSpec


def ops_feed(db: Database, spec: FeedSpec, base_url: str, query: Query | None, limit: int) -> FeedGenerator:
    names = {s.id: s.name for s in sources(db)}
    events = []
    if query is not None:
        events = health_events(db, limit, source_scope(db, query), day_start(query.since),
                               day_start(query.until, next_day=True))
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
        fe.content(f"<p>{html.escape(e.detail or e.new)}</p>", type="html")
        fe.category(term=e.new, label=e.new, scheme="health")
        fe.category(term=e.source_id, label=names.get(e.source_id, e.source_id), scheme="source")
    return fg
