"""What readers and operators see is true (issue 14, the parts done so far): feed times to the
second, feed files readable by a web server, help on every option (tests/test_cli.py)."""

from __future__ import annotations

import re
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser

from feeds.build import atomic_write
from feeds.formats import new_feed, render

VN = timezone(timedelta(hours=7))


def test_feed_times_are_whole_seconds_with_their_offset() -> None:
    fg = new_feed("meetings", "Báo cáo hội nghị", "mô tả", "http://127.0.0.1:8080/feeds")
    fe = fg.add_entry()
    fe.id("http://portal.test/a.html")
    fe.title("Hội nghị sơ kết")
    fe.link(href="http://portal.test/a.html")
    when = datetime(2026, 12, 1, 13, 37, 46, 97238, tzinfo=VN)
    fe.published(when)
    fe.updated(when)
    for fmt in ("atom", "rss", "json"):
        body = render(fg, fmt, f"http://127.0.0.1:8080/feeds/meetings.{fmt}", "http://127.0.0.1:8080/").decode()
        assert not re.search(r"\d\d:\d\d:\d\d\.\d", body), (fmt, body[:600])
    atom = feedparser.parse(render(fg, "atom", "http://x/feeds/meetings.atom", "http://x/"))
    assert "2026-12-01T13:37:46+07:00" in atom.entries[0].published


def test_feed_files_are_readable_by_other_users(tmp_path: Path) -> None:
    target = tmp_path / "feeds" / "meetings.atom"
    atomic_write(target, b"<feed/>")  # before: 0600, as tempfile.mkstemp makes it
    assert stat.S_IMODE(target.stat().st_mode) & 0o044 == 0o044, oct(target.stat().st_mode)


def test_an_excerpt_that_was_not_cut_keeps_its_last_word() -> None:
    from feeds.server import excerpt

    assert excerpt("Hội nghị sơ kết công tác năm") == "Hội nghị sơ kết công tác năm"
    long = "Hội nghị sơ kết công tác năm " * 20
    assert excerpt(long).endswith("…") and len(excerpt(long)) <= 241


def test_history_of_an_unknown_url_is_one_line_and_exit_2(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    result = run_cli("--db", str(tmp_path / "pw.db"), "history", "https://baohatinh.vn/khong-co-post1.html")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: https://baohatinh.vn/khong-co-post1.html: no stored article has this URL, "
        "and no run recorded a failure for it"]


def test_a_database_in_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    missing = tmp_path / "no" / "such" / "x.db"
    result = run_cli("--db", str(missing), "meetings")
    assert result.returncode == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "no").exists()
    # The default folder is made on its own, where the README's commands expect it.
    default = run_cli("meetings", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert (tmp_path / "data" / "portalwatch.db").exists()


def test_a_never_crawled_source_is_new_not_ok(tmp_path: Path) -> None:
    import json

    from tests.conftest import run_cli, write_sources

    sources = write_sources(tmp_path / "s.toml", '[[source]]\nid = "moi"\nname = "Cổng mới"\nprovince = "Hà Tĩnh"\n'
                            'agency = "UBND tỉnh"\nstart_urls = ["http://127.0.0.1:9/tin-tuc"]\n')
    result = run_cli("--db", str(tmp_path / "pw.db"), "--sources", str(sources), "status", "--json")
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["health"] == "new" and row["detail"] == "never crawled" and row["last_run"] is None


# ------------------------------------------------------------------------------------- dates
REPORT = ("{when}, UBND tỉnh Vĩnh Phúc tổ chức hội nghị sơ kết công tác cải cách hành chính 6 tháng đầu năm. "
          "Đồng chí Trần Văn Hùng, Phó Chủ tịch UBND tỉnh chủ trì hội nghị. Dự hội nghị có lãnh đạo các sở, ngành.\n\n"
          "Tại hội nghị, các đại biểu đã thảo luận, đánh giá kết quả thực hiện nhiệm vụ và đề xuất giải pháp. "
          "Phát biểu kết luận hội nghị, đồng chí Phó Chủ tịch yêu cầu các sở, ngành tập trung khắc phục hạn chế.")


def _dated_store(tmp_path: Path, target: Path | str) -> tuple[Path | str, dict[str, int]]:
    """Four meeting reports on one portal: published today at 09:30, published on a date-only
    page, undated with its meeting's day in the body, and undated with no day anywhere; all
    found by the crawler today."""
    from crawler.clock import now
    from store.db import open_db
    from store.models import Article
    from store.repo import upsert_source

    path = target
    db = open_db(str(path) if isinstance(path, str) else f"sqlite:///{path}")
    upsert_source(db, "tinh", "Cổng thông tin tỉnh Vĩnh Phúc", "Vĩnh Phúc", "UBND tỉnh Vĩnh Phúc",
                  ["http://127.0.0.1:9/tin-tuc"])
    today = now().astimezone(VN)
    rows = {
        "published": (today.replace(hour=9, minute=30, second=0, microsecond=0), "Sáng nay"),
        "date-only": (datetime(2025, 3, 4, tzinfo=VN), "Sáng ngày 04/3/2025"),
        "event": (None, "Sáng ngày 19/10/2017"),
        "unknown": (None, "Mới đây"),
    }
    ids = {}
    with db.session() as s:
        for n, (name, (published, when)) in enumerate(rows.items()):
            a = Article(source_id="tinh", url=f"http://127.0.0.1:9/tin/{n}", fetched_url=f"http://127.0.0.1:9/tin/slug-{n}.html",
                        title=f"Hội nghị sơ kết công tác cải cách hành chính ({name})", published_at=published,
                        text=REPORT.format(when=when), content_hash=f"h{n}", first_seen=now(), last_seen=now())
            s.add(a)
            s.flush()
            ids[name] = a.id
    db.dispose()
    return path, ids


def test_the_date_shown_is_published_else_the_meetings_day_else_unknown_never_the_crawl(
        tmp_path: Path, db_target: Path | str) -> None:
    from crawler.clock import now
    from tests.conftest import run_cli

    path, ids = _dated_store(tmp_path, db_target)
    listed = run_cli("--db", str(path), "meetings")
    assert listed.returncode == 0, listed.stderr
    lines = [line for line in listed.stdout.splitlines() if line.startswith(("0", "1", "2", "3", "n", "k"))]
    # Newest first by the shown date; the undated report last, however recently it was found.
    assert [line.split(" | ")[0] for line in lines] == [
        now().astimezone(VN).strftime("%d/%m/%Y") + " 09:30", "04/03/2025",
        "ngày họp 19/10/2017 (không rõ ngày đăng)", "không rõ ngày"], listed.stdout
    assert "00:00" not in listed.stdout

    today = now().astimezone(VN).date().isoformat()
    recent = run_cli("--db", str(path), "meetings", "--since", today, "--json")
    import json

    found = [json.loads(line) for line in recent.stdout.splitlines()]
    assert [r["date_kind"] for r in found] == ["published"], "an undated report found today is not today's news"
    assert found[0]["link"].endswith("slug-0.html") and found[0]["url"].endswith("/tin/0")
    old = [json.loads(line) for line in run_cli("--db", str(path), "meetings", "--json").stdout.splitlines()]
    assert [(r["date"], r["date_kind"]) for r in old] == [
        (today, "published"), ("2025-03-04", "published"), ("2017-10-19", "event"), (None, "unknown")]
    assert all(not re.search(r"\.\d{6}", r["first_seen"]) for r in old)


def test_feeds_date_items_as_the_pages_do(tmp_path: Path, db_target: Path | str) -> None:
    from feeds.build import build_all

    path, _ = _dated_store(tmp_path, db_target)
    from store.db import open_db

    db = open_db(str(path) if isinstance(path, str) else f"sqlite:///{path}")
    build_all(db, tmp_path / "feeds")
    db.dispose()
    atom = feedparser.parse((tmp_path / "feeds" / "meetings.atom").read_bytes())
    rss = feedparser.parse((tmp_path / "feeds" / "meetings.rss").read_bytes())
    titles = [e.title.rsplit("(", 1)[1].rstrip(")") for e in atom.entries]
    assert titles == ["published", "date-only", "event", "unknown"]
    by_name = dict(zip(titles, atom.entries, strict=True))
    assert by_name["event"].published.startswith("2017-10-19T00:00:00+07:00")
    assert by_name["event"].summary.startswith("Không rõ ngày đăng; ngày họp (event date): 19/10/2017")
    assert "published" not in by_name["unknown"] and by_name["unknown"].summary.startswith("Không rõ ngày (date unknown)")
    assert "published" not in rss.entries[3] and rss.entries[3].title.endswith("(unknown)")
    assert by_name["date-only"].published.startswith("2025-03-04T00:00:00+07:00")


def test_pages_show_the_same_dates_and_first_seen_apart(tmp_path: Path, db_target: Path | str) -> None:
    import urllib.request

    from tests.conftest import Served, write_sources

    path, ids = _dated_store(tmp_path, db_target)
    sources = write_sources(tmp_path / "sources.toml", '[[source]]\nid = "tinh"\nname = "Cổng thông tin tỉnh Vĩnh Phúc"\n'
                            'province = "Vĩnh Phúc"\nagency = "UBND tỉnh Vĩnh Phúc"\nstart_urls = ["http://127.0.0.1:9/tin-tuc"]\n')
    served = Served(path, sources)
    try:
        page = urllib.request.urlopen(served.base + "/meetings", timeout=30).read().decode()
        dates = re.findall(r'<span class="date date-(\w+)">(?:<time datetime="([^"]+)">)?([^<]+)', page)
        assert [(kind, label) for kind, _, label in dates][1:] == [
            ("published", "04/03/2025"), ("event", "ngày họp 19/10/2017 (không rõ ngày đăng)"), ("unknown", "không rõ ngày")]
        assert dates[0][1].endswith("T09:30:00+07:00")
        article = urllib.request.urlopen(f"{served.base}/articles/{ids['unknown']}", timeout=30).read().decode()
        assert 'id="shown-date">không rõ ngày' in article and "first seen" in article
        status = urllib.request.urlopen(served.base + "/sources", timeout=30).read().decode()
        assert not re.search(r"\d\d:\d\d:\d\d\.\d", status)
    finally:
        served.stop()


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path: Path) -> None:
    """`portalwatch meetings | head -1` and `export | head -1`: exit 0, nothing on stderr."""
    import subprocess

    from crawler.clock import now
    from store.db import open_db
    from store.models import Article
    from store.repo import upsert_source
    from tests.conftest import portalwatch_bin

    path = tmp_path / "pw.db"
    db = open_db(f"sqlite:///{path}")
    upsert_source(db, "tinh", "Cổng thông tin tỉnh Vĩnh Phúc", "Vĩnh Phúc", "UBND tỉnh Vĩnh Phúc", ["http://127.0.0.1:9/"])
    with db.session() as s:
        for n in range(400):  # well past a pipe's 64 KiB buffer
            s.add(Article(source_id="tinh", url=f"http://127.0.0.1:9/tin/{n}", fetched_url=f"http://127.0.0.1:9/tin/{n}",
                          title=f"Hội nghị sơ kết công tác số {n}", published_at=now(), content_hash=f"h{n}",
                          text=REPORT.format(when=f"Sáng ngày {n % 28 + 1}/3/2025")))
    db.dispose()
    for command in ("meetings", "export"):
        proc = subprocess.Popen([portalwatch_bin(), "--db", str(path), command], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline()
        proc.stdout.close()
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and err == b"", (command, proc.returncode, err[-500:])
