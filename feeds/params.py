"""Query parameters of the feed server, validated: every bad value is a `BadParameter` naming the
parameter and what was wrong, which the server answers with 400 (never a 500)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from portaltext.meeting.kinds import KINDS
from portaltext.text import slugify
from store.browse import Query
from store.search import SearchError, terms

from .http import ignored_param

MAX_LIMIT = 500  # items per feed a reader may ask for; more would let one request read the whole store
MAX_PAGE = 10_000
MAX_VALUE_CHARS = 200
FILTERS = ("province", "source", "agency", "kind", "person", "q", "since", "until")
FEED_PARAMS = (*FILTERS, "limit", "fulltext")
PAGE_PARAMS = (*FILTERS, "page")
# What the changes and operator feeds can be narrowed by (their items are not meeting reports).
FAMILY_PARAMS = {"changes": ("province", "source", "since", "until", "limit", "fulltext"),
                 "ops": ("province", "source", "since", "until", "limit")}
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ufffd]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadParameter(ValueError):
    """One line for the reader: `since: not a date (YYYY-MM-DD): '2024-13-01'`."""


@dataclass(frozen=True)
class Known:
    """What values the store knows, for the parameters that must name one."""

    provinces: Collection[str]  # names
    sources: Collection[str]  # ids


@dataclass(frozen=True)
class Parsed:
    query: Query
    limit: int | None = None
    fulltext: bool = True
    page: int = 1
    canonical: str = ""  # the given parameters, sorted: a cache key and the feed's self link


def _date(name: str, value: str) -> dt.date:
    if not _DATE.match(value):
        raise BadParameter(f"{name}: not a date (YYYY-MM-DD): {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name}: no such day: {value!r}") from None


def _int(name: str, value: str, low: int, high: int | None = None) -> int:
    # str.isdigit() also accepts superscripts and other scripts' digits ("²", "٣"), which int() refuses.
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise BadParameter(f"{name}: not a whole number: {value!r}")
    n = int(value)
    if n < low or (high is not None and n > high):
        raise BadParameter(f"{name}: must be between {low} and {high}: {value!r}" if high else f"{name}: must be at least {low}")
    return n


def parse(params: QueryParams, accepted: tuple[str, ...], known: Known, default_limit: int | None = None,
          meetings_only: bool = True, where: str = "this page") -> Parsed:
    """The parameters as a Query, or BadParameter. Empty values (a form's blank fields) are unset."""
    values: dict[str, str] = {}
    for name in params:
        if ignored_param(name):
            continue
        if name not in accepted:
            raise BadParameter(f"{name}: not a parameter of {where} (accepted: {', '.join(accepted)})")
        given = params.getlist(name)
        if len(given) > 1:
            raise BadParameter(f"{name}: given {len(given)} times; give it once")
        value = given[0].strip()
        if len(value) > MAX_VALUE_CHARS:
            raise BadParameter(f"{name}: longer than {MAX_VALUE_CHARS} characters")
        if _CONTROL.search(value):
            raise BadParameter(f"{name}: contains control or invalid characters")
        if value:
            values[name] = value
    fields: dict[str, object] = {"meetings_only": meetings_only}
    if "province" in values:
        wanted = slugify(values["province"])
        names = [p for p in known.provinces if slugify(p) == wanted]
        if not names:
            raise BadParameter(f"province: no source or meeting is in {values['province']!r} "
                               f"(known: {', '.join(sorted(known.provinces))})")
        fields["province"] = names[0]
    if "source" in values:
        if values["source"] not in known.sources:
            raise BadParameter(f"source: no source has the id {values['source']!r}")
        fields["source"] = values["source"]
    if "kind" in values:
        if values["kind"] not in KINDS:
            raise BadParameter(f"kind: not a meeting kind: {values['kind']!r} (kinds: {', '.join(sorted(KINDS))})")
        fields["kind"] = values["kind"]
    for name in ("agency", "person"):
        if name in values:
            if slugify(values[name]) == "unknown":
                raise BadParameter(f"{name}: give a name or a slug (letters or digits)")
            fields[name] = values[name]
    if "q" in values:
        try:
            terms(values["q"])
        except SearchError as exc:
            raise BadParameter(str(exc)) from None
        fields["q"] = values["q"]
    for name in ("since", "until"):
        if name in values:
            fields[name] = _date(name, values[name])
    since, until = fields.get("since"), fields.get("until")
    if isinstance(since, dt.date) and isinstance(until, dt.date) and since > until:
        raise BadParameter(f"since: {since.isoformat()} is after until ({until.isoformat()})")
    limit = default_limit
    if "limit" in values:
        limit = min(_int("limit", values["limit"], 1), MAX_LIMIT)
    fulltext = True
    if "fulltext" in values:
        if values["fulltext"] not in ("0", "1"):
            raise BadParameter(f"fulltext: 0 or 1, not {values['fulltext']!r}")
        fulltext = values["fulltext"] == "1"
    page = _int("page", values["page"], 1, MAX_PAGE) if "page" in values else 1
    canonical = urlencode(sorted(values.items()))
    return Parsed(Query(**fields), limit, fulltext, page, canonical)  # type: ignore[arg-type]
