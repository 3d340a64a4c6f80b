"""The sources file: one `[[source]]` TOML table per portal, validated strictly.

A source is data: `id`, `name`, `province`, `agency`, `start_urls`, and only when the zero-config
path needs help, `[source.list]` (`item`, `next`) and `[source.article]` (`title`, `date`, `body`,
`author`) selectors. Selectors are CSS, or XPath when they start with `/` or `(`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .clock import parse_duration

DEFAULT_SOURCES = "sources.toml"


class ConfigError(Exception):
    """A problem in the sources file, worded for a one-line message."""


@dataclass(frozen=True)
class ListSelectors:
    item: str | None = None
    next: str | None = None


@dataclass(frozen=True)
class ArticleSelectors:
    title: str | None = None
    date: str | None = None
    body: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class UrlRules:
    """Which query parameters identify an article on this portal (`id_params`: keep only these),
    or which never do (`ignore_params`: drop these too), on top of the shared tracking/session list."""

    id_params: tuple[str, ...] = ()
    ignore_params: tuple[str, ...] = ()


DEFAULT_RECHECK = ("1h", "6h", "1d", "7d")
DEFAULT_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    province: str
    agency: str
    start_urls: tuple[str, ...]
    list: ListSelectors = field(default_factory=ListSelectors)
    article: ArticleSelectors = field(default_factory=ArticleSelectors)
    urls: UrlRules = field(default_factory=UrlRules)
    # Re-fetch a known article this long after first seen, then stop (the decaying schedule).
    recheck: tuple[timedelta, ...] = tuple(parse_duration(d) for d in DEFAULT_RECHECK)
    # Scheduling: `every` (an interval) or `cron` (five fields, Vietnam time), with random jitter.
    every: timedelta | None = None
    cron: str | None = None
    jitter: timedelta = timedelta(seconds=0)
    enabled: bool = True
    # False accepts a portal's broken or self-signed TLS certificate (logged at every run).
    tls_verify: bool = True

    @property
    def interval(self) -> timedelta:
        """The usual time between runs (for cron sources, between the next two firings)."""
        if self.cron:
            from apscheduler.triggers.cron import CronTrigger

            from .clock import now

            trigger = CronTrigger.from_crontab(self.cron, timezone="Asia/Ho_Chi_Minh")
            first = trigger.get_next_fire_time(None, now())
            second = trigger.get_next_fire_time(first, first + timedelta(seconds=1)) if first else None
            if first and second:
                return second - first
        return self.every or DEFAULT_EVERY


_REQUIRED_STR = ("id", "name", "province", "agency")
_TABLES: dict[str, tuple[str, ...]] = {"list": ("item", "next"), "article": ("title", "date", "body", "author")}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def sources_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit or os.environ.get("PORTALWATCH_SOURCES") or DEFAULT_SOURCES)


def _type_name(value: Any) -> str:
    return {str: "string", int: "integer", float: "number", bool: "boolean", list: "array",
            dict: "table"}.get(type(value), type(value).__name__)


def _source(raw: Any, index: int, where: str) -> Source:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: source #{index + 1}: expected a table, got {_type_name(raw)}")
    sid = raw.get("id")
    label = f"source '{sid}'" if isinstance(sid, str) and sid else f"source #{index + 1}"

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{where}: {label}: key '{key}': {problem}")

    allowed = set(_REQUIRED_STR) | {"start_urls", "recheck", "urls", "every", "cron", "jitter", "enabled",
                                    "tls_verify"} | set(_TABLES)
    for key in raw:
        if key not in allowed:
            raise fail(key, f"unknown key (allowed: {', '.join(sorted(allowed))})")
    for key in _REQUIRED_STR:
        if key not in raw:
            raise fail(key, "missing")
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise fail(key, f"expected a non-empty string, got {_type_name(raw[key])}")
    if not _ID.match(raw["id"]):
        raise fail("id", "use lower-case letters, digits, '-' and '_' only")
    urls = raw.get("start_urls")
    if urls is None:
        raise fail("start_urls", "missing")
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
        raise fail("start_urls", f"expected a non-empty array of strings, got {_type_name(urls)}")
    for u in urls:
        try:
            parts = urlsplit(u)
            parts.port  # noqa: B018 - urlsplit checks the port only when asked
        except ValueError as exc:
            raise fail("start_urls", f"not a URL ({exc}): {u!r}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise fail("start_urls", f"not an http(s) URL: {u!r}")
    tables: dict[str, dict[str, str]] = {}
    for table, keys in _TABLES.items():
        value = raw.get(table, {})
        if not isinstance(value, dict):
            raise fail(table, f"expected a table, got {_type_name(value)}")
        for key, selector in value.items():
            if key not in keys:
                raise fail(f"{table}.{key}", f"unknown key (allowed: {', '.join(keys)})")
            if not isinstance(selector, str) or not selector.strip():
                raise fail(f"{table}.{key}", f"expected a selector string, got {_type_name(selector)}")
            problem = selector_problem(selector)
            if problem:
                raise fail(f"{table}.{key}", problem)
        tables[table] = value
    recheck = raw.get("recheck", list(DEFAULT_RECHECK))
    if not isinstance(recheck, list) or not all(isinstance(d, str) for d in recheck):
        raise fail("recheck", f"expected an array of durations like [\"1h\", \"1d\"], got {_type_name(recheck)}")
    try:
        steps = tuple(parse_duration(d) for d in recheck)
    except ValueError as exc:
        raise fail("recheck", str(exc)) from None
    url_rules = raw.get("urls", {})
    if not isinstance(url_rules, dict):
        raise fail("urls", f"expected a table, got {_type_name(url_rules)}")
    for key, value in url_rules.items():
        if key not in ("id_params", "ignore_params"):
            raise fail(f"urls.{key}", "unknown key (allowed: id_params, ignore_params)")
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(f"urls.{key}", f"expected an array of parameter names, got {_type_name(value)}")
    schedule = _schedule(raw, fail)
    for key in ("enabled", "tls_verify"):
        if key in raw and not isinstance(raw[key], bool):
            raise fail(key, f"expected true or false, got {_type_name(raw[key])}")
    return Source(
        id=raw["id"], name=raw["name"].strip(), province=raw["province"].strip(), agency=raw["agency"].strip(),
        start_urls=tuple(urls), list=ListSelectors(**tables["list"]), article=ArticleSelectors(**tables["article"]),
        urls=UrlRules(tuple(url_rules.get("id_params", ())), tuple(url_rules.get("ignore_params", ()))),
        recheck=steps, enabled=raw.get("enabled", True), tls_verify=raw.get("tls_verify", True), **schedule,
    )


def selector_problem(selector: str) -> str | None:
    """Why a selector cannot be compiled, or None: a typo must fail at load, not match nothing forever."""
    from lxml import etree
    from lxml.cssselect import CSSSelector, SelectorError

    try:
        if selector.startswith(("/", "(")):
            etree.XPath(selector)
        else:
            CSSSelector(selector)
    except etree.XPathSyntaxError as exc:
        return f"not a valid XPath expression ({exc}): {selector!r}"
    except (SelectorError, etree.XPathError, ValueError) as exc:
        return f"not a valid CSS selector ({str(exc).splitlines()[0]}): {selector!r}"
    return None


def _schedule(raw: dict[str, Any], fail: Any) -> dict[str, Any]:
    if "every" in raw and "cron" in raw:
        raise fail("cron", "give either 'every' or 'cron', not both")
    out: dict[str, Any] = {}
    for key in ("every", "jitter"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise fail(key, f"expected a duration like \"30m\", got {_type_name(raw[key])}")
            try:
                out[key] = parse_duration(raw[key])
            except ValueError as exc:
                raise fail(key, str(exc)) from None
    if "every" in out and out["every"].total_seconds() <= 0:
        raise fail("every", "must be longer than 0s")
    if "cron" in raw:
        if not isinstance(raw["cron"], str):
            raise fail("cron", f"expected a crontab string like \"0 */2 * * *\", got {_type_name(raw['cron'])}")
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(raw["cron"], timezone="Asia/Ho_Chi_Minh")
        except ValueError as exc:
            raise fail("cron", f"not a crontab expression ({exc})") from None
        out["cron"] = raw["cron"]
    return out


def parse_sources(text: str, where: str = "<sources>") -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    unknown = set(data) - {"source"}
    if unknown:
        raise ConfigError(f"{where}: unknown top-level key '{sorted(unknown)[0]}' (expected [[source]] tables)")
    raw = data.get("source", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: 'source' must be an array of tables: write [[source]], not [source]")
    sources = [_source(r, i, where) for i, r in enumerate(raw)]
    seen: set[str] = set()
    for s in sources:
        if s.id in seen:
            raise ConfigError(f"{where}: source '{s.id}': key 'id': duplicate id")
        seen.add(s.id)
    return sources


_PARSED: dict[tuple[str, int, int], list[Source]] = {}


def load_sources(path: str | os.PathLike[str] | None = None) -> list[Source]:
    """The sources file, parsed once per version of it: a batch crawl opens one spider per source,
    and each would otherwise parse a file of thousands of sources again."""
    p = sources_path(path)
    try:
        stat = p.stat()
        key = (str(p.resolve()), stat.st_mtime_ns, stat.st_size)
        if key in _PARSED:
            return list(_PARSED[key])
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: sources file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read sources file: {exc}") from None
    parsed = parse_sources(text, str(p))
    _PARSED.clear()
    _PARSED[key] = parsed
    return list(parsed)


def get_source(sources: list[Source], source_id: str, where: str = "sources file") -> Source:
    for s in sources:
        if s.id == source_id:
            return s
    known = ", ".join(s.id for s in sources) or "none"
    raise ConfigError(f"{where}: no source with id '{source_id}' (known: {known})")
