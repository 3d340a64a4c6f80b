"""Vietnamese portal date strings to timezone-aware datetimes (Asia/Ho_Chi_Minh, +07:00).

Handles what real portals print next to an article's title:
``Thứ Sáu, 20/10/2017 - 00:33``, ``01/07/2020``, ``22/09/2022 15:15``, ``Đăng ngày 07-05-2021 04:21``,
``Thứ ba, 28/12/2021 | 10:02:09 Sáng``, ``20:55, 22/06/2022`` and ISO 8601 from meta tags.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Literal

VN_TZ = timezone(timedelta(hours=7), "+07:00")

_DATE = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
_TIME = r"(?P<H>\d{1,2})\s*[:hg]\s*(?P<M>\d{2})(?:\s*:\s*(?P<S>\d{2}))?(?:\s*(?P<ampm>AM|PM|SA|CH|sáng|chiều|tối|trưa))?"
# Time after the date ("20/10/2017 - 00:33", "28/12/2021 | 10:02:09 Sáng") or before it ("20:55, 22/06/2022").
DATE_AFTER = re.compile(_DATE + r"(?:\s*(?:[-|,]|lúc)?\s*" + _TIME + r")?", re.IGNORECASE)
DATE_BEFORE = re.compile(_TIME.replace("?P<", "?P<t") + r"\s*[,\-|]?\s*(?:ngày\s*)?" + _DATE, re.IGNORECASE)
# "Ngày 14 tháng 7 năm 2026", "14 tháng 07, 2026", optionally with the time before or after.
TEXT_DATE = re.compile(r"(?:(?P<H>\d{1,2})\s*[:hg]\s*(?P<M>\d{2})\s*,?\s*)?(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})"
                       r"\s*(?:năm|,|/)?\s*(?P<y>\d{4})(?:\s*(?:[-|,]|lúc)?\s*(?P<H2>\d{1,2})\s*[:hg]\s*(?P<M2>\d{2}))?",
                       re.IGNORECASE)
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _build(y: str, m: str, d: str, hh: str | None, mm: str | None, ss: str | None, ampm: str | None) -> datetime | None:
    try:
        hour = int(hh) if hh else 0
        minute = int(mm) if mm else 0
        marker = (ampm or "").lower()
        if marker in ("pm", "ch", "chiều", "tối") and hour < 12:
            hour += 12
        elif marker in ("am", "sa", "sáng") and hour == 12:
            hour = 0
        value = datetime(int(y), int(m), int(d), hour, minute, int(ss) if ss else 0, tzinfo=VN_TZ)
    except ValueError:
        return None
    return value if 1990 <= value.year <= 2100 else None


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 timestamp (from meta tags); naive values are taken as Vietnam time."""
    m = ISO.search(text)
    if not m:
        return None
    y, mo, d, hh, mi, ss, tz = m.groups()
    try:
        value = datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
    except ValueError:
        return None
    if tz:
        sign = 1 if tz[0] == "+" else -1
        if tz == "Z":
            offset = UTC
        else:
            digits = tz[1:].replace(":", "")
            offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return value.replace(tzinfo=offset).astimezone(VN_TZ)
    return value.replace(tzinfo=VN_TZ)


def parse_date(text: str) -> datetime | None:
    """The first portal-style date (with its time, when printed) in `text`, or None."""
    text = _nfc(text)
    before = DATE_BEFORE.search(text)
    after = DATE_AFTER.search(text)
    if before and (not after or before.start() <= after.start()):
        g = before.groupdict()
        return _build(g["y"], g["m"], g["d"], g["tH"], g["tM"], g["tS"], g["tampm"])
    if after:
        g = after.groupdict()
        return _build(g["y"], g["m"], g["d"], g["H"], g["M"], g["S"], g["ampm"])
    textual = TEXT_DATE.search(text)
    if textual:
        g = textual.groupdict()
        return _build(g["y"], g["m"], g["d"], g["H"] or g["H2"], g["M"] or g["M2"], None, None)
    if ISO.search(text):
        return parse_iso(text)
    return None


# A non-ISO metadata value, as ASP.NET writes it in its server's culture: "9/5/2026 10:17:01 PM" (en-US,
# month first) or "05/09/2026 22:17:01" (vi-VN, day first).
_CULTURE_DATE = re.compile(r"^\s*(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})"
                           r"(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>AM|PM|SA|CH))?)?\s*$", re.IGNORECASE)


def parse_meta_date(text: str, visible: datetime | None = None) -> datetime | None:
    """A date from page metadata, each value by its own format: ISO 8601 as it is; a culture-formatted
    value day first unless it marks AM/PM (the en-US culture, month first) or only month first makes
    a date. When the page also shows a date, the visible (day-first) date wins over an ambiguous value
    that disagrees with it; a value that agrees only adds the time of day the page did not print."""
    text = _nfc(text or "").strip()
    if not text:
        return None
    if ISO.fullmatch(text) or re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return parse_iso(text)
    m = _CULTURE_DATE.match(text)
    if not m:
        return parse_date(text)
    g = m.groupdict()
    day_first = _build(g["y"], g["b"], g["a"], g["H"], g["M"], g["S"], g["ampm"])
    month_first = _build(g["y"], g["a"], g["b"], g["H"], g["M"], g["S"], g["ampm"])
    readings = [r for r in ((month_first, day_first) if g["ampm"] else (day_first, month_first)) if r]
    if visible is not None:
        for r in readings:
            if r.date() == visible.date():
                return r if (visible.hour, visible.minute) == (0, 0) else visible
        return visible
    return readings[0] if readings else None


def has_date(text: str) -> bool:
    text = _nfc(text)
    return bool(DATE_AFTER.search(text) or TEXT_DATE.search(text))


def to_vn(value: datetime | None) -> datetime | None:
    """Aware datetime in +07:00; naive values are taken as UTC (how the store keeps them)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(VN_TZ)



# ------------------------------------------------------------------------------ shown to people
# One clock for people everywhere (pages, CLI tables, feeds' text): day first, 24-hour, Vietnam
# time. Machines (JSON, webhooks, feeds' date fields) get ISO 8601 with the offset, whole seconds:
# some readers (newsboat) drop the zone of a value with a fraction.
PEOPLE_MOMENT = "%d/%m/%Y %H:%M"
PEOPLE_DAY = "%d/%m/%Y"
UNKNOWN_DATE = "không rõ ngày"


def has_time(value: datetime) -> bool:
    """Whether a published date carries a time of day. A page that prints only the date is stored
    at midnight, Vietnam time; showing that as "00:00" would invent a time."""
    local = to_vn(value)
    return local is not None and (local.hour, local.minute, local.second) != (0, 0, 0)


def show_moment(value: datetime | None) -> str:
    """A moment the system itself recorded (a crawl, a run, a health change), for people."""
    local = to_vn(value)
    return local.strftime(PEOPLE_MOMENT) if local else ""


def show_published(value: datetime | None) -> str:
    """A date a portal printed, for people: with its time only when the portal gave one."""
    local = to_vn(value)
    if local is None:
        return ""
    return local.strftime(PEOPLE_MOMENT if has_time(local) else PEOPLE_DAY)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in +07:00, whole seconds: the one format for machines."""
    local = to_vn(value)
    return local.replace(microsecond=0).isoformat() if local else None


DateKind = Literal["published", "event", "unknown"]


@dataclass(frozen=True)
class ReportDate:
    """The date a reader is shown for a report: when it was published, else (marked as such) the
    day of the meeting it reports, else none. The time portalwatch first saw it is never this date:
    an old, undated report found today is not news of today."""

    kind: DateKind
    day: date | None = None
    published: datetime | None = None  # +07:00; only for kind "published"

    @property
    def moment(self) -> datetime | None:
        """The instant feeds' date fields carry: the published time, else the start of the meeting's day."""
        if self.published is not None:
            return self.published
        return datetime.combine(self.day, time(0), tzinfo=VN_TZ) if self.day else None

    def label(self) -> str:
        if self.kind == "published":
            return show_published(self.published)
        if self.kind == "event" and self.day:
            return f"ngày họp {self.day.strftime(PEOPLE_DAY)} (không rõ ngày đăng)"
        return UNKNOWN_DATE

    def sentence(self) -> str:
        """The label as a feed item's first words say it."""
        if self.kind == "published":
            return f"Ngày đăng (published): {self.label()}"
        if self.kind == "event":
            return f"Không rõ ngày đăng; ngày họp (event date): {self.day.strftime(PEOPLE_DAY) if self.day else ''}"
        return "Không rõ ngày (date unknown)"


def report_date(published: datetime | None, event_day: date | None) -> ReportDate:
    local = to_vn(published)
    if local is not None:
        return ReportDate("published", local.date(), local)
    if event_day is not None:
        return ReportDate("event", event_day)
    return ReportDate("unknown")
