"""Zero-config crawls of the CMS-family templates (tests/farm/cms.py), scored against their gold:
list coverage (articles found / articles listed), list pages followed, title, date (with the time
where the page shows one), body F1, and boilerplate leaked into bodies.

Used by the gate (tests/test_templates.py) and the report (python -m bench.templates). The crawl is
the real one: the `portalwatch` command, Scrapy, SQLite, then `portalwatch export`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from crawler.urls import canonicalize
from tests.conftest import run_cli
from tests.farm.cms import BOILERPLATE, MENU, CmsFarm, Site
from tests.farm.scoring import f1


def crawl_and_score(farm: CmsFarm, workdir: Path, keys: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """One zero-config crawl of the chosen templates (start URLs only), then their scores."""
    sources = workdir / "sources.toml"
    sources.write_text(farm.sources_toml(keys), encoding="utf-8")
    db = workdir / "templates.db"
    crawl = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--max-pages", "10", timeout=600)
    if crawl.returncode != 0:
        raise RuntimeError(f"crawl failed: {crawl.stdout[-2000:]}\n{crawl.stderr[-2000:]}")
    exported = run_cli("--db", str(db), "export")
    if exported.returncode != 0:
        raise RuntimeError(f"export failed: {exported.stderr[-2000:]}")
    rows: dict[str, list[dict[str, Any]]] = {}
    for line in exported.stdout.splitlines():
        row = json.loads(line)
        rows.setdefault(row["source"], []).append(row)
    out = {}
    for key, site in farm.sites.items():
        if keys is not None and key not in keys:
            continue
        truth = {canonicalize(url): gold for url, gold in farm.truth(key).items()}
        got = {r["url"]: r for r in rows.get(key, [])}
        found = [u for u in truth if u in got]
        # Scrapy's own robots.txt fetch is no list request; a robots.txt read for its sitemaps is counted by them.
        list_requests = [r for r in farm.requests if r[0] == key and r[2] != "/robots.txt"
                         and route_of(site, r[2]) in ("list", "feed")]
        scores: dict[str, Any] = {"family": site.family, "held_out": site.held_out, "listed": len(truth),
                                  "found": len(found), "coverage": round(len(found) / len(truth), 4),
                                  "pages": site.pages, "list_requests": len(list_requests),
                                  "extra_articles": len(set(got) - set(truth))}
        titles = dates = leaks = 0
        body = 0.0
        misses = []
        for url in found:
            gold, row = truth[url], got[url]
            titles += row["title"] == gold["title"]
            dates += row["published"] == gold["published"]
            if row["published"] != gold["published"]:
                misses.append(f"{url}: date {row['published']} (want {gold['published']})")
            body += f1(row["text"] or "", "\n\n".join(gold["paragraphs"]))
            leaks += any(b in (row["text"] or "") for b in BOILERPLATE + MENU[2:])
        n = max(1, len(found))
        scores |= {"title": round(titles / n, 4), "date": round(dates / n, 4), "body_f1": round(body / n, 4),
                   "leaks": leaks, "missed": sorted(set(truth) - set(got))[:5], "date_misses": misses[:5]}
        out[key] = scores
    return out


def route_of(site: Site, path: str) -> str | None:
    """What a requested path of a template's site is: "list", "article", "feed" (feeds, sitemaps, JSON
    list endpoints, robots.txt) or None."""
    parts = urlsplit(path)
    if parts.path == "/robots.txt" or (site.extra and site.extra(site, parts.path, parse_qs(parts.query))):
        return "feed"
    route = site.route(parts.path, parse_qs(parts.query))
    return route[0] if route else None


def overall(scores: dict[str, dict[str, Any]], held_out: bool | None = None) -> dict[str, float]:
    chosen = [s for s in scores.values() if held_out is None or s["held_out"] == held_out]
    found = sum(s["found"] for s in chosen)
    return {"templates": len(chosen), "listed": sum(s["listed"] for s in chosen), "found": found,
            "coverage": round(found / max(1, sum(s["listed"] for s in chosen)), 4),
            "title": round(sum(s["title"] * s["found"] for s in chosen) / max(1, found), 4),
            "date": round(sum(s["date"] * s["found"] for s in chosen) / max(1, found), 4),
            "body_f1": round(sum(s["body_f1"] * s["found"] for s in chosen) / max(1, found), 4),
            "leaks": sum(s["leaks"] for s in chosen)}
