"""Is this article a report of a meeting that took place? First, rule-based version.

Reads the title and the lead (sapo plus first paragraph), where Vietnamese portals say what
happened. A meeting cue (hội nghị, phiên họp, kỳ họp, buổi làm việc, kiểm tra, giám sát, …) makes
a candidate; it is rejected when the cue is announced for the future ("sẽ khai mạc", "dự kiến tổ
chức", "thông báo kế hoạch tổ chức") or when the title is about a ceremony (khánh thành, lễ phát
động) and names no meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import clean

# Matched on lower-cased NFC text with its tone marks: folding would make "phối hợp" (coordinate)
# read as "họp" (meet), and "lịch" (schedule) as "lich" of anything.
MEETING_CUES = [
    r"hội nghị", r"phiên họp", r"kỳ họp", r"cuộc họp", r"buổi làm việc", r"làm việc với", r"làm việc tại",
    r"kiểm tra", r"giám sát", r"giao ban", r"sơ kết", r"tổng kết", r"tiếp xúc cử tri", r"hội đàm", r"hội thảo",
    r"tọa đàm", r"toạ đàm", r"đối thoại", r"họp phiên", r"họp báo", r"(?<!\w)họp(?!\w)",
]
_MEETING_WORDS = r"(tổ chức|diễn ra|khai mạc|họp|hội nghị|kỳ họp|phiên họp|tiếp xúc)"
FUTURE = re.compile(r"(?<!\w)(sẽ|dự kiến|chuẩn bị|sắp|sắp tới|kế hoạch tổ chức|thông báo|triệu tập|lịch)(?!\w)"
                    r"(\W+\w+){0,4}?\W+" + _MEETING_WORDS)
FUTURE_TITLE = re.compile(
    r"^(thông báo|kế hoạch|lịch (công tác|họp|tiếp)|dự kiến|sắp diễn ra)|(?<!\w)sẽ (khai mạc|diễn ra|tổ chức|họp)(?!\w)"
)
CEREMONY = re.compile(
    r"(?<!\w)(khánh thành|khởi công|lễ phát động|phát động|lễ kỷ niệm|kỷ niệm|lễ trao|trao tặng|lễ đón nhận|mít tinh|"
    r"lễ ra quân|gắn biển|lễ công bố|lễ ký kết|lễ khai giảng|lễ tuyên dương|lễ dâng hương|khai trương)(?!\w)"
)
# Past event: "Sáng ngày 19/10", "Chiều 02/8", "Ngày 26/6/2020," with a verb of holding.
HELD = re.compile(r"(?<!\w)(sáng|chiều|tối|trưa|ngày)\s*(ngày\s*)?\d{1,2}\s*[/-]\s*\d{1,2}")


@dataclass(frozen=True)
class Verdict:
    is_meeting: bool
    reason: str


def _cues(text: str) -> list[str]:
    return [c for c in MEETING_CUES if re.search(c, text)]


def classify(title: str | None, paragraphs: list[str]) -> Verdict:
    t = clean(title).lower()
    lead = clean(" ".join(paragraphs[:2])).lower()[:800]
    title_cues, lead_cues = _cues(t), _cues(lead)
    if FUTURE_TITLE.search(t) or FUTURE.search(t):
        return Verdict(False, "announces a future meeting")
    if CEREMONY.search(t) and not title_cues:
        return Verdict(False, "ceremony")
    if not title_cues and not lead_cues:
        return Verdict(False, "no meeting cue")
    if not title_cues:
        # The lead alone must both name a meeting and place it in the past.
        if FUTURE.search(lead) and not HELD.search(lead):
            return Verdict(False, "lead announces a future meeting")
        if not HELD.search(lead) and len(lead_cues) < 2:
            return Verdict(False, "meeting named only in passing")
    return Verdict(True, "meeting cue: " + ", ".join((title_cues or lead_cues)[:3]))


def is_meeting(title: str | None, paragraphs: list[str]) -> bool:
    return classify(title, paragraphs).is_meeting
