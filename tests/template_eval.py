"""Zero-config crawls of the CMS-family templates (tests/farm/cms.py), scored against their gold:
list coverage (articles found / articles listed), list pages followed, title, date (with the time
where the page shows one), body F1, and boilerplate leaked into bodies.

Used by the gate (tests/test_templates.py) and the report (python -m bench.templates). The crawl is
the real one: the `portalwatch` command, Scrapy, SQLite, then `portalwatch export`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from crawler.urls import canonicalize
from tests.farm.cms import BOILERPLATE, MENU, CmsFarm
from tests.farm.scoring import f1

CRAWL_ENV = {"PORTALWATCH_DOWNLOAD_DELAY": "0", "PORTALWATCH_AUTOTHROTTLE_START": "0.05"}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "portalwatch"
    env = {k: v for k, v in os.environ.items() if k not in ("PORTALWATCH_DB", "PORTALWATCH_SOURCES")} | CRAWL_ENV
    return subprocess.run([str(exe) if exe.exists() else "portalwatch", *args], env=env, text=True, capture_output=True,
                          timeout=600)


def crawl_and_score(farm: CmsFarm, workdir: Path, keys: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """One zero-config crawl of the chosen templates (start URLs only), then their scores."""
    sources = workdir / "sources.toml"
    sources.write_text(farm.sources_toml(keys), encoding="utf-8")
    db = workdir / "templates.db"
    crawl = _cli("--db", str(db), "--sources", str(sources), "crawl", "--max-pages", "10")
    if crawl.returncode != 0:
        raise RuntimeError(f"crawl failed: {crawl.stdout[-2000:]}\n{crawl.stderr[-2000:]}")
    exported = _cli("--db", str(db), "export")
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
        list_requests = [r for r in farm.requests if r[0] == key and site.route(*_split(r[2])) is not None
                         and site.route(*_split(r[2]))[0] == "list" or (r[0] == key and _is_feed(r[2]))]
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


def _split(path: str) -> tuple[str, dict[str, list[str]]]:
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(path)
    return parts.path, parse_qs(parts.query)


def _is_feed(path: str) -> bool:
    return path.startswith(("/api/", "/rss/"))


def overall(scores: dict[str, dict[str, Any]], held_out: bool | None = None) -> dict[str, float]:
    chosen = [s for s in scores.values() if held_out is None or s["held_out"] == held_out]
    found = sum(s["found"] for s in chosen)
    return {"templates": len(chosen), "listed": sum(s["listed"] for s in chosen), "found": found,
            "coverage": round(found / max(1, sum(s["listed"] for s in chosen)), 4),
            "title": round(sum(s["title"] * s["found"] for s in chosen) / max(1, found), 4),
            "date": round(sum(s["date"] * s["found"] for s in chosen) / max(1, found), 4),
            "body_f1": round(sum(s["body_f1"] * s["found"] for s in chosen) / max(1, found), 4),
            "leaks": sum(s["leaks"] for s in chosen)}
