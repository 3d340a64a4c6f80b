"""Zero-config on markup nobody tuned for: the CMS-family templates (tests/farm/cms.py), crawled with
start URLs only through the real `portalwatch crawl`, scored against their gold. Every template must
give every listed article (coverage ≥ 0.98) with its date (≥ 0.98, with the time where the page shows
one), and a quiet second cycle must cost list pages only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.farm.cms import CmsFarm
from tests.template_eval import crawl_and_score, overall, route_of


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CmsFarm, dict, Path]]:
    workdir = tmp_path_factory.mktemp("templates")
    with CmsFarm() as farm:
        yield farm, crawl_and_score(farm, workdir), workdir


KEYS = list(CmsFarm().sites)


@pytest.mark.parametrize("key", KEYS)
def test_every_template_gives_every_article_with_its_date(scored: tuple[CmsFarm, dict, Path], key: str) -> None:
    _, scores, _ = scored
    s = scores[key]
    assert s["coverage"] >= 0.98, f"{key}: {s['found']} of {s['listed']} found; missed {s['missed']}"
    assert s["date"] >= 0.98, f"{key}: dates {s['date_misses']}"
    assert s["title"] >= 0.98 and s["body_f1"] >= 0.95 and s["leaks"] == 0, s
    assert s["extra_articles"] == 0, "only the listed articles are stored"
    # The list is walked to its end and no further than one guessed page past it.
    assert s["list_requests"] <= s["pages"] + 1, s


def test_held_out_templates_are_reported_apart(scored: tuple[CmsFarm, dict, Path]) -> None:
    _, scores, _ = scored
    held = overall(scores, held_out=True)
    assert held["templates"] >= 3
    assert held["coverage"] >= 0.98 and held["date"] >= 0.98, held


def test_a_quiet_cycle_walks_no_known_list_again(scored: tuple[CmsFarm, dict, Path]) -> None:
    farm, _, workdir = scored
    before = len(farm.requests)
    crawl = run_cli("--db", str(workdir / "templates.db"), "--sources", str(workdir / "sources.toml"), "crawl")
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    assert "0 new" in crawl.stdout
    cycle = farm.requests[before:]
    for key, site in farm.sites.items():
        mine = [path for k, _, path in cycle if k == key and path != "/robots.txt"]
        articles = [p for p in mine if route_of(site, p) == "article"]
        assert not articles, f"{key}: a quiet cycle fetched articles {articles[:3]}"
        # Page 1 (and the feed or sitemap it leads to): nothing new there, so no further page.
        assert len(mine) <= 3, f"{key}: {mine}"
