"""A full first crawl of the portal farm through the real CLI, three times.

`python -m bench.crawl` prints requests, bytes, articles and wall time per run (the farm is local,
so the time measures portalwatch's own cost with the politeness delay set to 0).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tests.conftest import run_cli
from tests.farm import Farm


def main(runs: int = 3) -> None:
    walls = []
    print("| run | sources | list pages | pages fetched | articles stored | meeting reports | wall time (s) |")
    print("|---|---|---|---|---|---|---|")
    for i in range(runs):
        with Farm() as farm, tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "s.toml"
            sources.write_text(farm.sources_toml(), encoding="utf-8")
            db = Path(tmp) / "b.db"
            started = time.perf_counter()
            result = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--max-pages", "10")
            wall = time.perf_counter() - started
            assert result.returncode == 0, result.stderr
            con = sqlite3.connect(db)
            lists, pages = con.execute("select sum(list_pages), sum(pages_fetched) from crawl_runs").fetchone()
            stored, meetings = con.execute("select count(*), sum(is_meeting) from articles").fetchone()
            con.close()
            walls.append(wall)
            print(f"| {i + 1} | {len(farm.portals)} | {lists} | {pages} | {stored} | {meetings} | {wall:.2f} |")
    print(json.dumps({"median_wall_s": round(statistics.median(walls), 2)}))


if __name__ == "__main__":
    main()
