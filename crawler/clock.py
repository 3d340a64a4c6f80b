"""The time portalwatch runs at. PORTALWATCH_NOW (ISO 8601) moves it, so tests and benchmarks can
replay hours of re-check schedule in seconds; unset, it is the real clock."""

from __future__ import annotations

import logging
import os
import re
import time
from datetime import UTC, datetime, timedelta

from portaltext.dates import parse_iso

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
DURATION = re.compile(r"^\s*(\d{1,9})\s*([smhdw])\s*$")
# Past a year a schedule means "never", and `timedelta` and APScheduler overflow a little beyond.
MAX_DURATION = timedelta(days=366)


def now() -> datetime:
    """Aware UTC now (or PORTALWATCH_NOW)."""
    forced = os.environ.get("PORTALWATCH_NOW")
    if forced:
        value = parse_iso(forced)
        if value is None:
            raise ValueError(f"PORTALWATCH_NOW: not an ISO 8601 datetime: {forced!r}")
        return value.astimezone(UTC)
    return datetime.now(UTC)


def parse_duration(text: str) -> timedelta:
    """`30m`, `6h`, `1d`, `7d`, `2w`."""
    m = DURATION.match(text)
    if not m:
        raise ValueError(f"not a duration (use e.g. 30m, 6h, 1d, 7d): {text!r}")
    seconds = int(m.group(1)) * _UNITS[m.group(2)]
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"longer than {MAX_DURATION.days} days: {text!r}")
    return timedelta(seconds=seconds)


# Log lines carry Vietnam time, like every date the product shows; the offset is printed so a
# line read on a machine set to another zone is not misread.
LOG_DATEFORMAT = "%Y-%m-%d %H:%M:%S+07:00"
_VN_OFFSET = 7 * 3600


def _vietnam_struct_time(seconds: float | None = None) -> time.struct_time:
    return time.gmtime((time.time() if seconds is None else seconds) + _VN_OFFSET)


def vietnam_log_clock() -> None:
    """Every logging.Formatter (ours, Scrapy's, uvicorn's) writes its times in +07:00."""
    logging.Formatter.converter = staticmethod(_vietnam_struct_time)
