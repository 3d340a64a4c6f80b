"""Is this article a report of a meeting that took place? Rule-based, measured on the evaluation
set in tests/resources/meetings (precision, recall and F1 in README; the gate in
tests/test_meeting_eval.py).

Reads the title and the lead (sapo plus first paragraph), where Vietnamese portals say what
happened. A meeting cue (hội nghị, phiên họp, kỳ họp, buổi làm việc, kiểm tra, giám sát, …) makes
a candidate. It is rejected when the page is a list of headlines (tag and search pages, schedules),
when the meeting is announced for the future ("sẽ khai mạc", "dự kiến", "giấy mời"), when the
article is about how meetings are organised (phòng họp trực tuyến, quy chế, phần mềm), or when it
is a ceremony that names no meeting. "Kiểm tra" and "giám sát" alone are weak cues — directives say
"tăng cường kiểm tra" — and need a delegation, a place visited or a dateline to count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .meeting.when import has_dateline
from .text import clean

# Matched on lower-cased NFC text with its tone marks: folding would make "phối hợp" (coordinate)
# read as "họp" (meet), and "lịch" (schedule) as "lich" of anything.
MEETING_CUES = [
    r"hội nghị", r"phiên họp", r"kỳ họp", r"cuộc họp", r"buổi làm việc", r"làm việc với", r"làm việc tại",
    r"kiểm tra", r"giám sát", r"giao ban", r"sơ kết", r"tổng kết", r"tiếp xúc cử tri", r"hội đàm", r"hội thảo",
    r"tọa đàm", r"toạ đàm", r"đối thoại", r"họp phiên", r"họp báo", r"tiếp công dân", r"chất vấn",
    r"(?<!lịch )(?<!phòng )(?<!\w)họp(?!\w)",
]
WEAK_CUES = {r"kiểm tra", r"giám sát"}
_MEETING_WORDS = r"(tổ chức|diễn ra|khai mạc|họp|hội nghị|kỳ họp|phiên họp|tiếp xúc|kiểm tra|giám sát)"
FUTURE = re.compile(r"(?<!\w)(sẽ|dự kiến|chuẩn bị|sắp(?! xếp)|sắp tới|kế hoạch tổ chức|thông báo|triệu tập|lịch|"
                    r"ngày mai|sáng mai|chiều mai|tối mai|tuần tới|tháng tới)(?!\w)"
                    r"(\W+\w+){0,4}?\W+" + _MEETING_WORDS)
FUTURE_TITLE = re.compile(
    r"^(thông báo|kế hoạch|lịch (công tác|họp|tiếp)|dự kiến|sắp diễn ra|giấy mời|thư mời|kính mời|"
    r"chương trình (kỳ họp|hội nghị|phiên họp)|quyết định triệu tập|triệu tập)"
    r"|(?<!\w)(sẽ (khai mạc|diễn ra|tổ chức|họp)|ban hành kế hoạch|kế hoạch(\s+\w+){0,2}\s+(tổ chức|giám sát|kiểm tra|tiếp xúc|"
    r"hội nghị|họp))(?!\w)"
    r"|(?<!\w)(hội nghị|kỳ họp|phiên họp|cuộc họp|hội thảo)(?!\w)[^.]{0,60}(?<!\w)(sẽ|dự kiến)(?!\w)"
)
# Articles about the machinery of meetings, not about a meeting.
ABOUT_MEETINGS = re.compile(
    r"(?<!\w)(phòng họp|hệ thống (hội nghị|họp)|phần mềm|điểm cầu|truyền hình trực tuyến|"
    r"(quy chế|hướng dẫn|quy định) (tổ chức|về|sử dụng)|hướng dẫn|tài liệu)(?!\w)"
)
# A page that lists articles rather than being one: tag pages, search results, weekly schedules.
LISTING_TITLE = re.compile(r"^(tag|tags|từ khóa|từ khoá|chủ đề|chuyên mục|kết quả tìm kiếm|tìm kiếm|danh sách|"
                           r"điểm tin|điểm báo|tổng hợp|bản tin|tin tổng hợp|tóm tắt)(?!\w)")
CEREMONY = re.compile(
    r"(?<!\w)(khánh thành|khởi công|lễ phát động|phát động|lễ kỷ niệm|kỷ niệm|lễ trao|trao tặng|lễ đón nhận|mít tinh|"
    r"lễ ra quân|ra quân|gắn biển|lễ công bố|lễ ký kết|lễ khai giảng|lễ tuyên dương|lễ dâng hương|khai trương|lễ hội|"
    r"giải (bóng|cờ|chạy|thể thao|việt dã|bơi|đua|quần vợt))(?!\w)"
)
# Directives and results use "kiểm tra"/"giám sát" as a task, not as a visit that happened.
DIRECTIVE = re.compile(r"(?<!\w)(tăng cường|đẩy mạnh|yêu cầu|chỉ đạo|kết quả|khuyến cáo|đề nghị|cần)(?!\w)")
# What makes "kiểm tra"/"giám sát" an event: a delegation, a place visited, a session.
INSPECTION_EVENT = re.compile(
    r"(?<!\w)(đoàn (kiểm tra|giám sát|công tác)|tổ công tác|(kiểm tra|giám sát)( thực tế| thực địa)?( [^.;,]{0,60})? tại|"
    r"buổi (kiểm tra|giám sát|làm việc)|giám sát chuyên đề|(đã|đi|có buổi) (kiểm tra|giám sát)|làm việc)(?!\w)"
)
# Signs in the body that an inspection or visit took place, for reports whose lead was cut.
HELD_IN_BODY = re.compile(r"(?<!\w)(phát biểu kết luận|kết luận (buổi|cuộc|hội nghị|phiên)|chủ trì (buổi|cuộc|hội nghị|phiên)|"
                          r"tại buổi (kiểm tra|làm việc|giám sát)|qua (kiểm tra|giám sát)|đoàn đã)(?!\w)")
_DATED_ENTRY = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?")


@dataclass(frozen=True)
class Verdict:
    is_meeting: bool
    reason: str


def _cues(text: str) -> list[str]:
    return [c for c in MEETING_CUES if re.search(c, text)]


def _is_listing(paragraphs: list[str]) -> bool:
    """Three or more short, dated lines and little else: headlines, not prose."""
    lines = [clean(p) for p in paragraphs if clean(p)]
    short_dated = [p for p in lines if len(p.split()) <= 22 and _DATED_ENTRY.search(p)]
    return len(short_dated) >= 3 and len(short_dated) >= 0.6 * len(lines)


def classify(title: str | None, paragraphs: list[str]) -> Verdict:
    t = clean(title).lower()
    lead = clean(" ".join(paragraphs[:2])).lower()[:800]
    title_cues, lead_cues = _cues(t), _cues(lead)
    if LISTING_TITLE.search(t) or _is_listing(paragraphs[:12]):
        return Verdict(False, "a list of headlines or a digest")
    if FUTURE_TITLE.search(t) or FUTURE.search(t):
        return Verdict(False, "announces a future meeting")
    if ABOUT_MEETINGS.search(t):
        return Verdict(False, "about how meetings are organised")
    if CEREMONY.search(t) and not title_cues:
        return Verdict(False, "ceremony")
    if not title_cues and not lead_cues:
        return Verdict(False, "no meeting cue")
    dated = has_dateline(lead)
    if title_cues and set(title_cues) <= WEAK_CUES:
        if DIRECTIVE.search(t) and not INSPECTION_EVENT.search(t):
            return Verdict(False, "a directive to inspect, not an inspection")
        body = clean(" ".join(paragraphs)).lower()[:4000]
        if not INSPECTION_EVENT.search(t) and not (dated and not FUTURE.search(lead)) and not HELD_IN_BODY.search(body):
            return Verdict(False, "inspection named without a visit, a date or a conclusion")
    if not title_cues:
        # The lead alone must both name a meeting and place it in the past.
        if FUTURE.search(lead) and not dated:
            return Verdict(False, "lead announces a future meeting")
        if not dated and len(lead_cues) < 2:
            return Verdict(False, "meeting named only in passing")
        if set(lead_cues) <= WEAK_CUES and not INSPECTION_EVENT.search(lead):
            return Verdict(False, "inspection named only in passing")
    return Verdict(True, "meeting cue: " + ", ".join((title_cues or lead_cues)[:3]))


def is_meeting(title: str | None, paragraphs: list[str]) -> bool:
    return classify(title, paragraphs).is_meeting
