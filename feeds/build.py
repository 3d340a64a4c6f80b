"""RSS 2.0 and Atom 1.0 feeds of meeting reports, written with feedgen.

One pair of files for all meeting reports, one per province, per source, per meeting kind, per
host agency and per person, named for what they hold: `meetings.rss`, `meetings.atom`,
`province/vinh-phuc.rss`, `source/<id>.atom`, `kind/giam-sat.atom`, `agency/hdnd-tinh-ha-tinh.rss`,
`person/tran-tu-anh.atom`. Each item opens with a short structured summary of its meeting record
(kind, date, agencies, people, documents) and carries kind, agency and province categories. GUIDs are
the canonical article URLs, so they stay stable across rebuilds and recrawls. A press release
republished by several portals (a near-duplicate cluster) appears once in the all-meetings and
province feeds, as its earliest published copy, with the other copies listed as "also published
at"; each source's own feed keeps its own copy. Removed articles leave the meeting feeds; the
changes feeds (feeds.changes) report their removal.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedgen.feed import FeedGenerator

from crawler.dates import VN_TZ, to_vn
from crawler.meeting.kinds import KINDS
from crawler.text import slugify
from store.db import Database
from store.history import cluster_members
from store.meetings import MeetingFilter, facets, meetings, records, sync_meetings
from store.models import Article, Meeting, Source
from store.repo import articles, sources

DEFAULT_LIMIT = 100
SUMMARY_CHARS = 400
GENERATOR = "portalwatch"


@dataclass(frozen=True)
class FeedSpec:
    path: str  # relative, without extension: "meetings", "province/vinh-phuc", "source/baohatinh"
    title: str
    description: str
    collapse_clusters: bool = True


@dataclass(frozen=True)
class WrittenFeed:
    spec: FeedSpec
    entries: int
    files: tuple[Path, ...]


def _summary(a: Article, m: Meeting | None = None) -> str:
    text = a.lead or (a.text.split("\n\n", 1)[0] if a.text else "")
    text = text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"[{meeting_line(m)}] {text}" if m else text


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


def _entry_date(a: Article) -> datetime:
    value = to_vn(a.published_at) or to_vn(a.first_seen)
    assert value is not None
    return value


def _content(a: Article, also: list[Article], m: Meeting | None = None) -> str:
    body = a.html or "".join(f"<p>{html.escape(p)}</p>" for p in a.text.split("\n\n") if p)
    if m is not None:
        body = _meeting_html(m) + body
    if not also:
        return body
    links = "".join(f'<li><a href="{html.escape(o.fetched_url)}">{html.escape(o.title or o.url)}</a></li>' for o in also)
    return f"<p><strong>Cũng đăng tại (also published at):</strong></p><ul>{links}</ul>{body}"


def new_feed(path: str, title: str, description: str, base_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc")
    feed_url = f"{base_url.rstrip('/')}/{path}"
    fg.id(feed_url + ".atom")
    fg.title(title)
    fg.subtitle(description)
    fg.description(description)
    fg.author({"name": GENERATOR})
    fg.language("vi")
    fg.generator(GENERATOR)
    fg.link(href=feed_url + ".atom", rel="self", type="application/atom+xml")
    fg.link(href=f"{base_url.rstrip('/')}/", rel="alternate", type="text/html")
    return fg


def set_updated(fg: FeedGenerator, dates: Iterable[datetime]) -> None:
    updated = max(dates, default=datetime(2000, 1, 1, tzinfo=VN_TZ))
    fg.updated(updated)
    fg.lastBuildDate(updated)


def collapse(rows: list[tuple[Article, Source]], members: dict[int, list[Article]]) -> list[tuple[Article, Source]]:
    """Each cluster once: its representative when the feed holds it, else the first copy listed."""
    in_feed = {a.id for a, _ in rows}
    out, seen = [], set()
    for a, src in rows:
        cid = a.cluster_id
        if cid is None or cid not in members:
            out.append((a, src))
            continue
        if cid in seen:
            continue
        representative = members[cid][0]
        if representative.id != a.id and representative.id in in_feed:
            continue
        seen.add(cid)
        out.append((a, src))
    return out


def build_feed(spec: FeedSpec, rows: list[tuple[Article, Source]], base_url: str,
               members: dict[int, list[Article]], records: dict[int, Meeting] | None = None) -> FeedGenerator:
    if spec.collapse_clusters:
        rows = collapse(rows, members)
    fg = new_feed(spec.path, spec.title, spec.description, base_url)
    set_updated(fg, (_entry_date(a) for a, _ in rows))
    for a, src in rows:
        also = [o for o in members.get(a.cluster_id or -1, []) if o.id != a.id]
        m = (records or {}).get(a.id)
        fe = fg.add_entry(order="append")
        # The GUID is the canonical URL (stable across slug edits and session parameters); the link
        # is the URL the article was last fetched from, which a reader can open.
        fe.id(a.url)
        fe.guid(a.url, permalink=a.url == a.fetched_url)
        fe.title(a.title or a.url)
        fe.link(href=a.fetched_url, rel="alternate")
        when = _entry_date(a)
        fe.published(when)
        fe.updated(to_vn(a.updated_at) or when)
        fe.summary(_summary(a, m) or (a.title or ""))
        fe.content(_content(a, also, m), type="CDATA")
        if a.author:
            # RSS wants an e-mail in <author>; a byline without one goes to dc:creator instead.
            fe.dc.dc_creator(a.author)
            fe.author({"name": a.author})
        province = (m.province if m else None) or src.province
        fe.category(term=slugify(province), label=province, scheme="province")
        if m is not None:
            fe.category(term=m.kind, label=KINDS.get(m.kind, m.kind), scheme="kind")
        if m is not None and m.agency:
            fe.category(term=m.agency_slug, label=m.agency, scheme="agency")
        fe.category(term=src.id, label=src.name, scheme="source")
    return fg


def atomic_write(path: Path, data: bytes) -> None:
    """Readers polling the folder never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_feed(fg: FeedGenerator, out: Path, path: str, base_url: str) -> tuple[Path, Path]:
    rss, atom = out / f"{path}.rss", out / f"{path}.atom"
    atomic_write(atom, fg.atom_str(pretty=True))
    # RSS's self link points at the .rss file.
    fg.link(href=f"{base_url.rstrip('/')}/{path}.rss", rel="self", type="application/rss+xml")
    atomic_write(rss, fg.rss_str(pretty=True))
    return rss, atom


def feed_specs(db: Database) -> list[tuple[FeedSpec, dict[str, str]]]:
    """Every meeting feed the store can fill, with the query that fills it."""
    specs: list[tuple[FeedSpec, dict[str, str]]] = [
        (FeedSpec("meetings", "portalwatch: báo cáo hội nghị, cuộc họp (tất cả)",
                  "Meeting reports from Vietnamese provincial government portals"), {}),
    ]
    srcs = sources(db)
    for province in sorted({s.province for s in srcs}):
        specs.append((FeedSpec(f"province/{slugify(province)}", f"portalwatch: hội nghị, cuộc họp - {province}",
                               f"Meeting reports from portals of {province}"), {"province": province}))
    for s in srcs:
        specs.append((FeedSpec(f"source/{s.id}", f"portalwatch: hội nghị, cuộc họp - {s.name}",
                               f"Meeting reports published by {s.name} ({s.province})", collapse_clusters=False),
                      {"source_id": s.id}))
    return specs


def meeting_feed_specs(db: Database) -> list[tuple[FeedSpec, MeetingFilter]]:
    """A feed per meeting kind, per host agency and per person the records name."""
    specs: list[tuple[FeedSpec, MeetingFilter]] = []
    found = facets(db)
    for slug, _ in found["kind"]:
        specs.append((FeedSpec(f"kind/{slug}", f"portalwatch: {KINDS.get(slug, slug)}",
                               f"Meeting reports of kind {slug}"), MeetingFilter(kind=slug)))
    for slug, label in found["agency"]:
        specs.append((FeedSpec(f"agency/{slug}", f"portalwatch: hội nghị, cuộc họp - {label}",
                               f"Meetings held by {label}"), MeetingFilter(agency=slug, exact=True)))
    for slug, label in found["person"]:
        specs.append((FeedSpec(f"person/{slug}", f"portalwatch: hội nghị, cuộc họp có {label}",
                               f"Meetings {label} took part in"), MeetingFilter(person=slug, exact=True)))
    return specs


def _write(db: Database, spec: FeedSpec, rows: list[tuple[Article, Source]], out: Path, base_url: str,
           limit: int, found: dict[int, Meeting] | None = None) -> WrittenFeed:
    """One feed written; `found`: the rows' meeting records when the caller already has them."""
    members = cluster_members(db, [a.cluster_id for a, _ in rows if a.cluster_id is not None])
    if found is None:
        found = records(db, [a.id for a, _ in rows])
    fg = build_feed(spec, rows, base_url, members, found)
    entries = len(fg.entry())
    if entries > limit:
        for extra in fg.entry()[limit:]:
            fg.remove_entry(extra)
        entries = limit
    return WrittenFeed(spec, entries, write_feed(fg, out, spec.path, base_url))


def build_all(db: Database, out: str | Path, base_url: str = "http://127.0.0.1:8080/feeds",
              limit: int = DEFAULT_LIMIT) -> list[WrittenFeed]:
    from .changes import build_change_feeds
    from .ops import build_ops_feed

    out = Path(out)
    sync_meetings(db)
    written = []
    for spec, query in feed_specs(db):
        # Fetch beyond the limit so that collapsing clusters still leaves a full feed.
        rows = articles(db, meetings_only=True, limit=limit * 2, include_removed=False, **query)
        written.append(_write(db, spec, rows, out, base_url, limit))
    for spec, f in meeting_feed_specs(db):
        rows_with_records = meetings(db, f, limit=limit * 2)
        written.append(_write(db, spec, [(a, src) for a, src, _ in rows_with_records], out, base_url, limit,
                              {a.id: m for a, _, m in rows_with_records}))
    written += build_change_feeds(db, out, base_url, limit)
    written.append(build_ops_feed(db, out, base_url, limit))
    atomic_write(out / "index.html", _index_html(written).encode("utf-8"))
    return written


def _index_html(feeds: list[WrittenFeed]) -> str:
    alternates = "\n".join(
        f'<link rel="alternate" type="application/{kind}+xml" title="{html.escape(f.spec.title)} ({kind.upper()})" '
        f'href="{f.spec.path}.{kind}">' for f in feeds[:1] for kind in ("rss", "atom"))
    rows = "\n".join(
        f"<li>{html.escape(f.spec.title)} ({f.entries}): <a href=\"{f.spec.path}.rss\">RSS</a> · "
        f"<a href=\"{f.spec.path}.atom\">Atom</a></li>" for f in feeds)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>portalwatch feeds</title>
{alternates}
</head><body><h1>portalwatch — nguồn tin hội nghị, cuộc họp (feeds)</h1>
<ul>
{rows}
</ul></body></html>
"""
