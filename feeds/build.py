"""RSS 2.0 and Atom 1.0 feeds of meeting reports, written with feedgen.

One pair of files for all meeting reports, one per province and one per source, named for what
they hold: `meetings.rss`, `meetings.atom`, `province/vinh-phuc.rss`, `source/<id>.atom`. GUIDs are
the canonical article URLs, so they stay stable across rebuilds and recrawls.
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
from crawler.text import slugify
from store.db import Database
from store.models import Article, Source
from store.repo import articles, sources

DEFAULT_LIMIT = 100
SUMMARY_CHARS = 400
GENERATOR = "portalwatch"


@dataclass(frozen=True)
class FeedSpec:
    path: str  # relative, without extension: "meetings", "province/vinh-phuc", "source/baohatinh"
    title: str
    description: str


@dataclass(frozen=True)
class WrittenFeed:
    spec: FeedSpec
    entries: int
    files: tuple[Path, ...]


def _summary(a: Article) -> str:
    text = a.lead or (a.text.split("\n\n", 1)[0] if a.text else "")
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _entry_date(a: Article) -> datetime:
    value = to_vn(a.published_at) or to_vn(a.first_seen)
    assert value is not None
    return value


def _content(a: Article) -> str:
    if a.html:
        return a.html
    return "".join(f"<p>{html.escape(p)}</p>" for p in a.text.split("\n\n") if p)


def build_feed(spec: FeedSpec, rows: Iterable[tuple[Article, Source]], base_url: str) -> FeedGenerator:
    rows = list(rows)
    fg = FeedGenerator()
    fg.load_extension("dc")
    feed_url = f"{base_url.rstrip('/')}/{spec.path}"
    fg.id(feed_url + ".atom")
    fg.title(spec.title)
    fg.subtitle(spec.description)
    fg.description(spec.description)
    fg.author({"name": GENERATOR})
    fg.language("vi")
    fg.generator(GENERATOR)
    fg.link(href=feed_url + ".atom", rel="self", type="application/atom+xml")
    fg.link(href=f"{base_url.rstrip('/')}/", rel="alternate", type="text/html")
    updated = max((_entry_date(a) for a, _ in rows), default=datetime(2000, 1, 1, tzinfo=VN_TZ))
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for a, src in rows:
        fe = fg.add_entry(order="append")
        fe.id(a.url)
        fe.guid(a.url, permalink=True)
        fe.title(a.title or a.url)
        fe.link(href=a.url, rel="alternate")
        when = _entry_date(a)
        fe.published(when)
        fe.updated(to_vn(a.updated_at) or when)
        fe.summary(_summary(a) or (a.title or ""))
        fe.content(_content(a), type="CDATA")
        if a.author:
            # RSS wants an e-mail in <author>; a byline without one goes to dc:creator instead.
            fe.dc.dc_creator(a.author)
            fe.author({"name": a.author})
        fe.category(term=slugify(src.province), label=src.province, scheme="province")
        fe.category(term=slugify(src.agency), label=src.agency, scheme="agency")
    return fg


def _atomic_write(path: Path, data: bytes) -> None:
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


def write_feed(fg: FeedGenerator, out: Path, spec: FeedSpec, base_url: str) -> tuple[Path, Path]:
    rss, atom = out / f"{spec.path}.rss", out / f"{spec.path}.atom"
    _atomic_write(atom, fg.atom_str(pretty=True))
    # RSS's self link points at the .rss file.
    fg.link(href=f"{base_url.rstrip('/')}/{spec.path}.rss", rel="self", type="application/rss+xml")
    _atomic_write(rss, fg.rss_str(pretty=True))
    return rss, atom


def feed_specs(db: Database) -> list[tuple[FeedSpec, dict[str, str]]]:
    """Every feed the store can fill, with the query that fills it."""
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
                               f"Meeting reports published by {s.name} ({s.province})"), {"source_id": s.id}))
    return specs


def build_all(db: Database, out: str | Path, base_url: str = "http://127.0.0.1:8080/feeds",
              limit: int = DEFAULT_LIMIT) -> list[WrittenFeed]:
    out = Path(out)
    written = []
    for spec, query in feed_specs(db):
        rows = articles(db, meetings_only=True, limit=limit, **query)
        fg = build_feed(spec, rows, base_url)
        files = write_feed(fg, out, spec, base_url)
        written.append(WrittenFeed(spec, len(rows), files))
    _atomic_write(out / "index.html", _index_html(written).encode("utf-8"))
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
