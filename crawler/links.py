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
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

import lxml.etree as etree
from lxml.html import HtmlElement

from portaltext.boilerplate import is_end_of_body, is_side_box
from portaltext.dates import VN_TZ, parse_date, parse_meta_date
from portaltext.text import clean

from .extract import select_nodes
from .urls import canonicalize, same_site, url_shape

NOT_ARTICLE_EXT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar|jpe?g|png|gif|svg|mp4|mp3|avi)$", re.I)
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


def _in_page_chrome(a: HtmlElement) -> bool:
    """Inside the page's nav, header or footer (close by: a far ancestor is more likely a nesting accident).
    An <article>'s own <header> holds its headline link (WordPress, HTML5 themes): not chrome."""
    for anc in list(a.iterancestors())[:GROUP_DEPTH + 2]:
        if anc.tag in ("nav", "select"):
            return True
        if anc.tag in ("header", "footer"):
            return not any(up.tag in ("article", "main") for up in anc.iterancestors())
    return False


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

    # Every link in a block counts as an entry of it, whatever its anchor's length ("Kỳ họp thứ 9"); only
    # ranking the blocks looks at length, since menus repeat too but their anchors are short.
    groups: dict[str, list[Link]] = defaultdict(list)
    for a in root.iter("a"):
        # Menus sit close inside nav/header/footer; a far ancestor is more likely a nesting accident
        # of unclosed tags, which would otherwise hide the whole page.
        if _in_page_chrome(a):
            continue
        url = _candidate(a.get("href"), page_url, canon)
        text = _anchor_text(a)
        if url and text and not is_side_box(text) and not is_end_of_body(text):
            groups[_group_key(a)].append(_link(a, url, text))

    def strength(links: list[Link]) -> tuple[int, float]:
        long = [link for link in links if _is_long(link.text)]
        distinct = {link.url for link in long}
        return (len(distinct), sum(len(link.text) for link in long) / max(1, len(long)))

    shapes = set(known_shapes or ())
    ranked = sorted(groups.values(), key=strength, reverse=True)
    best_key = None
    if ranked and strength(ranked[0])[0] >= 2:
        best = ranked[0]
        best_key = next(k for k, v in groups.items() if v is best)
        # The main list's own shapes; a shape shared by only one link in it is an outlier.
        counts: dict[str, int] = defaultdict(int)
        for link in best:
            counts[url_shape(link.url)] += 1
        shapes |= {s for s, n in counts.items() if n >= 2 or len(best) < 4}
    if not shapes:
        return [], set()
    if best_key is None:
        # A last page with one or two entries (one of them short) names no block by itself; the block is
        # where the shapes earlier pages taught stand most.
        counts_by_block = {key: sum(url_shape(link.url) in shapes for link in links) for key, links in groups.items()}
        best_key = max(counts_by_block, key=lambda k: counts_by_block[k], default=None)
        if best_key is not None and counts_by_block[best_key] == 0:
            best_key = None
    # The list's own block gives all its entries; elsewhere (a "Tin mới" box of the same CMS) only long
    # anchors of the list's shapes join, as a menu link of that shape would be no article.
    chosen = [link for key, links in groups.items() for link in links if url_shape(link.url) in shapes
              and (key == best_key or _is_long(link.text))]
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


# What a pager's "next" says, once case, arrows, brackets and punctuation are stripped ("Trang sau >>",
# "Sau »»", "[Tiếp]", "Xem thêm..." all come down to one of these). Previous/first/last words never lead on.
NEXT_WORDS = {"trang sau", "trang tiếp", "trang tiếp theo", "trang kế", "trang kế tiếp", "tiếp", "tiếp theo", "kế tiếp",
              "sau", "xem thêm", "xem tiếp", "xem them", "trang sau nữa", "next", "next page", "older", "older posts",
              "older entries", "tin cũ hơn", "bài cũ hơn", "tin cũ", "cũ hơn", "more", "load more", "tải thêm"}
# Longer labels that begin with one of these still lead on ("Xem thêm tin khác", "Trang sau nữa »").
NEXT_PREFIXES = ("xem thêm", "xem tiếp", "trang sau", "trang tiếp", "tin cũ hơn", "bài cũ hơn", "load more", "older")
NOT_NEXT_WORDS = {"trước", "trang trước", "về trước", "quay lại", "đầu", "trang đầu", "cuối", "trang cuối", "prev",
                  "previous", "first", "last", "newer", "mới hơn"}
_STRIP = re.compile(r"[\s\[\](){}<>«»‹›→←⇒⇐⟩⟨.,:;!|\-–—_/\\…·•\"'*+=~^]+")
_ARROWS = re.compile(r"^\s*[›»>→⇒⟩]\s*$")
_DOUBLE_ARROWS = re.compile(r"^\s*(?:[»>]{2,}|»|›|→|⇒)\s*[»>]?\s*$")
_POSTBACK = re.compile(r"__doPostBack\(\s*['\"]([^'\"]*)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")
# Page parameters the CMSes portals run on use: ?page= (Drupal counts from 0), ?Page=, ?p=, ?trang=, ?PageIndex=
# (SharePoint), Liferay's ..._cur=, /page/N/ (WordPress), /trang-N.html (newspapers).
_PAGE_PARAM = re.compile(r"^(?:page|paged|pg|p|trang|pageindex|pagenumber|pagenum|currentpage|page_no|pageno|cur|.+_cur)$",
                         re.IGNORECASE)
_PAGE_PATH = re.compile(r"(?P<pre>/(?:page|trang|p)[/-])(?P<n>\d+)(?P<post>(?:\.html?|\.aspx|/)?)$", re.IGNORECASE)
_ACTIVE = re.compile(r"(?:^|[\s_-])(?:active|current|selected|cur|on|curpage|current-page)(?:$|[\s_-])", re.IGNORECASE)


@dataclass(frozen=True)
class NextPage:
    """Where the next list page is, and how it was found (shown by `portalwatch try`)."""

    how: str  # selector | rel=next | label | pager | postback | parameter
    url: str | None = None  # a GET
    postback: tuple[str, str] | None = None  # ASP.NET: (__EVENTTARGET, __EVENTARGUMENT), posted with the page's form


def _label(el: HtmlElement) -> str:
    text = clean(el.text_content()) or clean(el.get("title")) or clean(el.get("aria-label"))
    if not text:  # an image button: its alt or title says what it does
        for img in el.iter("img"):
            text = clean(img.get("alt")) or clean(img.get("title"))
            if text:
                break
    return text


def _normal(label: str) -> str:
    return _STRIP.sub(" ", label.lower()).strip()


# Where a "Xem thêm" button keeps the endpoint its script loads the next entries from.
_DATA_URL_ATTRS = ("data-url", "data-href", "data-link", "data-ajax-url", "data-ajax", "data-next", "data-load-url")


def _href_target(el: HtmlElement, page_url: str) -> tuple[str | None, tuple[str, str] | None]:
    """(a URL to GET, or an ASP.NET postback) that a pager link or button leads to."""
    href = (el.get("href") or "").strip()
    for value in (href, el.get("onclick") or ""):
        m = _POSTBACK.search(value)
        if m:
            return None, (m.group(1), m.group(2))
    if not href or href.startswith(("javascript:", "#")):
        href = next((urljoin(page_url, el.get(k) or "") for k in _DATA_URL_ATTRS if el.get(k)), "")
    if not href or href.startswith(("javascript:", "#", "mailto:")) or not same_site(href, page_url):
        return None, None
    if urldefrag(href)[0] == urldefrag(page_url)[0]:
        return None, None
    return href, None


def _next(how: str, target: tuple[str | None, tuple[str, str] | None]) -> NextPage | None:
    url, postback = target
    if postback:
        return NextPage("postback", postback=postback)
    return NextPage(how, url=url) if url else None


def _page_number(text: str) -> int | None:
    t = text.strip().strip("[]()")  # "[2]", "(3)"
    return int(t) if t.isdigit() and 0 < len(t) <= 5 else None


def _pager_next(root: HtmlElement, page_url: str, current_page: int) -> tuple[NextPage | None, bool]:
    """A pager is a block of numbered links; the current page is the number that is not a link (or is
    marked active). The next page is the number after it, linked. Also says whether a pager was seen:
    a pager with no number after the current one is the last page."""
    blocks: dict[HtmlElement, list[HtmlElement]] = defaultdict(list)
    for a in root.iter("a"):
        if _page_number(_label(a)) is not None:
            parent = a.getparent()
            if parent is not None and parent.tag == "li" and parent.getparent() is not None:
                parent = parent.getparent()
            if parent is not None:
                blocks[parent].append(a)
    seen = False
    for block, anchors in blocks.items():
        if len(anchors) < 2 and not any(_page_number(clean(el.text_content() or "")) for el in block if el.tag != "a"):
            continue
        seen = True
        numbers = {_page_number(_label(a)): a for a in anchors}
        current = None
        for el in block.iter():
            if el is block or el.tag == "a" or any(anc.tag == "a" for anc in el.iterancestors()):
                continue
            n = _page_number(clean(el.text or "")) if len(el) == 0 else None
            if n is not None:
                current = n
                break
        if current is None:
            marked = [n for n, a in numbers.items() if _ACTIVE.search(_classes(a))]
            current = marked[0] if marked else current_page
        after = numbers.get((current or 0) + 1)
        if after is not None:
            found = _next("pager", _href_target(after, page_url))
            if found:
                return found, True
    return None, seen


def _classes(a: HtmlElement) -> str:
    parent = a.getparent()
    return f"{a.get('class') or ''} {(parent.get('class') or '') if parent is not None else ''}"


def next_by_parameter(page_url: str) -> NextPage | None:
    """The current URL's own page number, one up: `?page=3` → `?page=4`, `/page/3/` → `/page/4/`. The
    spider confirms it: a page that lists nothing new, or repeats the previous one, ends the list."""
    parts = urlsplit(page_url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(query):
        if _PAGE_PARAM.match(key) and value.isdigit():
            query[i] = (key, str(int(value) + 1))
            return NextPage("parameter", url=urlunsplit(parts._replace(query=urlencode(query))))
    m = _PAGE_PATH.search(parts.path)
    if m:
        path = parts.path[: m.start()] + f"{m.group('pre')}{int(m.group('n')) + 1}{m.group('post')}"
        return NextPage("parameter", url=urlunsplit(parts._replace(path=path)))
    return None


def find_next(root: HtmlElement, page_url: str, current_page: int, next_selector: str | None = None,
              guess: bool = True) -> NextPage | None:
    """The next list page: a source's selector; else rel=next; a next label (normalised, in
    Vietnamese or English, or an image button's alt); the pager's number after the current one; an
    ASP.NET `__doPostBack` behind either; else (when `guess`: the list has not shown another way of
    paging) the page's own page parameter, one up."""
    if next_selector:
        for el in select_nodes(root, next_selector):
            target = el if el.tag == "a" else next(iter(el.iter("a")), el)
            found = _next("selector", _href_target(target, page_url))
            if found:
                return found
        return None
    for el in root.iter("a", "link"):
        if "next" in (el.get("rel") or "").lower().split():
            found = _next("rel=next", _href_target(el, page_url))
            if found:
                return found
    ranked: list[tuple[int, NextPage]] = []
    for a in root.iter("a", "button"):
        label = _label(a)
        words = _normal(label)
        if words in NOT_NEXT_WORDS:
            continue
        rank = (3 if words in NEXT_WORDS or (words.startswith(NEXT_PREFIXES) and len(words.split()) <= 6) else
                2 if _ARROWS.match(label) else 1 if _DOUBLE_ARROWS.match(label) else 0)
        if rank:
            found = _next("label", _href_target(a, page_url))
            if found:
                ranked.append((rank, found))
    if ranked:
        return max(ranked, key=lambda r: r[0])[1]
    found, pager_seen = _pager_next(root, page_url, current_page)
    if found or pager_seen:
        return found  # a pager with nothing after the current number: the last page
    return next_by_parameter(page_url) if guess else None


def find_next_page(root: HtmlElement, page_url: str, current_page: int,
                   next_selector: str | None = None) -> str | None:
    """The URL of the next list page when it is a GET, or None (last page, or a postback)."""
    found = find_next(root, page_url, current_page, next_selector)
    return found.url if found else None


# ------------------------------------------------------------------------- feeds, sitemaps, JSON lists
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_JSON_URL_KEYS = ("url", "link", "href", "path", "permalink", "share_url", "detail_url", "alias")
_JSON_TITLE_KEYS = ("title", "name", "headline", "tieu_de", "tieude")
_JSON_DATE_KEYS = ("date", "published", "publishdate", "pubdate", "created", "published_at", "ngay_dang", "datepublished")
_JSON_NEXT_KEYS = ("next", "next_url", "nextpage", "next_page", "nextpageurl", "loadmore", "more")


def find_feeds(root: HtmlElement, page_url: str) -> list[str]:
    """The RSS / Atom feeds a list page offers (<link rel="alternate" type="application/rss+xml">), same site."""
    out = []
    for el in root.iter("link"):
        rel = (el.get("rel") or "").lower().split()
        if "alternate" in rel and (el.get("type") or "").lower().strip() in _FEED_TYPES and el.get("href"):
            href = urljoin(page_url, el.get("href") or "")
            if same_site(href, page_url) and href not in out:
                out.append(href)
    return out


def links_from_feed(xml: bytes | str, page_url: str, canon: Canon = canonicalize) -> list[Link]:
    """Article links of an RSS or Atom feed, or of a (news) sitemap, with their dates."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    links = []
    for item in root.iter():
        if not isinstance(item.tag, str):
            continue
        tag = etree.QName(item).localname.lower()
        if tag not in ("item", "entry", "url"):
            continue
        fields = {etree.QName(c).localname.lower(): c for c in item if isinstance(c.tag, str)}
        href = None
        if tag == "entry" and "link" in fields:
            href = fields["link"].get("href")
        href = href or next(((fields[k].text or "").strip() for k in ("link", "loc", "guid") if k in fields
                             and (fields[k].text or "").strip().startswith("http")), None)
        if not href:
            continue
        url = _candidate(href, page_url, canon)
        if not url:
            continue
        title = clean(fields["title"].text if "title" in fields else "") or clean(
            next((c.text or "" for c in item.iter() if isinstance(c.tag, str) and etree.QName(c).localname == "title"), ""))
        when = None
        for key in ("pubdate", "published", "updated", "publication_date", "lastmod", "date"):
            node = fields.get(key)
            if node is None:
                node = next((c for c in item.iter() if isinstance(c.tag, str) and etree.QName(c).localname.lower() == key), None)
            if node is not None and (node.text or "").strip():
                when = _feed_date(node.text or "")
                if when:
                    break
        links.append(Link(url, title, href=href, listed_date=when))
    return _unique(links)


def sitemaps_in_robots(text: str, page_url: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt, same site."""
    out = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            url = urljoin(page_url, value.strip())
            if same_site(url, page_url) and url not in out:
                out.append(url)
    return out


def sitemap_index(xml: bytes | str) -> list[str]:
    """The sitemaps a sitemap index names (<sitemapindex><sitemap><loc>), or none."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return []
    if root is None or not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "sitemapindex":
        return []
    return [(loc.text or "").strip() for loc in root.iter() if isinstance(loc.tag, str)
            and etree.QName(loc).localname.lower() == "loc" and (loc.text or "").strip()]


def _feed_date(text: str) -> datetime | None:
    try:
        value = parsedate_to_datetime(text.strip())
        return value.astimezone(VN_TZ) if value.tzinfo else value.replace(tzinfo=VN_TZ)
    except (TypeError, ValueError, IndexError):
        return parse_meta_date(text)


def links_from_json(data: object, page_url: str, canon: Canon = canonicalize) -> tuple[list[Link], str | None]:
    """Article links in a list endpoint's JSON (the objects that carry a same-site URL), and its next page."""
    links: list[Link] = []
    next_url = None
    stack: list[object] = [data]
    while stack:
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        keys = {str(k).lower(): v for k, v in node.items()}
        for k in _JSON_NEXT_KEYS:
            value = keys.get(k)
            if isinstance(value, str) and value and next_url is None:
                candidate = urljoin(page_url, value)
                next_url = candidate if same_site(candidate, page_url) else None
        href = next((v for k in _JSON_URL_KEYS if isinstance(v := keys.get(k), str) and v), None)
        title = next((clean(v) for k in _JSON_TITLE_KEYS if isinstance(v := keys.get(k), str) and v.strip()), "")
        if href and title:
            absolute = urljoin(page_url, href)
            url = _candidate(absolute, page_url, canon)
            if url:
                when = next((_feed_date(v) for k in _JSON_DATE_KEYS if isinstance(v := keys.get(k), str) and v), None)
                links.append(Link(url, title, href=absolute, listed_date=when))
                continue
        stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
    return _unique(links), next_url
