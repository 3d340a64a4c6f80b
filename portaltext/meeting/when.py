"""When the meeting took place, from the report's dateline: "Sáng ngày 19/10/2017", "Chiều ngày
02/8", "Ngày 26/6/2020", "Sáng 18/10", "ngày 28-10", "Chiều 1-3", "Sáng nay (16/4)".

A dateline without a year takes the published date's year, or the year before when that would put
the meeting after publication (a report published on 3 January about "Chiều 29/12"). A page with no
published date takes the year the lead names ("… 6 tháng cuối năm 2022")."""

from __future__ import annotations

import re
from datetime import date, datetime

TIMES_OF_DAY = ("sáng", "trưa", "chiều", "tối")
_PART = r"(?P<part>[Ss]áng|[Tt]rưa|[Cc]hiều|[Tt]ối|[Đđ]êm)"
_DATELINE = re.compile(
    rf"(?<!\w)(?:{_PART}\s+(?:(?:nay|qua)\s*)?(?:\(\s*)?(?:ngày\s+)?|(?P<day_word>[Nn]gày)\s+(?:ngày\s+)?|"
    rf"{_PART.replace('part', 'part2')}\s+(?:nay|qua)\s*\(\s*)"
    r"(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})(?:\s*[/-]\s*(?P<y>\d{4}))?(?!\s*[/-]?\d)"
)
_TODAY = re.compile(rf"(?<!\w){_PART}\s+nay(?!\w)|(?<!\w)(?P<hom>[Hh]ôm nay)(?!\w)")
# A date that is not the meeting's: a range, a deadline, a document's date.
_NOT_EVENT = re.compile(r"(?:từ|đến|tới|trước|sau|hạn|tính đến|đến hết|số\s+\S+|ban hành|kể từ)\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)(?!\d)")


def _part(word: str | None) -> str | None:
    if not word:
        return None
    word = word.lower()
    return "tối" if word == "đêm" else word


def _year_from_text(texts: list[str]) -> int | None:
    for text in texts:
        years = [int(y) for y in _YEAR.findall(text)]
        if years:
            return max(years)
    return None


def event_when(texts: list[str], published: datetime | None) -> tuple[date | None, str | None]:
    """(event date, time of day) from the title and lead paragraphs, in reading order."""
    pub = published.date() if published else None
    for text in texts:
        for m in _DATELINE.finditer(text):
            if _NOT_EVENT.search(text[max(0, m.start() - 25):m.start()]):
                continue
            day, month = int(m.group("d")), int(m.group("m"))
            if not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            part = _part(m.group("part") or m.group("part2"))
            if m.group("y"):
                year = int(m.group("y"))
            elif pub:
                year = pub.year
                if (month, day) > (pub.month, pub.day):
                    year -= 1
            else:
                found = _year_from_text(texts)
                if found is None:
                    return None, part
                year = found
            try:
                return date(year, month, day), part
            except ValueError:
                continue
        today = _TODAY.search(text)
        if today and pub:
            return pub, _part(today.group("part"))
    return None, None


def has_dateline(text: str) -> bool:
    """Does the text place something on a day, the way reports open ("Sáng 18/10,", "Sáng nay")?"""
    for m in _DATELINE.finditer(text):
        if not _NOT_EVENT.search(text[max(0, m.start() - 25):m.start()]):
            return True
    return bool(_TODAY.search(text))
