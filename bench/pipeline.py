"""The full pipeline against plain Scrapy, in one run: `python -m bench.pipeline`.

1. `scrapy bench` (Scrapy's own benchmark: a local link-farm server and a spider that only follows
   links), run from an empty folder so no project settings apply, at portalwatch's concurrency.
2. portalwatch's backfill of a 2,000-article farm through the real CLI: fetch, extract, classify,
   meeting records, dedupe, store, at the same concurrency (16 requests, 6 per host: the farm is one
   host) and no politeness delay.

Pages per second for each: Scrapy's from its closing stats (responses / elapsed), portalwatch's
from its runs (pages fetched / the time from the first run's start to the last run's end, so the
interpreter's start-up is not counted; the whole command's wall time is printed too). The ratio is
portalwatch / scrapy bench. The last line is one JSON object.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from tests.conftest import run_cli
from tests.farm import Farm

CONCURRENCY, PER_HOST = 16, 6


def scrapy_bench(seconds: int = 20) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as empty:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
             "-s", f"CONCURRENT_REQUESTS={CONCURRENCY}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={PER_HOST}",
             "-s", "LOG_LEVEL=INFO"], cwd=empty, capture_output=True, text=True, timeout=seconds + 120)
    log = result.stderr
    responses = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not (responses and elapsed):
        raise RuntimeError(f"scrapy bench printed no closing stats:\n{log[-2000:]}")
    n, t = int(responses.group(1)), float(elapsed.group(1))
    return {"pages": n, "seconds": t, "pages_per_s": n / t}


def portalwatch_backfill(per_portal: int = 400) -> dict[str, float]:
    with Farm(per_portal=per_portal) as farm, tempfile.TemporaryDirectory() as tmp:
        db, sources = Path(tmp) / "b.db", Path(tmp) / "s.toml"
        sources.write_text(farm.sources_toml(), encoding="utf-8")
        env = {"PORTALWATCH_CONCURRENCY_PER_HOST": str(PER_HOST)}
        started = time.perf_counter()
        result = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--backfill", "--max-pages", "100",
                         env=env, timeout=1800)
        wall = time.perf_counter() - started
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        con = sqlite3.connect(db)
        pages, first, last = con.execute(
            "select sum(pages_fetched), min(started_at), max(finished_at) from crawl_runs").fetchone()
        stored, meetings = con.execute("select count(*), sum(is_meeting) from articles").fetchone()
        con.close()
    window = (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()
    return {"pages": pages, "seconds": window, "wall_s": wall, "pages_per_s": pages / window,
            "articles": stored, "meeting_reports": meetings}


def main() -> None:
    bench = scrapy_bench()
    ours = portalwatch_backfill()
    ratio = ours["pages_per_s"] / bench["pages_per_s"]
    print("| run | pages | seconds | pages / s |")
    print("|---|---|---|---|")
    print(f"| scrapy bench (follow links only) | {bench['pages']} | {bench['seconds']:.1f} | {bench['pages_per_s']:.1f} |")
    print(f"| portalwatch backfill (full pipeline, {ours['articles']} articles, {ours['meeting_reports']} meeting "
          f"reports) | {ours['pages']} | {ours['seconds']:.1f} (command {ours['wall_s']:.1f}) | {ours['pages_per_s']:.1f} |")
    print(f"ratio portalwatch / scrapy bench: {ratio:.2f} (goal >= 0.6)")
    print(json.dumps({"concurrency": CONCURRENCY, "per_host": PER_HOST,
                      "scrapy_bench_pages_per_s": round(bench["pages_per_s"], 1),
                      "pipeline_pages_per_s": round(ours["pages_per_s"], 1), "pipeline_wall_s": round(ours["wall_s"], 1),
                      "ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
