"""The feeds portalwatch defines, and the files `feeds build` writes.

Meeting-report feeds: all (`meetings`), one per province, per source, per meeting kind, per host
agency and per person (`province/vinh-phuc`, `source/<id>`, `kind/giam-sat`,
`agency/hdnd-tinh-ha-tinh`, `person/tran-tu-anh`); the changes feeds (`changes`,
`changes/source/<id>`, feeds.changes) and the operator feed (`ops`, feeds.ops). Each is written
as `.rss`, `.atom` and `.json`; the feed server (feeds.server) serves the same names from the
database, with filters.

Each meeting item opens with a short structured summary of its meeting record (kind, date,
agencies, people, documents) and carries kind, agency, province and source categories. GUIDs are
the canonical article URLs, so they stay stable across rebuilds and recrawls. A press release
republished by several portals (a near-duplicate cluster) appears once in the feeds that collapse
clusters, as its earliest published copy, with the other copies listed as "also published at";
each source's own feed keeps its own copy. Removed articles leave the meeting feeds; the changes
feeds report their removal. Article HTML passes feeds.safe on the way in.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

from feedgen.feed import FeedGenerator

from portaltext.dates import to_vn
from portaltext.meeting.kinds import KINDS
from portaltext.text import slugify
from store.browse import Query, find
from store.db import Database
from store.history import cluster_members
from store.meetings import facets, sync_meetings
from store.models import Article, Meeting
from store.repo import sources
from store.search import sync_search

from .changes import changes_feed
from .formats import DEFAULT_INTERVAL, Format, new_feed, render, set_schedule, set_updated
from .ops import ops_feed
from .safe import safe_html, xml_text

DEFAULT_LIMIT = 100
SUMMARY_CHARS = 400
# An item's HTML beyond this is cut to its first paragraphs and a link to the full text: a 5 MB
# verbatim record would otherwise make every poll of the feed a 5 MB download.
CONTENT_CHARS = 100_000
FORMATS: tuple[Format, ...] = ("rss", "atom", "json")
Family = Literal["meetings", "changes", "ops"]


@dataclass(frozen=True)
class FeedSpec:
    path: str  # relative, without extension: "meetings", "province/vinh-phuc", "source/baohatinh"
    title: str
    description: str
    family: Family = "meetings"
    query: Query = field(default_factory=Query)
    collapse_clusters: bool = True
    group: str = "meetings"  # how indexes and OPML group it: meetings, province, source, kind, agency, person, changes, ops


@dataclass(frozen=True)
class WrittenFeed:
    spec: FeedSpec
    entries: int
    files: tuple[Path, ...]


# ------------------------------------------------------------------------------------ catalog
def catalog(db: Database) -> list[FeedSpec]:
    """Every feed the store can fill."""
    specs = [FeedSpec("meetings", "portalwatch: báo cáo hội nghị, cuộc họp (tất cả)",
                      "Meeting reports from Vietnamese provincial government portals")]
    srcs = sources(db)
    for province in sorted({s.province for s in srcs}):
        specs.append(FeedSpec(f"province/{slugify(province)}", f"portalwatch: hội nghị, cuộc họp - {province}",
                              f"Meeting reports from portals of {province}", query=Query(province=province), group="province"))
    for s in srcs:
        specs.append(FeedSpec(f"source/{s.id}", f"portalwatch: hội nghị, cuộc họp - {s.name}",
                              f"Meeting reports published by {s.name} ({s.province})", query=Query(source=s.id),
                              collapse_clusters=False, group="source"))
    found = facets(db)
    for slug, _ in found["kind"]:
        specs.append(FeedSpec(f"kind/{slug}", f"portalwatch: {KINDS.get(slug, slug)}", f"Meeting reports of kind {slug}",
                              query=Query(kind=slug), group="kind"))
    for slug, label in found["agency"]:
        specs.append(FeedSpec(f"agency/{slug}", f"portalwatch: hội nghị, cuộc họp - {label}", f"Meetings held by {label}",
                              query=Query(agency=slug, exact=True), group="agency"))
    for slug, label in found["person"]:
        specs.append(FeedSpec(f"person/{slug}", f"portalwatch: hội nghị, cuộc họp có {label}",
                              f"Meetings {label} took part in", query=Query(person=slug, exact=True), group="person"))
    specs.append(FeedSpec("changes", "portalwatch: bài viết bị sửa, gỡ, khôi phục",
                          "Edits, removals and restorations of articles on the monitored portals", family="changes",
                          query=Query(meetings_only=False), group="changes"))
    for s in srcs:
        specs.append(FeedSpec(f"changes/source/{s.id}", f"portalwatch: thay đổi - {s.name}",
                              f"Edits, removals and restorations on {s.name}", family="changes",
                              query=Query(source=s.id, meetings_only=False), group="changes"))
    specs.append(FeedSpec("ops", "portalwatch: tình trạng nguồn tin (source health)",
                          "Health changes of the monitored portals: ok, failing, broken, stale, disabled", family="ops",
                          query=Query(meetings_only=False), group="ops"))
    return specs


def list_url(spec: FeedSpec) -> str:
    """The server's HTML list of what the feed holds (a path): where the feed's name on `/`, its
    channel <link> and its OPML htmlUrl lead."""
    if spec.family == "ops":
        return "/sources"
    q = spec.query
    params = [(name, value) for name, value in (("province", q.province and slugify(q.province)), ("source", q.source),
                                               ("kind", q.kind), ("agency", q.agency), ("person", q.person))
              if value]
    page = "/changes" if spec.family == "changes" else "/meetings"
    return page + ("?" + urlencode(params) if params else "")


def combine(base: Query, extra: Query | None) -> Query | None:
    """Both queries at once; None when they cannot both hold (a province feed asked for another
    province)."""
    if extra is None:
        return base
    merged = base
    for f in fields(Query):
        if f.name in ("meetings_only", "exact", "include_removed"):
            continue
        mine, theirs = getattr(base, f.name), getattr(extra, f.name)
        if theirs is None:
            continue
        if mine is None:
            merged = replace(merged, **{f.name: theirs})
        elif f.name == "since":
            merged = replace(merged, since=max(mine, theirs))
        elif f.name == "until":
            merged = replace(merged, until=min(mine, theirs))
        elif slugify(str(mine)) != slugify(str(theirs)):
            return None
    return merged


def interval_of(spec: FeedSpec, intervals: Mapping[str, timedelta]) -> timedelta:
    """How often the feed can change: its source's crawl interval, else the shortest of all."""
    if spec.query.source and spec.query.source in intervals:
        return intervals[spec.query.source]
    return min(intervals.values(), default=DEFAULT_INTERVAL)


def make_feed(db: Database, spec: FeedSpec, base_url: str, extra: Query | None = None, limit: int = DEFAULT_LIMIT,
              fulltext: bool = True, interval: timedelta = DEFAULT_INTERVAL) -> FeedGenerator:
    """The feed `spec` names, narrowed by `extra` (the query parameters a reader added)."""
    if spec.family == "changes":
        fg = changes_feed(db, spec, base_url, combine(spec.query, extra), limit, fulltext)
    elif spec.family == "ops":
        fg = ops_feed(db, spec, base_url, combine(spec.query, extra), limit)
    else:
        fg = meetings_feed(db, spec, base_url, combine(spec.query, extra), limit, fulltext)
    set_schedule(fg, interval)
    return fg


# ------------------------------------------------------------------------------- meeting items
def _summary(a: Article, m: Meeting | None = None) -> str:
    text = a.lead or (a.text.split("\n\n", 1)[0] if a.text else "")
    text = text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return xml_text(f"[{meeting_line(m)}] {text}" if m else text)


def meeting_line(m: Meeting) -> str:
    """"Giám sát · 18/10/2023 sáng · HĐND tỉnh Hà Tĩnh → Sở Xây dựng tỉnh Hà Tĩnh"."""
    parts = [KINDS.get(m.kind, m.kind)]
    if m.event_date:
        parts.append(m.event_date.strftime("%d/%m/%Y") + (f" {m.time_of_day}" if m.time_of_day else ""))
    if m.agency:
        parts.append(m.agency + (f" → {m.subject_agency}" if m.subject_agency else ""))
    elif m.province:
        parts.append(m.province)
    return " · ".join(parts)


def _meeting_html(m: Meeting) -> str:
    """The structured summary at the top of an item."""
    rows = [f"<p><strong>{html.escape(meeting_line(m))}</strong></p>"]
    if m.people:
        people = "".join(f"<li>{html.escape(p.role)}: {html.escape(p.name)}"
                         + (f", {html.escape(p.title)}" if p.title else "") + "</li>" for p in m.people)
        rows.append(f"<ul>{people}</ul>")
    if m.documents:
        docs = "; ".join(f"{html.escape(d.type)} số {html.escape(d.symbol)}"
                         + (f" ngày {d.date.strftime('%d/%m/%Y')}" if d.date else "") for d in m.documents)
        rows.append(f"<p>Văn bản: {docs}</p>")
    return "".join(rows) + "<hr>"


def entry_updated(a: Article) -> datetime:
    """When the item last changed for its readers: its last edit, else when portalwatch first
    published it (Atom requires one; it is never shown as the report's date)."""
    value = to_vn(a.updated_at) or to_vn(a.first_seen)
    assert value is not None
    return value


def body_html(a: Article, limit: int = CONTENT_CHARS) -> str:
    """The article's body, sanitised, with links absolute to the portal; cut to its first
    paragraphs (and a link to the original) when longer than `limit`."""
    if a.html and len(a.html) <= limit:
        return safe_html(a.html, a.fetched_url)
    paragraphs: list[str] = []
    size = 0
    for p in (a.text or "").split("\n\n"):
        if not p:
            continue
        if size + len(p) > limit and paragraphs:
            paragraphs.append(f'<p><em>… Bài dài, đọc toàn văn tại nguồn (full text at the source):</em> '
                              f'<a href="{html.escape(a.fetched_url)}">{html.escape(a.fetched_url)}</a></p>')
            break
        paragraphs.append(f"<p>{html.escape(xml_text(p))}</p>")
        size += len(p)
    return "".join(paragraphs)


def _content(a: Article, also: list[Article], source_names: Mapping[str, str], m: Meeting | None = None) -> str:
    body = body_html(a)
    if m is not None:
        body = _meeting_html(m) + body
    if not also:
        return body
    # Each copy by the portal that published it, linked where it was fetched (the canonical URL
    # is an identity; with its slug removed it may not answer).
    links = "".join(f'<li>{html.escape(source_names.get(o.source_id, o.source_id))}: '
                    f'<a href="{html.escape(o.fetched_url)}">{html.escape(xml_text(o.title or o.fetched_url))}</a></li>'
                    for o in also)
    return f"<p><strong>Cũng đăng tại (also published at):</strong></p><ul>{links}</ul>{body}"


def meetings_feed(db: Database, spec: FeedSpec, base_url: str, query: Query | None, limit: int,
                  fulltext: bool = True) -> FeedGenerator:
    rows = find(db, replace(query, fold=spec.collapse_clusters), limit=limit) if query is not None else []
    members = cluster_members(db, [f.article.cluster_id for f in rows if f.article.cluster_id is not None])
    sources_of = {src.id: src.name for src in sources(db)} if members else {}
    fg = new_feed(spec.path, spec.title, spec.description, base_url)
    set_updated(fg, (entry_updated(f.article) for f in rows))
    for found in rows:
        a, src, m = found.article, found.source, found.meeting
        also = [o for o in members.get(a.cluster_id or -1, []) if o.id != a.id]
        fe = fg.add_entry(order="append")
        # The GUID is the canonical URL (stable across slug edits and session parameters); the link
        # is the URL the article was last fetched from, which a reader can open.
        fe.id(a.url)
        fe.guid(a.url, permalink=a.url == a.fetched_url)
        fe.title(xml_text(a.title) or a.url)
        fe.link(href=a.fetched_url, rel="alternate")
        # The item's date is the one the pages show: published, else the meeting's day (the summary
        # says which); an undated report has none, so no reader files it under the day it was crawled.
        shown = found.date
        if shown.moment is not None:
            fe.published(shown.moment)
        fe.updated(entry_updated(a) if shown.moment is None else max(shown.moment, to_vn(a.updated_at) or shown.moment))
        # A published date is the item's date field; any other is said in words, first.
        marked = "" if shown.kind == "published" else shown.sentence()
        fe.summary((f"{marked}. " if marked else "") + (_summary(a, m) or xml_text(a.title)))
        if fulltext:
            fe.content((f"<p><em>{html.escape(marked)}</em></p>" if marked else "") + _content(a, also, sources_of, m),
                       type="html")
        if a.author:
            # RSS wants an e-mail in <author>; a byline without one goes to dc:creator instead.
            fe.dc.dc_creator(xml_text(a.author))
            fe.author({"name": xml_text(a.author)})
        province = (m.province if m else None) or src.province
        fe.category(term=slugify(province), label=province, scheme="province")
        if m is not None:
            fe.category(term=m.kind, label=KINDS.get(m.kind, m.kind), scheme="kind")
        if m is not None and m.agency:
            fe.category(term=m.agency_slug, label=m.agency, scheme="agency")
        fe.category(term=src.id, label=src.name, scheme="source")
    return fg


# ------------------------------------------------------------------------------------- files
def _process_umask() -> int:
    # Read once, at import (one thread): os.umask can only be read by setting it.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _process_umask()


def atomic_write(path: Path, data: bytes) -> None:
    """Readers polling the folder never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp makes the file 0600: a web server running as another user could not serve it.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Names operators' and readers' tools often expect, written as copies of the RSS.
XML_ALIASES = ("changes", "ops")


def build_all(db: Database, out: str | Path, base_url: str = "http://127.0.0.1:8080/feeds",
              limit: int = DEFAULT_LIMIT, intervals: Mapping[str, timedelta] | None = None) -> list[WrittenFeed]:
    """Write every feed of the catalog as .rss, .atom and .json, plus an index.html."""
    out = Path(out)
    sync_meetings(db)
    sync_search(db)
    base = base_url.rstrip("/")
    home = base.rsplit("/feeds", 1)[0] + "/" if base.endswith("/feeds") else base + "/"
    written = []
    for spec in catalog(db):
        fg = make_feed(db, spec, base, limit=limit, interval=interval_of(spec, intervals or {}))
        files = []
        for fmt in FORMATS:
            path = out / f"{spec.path}.{fmt}"
            atomic_write(path, render(fg, fmt, f"{base}/{spec.path}.{fmt}", home.rstrip("/") + list_url(spec)))
            files.append(path)
        if spec.path in XML_ALIASES:
            atomic_write(out / f"{spec.path}.xml", files[0].read_bytes())
        written.append(WrittenFeed(spec, len(fg.entry()), tuple(files)))
    atomic_write(out / "index.html", _index_html(written).encode("utf-8"))
    return written


def _index_html(feeds: list[WrittenFeed]) -> str:
    alternates = "\n".join(
        f'<link rel="alternate" type="application/{kind}+xml" title="{html.escape(f.spec.title)} ({kind.upper()})" '
        f'href="{f.spec.path}.{kind}">' for f in feeds[:1] for kind in ("rss", "atom"))
    rows = "\n".join(
        f"<li>{html.escape(f.spec.title)} ({f.entries}): <a href=\"{f.spec.path}.rss\">RSS</a> · "
        f"<a href=\"{f.spec.path}.atom\">Atom</a> · <a href=\"{f.spec.path}.json\">JSON</a></li>" for f in feeds)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>portalwatch feeds</title>
{alternates}
</head><body><h1>portalwatch — nguồn tin hội nghị, cuộc họp (feeds)</h1>
<ul>
{rows}
</ul></body></html>
"""
