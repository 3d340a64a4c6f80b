"""The changes feeds: what portals edit, remove and restore after publishing, with short word diffs.

`changes` for every source and `changes/source/<id>` per source (feeds.build names them). Each
change has its own stable GUID.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from feedgen.feed import FeedGenerator

from portaltext.dates import VN_TZ, to_vn
from portaltext.text import slugify
from store.db import Database
from store.repo import changes, sources

from .formats import new_feed, set_updated
from .safe import xml_text

if TYPE_CHECKING:
    import datetime as dt

    from store.browse import Query

    from .build import FeedSpec

KIND_LABEL = {"edited": "Sửa", "removed": "Gỡ bỏ", "restored": "Khôi phục"}
SUMMARY_CHARS = 500


def diff_html(diff: str) -> str:
    """`[-old-]` / `{+new+}` markers as <del>/<ins>, everything escaped."""
    escaped = html.escape(xml_text(diff))
    escaped = re.sub(r"\[-(.*?)-\]", r"<del>\1</del>", escaped, flags=re.S)
    escaped = re.sub(r"\{\+(.*?)\+\}", r"<ins>\1</ins>", escaped, flags=re.S)
    return "".join(f"<p>{line}</p>" for line in escaped.splitlines() if line)


def day_start(day: dt.date | None, next_day: bool = False) -> datetime | None:
    """Midnight (Vietnam time) starting `day`, or the day after it."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1 if next_day else 0), time(0), tzinfo=VN_TZ)


def source_scope(db: Database, query: Query) -> list[str] | None:
    """The ids of the sources a query's `source` and `province` leave; None when it names neither."""
    if not query.source and not query.province:
        return None
    return [s.id for s in sources(db) if (not query.source or s.id == query.source)
            and (not query.province or slugify(s.province) == slugify(query.province))]


def changes_feed(db: Database, spec: FeedSpec, base_url: str, query: Query | None, limit: int,
                 fulltext: bool = True) -> FeedGenerator:
    rows = []
    if query is not None:
        rows = changes(db, limit, source_scope(db, query), day_start(query.since), day_start(query.until, next_day=True))
    fg = new_feed(spec.path, spec.title, spec.description, base_url)
    set_updated(fg, (d for d in (to_vn(c.at) for c, _, _ in rows) if d is not None))
    for c, a, src in rows:
        fe = fg.add_entry(order="append")
        guid = f"{a.url}#change-{c.id}"
        fe.id(guid)
        fe.guid(guid, permalink=False)
        fe.title(f"[{KIND_LABEL.get(c.kind, c.kind)}] {xml_text(a.title) or a.url}")
        fe.link(href=a.fetched_url, rel="alternate")
        when = to_vn(c.at)
        fe.published(when)
        fe.updated(when)
        summary = xml_text(c.summary)
        summary = summary if len(summary) <= SUMMARY_CHARS else summary[: SUMMARY_CHARS - 1] + "…"
        fe.summary(summary or KIND_LABEL.get(c.kind, c.kind))
        if fulltext:
            fe.content(diff_html(c.summary) or html.escape(c.kind), type="html")
        fe.category(term=c.kind, label=KIND_LABEL.get(c.kind, c.kind), scheme="change")
        fe.category(term=slugify(src.province), label=src.province, scheme="province")
        fe.category(term=slugify(src.agency), label=src.agency, scheme="agency")
    return fg
