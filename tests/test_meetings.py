"""Meeting records end to end: farm → crawl → meeting tables → `portalwatch meetings`, `export`
and the per-kind / per-agency / per-person feeds; records follow edits and extractor versions;
and the reading rules on their own (dates, documents, people)."""

from __future__ import annotations

import html
import json
import urllib.request
from datetime import date, datetime
from pathlib import Path

import feedparser
import pytest
from sqlalchemy import text

from portaltext.dates import VN_TZ
from portaltext.meeting import extract_meeting
from portaltext.meeting.documents import find_documents
from portaltext.meeting.people import find_people
from portaltext.meeting.when import event_when
from store import open_db
from store.meetings import sync_meetings
from tests.conftest import BACKENDS, Served, database_for, query, run_cli, write_sources
from tests.farm import Farm

SEED_002 = "Sở Xây dựng cần từng bước nâng điểm các chỉ số bị tụt hạng"


@pytest.fixture(scope="module", params=BACKENDS)
def crawled(request: pytest.FixtureRequest, farm: Farm, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path | str, Path]:
    tmp = tmp_path_factory.mktemp("meetings")
    db, sources = database_for(request, tmp, request.param), write_sources(tmp / "sources.toml", farm.sources_toml())
    result = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--max-pages", "10")
    assert result.returncode == 0, result.stderr
    return db, sources


def _meetings(db: Path | str, *args: str) -> list[dict]:
    result = run_cli("--db", str(db), "meetings", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_meeting_report_has_a_record_and_only_those(crawled: tuple[Path | str, Path]) -> None:
    db, _ = crawled
    [(meetings,)] = query(db, "select count(*) from articles where is_meeting")
    assert meetings > 50
    assert query(db, "select count(*) from meetings") == [(meetings,)]
    assert query(db, "select count(*) from meetings m join articles a on a.id = m.article_id where not a.is_meeting") == [(0,)]
    kinds = {k for (k,) in query(db, "select distinct kind from meetings")}
    assert {"hoi-nghi-so-ket", "kiem-tra", "giam-sat", "phien-hop-thuong-ky", "ky-hop-hdnd"} <= kinds
    assert query(db, "select count(*) from meeting_people where name like 'Sở %' or name like 'UBND%'") == [(0,)]


def test_meetings_command_filters(crawled: tuple[Path | str, Path]) -> None:
    db, _ = crawled
    by_person = _meetings(db, "--person", "Trần Tú Anh")
    assert [m["title"] for m in by_person] == [SEED_002]
    record = by_person[0]["meeting"]
    assert record["kind"] == "giam-sat" and record["event_date"] == "2023-10-18" and record["time_of_day"] == "sáng"
    assert record["agency"] == "HĐND tỉnh Hà Tĩnh" and record["subject_agency"] == "Sở Xây dựng tỉnh Hà Tĩnh"
    assert {"name": "Trần Tú Anh", "title": "Phó Chủ tịch Thường trực HĐND tỉnh", "role": "chủ trì"} in record["people"]
    assert _meetings(db, "--person", "tran tu anh") == by_person  # diacritics optional
    assert _meetings(db, "--person", "tran-tu-anh") == by_person

    supervisions = _meetings(db, "--kind", "giam-sat")
    assert supervisions and all(m["meeting"]["kind"] == "giam-sat" for m in supervisions)
    assert SEED_002 in {m["title"] for m in supervisions}

    by_agency = _meetings(db, "--agency", "hdnd tinh ha tinh")
    assert by_agency and all("Hà Tĩnh" in (m["meeting"]["agency"] or "") + (m["meeting"]["subject_agency"] or "")
                             for m in by_agency)
    since = _meetings(db, "--since", "2026-01-01")
    assert since and all((m["meeting"]["event_date"] or m["published"] or "9999") >= "2026-01-01" for m in since)
    assert len(since) < len(_meetings(db))

    until = _meetings(db, "--until", "2025-12-31")
    assert until and all((m["meeting"]["event_date"] or m["published"] or "0000") <= "2025-12-31" for m in until)
    assert len(until) + len(since) <= len(_meetings(db))
    one_source = _meetings(db, "--source", "baohatinh")
    assert one_source and {m["source"] for m in one_source} == {"baohatinh"} and len(one_source) < len(_meetings(db))
    unknown = run_cli("--db", str(db), "meetings", "--source", "no-such-portal")
    assert unknown.returncode == 2 and "no stored source" in unknown.stderr
    backwards = run_cli("--db", str(db), "meetings", "--since", "2026-02-01", "--until", "2026-01-01")
    assert backwards.returncode == 2 and "is after --until" in backwards.stderr

    plain = run_cli("--db", str(db), "meetings", "--kind", "kiem-tra", "--limit", "3")
    assert plain.returncode == 0 and "Kiểm tra" in plain.stdout and "meeting(s)" in plain.stdout
    bad = run_cli("--db", str(db), "meetings", "--since", "last tuesday")
    assert bad.returncode == 2 and "--since" in bad.stderr and "Traceback" not in bad.stderr
    assert run_cli("--db", str(db), "meetings", "--kind", "picnic").returncode == 2


def test_export_carries_the_meeting_object(crawled: tuple[Path | str, Path]) -> None:
    db, _ = crawled
    result = run_cli("--db", str(db), "export")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    for row in rows:
        assert (row["meeting"] is not None) == row["is_meeting"], row["url"]
    seed = next(r for r in rows if r["title"] == SEED_002)["meeting"]
    assert set(seed) >= {"kind", "event_date", "time_of_day", "province", "agency", "subject_agency", "people", "documents"}
    seed_000 = next(r for r in rows if (r["title"] or "").startswith("Sở Xây dựng tỉnh Vĩnh Phúc tổ chức Hội nghị sơ kết"))
    docs = seed_000["meeting"]["documents"]
    assert {"type": "Quyết định", "number": "636", "symbol": "636-QĐ/ĐUK", "code": "QĐ", "issuer": "ĐUK",
            "date": "2020-05-28"} in docs
    assert seed_000["meeting"]["event_date"] == "2020-06-26" and seed_000["published"].startswith("2020-07-01")


def test_feeds_per_kind_agency_and_person(crawled: tuple[Path | str, Path], tmp_path: Path) -> None:
    db, _ = crawled
    out = tmp_path / "feeds"
    result = run_cli("--db", str(db), "feeds", "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    person = feedparser.parse((out / "person" / "tran-tu-anh.atom").read_bytes())
    assert not person.bozo and [e.title for e in person.entries] == [SEED_002]
    entry = person.entries[0]
    schemes = {t.scheme: t.term for t in entry.tags}
    assert schemes["kind"] == "giam-sat" and schemes["agency"] == "hdnd-tinh-ha-tinh" and schemes["province"] == "ha-tinh"
    assert entry.summary.startswith("[Giám sát · 18/10/2023 sáng · HĐND tỉnh Hà Tĩnh → Sở Xây dựng tỉnh Hà Tĩnh]")
    assert "chủ trì: Trần Tú Anh" in entry.content[0].value
    kind = feedparser.parse((out / "kind" / "giam-sat.rss").read_bytes())
    assert not kind.bozo and kind.entries and all("Giám sát" in e.summary for e in kind.entries)
    agency = feedparser.parse((out / "agency" / "hdnd-tinh-ha-tinh.atom").read_bytes())
    assert SEED_002 in {e.title for e in agency.entries}
    assert all(e.title != SEED_002 for e in feedparser.parse((out / "kind" / "kiem-tra.atom").read_bytes()).entries)


def test_records_follow_edits_and_extractor_versions(tmp_path: Path, fresh_farm: Farm, db_target: Path | str) -> None:
    db = db_target
    sources = write_sources(tmp_path / "sources.toml", fresh_farm.sources_toml())
    assert run_cli("--db", str(db), "--sources", str(sources), "crawl", "--source", "baohatinh").returncode == 0
    [(article_id,)] = query(db, "select id from articles where title = ?", SEED_002)
    # An older extractor's record is rebuilt on the next read; nothing else is touched.
    handle = open_db(str(db))
    with handle.session() as s:
        s.execute(text("update meetings set extractor_version = 0, kind = 'khac' where article_id = :a"), {"a": article_id})
    assert sync_meetings(handle).built == 1
    assert sync_meetings(handle).built == 0
    handle.dispose()
    assert query(db, "select kind from meetings where article_id = ?", article_id) == [("giam-sat",)]
    # The article stops being a meeting report: its record goes.
    handle = open_db(str(db))
    with handle.session() as s:
        s.execute(text("update articles set is_meeting = false where id = :a"), {"a": article_id})
    sync_meetings(handle)
    handle.dispose()
    assert query(db, "select count(*) from meetings where article_id = ?", article_id) == [(0,)]
    assert query(db, "select count(*) from meeting_people where article_id = ?", article_id) == [(0,)]


# ------------------------------------------------------------------------------ reading rules
PUB = datetime(2024, 1, 3, 9, 0, tzinfo=VN_TZ)


@pytest.mark.parametrize(("text", "published", "want"), [
    ("Sáng ngày 19/10/2017, Tổ công tác", PUB, (date(2017, 10, 19), "sáng")),
    ("Chiều ngày 02/8, Văn phòng", PUB, (date(2023, 8, 2), "chiều")),
    ("Ngày 26/6/2020, Sở Xây dựng", PUB, (date(2020, 6, 26), None)),
    ("Sáng 18/10, Đoàn giám sát", PUB, (date(2023, 10, 18), "sáng")),
    ("ngày 28-10, đoàn công tác", PUB, (date(2023, 10, 28), None)),
    ("Chiều 1-3, đồng chí", datetime(2024, 3, 2, tzinfo=VN_TZ), (date(2024, 3, 1), "chiều")),
    ("Chiều 29/12, UBND tỉnh", PUB, (date(2023, 12, 29), "chiều")),  # never after the published date
    ("Sáng nay (16/4), đồng chí", datetime(2024, 4, 16, 11, tzinfo=VN_TZ), (date(2024, 4, 16), "sáng")),
    ("Tối 31/12, lãnh đạo", PUB, (date(2023, 12, 31), "tối")),
    ("Tính đến 30/6/2021, Văn phòng đã tiếp nhận", PUB, (None, None)),
    ("Từ ngày 1/7/2024, các sở", PUB, (None, None)),
])
def test_event_dates(text: str, published: datetime, want: tuple) -> None:
    assert event_when([text], published) == want


def test_year_from_the_text_when_the_page_has_no_date() -> None:
    assert event_when(["Chiều ngày 02/8, Văn phòng tổ chức hội nghị 6 tháng cuối năm 2022."], None) == (date(2022, 8, 2), "chiều")
    assert event_when(["Chiều ngày 02/8, Văn phòng tổ chức hội nghị."], None) == (None, "chiều")


def test_documents_split() -> None:
    docs = find_documents("Nghị định số 124/2020/NĐ-CP ngày 19/10/2020 và Thông báo kết luận số 12-TB/TU, Kế hoạch 45/KH-UBND")
    assert [(d.type, d.number, d.code, d.issuer, d.date) for d in docs] == [
        ("Nghị định", "124", "NĐ", "CP", date(2020, 10, 19)), ("Thông báo kết luận", "12", "TB", "TU", None),
        ("Kế hoạch", "45", "KH", "UBND", None)]
    assert find_documents("Kế hoạch số lượng khách tăng 5/2024 so với") == []


def test_people_are_people() -> None:
    found = find_people(["Chủ tịch UBND huyện Lương Sơn Bùi Văn Thắng chủ trì; đồng chí Hà Văn Nam, Bí thư Tỉnh ủy Hà Giang dự.",
                         "Đoàn đến kiểm tra tại đường Lê Lợi và Sở Xây dựng."], exclude="Bích Diệp")
    assert [(p.name, p.title, p.role) for p in found] == [
        ("Bùi Văn Thắng", "Chủ tịch UBND huyện Lương Sơn", "chủ trì"), ("Hà Văn Nam", "Bí thư Tỉnh ủy Hà Giang", "dự")]
    assert find_people(["Bài: Bích Diệp. Đồng chí Bích Diệp phát biểu."], exclude="Bích Diệp") == []


def test_province_falls_back_to_the_source() -> None:
    r = extract_meeting("UBND thành phố Vĩnh Yên họp phiên thường kỳ tháng 6", ["Sáng 24/6, UBND thành phố họp."],
                        datetime(2020, 6, 24, tzinfo=VN_TZ), province="Vĩnh Phúc")
    assert (r.province, r.agency, r.kind, r.detail) == ("Vĩnh Phúc", "UBND thành phố Vĩnh Yên", "phien-hop-thuong-ky",
                                                         {"month": "2020-06"})
    assert extract_meeting("Hội nghị", ["Ngày 5/5, UBND tỉnh Hà Nam tổ chức hội nghị."], PUB, province=None).province == "Hà Nam"


# A fault injected into the real processes (no mock of HTTP, Scrapy or the database): Python runs
# sitecustomize.py at start-up, before portalwatch imports anything, so the crawl subprocess, `export`
# and `status` all read with a meeting reader that fails on one article and a classifier that fails on
# another. Everything else must go on, and both failures must be said where an operator looks.
FAULTS = '''
import portaltext.classify as classify_module
import portaltext.meeting as meeting_module

_extract, _classify = meeting_module.extract_meeting, classify_module.classify


def extract_meeting(title, paragraphs, *args, **kwargs):
    if title and title.startswith("{record}"):
        raise ValueError("injected record fault")
    return _extract(title, paragraphs, *args, **kwargs)


def classify(title, paragraphs, **kwargs):
    if title and title.startswith("{verdict}"):
        raise RuntimeError("injected classifier fault")
    return _classify(title, paragraphs, **kwargs)


meeting_module.extract_meeting = extract_meeting
classify_module.classify = classify

import crawler.pipelines.fingerprint as fingerprint_module

_content_hash = fingerprint_module.content_hash


def content_hash(title, published, text):
    if title and title.startswith("{fingerprint}"):
        raise OverflowError("injected fingerprint fault")
    return _content_hash(title, published, text)


fingerprint_module.content_hash = content_hash
'''


def test_one_article_that_cannot_be_read_is_recorded_and_stops_nothing(farm: Farm, tmp_path: Path) -> None:
    broken = [a for a in farm.articles.values() if a.portal == "baohatinh" and a.is_meeting and a.dup_of is None]
    record_fault, verdict_fault, fingerprint_fault = broken[0], broken[1], broken[2]
    (tmp_path / "faults").mkdir()
    (tmp_path / "faults" / "sitecustomize.py").write_text(
        FAULTS.format(record=record_fault.title, verdict=verdict_fault.title, fingerprint=fingerprint_fault.title),
        encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path / "faults")}
    db, sources = tmp_path / "pw.db", write_sources(tmp_path / "sources.toml", farm.sources_toml())
    crawl = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--source", "baohatinh", env=env)
    # The run is partial, not failed: the others were stored, judged and read.
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    record_url, verdict_url = (farm.url_of(a) for a in (record_fault, verdict_fault))
    assert "partial" in crawl.stdout
    assert f"{record_url}: meeting record failed: ValueError: injected record fault" in crawl.stdout
    assert f"{verdict_url}: classifier failed: RuntimeError: injected classifier fault" in crawl.stdout
    # A pipeline step that raises (Scrapy logs it and drops the item) is an error of the run too.
    assert f"{farm.url_of(fingerprint_fault)}: not processed: OverflowError: injected fingerprint fault" in crawl.stdout
    [(status, errors)] = query(db, "select status, errors from crawl_runs order by id desc limit 1")
    assert status == "partial" and "injected record fault" in errors and "injected classifier fault" in errors
    assert "injected fingerprint fault" in errors
    meetings = query(db, "select count(*) from articles where is_meeting and source_id = 'baohatinh'")[0][0]
    assert meetings >= 10
    assert query(db, "select count(*) from meetings m join articles a on a.id = m.article_id "
                     "where a.source_id = 'baohatinh'") == [(meetings - 1,)]
    assert query(db, "select count(*) from articles where title = ?", fingerprint_fault.title) == [(0,)]
    [(error,)] = query(db, "select meeting_error from articles where title = ?", record_fault.title)
    assert error == "meeting record failed: ValueError: injected record fault"

    # `status` names the article and the reason, in the table and in --json.
    status_run = run_cli("--db", str(db), "--sources", str(sources), "status", "--json", env=env)
    assert status_run.returncode == 0, status_run.stderr
    [row] = [r for r in json.loads(status_run.stdout) if r["id"] == "baohatinh"]
    assert any("injected record fault" in e for e in row["errors"]), row
    table = run_cli("--db", str(db), "--sources", str(sources), "status", env=env)
    assert "error:" in table.stdout and "injected record fault" in table.stdout

    # `export` exports every article, says which record failed, and goes on.
    exported = run_cli("--db", str(db), "export", env=env)
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(rows) == query(db, "select count(*) from articles")[0][0]
    [failed] = [r for r in rows if r["title"] == record_fault.title]
    assert failed["meeting"] is None and failed["meeting_error"] == "meeting record failed: ValueError: injected record fault"
    assert "warning:" in exported.stderr and "injected record fault" in exported.stderr
    good = [r for r in rows if r["is_meeting"] and r["title"] != record_fault.title]
    assert good and all(r["meeting"] is not None and 0.5 <= r["meeting_score"] <= 1 and r["meeting_reason"] for r in good)

    # `history` of the article that could not be processed shows its failure, though it was never stored;
    # `/sources` lists the failed URLs with their reasons.
    history = run_cli("--db", str(db), "history", farm.url_of(fingerprint_fault))
    assert history.returncode == 0, history.stderr
    assert "not stored" in history.stdout and "injected fingerprint fault" in history.stdout
    served = Served(db, sources)  # it syncs without the faults: last, as it heals
    try:
        with urllib.request.urlopen(served.base + "/sources", timeout=30) as resp:
            page = html.unescape(resp.read().decode())
    finally:
        served.stop()
    assert f"{record_url}: meeting record failed: ValueError: injected record fault" in page
    assert "injected fingerprint fault" in page

    # Without the fault the next read judges and reads both articles; the errors are gone.
    healed = run_cli("--db", str(db), "export")
    assert healed.returncode == 0 and "warning" not in healed.stderr
    rows = [json.loads(line) for line in healed.stdout.splitlines()]
    for article in (record_fault, verdict_fault):
        [row] = [r for r in rows if r["title"] == article.title]
        assert row["is_meeting"] and row["meeting"] is not None and row["meeting_error"] is None


def test_an_agency_named_by_its_level_alone_is_qualified_from_the_source_locality() -> None:
    """On Vĩnh Yên's own portal "UBND thành phố" is the city's UBND, so its meetings join the same
    agency feed as other portals' "UBND thành phố Vĩnh Yên"; a provincial body stays provincial."""
    from portaltext.meeting.agencies import Locality, locality_of

    published = datetime(2020, 6, 24, 11, 0, tzinfo=VN_TZ)
    text = ["Sáng 24/6, UBND thành phố tổ chức phiên họp thường kỳ tháng 6 để đánh giá tình hình kinh tế - xã hội."]
    own = extract_meeting("Phiên họp thường kỳ tháng 6", text, published, province="Vĩnh Phúc",
                          source_agency="UBND thành phố Vĩnh Yên")
    assert own.agency == "UBND thành phố Vĩnh Yên"
    elsewhere = extract_meeting("Phiên họp thường kỳ tháng 6", text, published, province="Vĩnh Phúc")
    assert elsewhere.agency == "UBND thành phố", "without the source's own unit there is nothing to qualify it with"
    party = extract_meeting("Hội nghị Ban Thường vụ", ["Chiều 24/6, Ban Thường vụ Thành ủy họp phiên thường kỳ."], published,
                            province="Vĩnh Phúc", source_agency="UBND thành phố Vĩnh Yên")
    assert party.agency == "Ban Thường vụ Thành ủy Vĩnh Yên"
    province = extract_meeting("Hội nghị", ["Sáng 24/6, HĐND tỉnh tổ chức hội nghị giám sát."], published, province="Vĩnh Phúc",
                               source_agency="UBND thành phố Vĩnh Yên")
    assert province.agency == "HĐND tỉnh Vĩnh Phúc"
    assert locality_of("Ủy ban nhân dân huyện Lương Sơn") == Locality("huyện", "Lương Sơn")
    assert locality_of("HĐND thị xã Kỳ Anh") == Locality("thị xã", "Kỳ Anh")
    assert locality_of("Sở Xây dựng") is None and locality_of("Văn phòng UBND tỉnh") is None
