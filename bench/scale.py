"""Thousands of portals on one machine: `python -m bench.scale [--portals N] [--minutes M]`.

A farm of N small portals, each on its own loopback address (127.0.x.y, so Scrapy's per-host slots
and delays are real), each listed in the sources file with the same `every`. Most checks find an
unchanged list (ETag → 304); every portal publishes a new article now and then. The real daemon
(`portalwatch schedule`) runs on it twice in the same run, on fresh databases: first in batch mode
(the default), then one crawl process per source (`--batch-size 1`, the mode before batches). For
each mode it prints, over the window after the first cycle:

- source checks per hour sustained (finished runs in the window, per hour);
- p95 lateness: how long after its scheduled time a run started (the daemon logs `late=`);
- CPU seconds per source check (the daemon and its crawl processes, from /proc);
- the daemon's resident memory at the start and the end of the window.

The last line is one JSON object with those fields for both modes and their ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.conftest import portalwatch_bin

VN = timezone(timedelta(hours=7))
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------------ the farm
class _QuietServer(ThreadingHTTPServer):
    # One socket stands for thousands of portals: with socketserver's default backlog of 5, a batch
    # opening 200 connections at once overflowed it (the kernel's ListenOverflows counter) and the
    # dropped SYNs were retried after 1, 3, 7, 15 s, so the farm, not the crawler, set the pace.
    request_queue_size = 4096

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A spider closing drops its idle keep-alive connections: a reset is routine here, not news.
        pass


class ScaleFarm:
    """N portals behind one socket: the Host header's address says which portal is asked. Each
    portal's list shows its five newest articles; portal i publishes its k-th article at
    `start + (k + i / N) * publish_every`, so new articles arrive spread over time."""

    def __init__(self, portals: int, publish_every: float) -> None:
        self.portals = portals
        self.publish_every = publish_every
        self.start = time.time()
        self.requests = 0
        self.server = _QuietServer(("0.0.0.0", 0), self._handler())  # noqa: S104 - loopback peers only
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def address(self, i: int) -> str:
        return f"127.0.{1 + i // 250}.{1 + i % 250}"

    def published(self, i: int) -> int:
        """How many articles portal i has published so far (three from before the run)."""
        return 3 + max(0, int((time.time() - self.start) / self.publish_every - i / self.portals))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        farm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                farm.requests += 1
                if not self.client_address[0].startswith("127."):
                    self._send(403, "loopback only")
                    return
                host = (self.headers.get("Host") or "").split(":")[0]
                try:
                    _, _, third, fourth = host.split(".")
                    i = (int(third) - 1) * 250 + int(fourth) - 1
                except ValueError:
                    self._send(404, "no portal")
                    return
                if not 0 <= i < farm.portals:
                    self._send(404, "no portal")
                    return
                if self.path.startswith("/tin-tuc"):
                    self._list(i)
                elif m := re.fullmatch(r"/tin/(\d+)\.html", self.path):
                    self._article(i, int(m.group(1)))
                else:
                    self._send(404, "<html><body>Không tìm thấy</body></html>")

            def _list(self, i: int) -> None:
                newest = farm.published(i)
                items = "".join(f'<li><a href="/tin/{k}.html">Hội nghị giao ban công tác tuần thứ {k} của '
                                f'UBND huyện số {i}</a> <span>{_date(farm, i, k)}</span></li>'
                                for k in range(newest, max(0, newest - 5), -1))
                body = (f"<html><head><title>Tin tức</title></head><body><nav><a href='/'>Trang chủ</a></nav>"
                        f"<div class='news-list'><ul>{items}</ul></div></body></html>")
                etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._send(200, body, etag)

            def _article(self, i: int, k: int) -> None:
                if k > farm.published(i):
                    self._send(404, "<html><body>Không tìm thấy</body></html>")
                    return
                when = _date(farm, i, k)
                paras = "".join(f"<p>{p}</p>" for p in _body(i, k, when))
                self._send(200, f"<html><head><title>Hội nghị giao ban tuần {k}</title></head><body>"
                                f"<article><h1>Hội nghị giao ban công tác tuần thứ {k} của UBND huyện số {i}</h1>"
                                f"<div class='date'>{when}</div>{paras}</article></body></html>")

            def _send(self, status: int, body: str, etag: str | None = None) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def sources_toml(self, every: str, jitter: str) -> str:
        return "".join(
            f'[[source]]\nid = "p{i:05d}"\nname = "Cổng huyện số {i}"\nprovince = "Vĩnh Phúc"\n'
            f'agency = "UBND huyện số {i}"\nevery = "{every}"\njitter = "{jitter}"\n'
            f'start_urls = ["http://{self.address(i)}:{self.port}/tin-tuc"]\n\n' for i in range(self.portals))

    def __enter__(self) -> ScaleFarm:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


# Each article's body is its own mix of topics, places and figures, as real reports are: bodies that
# differ only in a number would make every article of the farm a near-duplicate of every other, and
# the near-duplicate clustering a quadratic cost that no real watch has.
_TOPICS = ("giải ngân vốn đầu tư công", "chuyển đổi số trong cơ quan nhà nước", "cải cách thủ tục hành chính",
           "xây dựng nông thôn mới", "phòng chống thiên tai", "thu ngân sách", "giải phóng mặt bằng",
           "quản lý đất đai", "an toàn thực phẩm", "phát triển du lịch", "chăm sóc sức khỏe nhân dân",
           "đào tạo nghề cho lao động nông thôn", "bảo vệ môi trường", "quy hoạch đô thị", "an ninh trật tự",
           "tuyển sinh đầu cấp", "hỗ trợ doanh nghiệp nhỏ", "sắp xếp đơn vị hành chính", "giảm nghèo bền vững",
           "phát triển hạ tầng giao thông")
_PLACES = ("xã Đông Sơn", "xã Tân Lập", "thị trấn Hòa Bình", "xã Phú Lộc", "xã Thanh Hà", "phường Bắc Lý",
           "xã Yên Thế", "xã Kim Đồng", "xã Cẩm Xuyên", "thị trấn Vĩnh Tường", "xã Quảng Phú", "xã Đại An")


def _body(i: int, k: int, when: str) -> list[str]:
    rng = random.Random(i * 100_003 + k)
    topics, places = rng.sample(_TOPICS, 4), rng.sample(_PLACES, 3)
    return [f"Sáng ngày {when[:5]}, UBND huyện số {i} tổ chức hội nghị về {topics[0]} và {topics[1]}.",
            f"Đồng chí Chủ tịch UBND huyện chủ trì hội nghị; dự có lãnh đạo {places[0]}, {places[1]} và {places[2]}.",
            f"Báo cáo cho biết {topics[2]} đạt {rng.randint(40, 99)}% kế hoạch, {places[1]} dẫn đầu với "
            f"{rng.randint(3, 60)} công trình; {topics[3]} còn {rng.randint(2, 30)} việc chậm tiến độ.",
            f"Kết luận hội nghị, đồng chí Chủ tịch yêu cầu {places[2]} hoàn thành {topics[0]} trước ngày "
            f"{rng.randint(1, 28)}/{rng.randint(1, 12)} và báo cáo kết quả về {topics[1]}."]


def _date(farm: ScaleFarm, i: int, k: int) -> str:
    when = datetime.fromtimestamp(farm.start + (k - 3 + i / farm.portals) * farm.publish_every, VN)
    return when.strftime("%d/%m/%Y %H:%M")


# ------------------------------------------------------------------------------------ measuring
def cpu_seconds(pid: int) -> tuple[float, float]:
    """The daemon's own CPU, and that of the crawl processes it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(fields[i]) for i in (11, 12, 13, 14))
    return (utime + stime) / CLK_TCK, (cutime + cstime) / CLK_TCK


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


_ENV = {**os.environ, "PORTALWATCH_DOWNLOAD_TIMEOUT": "20", "PYTHONUNBUFFERED": "1"}


def prime(farm: ScaleFarm, every: str, jitter: str, into: Path) -> float:
    """One crawl of every portal into `into`, so each mode's window measures the steady state (lists
    mostly unchanged, a few new articles) rather than the first cycle's thousands of new articles.
    Done once; each mode starts from a copy. Returns the seconds it took."""
    sources = into.parent / "prime.toml"
    sources.write_text(farm.sources_toml(every, jitter), encoding="utf-8")
    started = time.monotonic()
    subprocess.run([portalwatch_bin(), "--db", str(into), "--sources", str(sources), "crawl", "--max-pages", "1"],
                   env=_ENV, capture_output=True, check=False)
    return time.monotonic() - started


def run_mode(farm: ScaleFarm, name: str, every: str, jitter: str, minutes: float, warmup: float,
             args: list[str], primed: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db, sources, log = Path(tmp) / "scale.db", Path(tmp) / "s.toml", Path(tmp) / "pw.log"
        sources.write_text(farm.sources_toml(every, jitter), encoding="utf-8")
        env = _ENV
        shutil.copyfile(primed, db)  # the priming crawl checkpointed its WAL into the file when it ended
        proc = subprocess.Popen([portalwatch_bin(), "--db", str(db), "--sources", str(sources), "schedule",
                                 "--feeds", str(Path(tmp) / "feeds"), "--log", str(log), "--max-pages", "1", *args],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(warmup)
            t0, cpu0, rss0, wall0 = datetime.now(UTC), cpu_seconds(proc.pid), rss_mib(proc.pid), time.monotonic()
            requests0 = farm.requests
            time.sleep(minutes * 60)
            t1, cpu1, rss1, wall1 = datetime.now(UTC), cpu_seconds(proc.pid), rss_mib(proc.pid), time.monotonic()
            checks = _runs_between(db, t0, t1)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
        lateness = [float(m) for line in log.read_text(encoding="utf-8").splitlines()
                    if (m := _late_in_window(line, t0, t1)) is not None]
        statuses = _statuses(db, t0, t1)
    hours = (wall1 - wall0) / 3600
    return {
        "mode": name, "checks": checks, "checks_per_hour": round(checks / hours), "window_minutes": round(minutes, 1),
        "p95_lateness_s": round(statistics.quantiles(lateness, n=20)[18], 1) if len(lateness) >= 20 else None,
        "median_lateness_s": round(statistics.median(lateness), 1) if lateness else None,
        "cpu_s_per_check": round((sum(cpu1) - sum(cpu0)) / checks, 3) if checks else None,
        "daemon_cpu_s_per_check": round((cpu1[0] - cpu0[0]) / checks, 3) if checks else None,
        "rss_mib_start": round(rss0, 1), "rss_mib_end": round(rss1, 1), "statuses": statuses,
        "farm_requests": farm.requests - requests0,
    }


_LINE = re.compile(r"^(\S+ \S+?)\+07:00 \S+ run=\d+ .* late=(\d+\.\d)")


def _late_in_window(line: str, t0: datetime, t1: datetime) -> str | None:
    m = _LINE.match(line)
    if not m:
        return None
    at = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=VN)
    return m.group(2) if t0 <= at <= t1 else None


def _window(t: datetime) -> str:
    return t.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _runs_between(db: Path, t0: datetime, t1: datetime) -> int:
    con = sqlite3.connect(db, timeout=60)
    try:
        return int(con.execute("select count(*) from crawl_runs where finished_at between ? and ? "
                               "and status != 'running'", (_window(t0), _window(t1))).fetchone()[0])
    finally:
        con.close()


def _statuses(db: Path, t0: datetime, t1: datetime) -> dict[str, int]:
    con = sqlite3.connect(db, timeout=60)
    try:
        found: dict[str, Any] = dict(con.execute("select status, count(*) from crawl_runs where finished_at "
                                                 "between ? and ? group by status", (_window(t0), _window(t1))).fetchall())
        found["top_errors"] = con.execute(
            "select substr(error, 1, 120), count(*) from crawl_runs where finished_at between ? and ? and error is not null "
            "group by 1 order by 2 desc limit 3", (_window(t0), _window(t1))).fetchall()
        return found
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--portals", type=int, default=2000, help="portals in the farm, e.g. --portals 2000")
    parser.add_argument("--every", default="5m", help="each source's interval, e.g. --every 5m")
    parser.add_argument("--jitter", default="2m",
                        help="each run's random delay, 0 to this (APScheduler), e.g. --jitter 2m: with 5m, a run every 6 min "
                             "on average, 2,000 portals × 10/h = 20,000 checks/h")
    parser.add_argument("--minutes", type=float, default=10.0, help="measured window of the batch mode, e.g. --minutes 10")
    parser.add_argument("--baseline-minutes", type=float, default=5.0,
                        help="measured window of the process-per-source mode, e.g. --baseline-minutes 5")
    parser.add_argument("--warmup", type=float, default=90.0, help="seconds before the window opens, e.g. --warmup 90")
    args = parser.parse_args()
    if socket.gethostbyname("127.0.1.1") != "127.0.1.1":
        raise SystemExit("bench.scale: 127.0.x.y loopback addresses are needed")
    with ScaleFarm(args.portals, publish_every=1800) as farm:
        print(f"scale farm: {args.portals} portals on 127.0.1.1-{farm.address(args.portals - 1)}:{farm.port}, "
              f"every {args.every}", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            primed = Path(tmp) / "primed.db"
            seconds = prime(farm, args.every, args.jitter, primed)
            print(f"primed {args.portals} portals (one crawl each, one process) in {seconds:.0f} s", flush=True)
            batch = run_mode(farm, "batches", args.every, args.jitter, args.minutes, args.warmup,
                             ["--workers", "2", "--batch-size", "200"], primed)
            print(json.dumps(batch), flush=True)
            single = run_mode(farm, "process-per-source", args.every, args.jitter, args.baseline_minutes, args.warmup,
                              ["--workers", "2", "--batch-size", "1"], primed)
            print(json.dumps(single), flush=True)
    demand = round(args.portals * 3600 / (_seconds(args.every) + _seconds(args.jitter) / 2))
    ratio = round(batch["checks_per_hour"] / single["checks_per_hour"], 1) if single["checks_per_hour"] else None
    cpu_ratio = (round(single["cpu_s_per_check"] / batch["cpu_s_per_check"], 1)
                 if batch["cpu_s_per_check"] and single["cpu_s_per_check"] else None)
    print(f"demand {demand} checks/h; batches {batch['checks_per_hour']}/h (p95 late {batch['p95_lateness_s']} s, "
          f"{batch['cpu_s_per_check']} CPU s/check); process per source {single['checks_per_hour']}/h "
          f"(p95 late {single['p95_lateness_s']} s, {single['cpu_s_per_check']} CPU s/check); ratio {ratio}×")
    print(json.dumps({"portals": args.portals, "every": args.every, "jitter": args.jitter, "demand_checks_per_hour": demand,
                      "batches": batch, "process_per_source": single, "checks_per_hour_ratio": ratio,
                      "cpu_per_check_ratio": cpu_ratio}))


def _seconds(every: str) -> float:
    from crawler.clock import parse_duration

    return parse_duration(every).total_seconds()


if __name__ == "__main__":
    main()
