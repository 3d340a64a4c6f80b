"""`make demo`'s program: farm, crawl, feeds, server; Ctrl-C (SIGINT) stops it cleanly."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import feedparser

from tests.conftest import CRAWL_ENV, REPO, free_port
from tests.farm.server import PORTALS


def _free_block(n: int) -> int:
    """A base port with the n ports from it free, below the kernel's ephemeral range (32768 and up),
    where other tests' client sockets would otherwise take one of them between our check and the farm's bind."""
    start = 20000 + os.getpid() % 10000
    for base in range(start, start + 2000, n):
        socks = []
        try:
            for port in range(base, base + n):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no block of free ports")


def test_demo_serves_feeds_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    feed_port = free_port()
    farm_port = _free_block(len(PORTALS) + 1)
    env = {**os.environ, **CRAWL_ENV, "PORTALWATCH_DEMO_PORT": str(feed_port), "PORTALWATCH_FARM_PORT": str(farm_port),
           "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.farm.demo"], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line:
                break
            lines.append(line)
            if line.startswith("index:"):
                break
        out = "".join(lines)
        assert "index:" in out, out + (proc.stderr.read() if proc.stderr else "")
        assert "baohatinh" in out and "meeting reports" in out
        with urllib.request.urlopen(f"http://127.0.0.1:{feed_port}/feeds/meetings.atom") as resp:
            assert resp.headers["Content-Type"].startswith("application/atom+xml")
            feed = feedparser.parse(resp.read())
        assert feed.bozo == 0 and len(feed.entries) >= 50
        # The demo's portals are dated up to yesterday, so on its first run every source is alive:
        # none stale (fixed-year dates made them all look dead), none failing.
        with urllib.request.urlopen(f"http://127.0.0.1:{feed_port}/sources") as resp:
            sources = resp.read().decode()
        health = re.findall(r'<tr class="health-(\w+)">', sources)
        assert len(health) == len(PORTALS) and set(health) == {"ok"}, health
        newest = max(e.published_parsed for e in feed.entries if "published_parsed" in e)
        assert (dt.date.today() - dt.date(*newest[:3])).days <= 2, newest
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    assert code == 0
    assert (tmp_path / "data" / "portalwatch.db").exists()
