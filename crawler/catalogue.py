"""The catalogue of real provincial sources (crawler/data/catalogue.toml): the 34 provincial-level
units since the 2025 merger, the provinces each absorbed, and the sites found for them, each with
where and when it was seen. It is data: `portalwatch catalogue` prints entries as [[source]] TOML
for an operator's sources file, and `--check` reads each chosen entry's first list page and records
what answered in a local state file (the shipped catalogue never says an entry is verified).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portaltext.meeting.lexicon import PROVINCES
from portaltext.text import slugify

from .sources import ConfigError

DEFAULT_CATALOGUE = Path(__file__).parent / "data" / "catalogue.toml"
DEFAULT_STATE = Path("data") / "catalogue-state.json"
KINDS = ("portal", "hdnd", "vpubnd", "newspaper", "tv")
LEVELS = ("tỉnh", "thành phố")
UNITS_SINCE_2025 = 34
# A list page that links at least this many articles reads as a news list (crawler.preview's rule).
LIST_LINKS = 5
_ENTRY_KEYS = {"id", "unit", "kind", "name", "agency", "home", "lists", "cms", "seen_at", "seen_on", "note",
               "former", "verified"}


@dataclass(frozen=True)
class Unit:
    name: str
    level: str
    absorbed: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    id: str
    unit: str
    kind: str
    name: str
    agency: str
    home: str
    seen_at: str
    seen_on: str
    lists: tuple[str, ...] = ()
    cms: str = ""
    note: str = ""
    former: str = ""

    @property
    def start_urls(self) -> tuple[str, ...]:
        return self.lists or (self.home,)


@dataclass
class Catalogue:
    units: list[Unit]
    entries: list[Entry]
    meta: dict[str, str] = field(default_factory=dict)

    def unit(self, name: str) -> Unit | None:
        return next((u for u in self.units if u.name == name), None)


def _http(url: Any) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def parse_catalogue(text: str, where: str) -> Catalogue:
    """The catalogue in `text`; ConfigError naming the file, the entry and the key of the first problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    units: list[Unit] = []
    for n, u in enumerate(raw.get("unit", [])):
        label = f"{where}: unit #{n + 1}"
        if not isinstance(u, dict) or not isinstance(u.get("name"), str):
            raise ConfigError(f"{label}: key 'name': missing")
        if u["name"] not in PROVINCES:
            raise ConfigError(f"{label} ({u['name']}): key 'name': not a province name as portalwatch spells them")
        if u.get("level") not in LEVELS:
            raise ConfigError(f"{label} ({u['name']}): key 'level': one of {', '.join(LEVELS)}")
        absorbed = u.get("absorbed", [])
        if not isinstance(absorbed, list) or not all(isinstance(a, str) and a in PROVINCES for a in absorbed):
            raise ConfigError(f"{label} ({u['name']}): key 'absorbed': an array of province names")
        units.append(Unit(u["name"], u["level"], tuple(absorbed)))
    names = {u.name for u in units}
    entries: list[Entry] = []
    seen_ids: set[str] = set()
    seen_urls: dict[str, str] = {}
    for n, e in enumerate(raw.get("entry", [])):
        if not isinstance(e, dict):
            raise ConfigError(f"{where}: entry #{n + 1}: expected a table")
        label = f"{where}: entry '{e.get('id', f'#{n + 1}')}'"

        def fail(key: str, problem: str, label: str = label) -> ConfigError:
            return ConfigError(f"{label}: key '{key}': {problem}")

        for key in e:
            if key not in _ENTRY_KEYS:
                raise fail(key, f"unknown key (allowed: {', '.join(sorted(_ENTRY_KEYS))})")
        for key in ("id", "unit", "kind", "name", "agency", "home", "seen_at", "seen_on"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                raise fail(key, "missing or empty")
        if e["id"] in seen_ids:
            raise fail("id", "used twice")
        seen_ids.add(e["id"])
        if e["unit"] not in names:
            raise fail("unit", f"{e['unit']!r} is not one of the catalogue's units")
        if e["kind"] not in KINDS:
            raise fail("kind", f"one of {', '.join(KINDS)}")
        former = e.get("former", "")
        unit = next(u for u in units if u.name == e["unit"])
        if former and former not in unit.absorbed:
            raise fail("former", f"{former!r} is not a province {unit.name} absorbed")
        if e.get("verified", False) is not False:
            raise fail("verified", "a catalogue never says an entry is verified; `catalogue --check` records that "
                                   "in its state file")
        lists = e.get("lists", [])
        if not isinstance(lists, list) or not all(_http(u) for u in lists):
            raise fail("lists", "an array of http(s) URLs")
        if not _http(e["home"]):
            raise fail("home", "an http(s) URL")
        for url in {e["home"], *lists}:
            key = url.rstrip("/").lower()
            if key in seen_urls:
                raise fail("lists" if url in lists else "home", f"{url} is also entry '{seen_urls[key]}'s")
            seen_urls[key] = e["id"]
        entries.append(Entry(e["id"], e["unit"], e["kind"], e["name"], e["agency"], e["home"], e["seen_at"],
                             e["seen_on"], tuple(lists), e.get("cms", ""), e.get("note", ""), former))
    meta = {k: v for k, v in raw.get("meta", {}).items() if isinstance(v, str)}
    return Catalogue(units, entries, meta)


def load_catalogue(path: str | os.PathLike[str] | None = None) -> Catalogue:
    p = Path(path) if path else DEFAULT_CATALOGUE
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: catalogue file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read the catalogue: {exc}") from None
    return parse_catalogue(text, str(p))


def select(cat: Catalogue, province: str | None = None, kind: str | None = None) -> list[Entry]:
    """Entries of a unit (by its name or slug, diacritics optional, or the name of a province it
    absorbed), of one kind."""
    chosen = cat.entries
    if province:
        wanted = slugify(province)
        units = {u.name for u in cat.units if slugify(u.name) == wanted or any(slugify(a) == wanted for a in u.absorbed)}
        if not units:
            known = ", ".join(u.name for u in cat.units)
            raise ConfigError(f"--province {province}: not a provincial-level unit or a province one absorbed "
                              f"(units: {known})")
        chosen = [e for e in chosen if e.unit in units]
    if kind:
        chosen = [e for e in chosen if e.kind == kind]
    return chosen


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def source_toml(entry: Entry, state: dict[str, Any] | None = None) -> str:
    """One ready-to-paste [[source]] entry, its provenance in comments above it."""
    checked = (state or {}).get(entry.id)
    lines = [f"# {entry.name} ({entry.kind}, {entry.unit}" + (f", formerly {entry.former}" if entry.former else "") + ")",
             f"# seen at {entry.seen_at} ({entry.seen_on})"]
    if checked and checked.get("verified"):
        lines.append(f"# verified = true: its list answered on {checked['checked_at']} ({checked['links']} article links)")
    else:
        lines.append("# verified = false: not crawled yet (portalwatch catalogue --check)")
    if not entry.lists:
        lines.append(f"# only the home page is known: `portalwatch discover {entry.home}` proposes its news lists")
    if entry.note:
        lines.append(f"# {entry.note}")
    lines += ["[[source]]", f"id = {_toml_str(entry.id)}", f"name = {_toml_str(entry.name)}",
              f"province = {_toml_str(entry.unit)}", f"agency = {_toml_str(entry.agency)}",
              "start_urls = [" + ", ".join(_toml_str(u) for u in entry.start_urls) + "]", 'every = "1h"']
    return "\n".join(lines) + "\n"


def as_json(entry: Entry, state: dict[str, Any] | None = None) -> dict[str, Any]:
    found = asdict(entry)
    found["lists"] = list(entry.lists)
    found["start_urls"] = list(entry.start_urls)
    checked = (state or {}).get(entry.id)
    found["verified"] = bool(checked and checked.get("verified"))
    found["check"] = checked
    return found


# ------------------------------------------------------------------------------------------ check
@dataclass
class CheckResult:
    id: str
    url: str
    checked_at: str
    answered: bool
    final_url: str | None = None
    redirected: bool = False
    links: int = 0
    looks_like_list: bool = False
    error: str | None = None

    @property
    def verified(self) -> bool:
        return self.answered and self.looks_like_list

    def line(self) -> str:
        if not self.answered:
            return f"{self.id}: no answer: {self.error}"
        where = f" (redirected to {self.final_url})" if self.redirected else ""
        verdict = "a news list" if self.looks_like_list else f"answers but lists only {self.links} article links"
        return f"{self.id}: {verdict}{where}: {self.url}" + (f", {self.links} article links" if self.looks_like_list else "")


def check_entry(entry: Entry) -> CheckResult:
    """Read the entry's first start URL as a list, one page deep, as `portalwatch try --as list` does."""
    from .preview import PreviewError, fetch, read_list

    url = entry.start_urls[0]
    at = datetime.now(UTC).replace(microsecond=0).isoformat()
    try:
        page = fetch(url)
        listed = read_list(page)
    except PreviewError as exc:
        return CheckResult(entry.id, url, at, answered=False, error=str(exc).removeprefix(f"{url}: "))
    links = len(listed["links"])
    return CheckResult(entry.id, url, at, answered=True, final_url=page.url,
                       redirected=page.url.rstrip("/") != url.rstrip("/"), links=links,
                       looks_like_list=links >= LIST_LINKS or listed["read_as"] != "html")


def check(entries: Iterable[Entry], workers: int = 8) -> list[CheckResult]:
    chosen = list(entries)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(chosen)))) as pool:
        return list(pool.map(check_entry, chosen))


def load_state(path: Path) -> dict[str, Any]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the catalogue state file: {exc}") from None
    return found if isinstance(found, dict) else {}


def save_state(path: Path, state: dict[str, Any], results: list[CheckResult]) -> None:
    for r in results:
        state[r.id] = {**asdict(r), "verified": r.verified}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)  # a killed check leaves the old state whole
