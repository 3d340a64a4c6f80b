"""Portal HTML made safe for readers: the last step before anything reaches a feed or a page.

The crawler sanitises bodies when it stores them; this runs the same policy (crawler.extract.sanitize)
again on the way out, because stored rows may predate today's policy and because a feed or page
must be safe whatever the store holds. Allowed: text structure, links and images. Gone: scripts,
frames, forms, objects, styles (they can hide or overlay content), event handlers,
`javascript:`/`data:` URLs and any attribute not listed. Relative links and images are resolved
against the article's own URL, so they work in a reader.
"""

from __future__ import annotations

import re

from crawler.extract import sanitize

# Characters XML 1.0 forbids (feeds would not parse), the C1 controls nobody means to publish, and
# the bidirectional overrides and isolates that make a line read otherwise than it is stored.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def xml_text(value: str | None) -> str:
    """Text with the characters a feed or page must not carry removed."""
    return _NOT_XML.sub("", value) if value else ""


def safe_html(fragment: str | None, base_url: str) -> str:
    """Sanitised HTML with links and images made absolute to `base_url` (the article's URL)."""
    return sanitize(xml_text(fragment), base_url) if fragment else ""
