"""`make demo`: the portal farm, one crawl of every farm portal, feeds, and the readers' server.

Runs the real `portalwatch` command for each step, as an operator would, against portals served
on 127.0.0.1 (with the farm's hostile articles, which the pages and feeds must show inert).
Ctrl-C stops everything.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from store import open_db
from store.repo import counts_by_source

from .server import PORTALS, Farm

DATA = Path("data")
FEED_PORT = int(os.environ.get("PORTALWATCH_DEMO_PORT", "8080"))
FARM_BASE_PORT = int(os.environ.get("PORTALWATCH_FARM_PORT", "8101"))


def _command(*args: str) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "--db", str(DATA / "portalwatch.db"),
           "--sources", str(DATA / "demo-sources.toml"), *args]
    print("$ portalwatch " + " ".join(cmd[3:]), flush=True)
    return cmd


def portalwatch(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PORTALWATCH_DOWNLOAD_DELAY": os.environ.get("PORTALWATCH_DOWNLOAD_DELAY", "0.05")}
    return subprocess.run(_command(*args), env=env, text=True, capture_output=True)


def start_server() -> subprocess.Popen[str] | None:
    """`portalwatch serve` in the background, once it answers; None if it could not start."""
    proc = subprocess.Popen(_command("serve", "--port", str(FEED_PORT)), text=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{FEED_PORT}/static/style.css", timeout=5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    print(f"demo: the server did not start: {(proc.communicate()[1] or '').strip()[-500:]}", file=sys.stderr)
    return None


def main() -> int:
    DATA.mkdir(exist_ok=True)
    ports = {spec.key: FARM_BASE_PORT + i for i, spec in enumerate(PORTALS)}
    try:
        # Dated up to yesterday: with the fixed years the tests use, every demo source would look stale.
        farm = Farm(ports=ports, admin_port=FARM_BASE_PORT + len(PORTALS), hostile=True,
                    dated_until=datetime.now(UTC)).start()
    except OSError as exc:
        print(f"demo: cannot start the portal farm on ports {FARM_BASE_PORT}-{FARM_BASE_PORT + len(PORTALS)}: {exc}"
              " (set PORTALWATCH_FARM_PORT to another base port)", file=sys.stderr)
        return 2
    (DATA / "demo-sources.toml").write_text(farm.sources_toml(), encoding="utf-8")
    print(f"portal farm: {len(farm.portals)} portals, {len(farm.articles)} articles; admin API {farm.admin_url}/articles")
    for key, portal in farm.portals.items():
        print(f"  {key:16} {portal.spec.cms:10} {portal.start_urls()[0]}")

    crawl = portalwatch("crawl")
    print(crawl.stdout, end="")
    if crawl.returncode != 0:
        print(crawl.stderr, file=sys.stderr)
        farm.stop()
        return crawl.returncode
    build = portalwatch("feeds", "build", "--out", str(DATA / "feeds"), "--base-url", f"http://127.0.0.1:{FEED_PORT}/feeds")
    if build.returncode != 0:
        print(build.stderr, file=sys.stderr)
        farm.stop()
        return build.returncode

    db = open_db(str(DATA / "portalwatch.db"))
    counts = counts_by_source(db)
    db.dispose()
    print("\nsources (articles found, meeting reports):")
    for key in farm.portals:
        n, m = counts.get(key, (0, 0))
        print(f"  {key:16} {n:4} articles, {m:4} meeting reports")
    server = start_server()
    if server is None:
        farm.stop()
        print(f"demo: set PORTALWATCH_DEMO_PORT if 127.0.0.1:{FEED_PORT} is taken", file=sys.stderr)
        return 2
    site = f"http://127.0.0.1:{FEED_PORT}"
    base = f"{site}/feeds"
    print("\nfeeds:")
    # One line per feed, except the per-agency and per-person feeds: a hundred of those would bury the
    # rest, so each group shows its count and the first one; the index lists them all.
    grouped: dict[str, list[str]] = {}
    for line in build.stdout.splitlines():
        name = line.split(":", 1)[0]
        group = name.split("/", 1)[0] if name.startswith(("agency/", "person/", "changes/")) else name
        grouped.setdefault(group, []).append(name)
    for group, names in grouped.items():
        more = f"  (+{len(names) - 1} more {group} feeds)" if len(names) > 1 else ""
        print(f"  {base}/{names[0]}.rss  {base}/{names[0]}.atom{more}")
    print(f"\nfilters on any feed: {base}/meetings.atom?province=ha-tinh&kind=giam-sat&since=2024-01-01")
    print(f"search: {site}/search?q=hoi+nghi+so+ket   meetings: {site}/meetings   sources: {site}/sources")
    print(f"OPML of every feed: {site}/feeds.opml")
    print(f"index: {site}/   (Ctrl-C stops)", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    print("\nstopping", flush=True)
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    farm.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
