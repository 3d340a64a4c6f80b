"""The scheduler daemon on a fast clock for at least 300 runs: `python -m bench.daemon`.

Five farm portals every second plus one dead portal, two workers, the farm adding an article now
and then. Prints the daemon's resident memory early and at the end, runs per minute, and runs by
outcome and cause.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.conftest import CRAWL_ENV, portalwatch_bin
from tests.farm import Farm
from tests.farm.content import _filler

TARGET_RUNS = 300
DEAD = ('[[source]]\nid = "dead"\nname = "Cổng đã tắt"\nprovince = "Hà Giang"\nagency = "UBND tỉnh"\n'
        'every = "1s"\nstart_urls = ["http://127.0.0.1:9/tin-tuc"]\n\n')


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def count_runs(db: Path) -> int:
    try:
        con = sqlite3.connect(db, timeout=30)
        try:
            return con.execute("select count(*) from crawl_runs where status != 'running'").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


def main() -> None:
    rng = random.Random(3)
    with Farm() as farm, tempfile.TemporaryDirectory() as tmp:
        db, sources = Path(tmp) / "d.db", Path(tmp) / "s.toml"
        sources.write_text(DEAD + farm.sources_toml().replace("start_urls", 'every = "1s"\nstart_urls'), encoding="utf-8")
        env = {**os.environ, **CRAWL_ENV, "PORTALWATCH_DOWNLOAD_TIMEOUT": "5", "PORTALWATCH_RETRY_TIMES": "0"}
        proc = subprocess.Popen([portalwatch_bin(), "--db", str(db), "--sources", str(sources), "schedule", "--feeds",
                                 str(Path(tmp) / "feeds"), "--log", str(Path(tmp) / "pw.log"), "--workers", "2"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        early = 0
        added = 0
        while count_runs(db) < TARGET_RUNS and time.monotonic() - started < 1200:
            time.sleep(2)
            if not early and count_runs(db) >= 20:
                early = rss_kib(proc.pid)
            if rng.random() < 0.2:
                portal = rng.choice(list(farm.portals))
                farm.add(portal, f"Hội nghị giao ban công tác số {added} của {portal}",
                         [f"Sáng ngày {added % 28 + 1}/11, đơn vị tổ chức hội nghị giao ban.", *_filler(rng, "chuyển đổi số", 2)],
                         is_meeting=True)
                added += 1
        late = rss_kib(proc.pid)
        minutes = (time.monotonic() - started) / 60
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=120)
        con = sqlite3.connect(db)
        rows = con.execute("select status, error from crawl_runs").fetchall()
        stored = con.execute("select count(*) from articles").fetchone()[0]
        con.close()
    causes = Counter()
    for status, error in rows:
        if status == "failed":
            causes[(error or "?").split(": ", 1)[-1].split(" (")[0][:60]] += 1
    outcomes = Counter(status for status, _ in rows)
    print(f"runs: {len(rows)} in {minutes:.1f} min ({len(rows) / minutes:.0f} per minute); daemon exit code {code}")
    print(f"daemon resident memory: {early / 1024:.1f} MiB after 20 runs, {late / 1024:.1f} MiB after {len(rows)} runs")
    print(f"articles added by the farm during the run: {added}; stored at the end: {stored}")
    print("| outcome | runs |\n|---|---|")
    for status, n in outcomes.most_common():
        print(f"| {status} | {n} |")
    print("| failure cause | runs |\n|---|---|")
    for cause, n in causes.most_common():
        print(f"| {cause} | {n} |")


if __name__ == "__main__":
    main()
