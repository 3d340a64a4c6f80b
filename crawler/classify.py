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

from .text import fold

# Folded (diacritic-free) so that cues match however a portal types its tones.
MEETING_CUES = [
    r"hoi nghi", r"phien hop", r"ky hop", r"cuoc hop", r"buoi lam viec", r"lam viec voi", r"lam viec tai",
    r"co buoi lam viec", r"kiem tra", r"giam sat", r"giao ban", r"so ket", r"tong ket", r"tiep xuc cu tri",
    r"hoi dam", r"hoi thao", r"toa dam", r"doi thoai", r"hop phien", r"hop bao", r"\bhop\b",
]
FUTURE = re.compile(
    r"\b(se|du kien|chuan bi|sap|sap toi|ke hoach to chuc|thong bao|trieu tap|lich)\b(\W+\w+){0,4}?\W+"
    r"(to chuc|dien ra|khai mac|hop|hoi nghi|ky hop|phien hop|tiep xuc)"
)
FUTURE_TITLE = re.compile(
    r"^(thong bao|ke hoach|lich (cong tac|hop|tiep)|du kien|sap dien ra)|\bse (khai mac|dien ra|to chuc|hop)\b"
)
CEREMONY = re.compile(
    r"\b(khanh thanh|khoi cong|le phat dong|phat dong|le ky niem|ky niem|le trao|trao tang|le don nhan|mit tinh|"
    r"le ra quan|gan bien|le cong bo|le ky ket|le khai giang|le tuyen duong|le dang huong|khai truong)\b"
)
# Past event: "Sáng ngày 19/10", "Chiều 02/8", "Ngày 26/6/2020," with a verb of holding.
HELD = re.compile(r"\b(sang|chieu|toi|trua|ngay)\s*(ngay\s*)?\d{1,2}\s*[/-]\s*\d{1,2}")


@dataclass(frozen=True)
class Verdict:
    is_meeting: bool
    reason: str


def _cues(text: str) -> list[str]:
    return [c for c in MEETING_CUES if re.search(c, text)]


def classify(title: str | None, paragraphs: list[str]) -> Verdict:
    t = fold(title or "")
    lead = fold(" ".join(paragraphs[:2]))[:800]
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
