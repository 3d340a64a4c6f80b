"""Pages whose charset label lies. Portals declare utf-8 and send windows-1258 (Vietnamese with
tone marks as combining characters) or cp1252 (with Vietnamese as numeric entities); decoding by
the label then fills the text with U+FFFD. Such a page is decoded again from its bytes by
detection (charset-normalizer)."""

from __future__ import annotations

import re
import unicodedata

import charset_normalizer
from scrapy.http import TextResponse

REPLACEMENT = "\ufffd"
# A few replacement characters happen in honest pages (a stray byte); this many means a wrong label.
MAX_HONEST = 3


# Marks a Vietnamese letter may carry: five tones, and circumflex, breve, horn.
VI_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
# Legacy encodings seen on Vietnamese portals; generic detectors rarely think of windows-1258.
CANDIDATES = ("cp1258", "cp1252")


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def vietnamese_score(text: str) -> int:
    """How much a decoding reads as Vietnamese. Valid letters count for it; against it count what
    a wrong codepage produces: letters outside the Vietnamese alphabet (Ě, ŕ), tone marks left
    uncombined, a capital inside a lowercase word ("kyÌ"), and two tones in one syllable ("thýì")."""
    score = 0
    for word in re.findall(r"[^\W\d_][^\W\d_\u0300-\u036f]*|[\u0300-\u036f]", unicodedata.normalize("NFC", text)):
        tones = 0
        for i, ch in enumerate(word):
            if unicodedata.combining(ch):
                score -= 5
                continue
            parts = unicodedata.normalize("NFD", ch)
            base, marks = parts[0].lower(), set(parts[1:])
            if (("a" <= base <= "z") or base == "đ") and marks <= VI_MARKS:
                score += 1
            else:
                score -= 3
            tones += bool(marks & TONES)
            if i and ch.isupper() and word[i - 1].islower():
                score -= 3
        score -= 3 * max(0, tones - 1)
    return score + sum(-5 for ch in text if ch == REPLACEMENT)


def page_text(response: TextResponse) -> tuple[str, str | None]:
    """The page's text, and the encoding it was re-decoded with when its label was wrong."""
    text = response.text
    if text.count(REPLACEMENT) <= MAX_HONEST:
        return text, None
    guesses: list[tuple[int, str, str]] = []
    best = charset_normalizer.from_bytes(response.body).best()
    for encoding in {*CANDIDATES, *([best.encoding] if best else [])}:
        try:
            decoded = response.body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        guesses.append((vietnamese_score(decoded), encoding, decoded))
    if not guesses:
        return text, None
    score, encoding, decoded = max(guesses)
    if score <= vietnamese_score(text):
        return text, None
    return decoded, encoding
