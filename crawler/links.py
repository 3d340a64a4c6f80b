"""List pages: which links are articles, and which link is the next page.

Zero-config rule: article links come in repeated blocks (the same chain of tags and classes) on the
same host, with long anchor text; menus repeat too but their anchors are short. The largest such
block wins, and links elsewhere on the page with the same URL shape (a "Tin mới" side box of the
same CMS) join it. Pagination is `rel=next`, a "Trang sau"/"Xem thêm"-style label, or the number
one past the current page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from portaltext.boilerplate import is_end_of_body, is_side_box
from portaltext.dates import parse_date
from portaltext.text import clean

from .extract import select_nodes
from .urls import canonicalize, same_site, url_shape

NOT_ARTICLE_EXT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar|jpe?g|png|gif|svg|mp4|mp3|avi)$", re.I)
NEXT_LABELS = {"trang sau", "trang tiếp", "trang kế", "tiếp", "tiếp theo", "sau", "xem thêm", "xem tiếp", "next",
               "›", "»", ">", ">>", "tiếp »", "sau »", "trang sau ›", "trang sau »", "next ›", "next »"}
MIN_WORDS = 4  # menus say "Giới thiệu"; article titles run longer
MIN_CHARS = 20


@dataclass(frozen=True)
class Link:
    url: str  # canonical: the article's identity
    text: str
    href: str = ""  # the absolute URL to request (a source's id_params may make `url` unfetchable)
    listed_date: datetime | None = None  # the date the list shows next to the link, if any


GROUP_DEPTH = 4  # ancestors that make a link's block; deeper paths break on badly nested HTML


def _group_key(a: HtmlElement) -> str:
    chain = []
    for el in [a, *a.iterancestors()][: GROUP_DEPTH + 1]:
        if el.tag in ("html", "body"):
            break
        cls = ".".join(sorted((el.get("class") or "").split()))
        chain.append(f"{el.tag}.{cls}" if cls else str(el.tag))
    return "/".join(reversed(chain))


def _anchor_text(a: HtmlElement) -> str:
    return clean(a.text_content()) or clean(a.get("title"))


def _is_long(text: str) -> bool:
    return len(text) >= MIN_CHARS and len(text.split()) >= MIN_WORDS and not is_side_box(text) and not is_end_of_body(text)


Canon = Callable[[str], str]


def _candidate(href: str | None, page_url: str, canon: Canon) -> str | None:
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or NOT_ARTICLE_EXT.search(parts.path):
        return None
    if not same_site(href, page_url):
        return None
    url = canon(href)
    return None if url == canon(page_url) else url


def _listed_date(a: HtmlElement) -> datetime | None:
    """A date printed in the link's own list entry ("(24/06/2020)"), looked for a few levels up."""
    node = a
    for _ in range(3):
        parent = node.getparent()
        if parent is None:
            return None
        node = parent
        links = sum(1 for _ in node.iter("a"))
        if links > 3:
            return None
        value = parse_date(clean(node.text_content()))
        if value:
            return value
    return None


def _link(a: HtmlElement, url: str, text: str) -> Link:
    return Link(url, text, href=a.get("href") or url, listed_date=_listed_date(a))


def find_article_links(root: HtmlElement, page_url: str, item_selector: str | None = None,
                       known_shapes: set[str] | None = None, canon: Canon = canonicalize) -> tuple[list[Link], set[str]]:
    """Article links on a list page, in page order, and the URL shapes they have.

    `known_shapes` carries what earlier pages of the same list taught, so a last page holding a
    single article is still read. `root` comes from `extract.parse_html` (links made absolute)."""
    if item_selector:
        scopes = select_nodes(root, item_selector)
        anchors = [a for s in scopes for a in ([s] if s.tag == "a" else s.iter("a"))]
        links = []
        for a in anchors:
            url = _candidate(a.get("href"), page_url, canon)
            text = _anchor_text(a)
            if url and text:
                links.append(_link(a, url, text))
        return _unique(links), {url_shape(link.url) for link in links}

    groups: dict[str, list[Link]] = defaultdict(list)
    for a in root.iter("a"):
        # Menus sit close inside nav/header/footer; a far ancestor is more likely a nesting accident
        # of unclosed tags, which would otherwise hide the whole page.
        if any(anc.tag in ("nav", "footer", "header", "select") for anc in list(a.iterancestors())[:GROUP_DEPTH + 2]):
            continue
        url = _candidate(a.get("href"), page_url, canon)
        text = _anchor_text(a)
        if url and _is_long(text):
            groups[_group_key(a)].append(_link(a, url, text))

    def strength(links: list[Link]) -> tuple[int, float]:
        distinct = {link.url for link in links}
        return (len(distinct), sum(len(link.text) for link in links) / max(1, len(links)))

    shapes = set(known_shapes or ())
    ranked = sorted(groups.values(), key=strength, reverse=True)
    if ranked and strength(ranked[0])[0] >= 2:
        best = ranked[0]
        # The main list's own shapes; a shape shared by only one link in it is an outlier.
        counts: dict[str, int] = defaultdict(int)
        for link in best:
            counts[url_shape(link.url)] += 1
        shapes |= {s for s, n in counts.items() if n >= 2 or len(best) < 4}
    if not shapes:
        return [], set()
    chosen = [link for links in groups.values() for link in links if url_shape(link.url) in shapes]
    # Keep page order: the document order of the anchors.
    order = {link.url: i for i, link in enumerate(link for links in groups.values() for link in links)}
    chosen.sort(key=lambda link: order[link.url])
    return _unique(chosen), shapes


def _unique(links: list[Link]) -> list[Link]:
    seen: set[str] = set()
    out = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def find_next_page(root: HtmlElement, page_url: str, current_page: int,
                   next_selector: str | None = None) -> str | None:
    """The URL of the next list page, or None on the last one."""
    here = canonicalize(page_url)

    def ok(href: str | None) -> str | None:
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            return None
        if not same_site(href, page_url):
            return None
        url = canonicalize(href)
        return None if url == here else url

    if next_selector:
        for el in select_nodes(root, next_selector):
            url = ok(el.get("href") or next((a.get("href") for a in el.iter("a")), None))
            if url:
                return url
        return None
    for el in root.iter("a", "link"):
        if "next" in (el.get("rel") or "").lower().split():
            url = ok(el.get("href"))
            if url:
                return url
    by_label = None
    by_number = None
    for a in root.iter("a"):
        text = clean(a.text_content()).lower() or clean(a.get("title")).lower()
        if text in NEXT_LABELS and by_label is None:
            by_label = ok(a.get("href"))
        elif text == str(current_page + 1) and by_number is None:
            by_number = ok(a.get("href"))
    return by_label or by_number
