"""Agencies in a report: who held the meeting (host), who was inspected or visited (subject), and
the province. Names are normalised the way portals abbreviate them ("Ủy ban nhân dân tỉnh" →
"UBND tỉnh") and a provincial body is qualified with its province ("HĐND tỉnh" → "HĐND tỉnh Hà
Tĩnh"), so one agency has one name across portals and its feed gathers all its meetings."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from portaltext.text import fold

from .lexicon import AGENCY_HEADS, AGENCY_STOP, CITIES, DEPARTMENTS, PROVINCES, SURNAMES

LEVELS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")
_ABBREVIATIONS = [("Ủy ban nhân dân", "UBND"), ("Uỷ ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"),
                  ("Uỷ", "Ủy"), ("Đoàn đại biểu Quốc hội", "Đoàn ĐBQH")]
# Bodies whose bare name means nothing without a place: "UBND" alone, "Sở" alone.
_NEEDS_LEVEL = {"UBND", "HĐND", "Ủy ban nhân dân", "Uỷ ban nhân dân", "Hội đồng nhân dân", "Thường trực HĐND",
                "Thường trực UBND"}
_NEEDS_TAIL = {"Sở", "Ban", "Bộ", "Cục", "Chi cục", "Trung tâm", "Trường", "Văn phòng", "Ban Thường vụ", "Ban Chỉ đạo",
               "Ban Quản lý", "Bộ Chỉ huy"}
_PARTY = ("Tỉnh ủy", "Huyện ủy", "Thành ủy", "Thị ủy", "Đảng ủy")
_TOKEN = re.compile(r"[^\W_]+|\S")
_PROVINCE_FOLDED = {fold(p): p for p in PROVINCES}
# Every mention of every province in one pass (a search per province was a fifth of a meeting
# record's time). A lookahead, so names sharing a word ("Hà Nam Định": Hà Nam, Nam Định) each count,
# as they would searched one by one; no name is the first words of another, so one match a place.
_PROVINCE_MENTION = re.compile(r"(?<![a-z])(?=(" + "|".join(map(re.escape, sorted(_PROVINCE_FOLDED, key=len, reverse=True)))
                               + r")(?![a-z]))")


@dataclass(frozen=True)
class Mention:
    name: str
    start: int
    end: int


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _words(toks: list[re.Match[str]], i: int, n: int) -> str:
    return " ".join(t.group() for t in toks[i:i + n])


@lru_cache(maxsize=4096)
def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(phrase))


@lru_cache(maxsize=1)
def _heads_by_first_word() -> dict[str, list[str]]:
    """AGENCY_HEADS grouped by their first word, each group in the lexicon's order (longest first):
    at a token only the heads that can start there are tried, not all of them."""
    index: dict[str, list[str]] = {}
    for head in AGENCY_HEADS:
        parts = _phrase_tokens(head)
        if parts:
            index.setdefault(parts[0], []).append(head)
    return index


def _match_phrase(toks: list[re.Match[str]], i: int, phrase: str, ignore_case: bool = False) -> int:
    """Number of tokens `phrase` covers at position i, or 0."""
    parts = list(_phrase_tokens(phrase))
    got = [t.group() for t in toks[i:i + len(parts)]]
    if ignore_case:
        return len(parts) if [g.lower() for g in got] == [p.lower() for p in parts] else 0
    return len(parts) if got == parts else 0


def _is_stop(toks: list[re.Match[str]], i: int) -> bool:
    one = toks[i].group().lower()
    two = f"{one} {toks[i + 1].group().lower()}" if i + 1 < len(toks) else ""
    return one in AGENCY_STOP or two in AGENCY_STOP


def _person_starts(toks: list[re.Match[str]], i: int) -> bool:
    """A family name followed by at least one more capitalised word: a person, not a place."""
    return (toks[i].group() in SURNAMES and i + 1 < len(toks) and _is_cap(toks[i + 1].group())
            and toks[i + 1].group() not in ("Tỉnh", "Huyện"))


def _place(toks: list[re.Match[str]], i: int, level: str) -> int:
    """Tokens of the place name at i after a level word ("tỉnh" → a known province)."""
    run = 0
    while i + run < len(toks) and _is_cap(toks[i + run].group()) and run < 4:
        run += 1
    if run == 0:
        # "Bà Rịa - Vũng Tàu"
        return 0
    if level in ("tỉnh", "thành phố"):
        # Never past the last token: "… của Sở Xây dựng tỉnh Vĩnh Phúc" ends the paragraph.
        for n in range(min(run + 2, 5, len(toks) - i), 0, -1):
            if fold(_words(toks, i, n)) in _PROVINCE_FOLDED:
                return n
        if level == "tỉnh":
            return 0
    # A full name right after the level word is a person, not a place: "UBND thành phố Lê Trung Chinh".
    if run >= 3 and _person_starts(toks, i):
        return 0
    # Cut before a person's name: "huyện Hải Hậu Trần Văn An" is the district Hải Hậu.
    for n in range(1, run):
        if _person_starts(toks, i + n) and run - n >= 2:
            return n
    return min(run, 3)


def _level(toks: list[re.Match[str]], i: int) -> tuple[str, int]:
    for level in LEVELS:
        n = _match_phrase(toks, i, level)
        if n:
            return level, n
    return "", 0


def _party_tail(toks: list[re.Match[str]], i: int, party: str) -> int:
    """"Huyện ủy Chợ Mới"; "Đảng ủy Khối các cơ quan tỉnh" runs on in lower case to its level word."""
    if party == "Đảng ủy" and i < len(toks) and toks[i].group() == "Khối":
        for n in range(1, 8):
            level, m = _level(toks, i + n)
            if m:
                return n + m + _place(toks, i + n + m, level)
            if i + n >= len(toks) or not toks[i + n].group().isalpha() or _is_stop(toks, i + n):
                return n
        return 1
    return _place(toks, i, "party")


def _tail(toks: list[re.Match[str]], i: int, head: str) -> int:
    """Tokens of the rest of an agency's name after its head, ending at a place qualifier."""
    n = 0
    if head == "Sở":
        for dept in DEPARTMENTS:
            n = _match_phrase(toks, i, dept, ignore_case=True)
            if n:
                break
        if not n:
            return 0
    elif head == "Ban Thường vụ":
        for party in _PARTY:
            m = _match_phrase(toks, i, party)
            if m:
                return m + _party_tail(toks, i + m, party)
        return 0
    elif head in _PARTY:
        return _party_tail(toks, i, head)
    level, m = _level(toks, i + n)
    if m:
        return n + m + _place(toks, i + n + m, level)
    if head in _NEEDS_LEVEL or head == "Sở":
        return n
    # Generic name: capitalised and lower-case words up to a verb, a person or punctuation. Its first
    # word is capitalised or a number ("Ban An toàn giao thông", "Ban Chỉ đạo 389"); "Bộ trưởng" is no agency.
    # "Ban Chỉ đạo phòng, chống …" and "Ban Quản lý dự án …" go on in lower case.
    lower_ok = head in ("Ban Chỉ đạo", "Ban Quản lý")
    if i + n < len(toks) and not (lower_ok or _is_cap(toks[i + n].group()) or toks[i + n].group().isdigit()
                                  or toks[i + n].group() in ("HĐND", "UBND", "MTTQ", "ĐBQH")):
        return n
    while i + n < len(toks) and n < 12:
        word = toks[i + n].group()
        if word in ("-", "–") and n and i + n + 1 < len(toks) and _is_cap(toks[i + n + 1].group()):
            n += 1
            continue
        # "Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh": commas inside a name run on in lower case.
        if word == "các" and head == "Ban Quản lý" and n == 0:  # "Ban Quản lý các khu công nghiệp"
            n += 1
            continue
        if word == "," and n and i + n + 1 < len(toks) and toks[i + n + 1].group().islower() \
                and not _is_stop(toks, i + n + 1):
            n += 1
            continue
        if not word[0].isalnum() or _is_stop(toks, i + n) or (n and _person_starts(toks, i + n)):
            break
        level, m = _level(toks, i + n)
        if m:
            return n + m + _place(toks, i + n + m, level)
        if word.isupper() and len(word) > 1 and word not in ("HĐND", "UBND", "MTTQ", "ĐBQH", "BCH"):
            break
        n += 1
    return n


def normalise(name: str) -> str:
    for long, short in _ABBREVIATIONS:
        name = name.replace(long, short)
    name = re.sub(r"\s*([-–])\s*", r" \1 ", name)
    name = re.sub(r"\s+,", ",", name)
    name = re.sub(r"\s+", " ", name).strip(" ,")
    for dept in DEPARTMENTS:  # "Sở Xây Dựng" → "Sở Xây dựng"
        if fold(name).startswith(fold("Sở " + dept)):
            name = "Sở " + dept + name[len("Sở " + dept):]
            break
    return name


def mentions(text: str) -> list[Mention]:
    """Every agency named in `text`, in order, without overlaps."""
    toks = _tokens(text)
    found: list[Mention] = []
    i = 0
    while i < len(toks):
        matched = None
        for head in _heads_by_first_word().get(toks[i].group(), ()):
            n = _match_phrase(toks, i, head)
            if not n:
                continue
            tail = _tail(toks, i + n, head)
            if (head in _NEEDS_LEVEL or head in _NEEDS_TAIL) and tail == 0:
                continue
            matched = (n + tail, head)
            break
        if matched is None:
            i += 1
            continue
        n = matched[0]
        start, end = toks[i].start(), toks[i + n - 1].end()
        name = normalise(text[start:end])
        if name.startswith("Thường trực ") and re.search(r"(Chủ tịch|Bí thư|Trưởng ban)\s*$", text[:start]):
            name = name[len("Thường trực "):]
        found.append(Mention(name, start, end))
        i += n
    return found


@dataclass(frozen=True)
class Locality:
    """The unit a source's own agency governs or belongs to: "UBND thành phố Vĩnh Yên" is the
    city (thành phố) Vĩnh Yên. Its portal writes "UBND thành phố" and "Thành ủy" for its own."""

    level: str
    place: str


_PARTY_LEVEL = {"Tỉnh ủy": "tỉnh", "Thành ủy": "thành phố", "Huyện ủy": "huyện", "Thị ủy": "thị xã"}


def locality_of(agency: str | None) -> Locality | None:
    """The place a source's agency names after its level word ("UBND huyện Lương Sơn" → huyện
    Lương Sơn), or after its party committee ("Thành ủy Vĩnh Yên"); None when it names none."""
    if not agency:
        return None
    toks = _tokens(normalise(agency))
    found: Locality | None = None
    i = 0
    while i < len(toks):
        level, n = _level(toks, i)
        party = _PARTY_LEVEL.get(_words(toks, i, 2))
        if party:
            level, n = party, 2
        size = _place(toks, i + n, level) if n and i + n < len(toks) else 0
        if size:
            found = Locality(level, _words(toks, i + n, size))
        i += max(1, n + size)
    return found


def _own_unit(name: str, locality: Locality | None) -> str | None:
    """A body of the source's own unit named by its level alone: on Vĩnh Yên's portal "UBND thành
    phố" is UBND thành phố Vĩnh Yên and "Thành ủy" is Thành ủy Vĩnh Yên."""
    if locality is None:
        return None
    if name.endswith(f" {locality.level}"):
        return f"{name} {locality.place}"
    for party, level in _PARTY_LEVEL.items():
        if level == locality.level and (name == party or name.endswith(f" {party}")):
            return f"{name} {locality.place}"
    return None


def qualify(name: str | None, province: str | None, locality: Locality | None = None) -> str | None:
    """"HĐND tỉnh" → "HĐND tỉnh Hà Tĩnh"; "Sở Y tế" → "Sở Y tế tỉnh Hà Tĩnh"; "UBND thành phố" on the
    portal of the city Vĩnh Yên (`locality`) → "UBND thành phố Vĩnh Yên"; national bodies and
    names that already carry a place stay as they are."""
    if not name:
        return name
    own = _own_unit(name, locality)
    if own is not None:
        return own
    if not province:
        return name
    level = "thành phố" if province in CITIES else "tỉnh"
    if name.endswith(" tỉnh") or name.endswith(" Tỉnh ủy") or name == "Tỉnh ủy" or name.endswith(" Thành ủy") \
            or name == "Thành ủy":
        return f"{name} {province}"
    if name.endswith(" thành phố") and province in CITIES:
        return f"{name} {province}"
    national = ("Bộ", "Chính phủ", "Quốc hội", "Cục", "Ban Bí thư", "Trường", "Ngân hàng", "Đoàn ĐBQH", "Văn phòng Chính phủ")
    has_place = any(f" {lv} " in f" {name} " for lv in LEVELS) or any(p in name for p in _PARTY)
    if name.startswith(national) or has_place:
        return name
    if name.startswith(("Sở ", "Ban ", "Thanh tra", "Công an", "Văn phòng", "Chi cục", "Trung tâm", "Bộ Chỉ huy")):
        return f"{name} {level} {province}"
    return name


def province_of(texts: list[str], declared: str | None) -> str | None:
    """The province a report is about: the source's declared province when the text names it or
    names none; otherwise the province the text names most."""
    counts: Counter[str] = Counter(dict.fromkeys(_PROVINCE_FOLDED.values(), 0))  # ties go to the list's order
    for text in texts:
        folded = fold(text)
        hue_is_thua_thien = "thua thien hue" in folded
        for m in _PROVINCE_MENTION.finditer(folded):
            name = _PROVINCE_FOLDED[m.group(1)]
            if not (name == "Huế" and hue_is_thua_thien):
                counts[name] += 1
    counts = Counter({k: v for k, v in counts.items() if v})
    if declared and (declared in counts or not counts):
        return declared
    if counts:
        return counts.most_common(1)[0][0]
    return declared or None


_DELEGATION = re.compile(r"(?:[Đđ]oàn|Tổ)\s+(?:kiểm tra|giám sát|công tác|Công tác|khảo sát)(?:\s+(?:liên ngành|số\s*\d+))?"
                         r"(?:[^.;]{0,80}?\s(?:của|thuộc)\s+(?:Chủ tịch\s+|Thường trực\s+)?|\s+)")
_SESSION = re.compile(r"[Kk]ỳ họp thứ\s+\S+\s*,?\s*(?:của\s+)?")
_HOST_VERB = re.compile(r"(?<!\w)(tổ chức|họp|khai mạc|bế mạc|giám sát|kiểm tra|làm việc|tiếp xúc|giao ban|sơ kết|"
                        r"tổng kết|hội đàm|đối thoại|tiếp công dân|tiếp và|chủ trì|tọa đàm|hội thảo)(?!\w)")
_SUBJECT_VERB = re.compile(r"(?<!\w)(kiểm tra|giám sát|làm việc|khảo sát)(?!\w)")


def _first_at(text: str, pos: int) -> Mention | None:
    for m in mentions(text[pos:pos + 200]):
        return Mention(m.name, m.start + pos, m.end + pos) if m.start == 0 else None
    return None


def _fullest(name: str, texts: list[str]) -> str:
    """The title's "Thường trực HĐND huyện" is the lead's "Thường trực HĐND huyện Văn Lâm"."""
    longer = [m.name for t in texts for m in mentions(t) if m.name.startswith(name + " ")]
    return min(longer, key=len) if longer else name


def host(texts: list[str], kind: str | None = None) -> str | None:
    found = _host(texts, kind)
    return _fullest(found, texts) if found else None


def _host(texts: list[str], kind: str | None) -> str | None:
    # The lead's full sentence before the title's headline abbreviation.
    texts = texts[1:] + texts[:1]
    """Who held the meeting, from the title and lead. In order: the body a delegation belongs to
    ("Đoàn giám sát của HĐND tỉnh"), the council of a session, then the agency that is the subject
    of the first meeting verb ("Sở Xây dựng tổ chức hội nghị")."""
    patterns = (_DELEGATION, _SESSION) if kind == "ky-hop-hdnd" else (_DELEGATION,)
    for pattern in patterns:
        for text in texts:
            for m in pattern.finditer(text):
                found = _first_at(text, m.end())
                if found:
                    return found.name
    for text in texts:
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            verb = _HOST_VERB.search(sentence)
            if not verb:
                continue
            before = [m for m in mentions(sentence) if m.end <= verb.start()]
            # "X phối hợp với Y tổ chức": X holds it.
            while len(before) > 1 and re.search(r"(với|cùng)\s*$", sentence[:before[-1].start]):
                before.pop()
            # "X và Y tổ chức": the first named holds it.
            while len(before) > 1 and re.fullmatch(r"\s*(và|cùng)\s*", sentence[before[-2].end:before[-1].start]):
                before.pop()
            if before:
                return before[-1].name
    return None


def subject(texts: list[str]) -> str | None:
    """The body inspected, supervised or visited: "kiểm tra tại Sở Xây dựng", "làm việc với UBND huyện"."""
    for text in texts:
        for verb in _SUBJECT_VERB.finditer(text):
            window = re.split(r"[.;]", text[verb.end():verb.end() + 200], maxsplit=1)[0]
            for prep in re.finditer(r"\s(tại|với)\s+", window):
                found = _first_at(text, verb.end() + prep.end())
                if found:
                    return found.name
    return None
