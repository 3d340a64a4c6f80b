"""`portalwatch try` and `portalwatch discover` on the CMS-family templates, through the installed
command: what an operator sees before adding a portal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.sources import load_sources
from tests.conftest import free_port, run_cli
from tests.farm.cms import CmsFarm


@pytest.fixture(scope="module")
def cms() -> Iterator[CmsFarm]:
    with CmsFarm() as farm:
        yield farm


def _try(*args: str) -> dict:
    result = run_cli("try", "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_try_a_list_shows_its_links_its_next_page_and_how(cms: CmsFarm) -> None:
    site = cms.sites["dnn-postback"]
    found = _try(site.start_url())
    assert found["as"] == "list" and [link["url"] for link in found["links"]] == [site.url(i) for i in range(10)]
    assert found["url_shapes"] == {"/default.aspx?itemid&tabid": 10}
    assert found["next_found_by"] == "postback" and "__EVENTARGUMENT=Page$2" in found["next"]
    text = run_cli("try", site.start_url()).stdout
    assert "10 article links" in text and "(found by postback)" in text

    drupal = _try(cms.sites["drupal9"].start_url())
    assert drupal["next"].endswith("/tin-tuc?page=1") and drupal["next_found_by"] == "label"
    more = _try(cms.sites["xem-them-json"].start_url())
    assert more["next"].endswith("/api/tin-tuc?page=2")
    api = _try(more["next"])
    assert api["read_as"] == "json" and len(api["links"]) == 10 and api["next"].endswith("page=3")
    rss = _try(cms.sites["rss-only"].start_url())
    assert rss["links"] == [] and rss["feeds"] == [cms.sites["rss-only"].base + "/rss/tin-tuc.rss"]
    feed = _try(rss["feeds"][0])
    assert feed["read_as"] == "feed" and len(feed["links"]) == 22 and all(link["listed_date"] for link in feed["links"])


def test_try_an_article_shows_its_reading_and_verdict(cms: CmsFarm) -> None:
    site = cms.sites["drupal9"]
    gold = cms.truth("drupal9")
    meeting = next(i for i, a in enumerate(site.articles) if a.is_meeting)
    found = _try(site.url(meeting))
    want = gold[site.url(meeting)]
    assert found["as"] == "article" and found["title"] == want["title"] and found["published"] == want["published"]
    assert found["date_from"] in ("metadata", "date line")
    assert found["first_paragraph"] == want["paragraphs"][0] and found["last_paragraph"] == want["paragraphs"][-1]
    assert found["meeting"]["is_meeting"] and found["meeting"]["reason"].startswith("meeting report")
    text = run_cli("try", "--as", "article", site.url(meeting)).stdout
    assert "meeting: yes, score" in text and f"title: {want['title']}" in text


def test_try_says_in_one_line_what_cannot_be_read() -> None:
    dead = f"http://127.0.0.1:{free_port()}/tin-tuc"
    result = run_cli("try", dead)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and dead in result.stderr
    assert "Traceback" not in result.stderr
    bad = run_cli("try", "ftp://example.org/x")
    assert bad.returncode == 1 and "not an http(s) URL" in bad.stderr


def test_discover_ranks_the_news_sections_as_ready_sources(cms: CmsFarm, tmp_path: Path) -> None:
    site = cms.sites["newspaper-short"]
    result = run_cli("discover", site.base + "/")
    assert result.returncode == 0, result.stderr
    toml = tmp_path / "sources.toml"
    toml.write_text("\n".join(line for line in result.stdout.splitlines() if not line.startswith("#")), encoding="utf-8")
    [source] = load_sources(toml)
    assert list(source.start_urls) == [site.start_url()] and source.province == "Hà Tĩnh"
    assert "10 articles, 10 with a date" in result.stdout
    found = json.loads(run_cli("discover", "--json", "--province", "Nghệ An", site.base + "/").stdout)
    assert found["province"] == "Nghệ An" and found["sections"][0]["url"] == site.start_url()
    # The crawl of what discover proposed reads the whole list.
    db = tmp_path / "pw.db"
    crawl = run_cli("--db", str(db), "--sources", str(toml), "crawl")
    assert crawl.returncode == 0 and f"{site.n_articles} articles fetched" in crawl.stdout, crawl.stdout


def test_help_has_an_example() -> None:
    for command in ("try", "discover"):
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "Example:" in result.stdout and "portalwatch " + command in result.stdout
