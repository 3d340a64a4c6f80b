"""The taxonomy of meeting kinds, with stable slugs (feed paths and `--kind` use them), and how a
report's title and lead are read into one kind and its details.

| slug                 | kind                                   | details             |
|----------------------|----------------------------------------|---------------------|
| hoi-nghi-so-ket      | hội nghị sơ kết                        | period              |
| hoi-nghi-tong-ket    | hội nghị tổng kết                      | period              |
| phien-hop-thuong-ky  | phiên họp thường kỳ                    | month (YYYY-MM)     |
| ky-hop-hdnd          | kỳ họp HĐND                            | session, term       |
| buoi-lam-viec        | buổi làm việc                          |                     |
| kiem-tra             | kiểm tra                               |                     |
| giam-sat             | giám sát                               | topic (chuyên đề)   |
| tiep-xuc-cu-tri      | tiếp xúc cử tri                        |                     |
| giao-ban             | giao ban                               |                     |
| hoi-dam              | hội đàm                                |                     |
| hoi-thao             | hội thảo, tọa đàm                      |                     |
| hoi-nghi             | hội nghị (other conferences)           |                     |
| dai-hoi              | đại hội (Party, mass organisations)    |                     |
| thanh-tra            | thanh tra (an inspection's session)    |                     |
| khao-sat             | khảo sát (a survey visit)              |                     |
| tiep-cong-dan        | tiếp công dân, đối thoại               |                     |
| khac                 | other (cuộc họp, họp báo, chất vấn …)  |                     |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..signals import without_agency_names

KINDS: dict[str, str] = {
    "hoi-nghi-so-ket": "Hội nghị sơ kết",
    "hoi-nghi-tong-ket": "Hội nghị tổng kết",
    "phien-hop-thuong-ky": "Phiên họp thường kỳ",
    "ky-hop-hdnd": "Kỳ họp HĐND",
    "buoi-lam-viec": "Buổi làm việc",
    "kiem-tra": "Kiểm tra",
    "giam-sat": "Giám sát",
    "tiep-xuc-cu-tri": "Tiếp xúc cử tri",
    "giao-ban": "Giao ban",
    "hoi-dam": "Hội đàm",
    "hoi-thao": "Hội thảo, tọa đàm",
    "hoi-nghi": "Hội nghị",
    "dai-hoi": "Đại hội",
    "thanh-tra": "Thanh tra",
    "khao-sat": "Khảo sát",
    "tiep-cong-dan": "Tiếp công dân, đối thoại",
    "khac": "Khác (cuộc họp, họp báo, chất vấn)",
}

_W = r"(?<!\w)"
_E = r"(?!\w)"
# Kinds named by a fixed phrase win over whatever else the text says, in this order.
_SPECIFIC: list[tuple[str, re.Pattern[str]]] = [
    ("tiep-xuc-cu-tri", re.compile(_W + r"tiếp xúc (với )?cử tri" + _E)),
    ("tiep-cong-dan", re.compile(_W + r"(tiếp công dân|tiếp dân)" + _E)),
    ("ky-hop-hdnd", re.compile(r"(?<!trước )(?<!trình )(?<!chuẩn bị )(?<!phục vụ )(?<!\w)kỳ họp" + _E
                               + r"[^.;]{0,60}?(hđnd|hội đồng nhân dân)")),
    ("phien-hop-thuong-ky", re.compile(_W + r"(phiên họp|phiên|họp phiên|họp)( thành viên)? thường kỳ" + _E)),
    ("hoi-nghi-so-ket", re.compile(_W + r"sơ kết" + _E)),
    ("hoi-nghi-tong-ket", re.compile(_W + r"tổng kết" + _E)),
    ("giao-ban", re.compile(_W + r"giao ban" + _E)),
]
# Otherwise the kind whose word comes first: "Đoàn giám sát … làm việc với" is giám sát,
# "Hội nghị triển khai công tác kiểm tra" is a hội nghị.
_FIRST: list[tuple[str, re.Pattern[str]]] = [
    ("dai-hoi", re.compile(_W + r"đại hội(?! thể dục)(?! thể thao)" + _E)),
    ("thanh-tra", re.compile(_W + r"((công bố|đoàn) (quyết định |kết luận )?thanh tra|thanh tra (việc|trách nhiệm|công tác|tại|"
                             r"chuyên đề))" + _E)),
    ("khao-sat", re.compile(_W + r"(đoàn khảo sát|khảo sát)" + _E)),
    ("tiep-cong-dan", re.compile(_W + r"đối thoại" + _E)),
    ("giam-sat", re.compile(_W + r"(đoàn giám sát|giám sát chuyên đề|giám sát (việc|tình hình|công tác|kết quả|tại)|"
                            r"(đã|có buổi|tiến hành|triển khai|thực hiện) giám sát|buổi giám sát|giám sát)" + _E)),
    ("kiem-tra", re.compile(_W + r"(đoàn kiểm tra|kiểm tra)" + _E)),
    ("hoi-dam", re.compile(_W + r"hội đàm" + _E)),
    ("hoi-thao", re.compile(_W + r"(hội thảo|tọa đàm|toạ đàm)" + _E)),
    ("buoi-lam-viec", re.compile(_W + r"(buổi làm việc|làm việc với|làm việc tại|tiếp và làm việc|thăm và làm việc)" + _E)),
    ("hoi-nghi", re.compile(_W + r"hội nghị" + _E)),
]
_OTHER = re.compile(_W + r"(cuộc họp|họp báo|họp|phiên chất vấn|chất vấn)" + _E)

_PERIOD = re.compile(r"(?:sơ kết|tổng kết)(?:\s+\S+){0,10}?\s+(?P<p>\d+\s+tháng\s+(?:đầu|cuối)\s+năm|\d+\s+tháng|"
                     r"quý\s+[IV]+|giai đoạn\s+\d{4}\s*[-–]\s*\d{4}|\d+\s+năm|năm)(?:\s+(?P<y>\d{4}))?(?!\w)")
_MONTH = re.compile(r"thường kỳ\s+tháng\s+(?P<m>\d{1,2})(?:\s*[/-]\s*(?P<y>\d{4})|\s+năm\s+(?P<y2>\d{4}))?")
_SESSION = re.compile(r"kỳ họp thứ\s+(?P<n>\d+|\w+)")
_TERM = re.compile(r"khóa\s+(?P<t>[IVXLC]+)(?![\w])", re.IGNORECASE)
_TOPIC = re.compile(r"giám sát(?: chuyên đề)?(?: về)?\s*"
                    r"(?:[\"“](?P<q>[^\"”]{5,200})[\"”]|(?P<u>(?:việc|tình hình|công tác|kết quả)"
                    r"[^,.;:]{5,160}?)(?=\s+tại\s|\s+đối với\s|[,.;:]|$))")
_ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


@dataclass(frozen=True)
class KindGuess:
    slug: str
    detail: dict[str, Any]


def _kind_of(text: str) -> str | None:
    t = without_agency_names(text).lower()
    for slug, pattern in _SPECIFIC:
        if pattern.search(t):
            return slug
    first = [(m.start(), slug) for slug, pattern in _FIRST if (m := pattern.search(t))]
    if first:
        return min(first)[1]
    return "khac" if _OTHER.search(t) else None


def _detail(slug: str, text: str, event: date | None) -> dict[str, Any]:
    t = text.lower()
    if slug in ("hoi-nghi-so-ket", "hoi-nghi-tong-ket"):
        # The fullest period named: the lead's "6 tháng đầu năm" over the title's "6 tháng".
        periods = sorted(_PERIOD.finditer(t), key=lambda m: (m.group("y") is not None, len(m.group("p"))), reverse=True)
        if periods:
            best = periods[0]
            year = best.group("y") or (str(event.year) if event and not best.group("p").startswith("giai đoạn") else None)
            period = re.sub(r"\s+", " ", best.group("p"))
            return {"period": f"{period} {year}" if year else period}
    elif slug == "phien-hop-thuong-ky":
        month_match = _MONTH.search(t)
        if month_match:
            year = month_match.group("y") or month_match.group("y2") or (str(event.year) if event else None)
            month = int(month_match.group("m"))
            return {"month": f"{year}-{month:02d}" if year else str(month)}
    elif slug == "ky-hop-hdnd":
        detail: dict[str, Any] = {}
        session = _SESSION.search(t)
        if session:
            n = session.group("n")
            number = int(n) if n.isdigit() else _ORDINALS.get(n)
            if number:
                detail["session"] = number
        term = _TERM.search(text)
        if term:
            detail["term"] = term.group("t").upper()
        return detail
    elif slug == "giam-sat":
        topic = _TOPIC.search(text)
        if topic:
            return {"topic": re.sub(r"\s+", " ", (topic.group("q") or topic.group("u")).strip())}
    return {}


def meeting_kind(title: str, lead: str, event: date | None) -> KindGuess:
    """The kind from the title, or from the lead when the title names none or only a generic one."""
    slug = _kind_of(title)
    if slug is None or slug == "khac":
        slug = _kind_of(lead) or slug or "khac"
    both = f"{title}. {lead}"
    return KindGuess(slug, _detail(slug, both, event))
