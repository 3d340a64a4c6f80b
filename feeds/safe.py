"""Portal HTML made safe for readers: the last step before anything reaches a feed or a page.

The crawler sanitises bodies when it stores them; this runs again on the way out, because stored
rows may predate today's policy and because a feed or page must be safe whatever the store holds.
Allowed: text structure, links and images. Gone: scripts, frames, forms, objects, styles (they can
hide or overlay content), event handlers, `javascript:`/`data:` URLs and any attribute not listed.
Relative links and images are resolved against the article's own URL, so they work in a reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import nh3

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "h5",
        "figure", "figcaption", "img", "a", "table", "thead", "tbody", "tr", "td", "th", "sub", "sup", "span", "div",
        "del", "ins", "mark", "hr"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Characters XML 1.0 forbids (feeds would not parse) and the C1 controls nobody means to publish.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str | None) -> str:
    """Text with the characters a feed or page must not carry removed."""
    return _NOT_XML.sub("", value) if value else ""


def _absolute(base: str) -> Callable[[str, str, str], str | None]:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "src"):
            return value
        resolved = urljoin(base, value.strip())
        # Only web and mail links survive; nh3 checks the scheme too, this also catches "java\tscript:".
        return resolved if urlsplit(resolved).scheme in URL_SCHEMES else None

    return attribute_filter


def safe_html(fragment: str | None, base_url: str) -> str:
    """Sanitised HTML with links and images made absolute to `base_url` (the article's URL)."""
    if not fragment:
        return ""
    return nh3.clean(xml_text(fragment), tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True,
                     attribute_filter=_absolute(base_url)).strip()
