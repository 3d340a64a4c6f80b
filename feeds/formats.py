"""Feed documents: one FeedGenerator per feed, written as RSS 2.0, Atom 1.0 or JSON Feed 1.1.

Every feed names itself (`atom:link rel="self"`, JSON Feed's `feed_url`) and tells readers how often
it changes: RSS `ttl` and the syndication module's `sy:updatePeriod` / `sy:updateFrequency`, from
the crawl schedule of the sources behind it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Literal

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from portaltext.dates import VN_TZ, iso

from .safe import xml_text

Format = Literal["rss", "atom", "json"]
MEDIA_TYPES: dict[str, str] = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
GENERATOR = "portalwatch"
SY_NS = "http://purl.org/rss/1.0/modules/syndication/"
DEFAULT_INTERVAL = timedelta(hours=1)


class _Syndication(BaseExtension):
    """sy:updatePeriod / sy:updateFrequency. feedgen's own extension writes `sy:UpdatePeriod`,
    which is not the module's element name, so readers ignore it."""

    def __init__(self) -> None:
        self.period: str | None = None
        self.frequency: int | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"sy": SY_NS}

    def _add(self, parent: Any) -> None:
        if self.period:
            xml_elem(f"{{{SY_NS}}}updatePeriod", parent).text = self.period
            xml_elem(f"{{{SY_NS}}}updateFrequency", parent).text = str(self.frequency or 1)

    def extend_rss(self, rss_feed: Any) -> Any:
        self._add(rss_feed[0])
        return rss_feed

    def extend_atom(self, atom_feed: Any) -> Any:
        self._add(atom_feed)
        return atom_feed


def new_feed(path: str, title: str, description: str, base_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.register_extension("sy", _Syndication, None, atom=True, rss=True)
    feed_url = f"{base_url.rstrip('/')}/{path}"
    fg.id(feed_url + ".atom")
    fg.title(xml_text(title))
    fg.subtitle(xml_text(description))
    fg.description(xml_text(description))
    fg.author({"name": GENERATOR})
    fg.language("vi")
    fg.generator(GENERATOR)
    fg.link(href=feed_url + ".atom", rel="self", type="application/atom+xml")
    return fg


def set_updated(fg: FeedGenerator, dates: Iterable[datetime]) -> datetime:
    updated = max(dates, default=datetime(2000, 1, 1, tzinfo=VN_TZ))
    fg.updated(updated)
    fg.lastBuildDate(updated)
    return updated


def set_schedule(fg: FeedGenerator, interval: timedelta) -> None:
    """ttl (minutes) and the syndication period from how often the sources are crawled."""
    seconds = max(60.0, interval.total_seconds())
    fg.ttl(int(-(-seconds // 60)))
    for period, length in (("hourly", 3600), ("daily", 86400), ("weekly", 604800), ("monthly", 2592000)):
        if seconds <= length or period == "monthly":
            fg.sy.period = period
            fg.sy.frequency = max(1, round(length / seconds))
            break


def _set_links(fg: FeedGenerator, self_url: str, self_type: str, home_url: str) -> None:
    fg.link([{"href": self_url, "rel": "self", "type": self_type},
             {"href": home_url, "rel": "alternate", "type": "text/html"}], replace=True)


def _whole_seconds(fg: FeedGenerator) -> None:
    """Timestamps to the second: newsboat drops the offset of an Atom time with microseconds and
    shows the item seven hours off."""
    for getset in [fg.updated, fg.lastBuildDate] + [f for fe in fg.entry() for f in (fe.published, fe.updated)]:
        value = getset()
        if isinstance(value, datetime) and value.microsecond:
            getset(value.replace(microsecond=0))


def render(fg: FeedGenerator, fmt: Format, self_url: str, home_url: str) -> bytes:
    """The feed as bytes, naming itself `self_url` (the URL a reader subscribed to)."""
    _whole_seconds(fg)
    if fmt == "json":
        return json_feed(fg, self_url, home_url)
    _set_links(fg, self_url, MEDIA_TYPES[fmt].split(";")[0], home_url)
    return bytes(fg.rss_str(pretty=True) if fmt == "rss" else fg.atom_str(pretty=True))


def json_feed(fg: FeedGenerator, self_url: str, home_url: str) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) from the same FeedGenerator. Categories go
    into `tags` and, by scheme (province, kind, agency, source), into the `_portalwatch` extension."""
    items = []
    for fe in fg.entry():
        links = [ln for ln in fe.link() or [] if ln.get("rel", "alternate") == "alternate"]
        content = fe.content() or {}
        summary = fe.summary() or {}
        item: dict[str, Any] = {
            "id": fe.id(), "url": links[0]["href"] if links else None, "title": fe.title(),
            "summary": summary.get("summary"), "date_published": iso(fe.published()), "date_modified": iso(fe.updated()),
        }
        if content.get("content"):
            item["content_html"] = content["content"]
        else:
            item["content_text"] = summary.get("summary") or fe.title()
        authors = [{"name": a["name"]} for a in fe.author() or [] if a.get("name")]
        if authors:
            item["authors"] = authors
        categories = fe.category() or []
        item["tags"] = [c.get("label") or c["term"] for c in categories]
        item["_portalwatch"] = {c["scheme"]: {"slug": c["term"], "label": c.get("label") or c["term"]}
                                for c in categories if c.get("scheme")}
        items.append({k: v for k, v in item.items() if v is not None})
    doc = {
        "version": "https://jsonfeed.org/version/1.1", "title": fg.title(), "home_page_url": home_url,
        "feed_url": self_url, "description": fg.description(), "language": "vi",
        "authors": [{"name": GENERATOR}], "items": items,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
