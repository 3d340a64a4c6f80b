"""What an operator sees before adding a portal: `portalwatch try URL` (what zero-config reads on one
page: a list's article links, its next page and how it was found, its feeds; or an article's title,
date and where it came from, lead, first and last paragraph and meeting verdict) and `portalwatch
discover URL` (a portal's news sections, tried and ranked, as ready-to-paste `[[source]]` entries).

One plain GET per page (redirects followed, TLS verified, the portal's charset repaired), with the
same readers the crawl uses; nothing is stored.
"""

from __future__ import annotations

import json
import re
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from portaltext.classify import classify
from portaltext.meeting.agencies import province_of
from portaltext.text import clean, fold, slugify

from .extract import extract_article, parse_html
from .links import find_article_links, find_feeds, find_next, links_from_feed, links_from_json
from .settings import USER_AGENT
from .urls import canonicalize, same_site, url_shape

TIMEOUT = 30
MAX_BYTES = 10 * 1024 * 1024
MAX_SECTIONS = 12
# Menu entries that lead to the news lists where meeting reports appear, normalised (lower case, no marks).
SECTION_WORDS = ("tin tuc", "tin tuc - su kien", "tin tuc su kien", "su kien", "hoat dong", "tin hoat dong", "tin dia phuong",
                 "chi dao dieu hanh", "thoi su", "chinh tri", "hoat dong cua lanh dao", "tin hdnd", "hoat dong hdnd",
                 "tin noi bat", "tin moi", "tin trong tinh", "tin tong hop", "hoat dong cua uy ban", "tin lanh dao")


class PreviewError(Exception):
    """The URL could not be read; the message names it and why, in one line."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    body: bytes
    content_type: str


def fetch(url: str) -> Page:
    if urlsplit(url).scheme not in ("http", "https"):
        raise PreviewError(f"{url}: not an http(s) URL")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Language": "vi,en;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT, context=ssl.create_default_context()) as response:
            body = response.read(MAX_BYTES + 1)
            return Page(response.geturl(), body[:MAX_BYTES], response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as exc:
        raise PreviewError(f"{url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PreviewError(f"{url}: {reason}") from None


def _kind(page: Page) -> str:
    ctype = page.content_type.lower()
    head = page.body[:200].lstrip()
    if "json" in ctype or head[:1] in (b"{", b"["):
        return "json"
    if "xml" in ctype or "rss" in ctype or "atom" in ctype or head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset")):
        return "feed"
    return "html"


def read_list(page: Page) -> dict[str, Any]:
    """What the crawl would read on this page as a list."""
    kind = _kind(page)
    feeds: list[str] = []
    how = next_url = None
    if kind == "json":
        try:
            links, next_url = links_from_json(json.loads(page.body.decode("utf-8", "replace")), page.url)
        except ValueError as exc:
            raise PreviewError(f"{page.url}: not JSON ({exc})") from None
        how = "json" if next_url else None
    elif kind == "feed":
        links = links_from_feed(page.body, page.url)
    else:
        root = parse_html(page.body, page.url)
        links, _ = find_article_links(root, page.url)
        feeds = find_feeds(root, page.url)
        found = find_next(root, page.url, 1)
        if found:
            how = found.how
            next_url = found.url or (f"POST {page.url} __EVENTTARGET={found.postback[0]} __EVENTARGUMENT={found.postback[1]}"
                                     if found.postback else None)
    blocks: dict[str, int] = {}
    for link in links:
        blocks[url_shape(link.url)] = blocks.get(url_shape(link.url), 0) + 1
    return {"url": page.url, "as": "list", "read_as": kind, "links": [
        {"url": link.href, "title": link.text, "listed_date": link.listed_date.isoformat() if link.listed_date else None}
        for link in links], "url_shapes": blocks, "next": next_url, "next_found_by": how, "feeds": feeds}


def read_article(page: Page) -> dict[str, Any]:
    x = extract_article(page.body, page.url)
    verdict = classify(x.title, x.paragraphs)
    return {"url": page.url, "as": "article", "title": x.title, "published": x.published.isoformat() if x.published else None,
            "date_from": x.date_from, "author": x.author, "lead": x.lead,
            "first_paragraph": x.paragraphs[0] if x.paragraphs else None,
            "last_paragraph": x.paragraphs[-1] if x.paragraphs else None, "paragraphs": len(x.paragraphs),
            "problems": x.problems, "meeting": {"is_meeting": verdict.is_meeting, "score": verdict.score,
                                                "reason": verdict.reason}}


def try_url(url: str, as_: str = "auto") -> dict[str, Any]:
    """A list page's reading, or an article's; `auto` takes a page that lists five or more articles
    (or is a feed or a JSON list) as a list."""
    page = fetch(url)
    if as_ == "article":
        return read_article(page)
    listed = read_list(page)
    if as_ == "list" or listed["read_as"] != "html" or len(listed["links"]) >= 5 or listed["feeds"]:
        return listed
    return read_article(page)


def _sections(root: HtmlElement, home: str) -> list[tuple[str, str]]:
    """(label, URL) of the menu entries that name a news section, in page order, one per URL."""
    out: dict[str, str] = {}
    for a in root.iter("a"):
        label = clean(a.text_content()) or clean(a.get("title"))
        href = a.get("href") or ""
        if not label or not href.startswith("http") or not same_site(href, home):
            continue
        norm = re.sub(r"\s+", " ", fold(label)).strip(" -:|")
        if norm in SECTION_WORDS or any(norm.startswith(w + " ") for w in ("tin tuc", "hoat dong", "tin")) and len(norm) < 40:
            key = canonicalize(href)
            if key != canonicalize(home) and key not in out:
                out[key] = label
    return [(label, url) for url, label in out.items()]


def _toml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def discover(url: str, province: str | None = None, agency: str | None = None) -> dict[str, Any]:
    """A portal's news sections (menu entries and feeds), each tried one list page deep and ranked by
    how many dated articles it lists, as `[[source]]` entries ready to paste."""
    home = fetch(url)
    root = parse_html(home.body, home.url)
    title = clean(root.findtext(".//title")) or urlsplit(home.url).hostname or home.url
    site_name = re.split(r"\s+[-|–]\s+", title)[-1] if re.search(r"\s[-|–]\s", title) else title
    province = province or province_of([title, clean(root.text_content())[:3000]], None) or ""
    host = (urlsplit(home.url).hostname or "portal").removeprefix("www.")
    candidates = _sections(root, home.url)[:MAX_SECTIONS] + [("feed", f) for f in find_feeds(root, home.url)]
    tried = []
    for label, section_url in candidates:
        try:
            listed = read_list(fetch(section_url))
        except PreviewError as exc:
            tried.append({"label": label, "url": section_url, "error": str(exc), "articles": 0, "dated": 0})
            continue
        links = listed["links"]
        tried.append({"label": label, "url": listed["url"], "articles": len(links),
                      "dated": sum(1 for link in links if link["listed_date"]), "next_found_by": listed["next_found_by"]})
    ranked = sorted((t for t in tried if t["articles"]), key=lambda t: (t["dated"], t["articles"]), reverse=True)
    entries = []
    for t in ranked:
        label = str(t["label"])
        sid = f"{slugify(host.split('.')[0])}-{slugify(label)}"[:60]
        toml = (f'[[source]]\nid = "{sid}"\nname = "{_toml(site_name)} - {_toml(label)}"\nprovince = "{_toml(province)}"\n'
                f'agency = "{_toml(agency or site_name)}"\nstart_urls = ["{_toml(str(t["url"]))}"]\n')
        entries.append({**t, "toml": toml})
    return {"url": home.url, "site": site_name, "province": province, "sections": entries,
            "tried": [t for t in tried if not t["articles"]]}
