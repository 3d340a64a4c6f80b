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
        "Error: https://baohatinh.vn/khong-co-post1.html: no stored article has this URL"]


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
