"""Property-based tests (hypothesis) over the pure text layer: every function that reads portal text
must take any input without raising, and keep the invariants its callers rely on.

Random text alone rarely reaches the interesting branches (an agency name at the very end of a
paragraph, a dateline with an impossible day, a province followed by nothing), so the strategies build
Vietnamese-like text from the words reports are made of, mixed with arbitrary characters.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portaltext.classify import classify
from portaltext.dates import has_date, parse_date, parse_iso, to_vn
from portaltext.meeting import extract_meeting
from portaltext.meeting.agencies import host, locality_of, mentions, normalise, province_of, qualify, subject
from portaltext.meeting.documents import find_documents
from portaltext.meeting.kinds import KINDS, meeting_kind
from portaltext.meeting.lexicon import AGENCY_HEADS, DEPARTMENTS, PROVINCES, SURNAMES, TITLE_HEADS
from portaltext.meeting.people import find_people
from portaltext.meeting.when import event_when, has_dateline
from portaltext.reading import read
from portaltext.signals import SIGNAL_NAMES, first_act, signals
from portaltext.text import clean, fold, modern_tones, slugify

WORDS = [
    "hội nghị", "phiên họp", "kỳ họp", "họp", "buổi làm việc", "làm việc với", "kiểm tra", "giám sát", "khảo sát", "thanh tra",
    "đại hội", "tiếp công dân", "tiếp xúc cử tri", "sẽ", "dự kiến", "vừa qua", "hôm qua", "sáng nay", "đã", "tổ chức", "chủ trì",
    "Sáng", "Chiều", "ngày", "tháng", "năm", "tỉnh", "huyện", "thành phố", "xã", "của", "tại", "với", "và", "đồng chí", "Đoàn",
    "tạm hoãn", "kế hoạch", "ban hành", "quyết định", "khởi công", "lễ", "Tag:", "Điểm báo", "lượt", "cuộc", "Tổ công tác", "số",
    "khóa", "XVII", "thứ", "Thường trực", "Ban Chỉ đạo", "phòng, chống", "Ủy ban nhân dân", "Uỷ ban", "hoà", "quý", "Đ/c", "PV:",
    "Trang chủ", "Tin liên quan", "Thống kê truy cập", "Cùng dự có", "Tại hội nghị", "Qua kiểm tra", "phát biểu kết luận",
    *PROVINCES[:20], *SURNAMES, *TITLE_HEADS[:20], *AGENCY_HEADS, *DEPARTMENTS[:10], *KINDS.values(),
]
DATES = st.builds(lambda d, m, y, sep: f"{d}{sep}{m}" + (f"{sep}{y}" if y else ""), st.integers(0, 40), st.integers(0, 14),
                  st.one_of(st.none(), st.integers(1890, 2110)), st.sampled_from(["/", "-", ".", " - ", "–"]))
DOC_NUMBERS = st.builds(lambda n, code: f"số {n}/{code}", st.integers(0, 99999),
                        st.sampled_from(["QĐ-UBND", "KH-UBND", "NQ-HĐND", "TB-VP", "CV", "2024/NQ-HĐND", ""]))
TOKEN = st.one_of(st.sampled_from(WORDS), DATES, DOC_NUMBERS, st.integers(-5, 100000).map(str),
                  st.text(min_size=1, max_size=8),
                  st.sampled_from([",", ".", ";", ":", "-", "(", ")", "\"", "…", "?", "»", "\n"]))
SENTENCE = st.lists(TOKEN, min_size=0, max_size=40).map(" ".join)
PARAGRAPHS = st.lists(SENTENCE, min_size=0, max_size=8)
TITLE = st.one_of(st.none(), SENTENCE, st.text(max_size=200))
PUBLISHED = st.one_of(st.none(), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1),
                                              timezones=st.sampled_from([UTC, timezone(timedelta(hours=7))])))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TITLE, PARAGRAPHS)
def test_classify_takes_any_text(title: str | None, paragraphs: list[str]) -> None:
    verdict = classify(title, paragraphs)
    assert 0.0 <= verdict.score <= 1.0
    assert verdict.is_meeting == (verdict.score >= 0.5)
    assert verdict.reason.startswith("meeting report" if verdict.is_meeting else "not a meeting report")


@FAST
@given(TITLE, PARAGRAPHS)
def test_reading_and_signals_take_any_text(title: str | None, paragraphs: list[str]) -> None:
    reading = read(title, paragraphs)
    assert len(reading.body) <= 4000
    found = signals(reading, paragraphs)
    assert set(found.values) == set(SIGNAL_NAMES)
    assert all(0.0 <= v <= 1.0 for v in found.values.values())
    assert set(found.evidence) <= set(found.values)


@FAST
@given(SENTENCE)
def test_first_act_is_one_of_two_kinds(sentence: str) -> None:
    act = first_act(sentence.lower())
    assert act is None or act[0] in ("holds", "documents")


@FAST
@given(TITLE, PARAGRAPHS, PUBLISHED, st.lists(SENTENCE, max_size=3), st.one_of(st.none(), st.sampled_from(PROVINCES)),
       st.one_of(st.none(), SENTENCE))
def test_meeting_record_takes_any_text(title: str | None, paragraphs: list[str], published: datetime | None,
                                       captions: list[str], province: str | None, author: str | None) -> None:
    record = extract_meeting(title, paragraphs, published, captions, province, author)
    assert record.kind in KINDS
    json.dumps(record.as_dict(), ensure_ascii=False)  # the export's meeting object always serialises
    if record.event_date and published:
        # The year is inferred so that the meeting never lands after its report was published.
        assert record.event_date.year <= published.year + 1


@FAST
@given(st.lists(SENTENCE, max_size=4), PUBLISHED)
def test_meeting_parts_take_any_text(texts: list[str], published: datetime | None) -> None:
    event_when(texts, published)
    for text in texts:
        has_dateline(text)
        for m in mentions(text):
            assert 0 <= m.start < m.end <= len(text)
        find_documents(text)
        meeting_kind(text, text, None)
    province_of(texts, None)
    found = host(texts, "hoi-nghi")
    qualify(found, "Hà Tĩnh")
    subject(texts)
    find_people(texts, texts[0] if texts else None)


@FAST
@given(st.text(max_size=300))
def test_agency_at_the_end_of_a_paragraph(prefix: str) -> None:
    # The shape that crashed the meeting sync: an agency and its place as the paragraph's last words.
    for tail in ("của Sở Xây dựng tỉnh Vĩnh Phúc", "UBND tỉnh Lạng Sơn", "HĐND thành phố", "Huyện ủy", "Sở", "tỉnh Bà Rịa -"):
        extract_meeting("Hội nghị", [f"{prefix} {tail}"])
        mentions(f"{prefix} {tail}")


@FAST
@given(st.one_of(SENTENCE, st.text(max_size=80)))
def test_dates_take_any_text(text: str) -> None:
    parsed = parse_date(text)
    assert parsed is None or (parsed.tzinfo is not None and 1990 <= parsed.year <= 2100)
    iso = parse_iso(text)
    assert iso is None or iso.utcoffset() == timedelta(hours=7)
    has_date(text)
    to_vn(parse_iso(text))


@FAST
@given(st.text(max_size=200))
def test_text_helpers(text: str) -> None:
    once = modern_tones(unicodedata.normalize("NFC", text))
    assert modern_tones(once) == once
    # Moving a tone mark changes no letter: the folded text is the same.
    assert fold(once) == fold(text)
    assert clean(clean(text)) == clean(text)
    assert slugify(text) == slugify(text).strip("-") and " " not in slugify(text)


@FAST
@given(SENTENCE, TITLE, PARAGRAPHS, PUBLISHED)
def test_source_locality_takes_any_agency_name(agency: str, title: str | None, paragraphs: list[str],
                                                published: datetime | None) -> None:
    where = locality_of(agency)
    if where is not None:
        assert where.place and where.level and where.place in normalise(agency)
    for name in ("UBND thành phố", "Thành ủy", "HĐND tỉnh", "Sở Y tế", agency):
        qualify(name, "Vĩnh Phúc", where)
    extract_meeting(title, paragraphs, published, province="Vĩnh Phúc", source_agency=agency)


def _clusters_checking_every_candidate(signatures: list[tuple[int, bytes]]) -> dict[int, int]:
    """The oracle: every LSH candidate pair confirmed on its Jaccard estimate becomes an edge, and a
    cluster is a connected component (found by a walk, not union-find), named by its smallest id."""
    from datasketch import MinHashLSH

    from portaltext.dedupe import CANDIDATE_THRESHOLD, NUM_PERM, THRESHOLD, minhash_of

    lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
    hashes = {aid: minhash_of(sig) for aid, sig in signatures}
    for aid, m in hashes.items():
        lsh.insert(str(aid), m)
    edges: dict[int, set[int]] = {aid: set() for aid in hashes}
    for aid, m in hashes.items():
        for key in lsh.query(m):
            if int(key) != aid and m.jaccard(hashes[int(key)]) >= THRESHOLD:
                edges[aid].add(int(key))
                edges[int(key)].add(aid)
    named: dict[int, int] = {}
    for start in sorted(hashes):
        if start in named:
            continue
        component, todo = {start}, [start]
        while todo:
            for nxt in edges[todo.pop()] - component:
                component.add(nxt)
                todo.append(nxt)
        named.update({aid: min(component) for aid in component})
    return named


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=8, max_size=40), min_size=1, max_size=6),
       st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=12))
def test_clusters_skip_only_pairs_that_cannot_change_them(bases: list[list[str]], copies: list[tuple[int, int]]) -> None:
    from portaltext.dedupe import clusters, signature

    # Near copies of a few base texts (a word or a few cut from the end), so that components of
    # several members, joined through different pairs, are common.
    texts = [" ".join(words) for words in bases]
    texts += [" ".join(bases[b % len(bases)][: len(bases[b % len(bases)]) - cut]) for b, cut in copies]
    sigs = [(n, sig) for n, text in enumerate(texts, 1) if (sig := signature(text)) is not None]
    assert clusters(sigs) == _clusters_checking_every_candidate(sigs)


def _province_by_counting_each(texts: list[str], declared: str | None) -> str | None:
    """The rule province_of implements, the slow obvious way: each province's word-bounded mentions
    counted on its own (Huế not counted in a text naming Thừa Thiên Huế), ties to the list's order."""
    import re

    counts = dict.fromkeys(PROVINCES, 0)
    for text in texts:
        folded = fold(text)
        for name in PROVINCES:
            if name == "Huế" and "thua thien hue" in folded:
                continue
            counts[name] += len(re.findall(rf"(?<![a-z]){re.escape(fold(name))}(?![a-z])", folded))
    named = {k: v for k, v in counts.items() if v}
    if declared and (declared in named or not named):
        return declared
    if named:
        return max(named, key=lambda k: (named[k], -list(named).index(k)))
    return declared or None


PLACE_TEXT = st.lists(st.sampled_from([*PROVINCES, "và", "tỉnh", ",", "Huế", "Thừa Thiên Huế", "Hà Nam Định", "x"]),
                      max_size=12).map(" ".join)


@FAST
@given(st.lists(PLACE_TEXT, max_size=3), st.sampled_from([None, "Hà Tĩnh", "Huế", "Nam Định"]))
def test_province_of_counts_every_province_as_if_one_by_one(texts: list[str], declared: str | None) -> None:
    assert province_of(texts, declared) == _province_by_counting_each(texts, declared)
