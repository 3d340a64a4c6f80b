"""People in a report, with their titles and what they did at the meeting.

A person is a Vietnamese name (a family name and one to three more capitalised syllables) that an
official title or an honorific stands next to: "đồng chí Phùng Quang Hội, Chánh Văn phòng UBND
tỉnh", "Phó Chủ tịch Thường trực HĐND tỉnh Trần Tú Anh". A capitalised run that is a place ("Hà
Tĩnh") or an agency ("Sở Xây dựng") is not a person. The role comes from the verbs of the clause:
chủ trì, kết luận, phát biểu, báo cáo, dự — the strongest one a person is given anywhere wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portaltext.text import fold

from .agencies import _PROVINCE_FOLDED, _is_cap
from .lexicon import DEPARTMENTS, SURNAMES, TITLE_HEADS

ROLES = ("chủ trì", "kết luận", "phát biểu", "báo cáo", "dự")  # strongest first
_NOT_DU = r"(?! (?:phòng|án|toán|kiến|báo|thảo|khuyết))"  # "dự phòng", "dự khuyết" are not "attend"
_ROLE_WORDS = [
    ("chủ trì", r"chủ trì|đồng chủ trì|chủ tọa|chủ toạ|điều hành|làm trưởng đoàn|làm tổ trưởng|là trưởng đoàn|"
                r"dẫn đầu|tiếp và làm việc|có buổi làm việc|đã làm việc|làm việc với|hội đàm|đi kiểm tra|đã kiểm tra"),
    ("kết luận", r"kết luận"),
    ("phát biểu", r"phát biểu|chỉ đạo|nhấn mạnh|đề nghị|yêu cầu|cho biết|ghi nhận|biểu dương|khẳng định|trao đổi|chia sẻ|"
                  r"đánh giá cao|lưu ý"),
    ("báo cáo", r"báo cáo|trình bày|triển khai|thông tin"),
    ("dự", rf"tham dự|tới dự|đến dự|cùng dự|dự{_NOT_DU}|cùng đi|tham gia|có mặt"),
]
_ROLE_RE = [(role, re.compile(rf"(?<!\w)({words})(?!\w)", re.IGNORECASE)) for role, words in _ROLE_WORDS]
# Before a name only a few verbs give its role: "Dự có đồng chí X", "dưới sự chủ trì của đồng chí X",
# "Tới dự và chỉ đạo hội nghị có đồng chí X". "Tiếp và làm việc với đoàn có X" says nothing of X.
_ROLE_BEFORE = [
    ("chủ trì", re.compile(r"(?<!\w)(chủ trì|đồng chủ trì|chủ tọa|chủ toạ)(?!\w)", re.IGNORECASE)),
    ("kết luận", re.compile(r"(?<!\w)kết luận(?!\w)", re.IGNORECASE)),
    ("phát biểu", re.compile(r"(?<!\w)(phát biểu|chỉ đạo)(?!\w)", re.IGNORECASE)),
    ("dự", re.compile(r"(?<!\w)(tham dự|tới dự|đến dự|cùng dự|dự|có mặt|tham gia)(?!\w)", re.IGNORECASE)),
]
_HONORIFIC = re.compile(r"(?<!\w)(đồng chí|Đồng chí|đ/c|Đ/c|Đ\.c|đ\.c|ông|Ông|bà|Bà|GS\.TS|PGS\.TS|PGS|TS|ThS|BS|"
                        r"Thiếu tướng|Trung tướng|Thượng tướng|Đại tá|Thượng tá)\.?\s*$")
_TITLE_HEAD = re.compile(r"(?<!\w)(" + "|".join(re.escape(h[0]) + "(?i:" + re.escape(h[1:]) + ")" for h in TITLE_HEADS)
                         + r")(?!\w)")
_WORD = re.compile(r"[^\W\d_]+")
# Where a title written after a name ends: a role verb, a stop word or punctuation other than a
# comma that opens another title ("Phó Bí thư thành ủy, Chủ tịch UBND thành phố").
_TITLE_END = re.compile(rf"(?<!\w)(làm|đã|có|cùng|và|dự{_NOT_DU}|tham dự|tới dự|"
                        r"chủ trì|đồng chủ trì|phát biểu|báo cáo|kết luận|"
                        r"chỉ đạo|nhấn mạnh|đề nghị|yêu cầu|cho biết|trình bày|triển khai|điều hành|đánh giá|"
                        r"tặng|trao|thăm|tiếp|dẫn đầu|là|khẳng định|ghi nhận|biểu dương|lưu ý|chia sẻ|trao đổi)(?!\w)"
                        r"|[;:.()\"“”]|\s[-–]\s(?=[a-zđ])")
# A capitalised run right after these is a place or an institution, not a person: "đường Lê Lợi",
# "huyện Lương Sơn". After "tỉnh"/"thành phố" the province list decides instead ("HĐND tỉnh Trần Tú Anh").
_PLACE_BEFORE = re.compile(r"(?<!\w)(đường|(?<!thành )phố|Trường|trường|Sở|Bộ|Ban|Đoàn)\s*$")
_LOCAL_BEFORE = re.compile(r"(?<!\w)(huyện|thị xã|xã|phường|quận|thị trấn|Tỉnh ủy|Huyện ủy|Thành ủy|Thị ủy|ĐBQH)\s*$")


@dataclass(frozen=True)
class Person:
    name: str
    title: str | None
    role: str


@dataclass
class _Mention:
    name: str
    title: str | None
    title_start: int
    title_end: int


def _names(sentence: str) -> list[tuple[str, int, int]]:
    """Candidate names: the last family name of each capitalised run that leaves two to four syllables."""
    words = list(_WORD.finditer(sentence))
    out = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and _is_cap(words[j].group()) and (j == i or words[j].start() - words[j - 1].end() == 1):
            j += 1
        run = words[i:j]
        # The earliest family name that leaves a name of two to four syllables, after any province
        # the run starts with: "Hà Tĩnh Trần Đình Gia", but "Nguyễn Lương Bình".
        inside_place: set[int] = set()
        for a in range(len(run)):
            for n in (2, 3, 4):
                if fold(" ".join(x.group() for x in run[a:a + n])) in _PROVINCE_FOLDED:
                    inside_place.update(range(a, a + n))
        best = None
        for k, w in enumerate(run):
            if w.group() in SURNAMES and 2 <= len(run) - k <= 4 and k not in inside_place:
                best = k
                break
        if best is not None:
            name_words = run[best:best + 4]
            name = " ".join(w.group() for w in name_words)
            start, end = name_words[0].start(), name_words[-1].end()
            local = best == 0 and len(name_words) == 2 and _LOCAL_BEFORE.search(sentence[:start])
            if fold(name) not in _PROVINCE_FOLDED and not local and not (best == 0 and _PLACE_BEFORE.search(sentence[:start])):
                out.append((name, start, end))
        i = max(j, i + 1)
    return out


def _clean_title(title: str) -> str | None:
    title = re.sub(r"\s+", " ", title).strip(" ,-–")
    title = re.sub(r"\s*([-–])\s*", r" \1 ", title)
    return title or None


def _title_before(sentence: str, start: int, floor: int) -> tuple[str | None, int]:
    head = None
    for m in _TITLE_HEAD.finditer(sentence, floor, start):
        head = m
    if head is None:
        return None, start
    between = sentence[head.start():start]
    bare = between
    for dept in DEPARTMENTS:
        bare = bare.replace(dept, "")
    if re.search(r"[,;:.()]|(?<!\w)(đồng chí|do|đã|có|của|với|tại|và|là|cùng|dự)(?!\w)", bare) or len(between.split()) > 14:
        return None, start
    return _clean_title(between), head.start()


def _mask_departments(text: str) -> str:
    """Department names blanked out (same length), so their "và" and commas end nothing."""
    for dept in DEPARTMENTS:
        text = text.replace(dept, "_" * len(dept))
    return text


def _title_after(sentence: str, end: int) -> tuple[str | None, int]:
    original = sentence[end:]
    rest = _mask_departments(original)
    m = re.match(r"\s*(?:,|[-–])?\s*", rest)
    pos = m.end() if m else 0
    if not _TITLE_HEAD.match(rest, pos):
        return None, end
    parts: list[str] = []
    while True:
        stop = _TITLE_END.search(rest, pos)
        segment_end = stop.start() if stop else len(rest)
        comma = rest.find(",", pos, segment_end)
        if comma == -1:
            parts.append(original[pos:segment_end])
            pos = segment_end
            break
        parts.append(original[pos:comma])
        after = re.match(r",\s*", rest[comma:])
        nxt = comma + (after.end() if after else 1)
        if not _TITLE_HEAD.match(rest, nxt) and not re.match(r"(?:Tổ trưởng|Trưởng|Phó|Ủy viên|Uỷ viên)", rest[nxt:]):
            pos = comma
            break
        pos = nxt
    title = _clean_title(", ".join(p.strip() for p in parts))
    return title, end + pos


def _last_role(text: str) -> str | None:
    found = [(m.start(), role) for role, pattern in _ROLE_BEFORE for m in pattern.finditer(text)]
    return max(found)[1] if found else None


def _role(text: str) -> str | None:
    """The strongest role a verb in `text` gives."""
    best = None
    for role, pattern in _ROLE_RE:
        if pattern.search(text):
            if best is None or ROLES.index(role) < ROLES.index(best):
                best = role
    return best


def _sentence_people(sentence: str) -> list[Person]:
    mentions: list[_Mention] = []
    floor = 0
    for name, start, end in _names(sentence):
        if start < floor:
            continue
        before, before_start = _title_before(sentence, start, floor)
        after, title_end = _title_after(sentence, end)
        honorific = _HONORIFIC.search(sentence[max(0, start - 12):start])
        if not (before or after or honorific):
            continue
        # "Phó Chủ tịch UBND tỉnh Hoàng Nam, Trưởng Ban Chỉ đạo 389 tỉnh": both are his titles.
        title = f"{before}, {after}" if before and after else (after or before)
        mentions.append(_Mention(name, title, before_start if before else start, max(title_end, end)))
        floor = max(title_end, end)
    roles: list[str] = [""] * len(mentions)
    for n in range(len(mentions) - 1, -1, -1):
        m = mentions[n]
        # "Dự hội nghị có đồng chí X" — a verb just before the person, since the one before, is theirs.
        since = mentions[n - 1].title_end if n else 0
        before = _last_role(sentence[since:m.title_start].rsplit(";", 1)[-1])
        if before:
            roles[n] = before
            continue
        # Otherwise what follows the person, up to the next one.
        nxt = mentions[n + 1].title_start if n + 1 < len(mentions) else len(sentence)
        tail = sentence[m.title_end:nxt]
        # People joined by "và", "," or ";" share the verb after the last of them.
        if n + 1 < len(mentions) and re.fullmatch(r"\s*(?:và|,|;)\s*(?:đồng chí|đ/c)?\s*", tail, re.IGNORECASE):
            roles[n] = roles[n + 1]
            continue
        tail = tail.split(";", 1)[0]
        roles[n] = _role(tail) or "dự"
    return [Person(m.name, m.title, role) for m, role in zip(mentions, roles, strict=True)]


def find_people(paragraphs: list[str], exclude: str | None = None) -> list[Person]:
    """Everyone named with a title or honorific in the paragraphs (body and captions), once each,
    with their fullest title and strongest role. `exclude`: the byline, whose names are not attendees."""
    merged: dict[str, Person] = {}  # insertion order = order of first mention
    excluded = fold(exclude or "")
    for para in paragraphs:
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", para):
            for found in _sentence_people(sentence):
                key = fold(found.name)
                if excluded and key in excluded:
                    continue
                known = merged.setdefault(key, found)
                title = max((known.title, found.title), key=lambda t: len(t or ""))
                role = min(known.role, found.role, key=ROLES.index)
                merged[key] = Person(known.name, title, role)
    return list(merged.values())
