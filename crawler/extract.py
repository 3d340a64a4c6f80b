"""Article extraction: title, published date, author, lead, body paragraphs, captions, clean HTML.

The zero-config path works in four steps, each general to Vietnamese portals rather than tuned to
one template:

1. Find the title: the heading that matches `<title>`/`og:title`, carries a title-ish class, and
   sits closest to a mass of non-link text.
2. Take the article container: the title's nearest ancestor holding that text mass.
3. Read the date only inside the container, between the title and the first body paragraph (so
   neither a clock widget in the header nor a related-article date can win), or from meta tags.
4. Prune the container (everything before the title, link-dense blocks, and everything from the
   first end-of-body label such as "Các tin đã đưa ngày" on), lift captions, byline and lead out,
   and let trafilatura turn what remains into paragraphs.

Why not trafilatura on the whole page: measured on the farm, on table layouts it keeps the footer,
side-box headings and visitor counter, and on div layouts it drops a bold sapo paragraph.
Source selectors, where given, take precedence over each step.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from configparser import ConfigParser
from dataclasses import dataclass, field
from datetime import datetime
from html import escape as html_escape
from urllib.parse import urljoin, urlsplit

import lxml.etree as etree
import lxml.html
import nh3
import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import use_config
from w3lib.encoding import html_to_unicode

from portaltext.boilerplate import CLASS_HINTS, is_end_of_body, is_side_box
from portaltext.dates import has_date, parse_date, parse_iso, parse_meta_date
from portaltext.text import clean, drop_bidi_controls

from .sources import ArticleSelectors

DROP_TAGS = ("script", "style", "noscript", "iframe", "select", "option", "input", "textarea", "button", "form",
             "nav", "svg", "canvas", "object", "embed", "map", "link", "meta")
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "blockquote", "pre", "figcaption",
              "section", "article", "dd", "dt", "tr", "table", "ul", "ol", "figure", "header", "footer", "main"}
SAFE_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "h5",
             "figure", "figcaption", "img", "a", "table", "thead", "tbody", "tr", "td", "th", "sub", "sup", "span", "div"}
SAFE_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
BODY_START_CHARS = 150  # a text run this long after the title is body, not a byline or date line
CONTAINER_MIN_CHARS = 150  # non-link text (about two sentences) that makes an ancestor the article container
# A dateline that opens a sentence ("Ngày 26/6/2020, Sở …", "Sáng 19/10, …"): an event's date, not the
# article's. "Ngày đăng: …" and a bare "Ngày 14 tháng 7 năm 2026" are date lines.
# Work bounds per page. Extraction costs about 50 µs per element and trafilatura's is superlinear
# (a million <p> ran for minutes at 1.9 GB): past these, the rest of a page is not read, and past
# the second the simpler block reader stands in for trafilatura. Real article pages have a few
# thousand elements; the 5 MB verbatim session record of the hostile farm has 18,000 (the block
# reader gives it the same paragraphs as trafilatura, in 60% of the time).
MAX_HTML_CHARS = 6_000_000
MAX_ELEMENTS = 60_000
MAX_TRAFILATURA_ELEMENTS = 10_000
MAX_TITLE_CHARS = 300
_INLINE_DATA = re.compile(r"""(["'])data:[^"'\s>]{1024,}\1""")
EVENT_PREFIX = re.compile(r"^\s*(sáng|chiều|tối|trưa|đêm|ngày)\s+[^,:]{1,30},", re.I)


@dataclass
class Extracted:
    title: str | None
    published: datetime | None
    author: str | None
    lead: str | None
    paragraphs: list[str]
    captions: list[str]
    html: str
    problems: list[str] = field(default_factory=list)
    date_from: str | None = None  # "selector", "metadata" (JSON-LD, <time>, meta), "date line", or None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


# ------------------------------------------------------------------------------------ helpers
def select_nodes(root: HtmlElement, selector: str) -> list[HtmlElement]:
    try:
        if selector.startswith(("/", "(")):
            found = root.xpath(selector)
        else:
            found = root.cssselect(selector)
    except (etree.XPathError, Exception):  # noqa: BLE001 - a bad selector is reported, not fatal
        return []
    return [f for f in found if isinstance(f, HtmlElement)]


def _classes(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _text(el: HtmlElement) -> str:
    return clean(el.text_content())


def _has_ancestor(el: HtmlElement, tags: tuple[str, ...]) -> bool:
    return any(a.tag in tags for a in el.iterancestors())


class _TextMass:
    """Non-link text length under each element, computed once per document."""

    def __init__(self, root: HtmlElement) -> None:
        self.sizes: dict[HtmlElement, int] = {}
        self._walk(root, in_link=False)

    def _walk(self, el: HtmlElement, in_link: bool) -> int:
        if not isinstance(el.tag, str):
            return 0
        in_link = in_link or el.tag == "a"
        own = 0 if in_link else len((el.text or "").strip())
        for child in el:
            own += self._walk(child, in_link)
            if not in_link and child.tail:
                own += len(child.tail.strip())
        self.sizes[el] = own
        return own

    def __getitem__(self, el: HtmlElement) -> int:
        return self.sizes.get(el, 0)


def _link_density(el: HtmlElement) -> float:
    total = len(_text(el))
    if not total:
        return 0.0
    linked = sum(len(_text(a)) for a in el.iter("a"))
    return linked / total


# ------------------------------------------------------------------------------------ title
def _title_refs(root: HtmlElement) -> list[str]:
    refs = []
    for m in root.iter("meta"):
        if m.get("property") in ("og:title", "twitter:title") or m.get("name") in ("twitter:title", "title"):
            refs.append(clean(m.get("content")))
    t = root.find(".//title")
    if t is not None:
        refs.append(clean(t.text_content()))
    return [r for r in refs if r]


def _title_candidates(root: HtmlElement) -> Iterator[HtmlElement]:
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("title", "a", "html", "body", "head"):
            continue
        if el.tag in ("h1", "h2", "h3", "h4") or (el.tag in BLOCK_TAGS | {"span", "strong", "b", "font"}
                                                   and CLASS_HINTS["title"].search(_classes(el))):
            yield el


def find_title(root: HtmlElement, mass: _TextMass) -> tuple[str | None, HtmlElement | None, HtmlElement | None]:
    """(title, title element, article container)."""
    refs = _title_refs(root)
    best: tuple[float, int, HtmlElement, HtmlElement] | None = None
    for order, el in enumerate(_title_candidates(root)):
        text = _text(el)
        n_words = len(text.split())
        if not 4 <= n_words <= 60 or is_side_box(text) or is_end_of_body(text):
            continue
        if _has_ancestor(el, ("a", "nav", "footer", "aside", "select")):
            continue
        links = [a for a in el.iter("a")]
        if links and sum(len(_text(a)) for a in links) > 0.5 * len(text):
            continue  # a linked heading is a list entry, not the page's own title
        score = 0.0
        if any(text == r or (len(text) >= 15 and text in r) or (len(r) >= 15 and r in text) for r in refs):
            score += 3
        if el.tag == "h1":
            score += 1
        if CLASS_HINTS["title"].search(_classes(el)):
            score += 1
        container = None
        own = mass[el]
        for level, anc in enumerate(el.iterancestors(), start=1):
            if level > 4 or anc.tag in ("body", "html"):
                break
            if mass[anc] - own >= CONTAINER_MIN_CHARS:
                container = anc
                score += {1: 3, 2: 3, 3: 2}.get(level, 1)
                break
        if container is None:
            continue
        key = (score, -order)
        if best is None or key > (best[0], best[1]):
            best = (score, -order, el, container)
    if best is None:
        fallback = next((r for r in refs if r), None)
        if fallback:
            fallback = max(re.split(r"\s+[-|–]\s+", fallback), key=len)
        return fallback, None, None
    _, _, el, container = best
    # A lead paragraph alone can pass the text threshold: climb while the parent holds much more text.
    while container.getparent() is not None and container.getparent().tag not in ("body", "html"):
        parent = container.getparent()
        if mass[parent] >= 1.5 * mass[container] and _link_density(parent) < 0.5:
            container = parent
        else:
            break
    return _text(el), el, container


# ------------------------------------------------------------------------------------ date
_META_DATE_KEYS = ("article:published_time", "datepublished", "pubdate", "publishdate", "dc.date.issued", "date",
                   "og:published_time", "dcterms.created", "dc.date")


def _json_ld_dates(root: HtmlElement) -> Iterator[str]:
    """datePublished values of the page's JSON-LD (an object, a list, or an @graph), in order."""
    for script in root.iter("script"):
        if (script.get("type") or "").lower().strip() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue  # broken JSON-LD is common; the other sources of a date remain
        stack = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                value = node.get("datePublished")
                if isinstance(value, str):
                    yield value
                stack.extend(v for k, v in node.items() if k in ("@graph", "mainEntity", "mainEntityOfPage"))


def machine_date(root: HtmlElement, visible: datetime | None = None, json_ld: list[str] | None = None) -> datetime | None:
    """The published date the page states for machines: JSON-LD datePublished (`json_ld` when the
    scripts were read earlier), then <time datetime>, then meta tags; each value parsed by its own
    format and cross-checked with the visible date."""
    for value in json_ld if json_ld is not None else _json_ld_dates(root):
        found = parse_meta_date(value, visible)
        if found:
            return found
    for el in root.iter("time"):
        marks = f"{el.get('itemprop') or ''} {el.get('class') or ''}".lower()
        if el.get("datetime") and ("published" in marks or el.get("pubdate") is not None):
            found = parse_meta_date(el.get("datetime") or "", visible)
            if found:
                return found
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").lower()
        if key in _META_DATE_KEYS:
            found = parse_meta_date(m.get("content") or "", visible)
            if found:
                return found
    return None


def _chunks(el: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """Text runs in document order, each with the element that holds it."""
    if not isinstance(el.tag, str):
        return
    if el.text and el.text.strip():
        yield el, el.text
    for child in el:
        yield from _chunks(child)
        if child.tail and child.tail.strip():
            yield el, child.tail


def _in(el: HtmlElement, root: HtmlElement) -> bool:
    return el is root or any(a is root for a in el.iterancestors())


def _is_body_text(text: str) -> bool:
    """A run of prose: long, or a full sentence. Date lines and bylines are neither."""
    return len(text) >= 80 or (text[-1:] in ".!?…" and len(text.split()) >= 8)


def date_line(text: str) -> datetime | None:
    """The date of a line that is mostly a date ("Thứ Sáu, 20/10/2017 - 00:33", "Đăng ngày 07-05-2021 04:21"),
    not a sentence that mentions one ("... dự kiến diễn ra vào ngày 18/3/2023.")."""
    if not has_date(text) or EVENT_PREFIX.match(text):
        return None
    residue = re.sub(r"[\d/:.,|()\-–]+", " ", text)
    residue = re.sub(r"\b(AM|PM|SA|CH)\b", " ", residue, flags=re.I)
    if len(clean(residue)) > 40:
        return None
    return parse_date(text)


def _with_time_nearby(value: datetime, holder: HtmlElement) -> datetime:
    """A date line printed without its time, when the time stands in the next element of the same short
    line ("<span>14/07/2026</span> <span>04:48</span>")."""
    if (value.hour, value.minute) != (0, 0):
        return value
    parent = holder.getparent()
    line = clean(parent.text_content()) if parent is not None else ""
    if not line or len(line) > 120:
        return value
    richer = parse_date(line)
    return richer if richer and richer.date() == value.date() else value


def find_date_in_container(container: HtmlElement, title_el: HtmlElement) -> tuple[datetime | None, HtmlElement | None]:
    """The first date line after the title and before the body; else one just above the title."""
    before: list[tuple[HtmlElement, str]] = []
    after_title = False
    for holder, text in _chunks(container):
        if _in(holder, title_el):
            after_title = True
            continue
        t = clean(text)
        if not after_title:
            before.append((holder, t))
            continue
        value = date_line(t)
        if value:
            return _with_time_nearby(value, holder), holder
        if _is_body_text(t):
            break
    for holder, t in reversed(before[-3:]):
        value = date_line(t)
        if value:
            return value, holder
    return None, None


# ------------------------------------------------------------------------------------ pruning
def _remove(el: HtmlElement) -> None:
    """Drop an element but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    el.drop_tree()


def _truncate_from(marker: HtmlElement, container: HtmlElement) -> None:
    """Remove the marker and everything after it inside the container."""
    node = marker
    while node is not None and node is not container:
        parent = node.getparent()
        if parent is None:
            break
        for sib in list(node.itersiblings()):
            parent.remove(sib)
        node.tail = None
        node = parent
    _remove(marker)


def prune(container: HtmlElement, title_el: HtmlElement | None, date_el: HtmlElement | None) -> None:
    """Strip everything that is not the article body, in place."""
    if title_el is not None and _in(title_el, container):
        ancestors = set(title_el.iterancestors())
        for el in list(container.iter()):
            if el is title_el:
                break
            if el not in ancestors and el is not container and el.getparent() is not None:
                el.getparent().remove(el)
        if title_el.getparent() is not None:
            _remove(title_el)
    if date_el is not None and date_el is not container and _in(date_el, container) and len(_text(date_el)) < 120:
        # The whole meta line goes: date, view counter, share links ("Lượt xem: 1.245").
        meta = date_el
        while (meta.getparent() is not None and meta.getparent() is not container
               and len(_text(meta.getparent())) < 150):
            meta = meta.getparent()
        _remove(meta)
    for el in list(container.iter(*DROP_TAGS, "header", "footer", "aside")):
        if el is not container and el.getparent() is not None:
            _remove(el)
    # The first end-of-body label after some body text ends the article; before that it is a stray tool bar.
    seen = 0
    for holder, text in list(_chunks(container)):
        if holder.getparent() is None and holder is not container:
            continue
        if is_end_of_body(text) or is_side_box(text):
            marker = holder
            while marker.getparent() is not None and marker is not container and len(_text(marker)) <= len(clean(text)) + 3:
                if marker.getparent() is container or len(_text(marker.getparent())) > len(clean(text)) + 3:
                    break
                marker = marker.getparent()
            if marker is container:
                continue
            if seen >= 200:
                _truncate_from(marker, container)
                break
            _remove(marker)
            continue
        seen += len(clean(text))
    for el in list(container.iter("ul", "ol", "table", "div", "section", "p")):
        if el is container or el.getparent() is None:
            continue
        n_links = len(list(el.iter("a")))
        if n_links >= 3 and _link_density(el) > 0.6:
            _remove(el)


# ------------------------------------------------------------------------------------ captions, byline, lead
def _only_image(el: HtmlElement) -> bool:
    return el.find(".//img") is not None and not _text(el)


def lift_captions(container: HtmlElement) -> list[str]:
    captions: list[str] = []

    def take(el: HtmlElement) -> None:
        t = _text(el)
        if t:
            captions.append(t)
        if el.getparent() is not None:
            _remove(el)

    for el in list(container.iter("figcaption")):
        take(el)
    for el in list(container.iter()):
        if el.getparent() is None or el is container or not isinstance(el.tag, str):
            continue
        if CLASS_HINTS["caption"].search(_classes(el)) and len(_text(el)) < 400:
            take(el)
    # A table or figure holding one image and a short text: the text is its caption.
    for el in list(container.iter("table", "figure")):
        if el.getparent() is None or el is container:
            continue
        if len(list(el.iter("img"))) == 1 and 0 < len(_text(el)) < 300:
            captions.append(_text(el))
            for img in el.iter("img"):
                img.tail = None
            for node in list(el.iter()):
                if node is not el and node.tag not in ("img",) and node.text:
                    node.text = None
            el.drop_tree()
    # An image-only paragraph followed by a short, italic, centred or bracketed one.
    for el in list(container.iter()):
        if el.getparent() is None or not isinstance(el.tag, str) or not _only_image(el):
            continue
        nxt = el.getnext()
        if nxt is None or not isinstance(nxt.tag, str):
            continue
        t = _text(nxt)
        if not t or len(t) > 300 or nxt.find(".//img") is not None:
            continue
        styled = (nxt.find(".//em") is not None or nxt.find(".//i") is not None
                  or "center" in (nxt.get("style", "") + nxt.get("align", "")).lower())
        if styled or (t.startswith("(") and t.endswith(")")):
            take(nxt)
    return captions


def _byline_ok(text: str) -> bool:
    """Short, capitalised, no sentence punctuation: a name ("Bích Diệp", "Thu Hà - Bích Thảo") or a
    unit ("Phòng Phổ biến, giáo dục pháp luật"), not a sentence of the body."""
    if not text or len(text) > 80 or len(text.split()) > 12 or text[-1] in ".;:!?,\"”":
        return False
    return text[0].isupper()


def lift_author(container: HtmlElement, selector: str | None, root: HtmlElement) -> str | None:
    if selector:
        found = select_nodes(root, selector)
        if found:
            text = re.sub(r"^(tác giả|bài|tin|theo)\s*[:\-]\s*", "", _text(found[0]), flags=re.I)
            for f in found:
                if _in(f, container) and f.getparent() is not None:
                    _remove(f)
            return text or None
    for el in list(container.iter()):
        if el is container or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if CLASS_HINTS["author"].search(_classes(el)):
            label = el.find(".//*[@class='field__label']")
            if label is not None:
                label.drop_tree()
            text = re.sub(r"^(tác giả|bài|tin|theo)\s*[:\-]\s*", "", _text(el), flags=re.I)
            if _byline_ok(text):
                _remove(el)
                return text
    # Most portals end the body with a short bold or right-aligned byline paragraph.
    blocks = [el for el in container.iter("p", "div", "td") if _text(el) and not any(
        isinstance(c.tag, str) and c.tag in ("p", "div", "table") for c in el)]
    if blocks:
        last = blocks[-1]
        text = _text(last)
        styled = (last.find(".//strong") is not None or last.find(".//b") is not None
                  or "right" in (last.get("style", "") + last.get("align", "")).lower())
        if styled and _byline_ok(text):
            _remove(last)
            return text
    return None


def lift_lead(container: HtmlElement) -> str | None:
    """A sapo: a lead-classed block, or a bold-only paragraph, before the body text starts."""
    for holder, text in _chunks(container):
        t_run = clean(text)
        if len(t_run) < 40:
            continue  # a label or byline line, not yet the body
        el = holder
        while el is not container and el.tag not in BLOCK_TAGS:
            el = el.getparent()
        t = _text(el)
        classed = any(CLASS_HINTS["lead"].search(_classes(x)) for x in [el, *el.iterancestors()]
                      if _in(x, container) and x is not container)
        bold = holder.tag in ("strong", "b") and len(clean(holder.text_content())) >= 0.9 * len(t)
        if t and (classed or bold or el.tag in ("h2", "h3")):
            return t
        return None
    return None


# ------------------------------------------------------------------------------------ body
def _unwrap_layout_tables(container: HtmlElement) -> None:
    """Table cells become divs so trafilatura reads a layout table as prose, not as a data table."""
    for el in container.iter("table", "tbody", "thead", "tr", "td", "th", "font", "center"):
        el.tag = "div"


def _trafilatura_config() -> ConfigParser:
    # Short notices are common on government portals: below trafilatura's default 250 characters
    # it falls back to a baseline that merges paragraphs into one.
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "40")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "10")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


TRAFILATURA_CONFIG = _trafilatura_config()


def _paragraphs_from_trafilatura(fragment: str) -> list[str] | None:
    # fast=True: no second opinion from justext/readability on a fragment that is already the article
    # container. That fallback ran on a quarter of the farm's pages and was 40 % of extraction
    # (10.1 → 6.1 ms a page); it changed no paragraph of 139 farm articles, and the golden files and
    # the extraction gate pass without it.
    xml = trafilatura.extract(fragment, output_format="xml", include_comments=False, include_tables=True,
                              include_images=False, include_links=False, favor_recall=True, deduplicate=False, fast=True,
                              with_metadata=False, config=TRAFILATURA_CONFIG)
    if not xml:
        return None
    doc = etree.fromstring(xml.encode("utf-8"))
    out = []
    for el in doc.iter("p", "head", "item", "quote", "cell"):
        # Nested blocks (a <p> inside <quote>) are read from their innermost element.
        if any(isinstance(c.tag, str) and c.tag in ("p", "item") for c in el):
            continue
        t = clean("".join(str(part) for part in el.itertext()))
        if t:
            out.append(t)
    return out


def _block_paragraphs(container: HtmlElement) -> list[str]:
    """Fallback when trafilatura declines a short page: every innermost text block."""
    out = []
    for el in container.iter():
        if not isinstance(el.tag, str) or el.tag not in BLOCK_TAGS:
            continue
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            continue
        t = _text(el)
        if t and _link_density(el) < 0.8:
            out.append(t)
    return out


def _keeps_structure(paragraphs: list[str] | None, blocks: list[str]) -> bool:
    """Whether trafilatura's paragraphs keep the page's paragraph breaks; when it merged blocks
    (or returned nothing) the block walk over the pruned container is the better reading."""
    if not paragraphs:
        return False
    if len(paragraphs) >= len(blocks):
        return True
    joined = " ".join(paragraphs)
    return not all(b in joined for b in blocks)


URL_SCHEMES = {"http", "https", "mailto"}


def _resolve_against(base: str) -> Callable[[str, str, str], str | None]:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "src"):
            return value
        resolved = urljoin(base, value.strip())
        # Only web and mail links survive; nh3 checks the scheme too, this also catches "java\tscript:".
        return resolved if urlsplit(resolved).scheme in URL_SCHEMES else None

    return attribute_filter


def sanitize(fragment: str, base_url: str | None = None) -> str:
    """The one HTML policy for portal markup (stored bodies, and feeds and pages via feeds.safe):
    text structure, links and images. With `base_url`, relative links and images are resolved."""
    return nh3.clean(drop_bidi_controls(fragment), tags=SAFE_TAGS, attributes=SAFE_ATTRS, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True,
                     attribute_filter=_resolve_against(base_url) if base_url else None).strip()


def _capped_title(title: str) -> str:
    """A title is a line: a page that puts a whole text in its heading gets its first words."""
    if len(title) <= MAX_TITLE_CHARS:
        return title
    return title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def _body_html(container: HtmlElement) -> str:
    inner = "".join(lxml.html.tostring(c, encoding="unicode") for c in container)
    if container.text and container.text.strip():
        inner = html_escape(container.text) + inner
    return sanitize(inner)


def _dedupe(paragraphs: list[str], drop: set[str]) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        if p in drop or (out and out[-1] == p):
            continue
        out.append(p)
    return out


# ------------------------------------------------------------------------------------ entry point
def parse_html(html: str | bytes, url: str, problems: list[str] | None = None,
               absolute_links: bool = True) -> HtmlElement:
    """The page as a tree, within the work bounds; what was cut is said in `problems`. Its links are
    made absolute unless `absolute_links` is false (the caller resolves the part it keeps)."""
    if isinstance(html, bytes):
        # Scrapy's own decoding rules (BOM, <meta charset> anywhere in the head, then a guess).
        _, html = html_to_unicode(None, html)
    said = problems if problems is not None else []
    if len(html) > MAX_HTML_CHARS // 4:
        # Inline base64 images are what makes most large pages large; they carry no text.
        html = _INLINE_DATA.sub('""', html)
    if len(html) > MAX_HTML_CHARS:
        said.append(f"page of {len(html):,} characters: read its first {MAX_HTML_CHARS:,}")
        html = html[:MAX_HTML_CHARS]
    if html.count("<", 0, MAX_HTML_CHARS) > 2 * MAX_ELEMENTS:
        # Cut the markup before parsing it, not the tree after: a million elements cost 400 MB to build.
        pos = -1
        for _ in range(2 * MAX_ELEMENTS):
            pos = html.find("<", pos + 1)
        html = html[:pos]
    try:
        root: HtmlElement = lxml.html.document_fromstring(clean_markup(html))
    except (etree.ParserError, ValueError):
        # An empty or binary page: an empty document, so callers report "no title, no body".
        root = lxml.html.document_fromstring("<html><body></body></html>")
    _cut_elements(root, said)
    # libxml2 does not know these are void elements and nests the rest of the page inside them,
    # so dropping an <embed> as boilerplate would drop every paragraph after it.
    for el in list(root.iter("embed", "wbr", "source", "track", "param", "keygen")):
        el.drop_tag()
    # A <base> pasted into an article body must not re-point the portal's relative links elsewhere;
    # only the head's own <base> counts.
    for el in list(root.iter("base")):
        if el.getparent() is not None and el.getparent().tag != "head":
            el.drop_tree()
    # What the portal hides from its own readers (leftovers, keyword stuffing) stays hidden: the
    # sanitiser strips styles, which would otherwise reveal it in our feeds.
    for el in list(root.xpath("//*[@hidden or contains(translate(@style, 'DISPLAYNOEVBT: ', 'displaynoevbt'), 'displaynone')"
                              " or contains(translate(@style, 'VISBLTYHDEN: ', 'visbltyhden'), 'visibilityhidden')]")):
        if el.getparent() is not None:
            el.drop_tree()
    if absolute_links:
        root.make_links_absolute(url, resolve_base_href=True, handle_failures="ignore")
    return root


def _cut_elements(root: HtmlElement, problems: list[str]) -> None:
    """Drop everything after the MAX_ELEMENTS-th element in document order."""
    for n, el in enumerate(root.iter()):
        if n >= MAX_ELEMENTS:
            problems.append(f"page of more than {MAX_ELEMENTS:,} elements: read the first {MAX_ELEMENTS:,}")
            _truncate_from(el, root)
            return


def clean_markup(html: str) -> str:
    # lxml refuses str input that declares an encoding; and NFC once here saves it everywhere later.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    # lxml rejects NUL and other C0 controls, which broken portals do emit.
    html = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", html)
    return unicodedata.normalize("NFC", html) if html.strip() else "<html><body></body></html>"


def extract_article(html: str | bytes, url: str, selectors: ArticleSelectors | None = None) -> Extracted:
    """Everything portalwatch keeps of one article page."""
    selectors = selectors or ArticleSelectors()
    problems: list[str] = []
    # Links are resolved in the article container alone, after pruning: rewriting every link of the
    # page (menus, sidebars, footers) was a third of parsing in bench.pipeline's profile.
    root = parse_html(html, url, problems, absolute_links=False)
    stated = list(_json_ld_dates(root))  # read before the scripts go
    for el in list(root.iter("script", "style", "noscript")):
        _remove(el)
    mass = _TextMass(root)

    title, title_el, container = find_title(root, mass)
    if selectors.title:
        found = select_nodes(root, selectors.title)
        if found:
            title_el, title = found[0], _text(found[0])
        else:
            problems.append(f"title selector matched nothing: {selectors.title}")
    if selectors.body:
        found = select_nodes(root, selectors.body)
        if found:
            container = found[0]
        else:
            problems.append(f"body selector matched nothing: {selectors.body}")

    published: datetime | None = None
    date_el = None
    date_from = None
    if selectors.date:
        found = select_nodes(root, selectors.date)
        if found:
            date_el = found[0]
            published = parse_date(_text(date_el)) or parse_iso(date_el.get("datetime") or date_el.get("content") or "")
            date_from = "selector" if published else None
        if published is None:
            problems.append(f"date selector found no date: {selectors.date}")
    if published is None:
        visible = None
        if container is not None and title_el is not None and _in(title_el, container):
            visible, date_el = find_date_in_container(container, title_el)
        stated_date = machine_date(root, visible, stated)
        published = stated_date or visible
        date_from = "metadata" if stated_date and stated_date != visible else "date line" if visible else None

    if container is None:
        # No title heading near a text mass: let trafilatura find the main content on the whole page,
        # after removing what is boilerplate on every portal.
        container = root.find("body") if root.find("body") is not None else root
        problems.append("no article container found; used the whole page")
    # The tree was parsed for this call alone, so pruning works on it in place.
    prune(container, title_el, date_el)

    author = lift_author(container, selectors.author, root)
    # The head's <base> still counts: lxml looks for it in the whole document from any element.
    container.make_links_absolute(url, resolve_base_href=True, handle_failures="ignore")
    # Snapshot for readers before captions leave: in HTML they stay with their images.
    html_out = _body_html(container)
    captions = lift_captions(container)
    lead = lift_lead(container)
    _unwrap_layout_tables(container)
    blocks = _block_paragraphs(container)
    paragraphs = None
    if sum(1 for _ in container.iter()) <= MAX_TRAFILATURA_ELEMENTS:
        fragment = "<html><body><article>" + lxml.html.tostring(container, encoding="unicode") + "</article></body></html>"
        paragraphs = _paragraphs_from_trafilatura(fragment)
    else:
        problems.append(f"body of more than {MAX_TRAFILATURA_ELEMENTS:,} elements: read block by block")
    if paragraphs is None or not _keeps_structure(paragraphs, blocks):
        paragraphs = blocks
    drop = {c for c in captions} | ({author} if author else set()) | ({title} if title else set())
    paragraphs = _dedupe([p for p in paragraphs if not is_end_of_body(p) and not is_side_box(p)], drop)
    if lead and lead not in paragraphs:
        paragraphs.insert(0, lead)
    if not title:
        problems.append("no title")
    if not paragraphs:
        problems.append("no body text")
    return Extracted(title=_capped_title(clean(title)) or None, published=published, author=clean(author) or None,
                     lead=lead, paragraphs=paragraphs, captions=captions, html=html_out, problems=problems, date_from=date_from)
