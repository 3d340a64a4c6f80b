"""How a reader finds the headline, the lead and the body of a news text, whatever it came as: an
extracted article (title + paragraphs), an excerpt that starts mid-story, or the whole text of a
page with its menus, date line and "Tin liên quan" still around it.

Vietnamese portals put what happened in the first prose paragraph (the sapo or the dateline
sentence: "Sáng 19/10, …"). Everything before it on a page is navigation, the headline and the date
line; everything after the last prose paragraph is related links and widgets. The classifier and
the meeting reader both read a `Reading`, so a page's boilerplate never decides a verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .boilerplate import is_end_of_body, is_side_box
from .text import clean, modern_tones

LEAD_CHARS = 700
BODY_CHARS = 4000
# A paragraph of prose: a sentence that ends, or too long to be a headline.
_PROSE_WORDS = 30
_SENTENCE_END = re.compile(r"[.!?…:;]\W*$")
# A line that is only a date and time ("Thứ Hai, 21/10/2024 - 08:15", "22/07/2025 10:40").
_DATE_LINE = re.compile(r"^(?:(?:thứ\s+\w+|chủ nhật|cập nhật|đăng ngày|ngày đăng)\s*,?\s*)?"
                        r"\(?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\)?"
                        r"(?:\s*[-|,]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*\w+)?)?\s*(?:\(gmt\+7\))?$|"
                        r"^\d{1,2}[:h]\d{2}\s*,?\s*(?:thứ\s+\w+,?\s*)?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$", re.IGNORECASE)
_HEADLINE_WORDS = (3, 40)
# Work is bounded whatever the page: the story's opening is within its first paragraphs, and a
# 5 MB body must cost no more to judge than a normal one.
MAX_PARAGRAPHS = 200
MAX_PARAGRAPH_CHARS = 20_000


@dataclass(frozen=True)
class Reading:
    headline: str
    lead: str  # the first prose paragraph(s), up to LEAD_CHARS (the first one whole)
    body: str  # the prose paragraphs, up to BODY_CHARS
    prose: tuple[str, ...]  # each prose paragraph, in order
    headline_found: bool = False  # the headline was read off the page text, not given

    def lower(self) -> tuple[str, str, str]:
        return self.headline.lower(), self.lead.lower(), self.body.lower()


def is_prose(line: str) -> bool:
    words = len(line.split())
    return words >= _PROSE_WORDS or (words >= 6 and bool(_SENTENCE_END.search(line)))


def is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line.strip()))


def _chrome(line: str) -> bool:
    """Navigation, widgets and related-links headings: never the headline."""
    return is_side_box(line) or is_end_of_body(line) or is_date_line(line)


def read(title: str | None, paragraphs: list[str]) -> Reading:
    lines = [modern_tones(c) for c in (clean(p[:MAX_PARAGRAPH_CHARS]) for p in paragraphs[:MAX_PARAGRAPHS]) if c]
    headline = modern_tones(clean(title))
    # A date line above the story ends the page's header: what is above it is the title (however long, and
    # repeated from <title> with the site's name) and navigation; the story starts below it.
    start = 0
    for i, line in enumerate(lines[:15]):
        if is_date_line(line):
            start = i + 1
            break
        if _SENTENCE_END.search(line) and len(line.split()) >= 6:
            break
    first = next((i for i, line in enumerate(lines) if i >= start and is_prose(line)), None)
    found = False
    if first is None:
        # No sentence anywhere (a list, a cut excerpt): read what is not chrome as it comes.
        prose = [line for line in lines if not _chrome(line)]
    else:
        if not headline:
            # The page's headline is the last line above the story that is neither chrome nor a label.
            for line in reversed(lines[:first]):
                words = len(line.split())
                if not _chrome(line) and _HEADLINE_WORDS[0] <= words <= _HEADLINE_WORDS[1]:
                    headline, found = line, True
                    break
        prose = []
        for line in lines[first:]:
            if is_end_of_body(line) and not is_prose(line):
                break
            if is_prose(line):
                prose.append(line)
    lead = ""
    for p in prose:
        if lead and len(lead) + len(p) > LEAD_CHARS:
            break
        lead = f"{lead} {p}".strip()
    body = " ".join(prose)[:BODY_CHARS]
    return Reading(headline, lead[: LEAD_CHARS * 2], body, tuple(prose), found)
