"""The full pipeline against plain Scrapy, in one run: `python -m bench.pipeline`.

1. `scrapy bench` (Scrapy's own benchmark: a local link-farm server and a spider that only follows
   links), run from an empty folder so no project settings apply, at portalwatch's concurrency.
2. portalwatch's backfill of a 2,000-article farm through the real CLI: fetch, extract, classify,
   meeting records, dedupe, store, at the same concurrency (16 requests, 6 per host: the farm is one
   host), no politeness delay and AutoThrottle off (`PORTALWATCH_AUTOTHROTTLE=0`: it aims at one
   request in flight per host, so the concurrency would not be the same). Then once more with
   AutoThrottle on, as portals are crawled, for comparison.

Pages per second for each: Scrapy's from its closing stats (responses / elapsed), portalwatch's
from its runs (pages fetched / the time from the first run's start to the end of the command, which
includes the derived-data sync after the runs but not the interpreter's start-up; the whole
command's wall time is printed too), with the crawl process's CPU time per page. The ratio is
portalwatch / scrapy bench. The last line is one JSON object.
"""

from __future__ import annotations

import json
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
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


def portalwatch_backfill(per_portal: int = 400, autothrottle: bool = False) -> dict[str, float]:
    with Farm(per_portal=per_portal) as farm, tempfile.TemporaryDirectory() as tmp:
        db, sources = Path(tmp) / "b.db", Path(tmp) / "s.toml"
        sources.write_text(farm.sources_toml(), encoding="utf-8")
        env = {"PORTALWATCH_CONCURRENCY_PER_HOST": str(PER_HOST), "PORTALWATCH_AUTOTHROTTLE": "1" if autothrottle else "0"}
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--backfill", "--max-pages", "100",
                         env=env, timeout=1800)
        ended = datetime.now(UTC).replace(tzinfo=None)  # the store keeps naive UTC on SQLite
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter() - started
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        con = sqlite3.connect(db)
        pages, first = con.execute("select sum(pages_fetched), min(started_at) from crawl_runs").fetchone()
        stored, meetings = con.execute("select count(*), sum(is_meeting) from articles").fetchone()
        con.close()
    # To the command's end, not the last run's: the derived-data sync after the runs is the
    # pipeline's work too (meeting records, clusters, search index).
    window = (ended - datetime.fromisoformat(first)).total_seconds()
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"pages": pages, "seconds": window, "wall_s": wall, "pages_per_s": pages / window,
            "cpu_ms_per_page": 1000 * cpu / pages, "articles": stored, "meeting_reports": meetings}


def main() -> None:
    bench = scrapy_bench()
    ours = portalwatch_backfill()
    polite = portalwatch_backfill(autothrottle=True)
    ratio = ours["pages_per_s"] / bench["pages_per_s"]
    print("| run | pages | seconds | pages / s | CPU ms / page |")
    print("|---|---|---|---|---|")
    print(f"| scrapy bench (follow links only) | {bench['pages']} | {bench['seconds']:.1f} | {bench['pages_per_s']:.1f} | |")
    for name, run in (("portalwatch backfill (full pipeline, ", ours),
                      ("the same with AutoThrottle on, as portals are crawled (", polite)):
        print(f"| {name}{run['articles']} articles, {run['meeting_reports']} meeting reports) | {run['pages']} | "
              f"{run['seconds']:.1f} (command {run['wall_s']:.1f}) | {run['pages_per_s']:.1f} | "
              f"{run['cpu_ms_per_page']:.1f} |")
    print(f"ratio portalwatch / scrapy bench at the same concurrency: {ratio:.2f} (goal >= 0.6)")
    print(json.dumps({"concurrency": CONCURRENCY, "per_host": PER_HOST,
                      "scrapy_bench_pages_per_s": round(bench["pages_per_s"], 1),
                      "pipeline_pages_per_s": round(ours["pages_per_s"], 1), "pipeline_wall_s": round(ours["wall_s"], 1),
                      "pipeline_cpu_ms_per_page": round(ours["cpu_ms_per_page"], 1),
                      "autothrottle_pages_per_s": round(polite["pages_per_s"], 1), "ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
