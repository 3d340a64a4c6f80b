"""Faulty portals: each fault mode of the farm, crawled through the CLI next to a healthy portal.
For each: the run records a clear error naming the URL, the other source is unaffected, and nothing
already stored is lost."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.urls import canonicalize
from tests.conftest import query, run_cli, write_sources
from tests.farm import Farm

# Short timeouts and one retry keep the suite quick; the behaviour is the same at production values.
FAST = {"PORTALWATCH_DOWNLOAD_TIMEOUT": "2", "PORTALWATCH_RETRY_TIMES": "1"}

# mode → (expected outcome of the faulty source's run, text its error must contain)
FAULTS = {
    "http-503": ("failed", "HTTP 503"),
    "http-500": ("failed", "HTTP 500"),
    "reset": ("failed", "connection closed or reset"),
    "truncated": ("failed", "truncated response"),
    "slow": ("failed", "timed out after 2 s"),
    "redirect-loop": ("failed", "redirect loop"),
    "huge": ("failed", "larger than the 10 MB cap"),
    "robots-disallow": ("failed", "robots.txt"),
    "redesign": ("partial", "yields no article links"),
    "endless": ("failed", "larger than the 10 MB cap"),
    "redirect-data": ("failed", "redirected to a data: URL"),
}




@pytest.fixture(scope="module")
def crawled_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Farm, Path, Path]]:
    """One farm and one first crawl of two healthy portals for every fault mode: each test starts from
    a copy of that database (the farm's articles never change here; only its fault does)."""
    tmp = tmp_path_factory.mktemp("faults")
    with Farm() as farm:
        farm.slow_seconds = 4
        db = tmp / "baseline.db"
        sources = write_sources(tmp / "s.toml", farm.sources_toml(only=["vinhyen", "baohatinh"]))
        assert run_cli("--db", str(db), "--sources", str(sources), "crawl", env=FAST).returncode == 0
        yield farm, db, sources


@pytest.mark.parametrize("mode", sorted(FAULTS))
def test_fault_is_recorded_and_contained(crawled_once: tuple[Farm, Path, Path], tmp_path: Path, mode: str) -> None:
    farm, baseline, sources = crawled_once
    db = tmp_path / "pw.db"
    shutil.copyfile(baseline, db)
    before = query(db, "select source_id, count(*) from articles group by source_id order by 1")
    farm.faults["vinhyen"] = mode
    try:
        result = run_cli("--db", str(db), "--sources", str(sources), "crawl", env=FAST)
    finally:
        farm.faults.pop("vinhyen")
    assert result.returncode == 0, "one source failing is not every source failing"
    assert "Traceback" not in result.stderr
    want_status, want_text = FAULTS[mode]
    [(status, error, errors)] = query(db, "select status, error, errors from crawl_runs where source_id = 'vinhyen' "
                                      "order by id desc limit 1")
    assert status == want_status, (status, error, errors)
    assert want_text in (error or "") + errors, (error, errors)
    assert "127.0.0.1" in (error or "") + errors, "the error names the URL"
    assert query(db, "select status from crawl_runs where source_id = 'baohatinh' order by id desc limit 1") == [("ok",)]
    assert query(db, "select source_id, count(*) from articles group by source_id order by 1") == before
    assert query(db, "pragma integrity_check") == [("ok",)]


def test_malformed_html_is_still_read(fresh_farm: Farm, tmp_path: Path) -> None:
    farm = fresh_farm
    farm.faults["baohatinh"] = "malformed"
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["baohatinh"]))
    result = run_cli("--db", str(db), "--sources", str(sources), "crawl", env=FAST)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    [(n, titled)] = query(db, "select count(*), count(title) from articles")
    assert n == len(farm.expected("baohatinh")) and titled == n


def test_self_signed_tls_fails_by_default_and_tls_verify_false_accepts_it(tmp_path: Path) -> None:
    with Farm(tls_portals=("vinhyen",)) as farm:
        assert farm.portals["vinhyen"].base_url.startswith("https://")
        db = tmp_path / "pw.db"
        sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["vinhyen", "baohatinh"]))
        result = run_cli("--db", str(db), "--sources", str(sources), "crawl", env=FAST)
        assert result.returncode == 0
        [(status, error)] = query(db, "select status, error from crawl_runs where source_id = 'vinhyen'")
        assert status == "failed" and "TLS error" in error and "tls_verify = false" in error
        assert query(db, "select status from crawl_runs where source_id = 'baohatinh'") == [("ok",)]
        accepting = sources.read_text(encoding="utf-8").replace('id = "vinhyen"', 'id = "vinhyen"\ntls_verify = false')
        write_sources(sources, accepting)
        result = run_cli("--db", str(db), "--sources", str(sources), "crawl", env=FAST)
        assert result.returncode == 0
        assert "TLS certificate verification is OFF" in result.stderr, "accepted loudly"
        [(status,)] = query(db, "select status from crawl_runs where source_id = 'vinhyen' order by id desc limit 1")
        assert status in ("ok", "partial")
        assert query(db, "select count(*) from articles where source_id = 'vinhyen'")[0][0] >= 30


@pytest.mark.parametrize("mode", ["mislabelled-1258", "mislabelled-1252", "no-charset"])
def test_lying_or_missing_charset_is_read_right(fresh_farm: Farm, tmp_path: Path, mode: str) -> None:
    farm = fresh_farm
    farm.faults["vpubnd-langson"] = mode
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["vpubnd-langson"]))
    result = run_cli("--db", str(db), "--sources", str(sources), "crawl", env=FAST)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    truth = {canonicalize(t["url"]): t for t in farm.expected("vpubnd-langson")}
    rows = query(db, "select url, title, text from articles")
    assert len(rows) == len(truth)
    aliases = {canonicalize(a): canonicalize(u) for a, u in farm.aliases("vpubnd-langson").items()}
    for url, title, text in rows:
        url = aliases.get(url, url)
        assert title == truth[url]["title"]
        assert text == "\n\n".join(truth[url]["paragraphs"])
        assert "\ufffd" not in text
