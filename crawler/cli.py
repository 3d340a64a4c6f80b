"""The `portalwatch` command. Every command has help with an example (`portalwatch COMMAND --help`).

Exit codes: 0 success; 2 bad usage, configuration or an unusable database (one-line message);
1 when every crawled source failed, an article could not be stored, or an unexpected error occurred.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from crawler import __version__
from crawler.clock import vietnam_log_clock
from crawler.sources import ConfigError, Source, get_source, load_sources, sources_path
from portaltext.dates import ReportDate, iso, parse_iso, report_date, show_moment
from portaltext.meeting.kinds import KINDS
from store.db import Database, DatabaseError, default_db_url, error_line, open_db

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    def __init__(self, db: str | None, sources: str | None) -> None:
        self.db_url = default_db_url(db)
        self.sources_file = sources_path(sources)

    def open_db(self) -> Database:
        db = open_db(self.db_url)
        close_orphaned_runs(db)
        return db

    def load_sources(self) -> list[Source]:
        return load_sources(self.sources_file)

    def intervals(self) -> dict[str, dt.timedelta]:
        """source id → crawl interval, for the feeds' ttl; empty when there is no sources file."""
        if not self.sources_file.exists():
            return {}
        return {s.id: s.interval for s in self.load_sources() if s.enabled}


class NotFound(click.ClickException):
    """Something the user named is not there: exit 2 like any other bad input, in one line."""

    exit_code = 2


def reader_left() -> NoReturn:
    """`portalwatch export | head`: the reader of our output left; not an error worth a word, exit 0.
    stdout is pointed at /dev/null so the interpreter's last flush at exit does not raise again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)


def friendly(fn: F) -> F:
    """Turn configuration and database problems into one-line messages with exit code 2."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (ConfigError, DatabaseError) as exc:
            raise click.UsageError(str(exc)) from None
        except BrokenPipeError:
            reader_left()  # before click, which would make it exit 1
        except OSError as exc:
            raise click.ClickException(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None

    return wrapper  # type: ignore[return-value]


def close_orphaned_runs(db: Database) -> None:
    """Runs left `running` by a killed or failed process are closed as `interrupted` at the next start
    of any command; a full disk that refuses even that is said, and the command goes on."""
    from sqlalchemy.exc import SQLAlchemyError

    from crawler.clock import now
    from store.monitor import interrupt_orphaned_runs

    try:
        for sid, trigger in sorted(interrupt_orphaned_runs(db, now()).items()):
            click.echo(f"note: the last {trigger} run of {sid} was interrupted (its process ended without finishing it)",
                       err=True)
    except SQLAlchemyError as exc:
        click.echo(f"warning: interrupted runs not closed: {error_line(exc)}", err=True)


def sync_derived(db: Any) -> None:
    """Bring every derived table (clusters, verdicts and meeting records, search) up to date before
    reading them; say on stderr, one line each, what could not be read (that record stays missing,
    everything else goes on)."""
    from store.derived import sync_all

    failures = sync_all(db).failures
    for failure in failures[:20]:
        click.echo(f"warning: {failure}", err=True)
    if len(failures) > 20:
        click.echo(f"warning: ... and {len(failures) - 20} more articles whose meeting record failed", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="portalwatch")
@click.option("--db", metavar="URL", help="SQLAlchemy URL or SQLite path [env PORTALWATCH_DB; default data/portalwatch.db]")
@click.option("--sources", metavar="FILE", help="Sources TOML file [env PORTALWATCH_SOURCES; default sources.toml]")
@click.pass_context
def cli(ctx: click.Context, db: str | None, sources: str | None) -> None:
    """portalwatch: crawl Vietnamese provincial government portals and publish
    RSS/Atom feeds of meeting reports.

    \b
    Example:
      portalwatch --sources sources.toml crawl
      portalwatch feeds build --out data/feeds
    """
    ctx.obj = Context(db, sources)


def _since_date(value: str | None, option: str = "--since") -> dt.date | None:
    """A date option (--since, --until) of crawl and meetings, checked."""
    if not value:
        return None
    parsed = parse_iso(value)
    if parsed is None:
        raise click.UsageError(f"{option}: not a date (use YYYY-MM-DD): {value!r}")
    return parsed.date()


# ----------------------------------------------------------------------------------- crawl
@cli.command()
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Crawl only this source (repeatable).")
@click.option("--max-pages", type=click.IntRange(1, 10_000), default=None,
              help="List pages to follow per start URL [default: 5; 100 with --backfill].")
@click.option("--backfill", is_flag=True, help="Walk the lists on purpose instead of stopping at known articles.")
@click.option("--since", metavar="DATE", help="With --backfill: stop at list entries older than DATE (YYYY-MM-DD).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
@click.pass_obj
@friendly
def crawl(obj: Context, source_ids: tuple[str, ...], max_pages: int | None, backfill: bool, since: str | None,
          verbose: bool) -> None:
    """Crawl sources once: list pages, new and known articles, into the database.

    A source's first crawl follows its lists up to --max-pages. Later (routine) crawls send
    conditional GETs, fetch only articles not yet stored, stop at the first list page with nothing
    new, and re-fetch known articles due on the re-check schedule to catch edits and removals.
    Each source's run is recorded; a failing source does not stop the others; the exit code is 1
    when every source failed or an article could not be stored (a full disk, say).

    \b
    Example:
      portalwatch crawl --source baohatinh --max-pages 3
      portalwatch crawl --backfill --since 2024-01-01
    """
    if since and not backfill:
        raise click.UsageError("--since goes with --backfill")
    _since_date(since)
    max_pages = max_pages or (100 if backfill else 5)
    from crawler.runner import run_crawls

    sources = obj.load_sources()
    selected = [get_source(sources, sid, str(obj.sources_file)) for sid in source_ids] if source_ids else sources
    if not selected:
        raise click.UsageError(f"{obj.sources_file}: no sources defined")
    started = time.monotonic()
    result = run_crawls(obj.db_url, obj.sources_file, [s.id for s in selected], max_pages, verbose, backfill, since)
    runs = result.runs
    elapsed = time.monotonic() - started
    from store.repo import counts_by_source

    db = open_db(obj.db_url, upgrade=False)  # run_crawls has migrated it
    totals = counts_by_source(db)
    for run in runs:
        total, meetings = totals.get(run.source_id, (0, 0))
        line = (f"{run.source_id}: {run.status} ({run.mode}) - {run.articles_seen} articles fetched "
                f"({run.articles_new} new, {run.articles_updated} updated, {run.articles_removed} removed, "
                f"{run.articles_restored} restored), {run.pages_fetched} pages ({run.list_not_modified} not modified, "
                f"{run.rechecks} re-checks), {len(run.errors)} errors; "
                f"stored {total} articles, {meetings} meeting reports")
        click.echo(line)
        for error in dict.fromkeys(([run.error] if run.error else []) + list(run.errors[:10])):
            click.echo(f"  error: {error}")
        if len(run.errors) > 10:
            click.echo(f"  ... and {len(run.errors) - 10} more errors")
    for note in result.not_crawled:
        click.echo(f"error: {note}", err=True)
    click.echo(f"crawled {len(runs)} source(s) in {elapsed:.1f} s")
    db.dispose()
    from crawler.extensions import STORE_FAILED

    lost = [r.source_id for r in runs if (r.error or "").startswith(STORE_FAILED)]
    if lost:
        click.echo(f"error: articles of {', '.join(lost)} could not be stored; see the errors above", err=True)
    # A run still `running` here is one whose own record the database refused (a full disk): it is
    # closed as `interrupted` by the next command that can write.
    unrecorded = [r.source_id for r in runs if r.status == "running"]
    if unrecorded:
        click.echo(f"error: the runs of {', '.join(unrecorded)} could not be stored (the database refused the write)",
                   err=True)
    if (runs and all(r.status == "failed" for r in runs)) or lost or unrecorded or (result.not_crawled and not runs):
        sys.exit(1)


# ----------------------------------------------------------------------------------- try / discover
@cli.command("try")
@click.argument("url")
@click.option("--as", "as_", type=click.Choice(["auto", "list", "article"]), default="auto", show_default=True,
              help="Read the page as a list or as an article; auto: a list when it lists five or more articles.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of text.")
@friendly
def try_(url: str, as_: str, as_json: bool) -> None:
    """Preview what zero-config reads on one page, before adding a portal: on a list, its article links
    (and the URL shapes of the block they came from), the next page and how it was found, its feeds;
    on an article, the title, the date and where it came from, author, lead, first and last paragraph,
    and the meeting verdict with its score and reason. Nothing is stored.

    \b
    Example:
      portalwatch try https://vpubnd.langson.gov.vn/tin-tuc-su-kien
      portalwatch try --as article --json https://baohatinh.vn/chinh-tri/so-xay-dung-post257412.html
    """
    from crawler.preview import PreviewError, try_url

    try:
        found = try_url(url, as_)
    except PreviewError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if found["as"] == "list":
        click.echo(f"{found['url']}: a list ({found['read_as']}), {len(found['links'])} article links")
        for shape, n in found["url_shapes"].items():
            click.echo(f"  block: {n} links shaped {shape}")
        for link in found["links"]:
            click.echo(f"  {link['listed_date'] or '-':25} {link['title'][:70]}  {link['url']}")
        click.echo(f"next page: {found['next'] or 'none'}" + (f" (found by {found['next_found_by']})" if found["next"] else ""))
        for feed in found["feeds"]:
            click.echo(f"feed: {feed}")
        return
    m = found["meeting"]
    click.echo(f"{found['url']}: an article\n  title: {found['title']}\n  published: {found['published'] or 'no date'}"
               f" (from {found['date_from'] or '-'})\n  author: {found['author'] or '-'}\n  lead: {found['lead'] or '-'}\n"
               f"  first paragraph: {found['first_paragraph'] or '-'}\n  last paragraph: {found['last_paragraph'] or '-'}\n"
               f"  paragraphs: {found['paragraphs']}\n  meeting: {'yes' if m['is_meeting'] else 'no'}, score {m['score']:.2f}: "
               f"{m['reason']}")
    for problem in found["problems"]:
        click.echo(f"  problem: {problem}")


@cli.command()
@click.argument("url")
@click.option("--province", help="Province for the entries (default: the one the home page names).")
@click.option("--agency", help="Agency for the entries (default: the site's name from its <title>).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of TOML.")
@friendly
def discover(url: str, province: str | None, agency: str | None, as_json: bool) -> None:
    """Find a portal's news sections from its home page (menu entries such as "Tin tức - Sự kiện",
    "Hoạt động", "Chỉ đạo điều hành", and its feeds), try each one list page deep, and print
    ready-to-paste [[source]] entries ranked by how many dated articles each lists.

    \b
    Example:
      portalwatch discover https://hdnd.hatinh.gov.vn/ --province "Hà Tĩnh" >> sources.toml
    """
    from crawler.preview import PreviewError
    from crawler.preview import discover as find_sections

    try:
        found = find_sections(url, province, agency)
    except PreviewError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found["sections"]:
        raise click.ClickException(f"{found['url']}: no news section found (tried {len(found['tried'])} menu entries)")
    for section in found["sections"]:
        click.echo(f"# {section['label']}: {section['articles']} articles, {section['dated']} with a date"
                   + (f", next page by {section['next_found_by']}" if section.get("next_found_by") else ""))
        click.echo(section["toml"])


# ----------------------------------------------------------------------------------- export
def _day(shown: ReportDate) -> str | None:
    return shown.day.isoformat() if shown.day else None


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output format: one JSON object per article per line.")
@click.option("--meetings", is_flag=True, help="Only meeting reports.")
@click.option("--source", "source_id", metavar="ID", help="Only this source's articles.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Write to FILE instead of stdout.")
@click.pass_obj
@friendly
def export(obj: Context, fmt: str, meetings: bool, source_id: str | None, out: str | None) -> None:
    """Export stored articles, one JSON object per line.

    Fields: url (the canonical URL: the article's identity, which may not answer), link (the
    URL it was fetched from: open this one), source, province, agency, title, published (ISO
    8601 with +07:00, or null), date and date_kind (the date readers are shown: the published
    day, else the meeting's day, else null; date_kind is published, event or unknown), author,
    lead, text, captions, is_meeting, meeting_score (the classifier's probability, 0-1),
    meeting_reason (the signals that decided it), meeting_error (why the meeting record could
    not be read, or null), first_seen, last_seen, content_hash, removed_at,
    aliases, versions (each with fetched_at, title, published, content_hash, diff), cluster
    for near-duplicates across portals (id; representative and also_published_at, each copy
    with url, link, source, source_name and title), and meeting
    (null unless is_meeting): kind, kind_label, detail, event_date (YYYY-MM-DD), time_of_day,
    province, agency, subject_agency, people (name, title, role) and documents (type, number,
    symbol, code, issuer, date).

    \b
    Example:
      portalwatch export --format jsonl --meetings > meetings.jsonl
    """
    from store.history import article_extras
    from store.meetings import as_dict, records
    from store.repo import articles

    db = obj.open_db()
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout
    try:
        sync_derived(db)
        rows = articles(db, meetings_only=meetings, source_id=source_id)
        extras = article_extras(db, [a.id for a, _ in rows])
        meeting_records = records(db, [a.id for a, _ in rows if a.is_meeting])
        for a, src in rows:
            extra = extras[a.id]
            shown = report_date(a.published_at, meeting_records[a.id].event_date if a.id in meeting_records else None)
            record = {
                "url": a.url, "link": a.fetched_url or a.url, "source": a.source_id, "province": src.province,
                "agency": src.agency,
                "title": a.title, "published": iso(a.published_at), "date": _day(shown), "date_kind": shown.kind,
                "author": a.author, "lead": a.lead,
                "text": a.text, "captions": a.captions, "is_meeting": a.is_meeting,
                "meeting_score": a.meeting_score, "meeting_reason": a.meeting_reason, "meeting_error": a.meeting_error,
                "first_seen": iso(a.first_seen), "last_seen": iso(a.last_seen), "content_hash": a.content_hash,
                "removed_at": iso(a.removed_at), "aliases": extra.aliases,
                "versions": [{"fetched_at": iso(v.fetched_at), "title": v.title, "published": iso(v.published_at),
                              "content_hash": v.content_hash, "diff": v.diff} for v in extra.versions],
                "cluster": None if a.cluster_id is None else {
                    "id": a.cluster_id,
                    "representative": extra.representative.as_dict() if extra.representative else None,
                    "also_published_at": [c.as_dict() for c in extra.also_published_at]},
                "meeting": as_dict(meeting_records[a.id]) if a.id in meeting_records else None,
            }
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if out:
            stream.close()
        db.dispose()


# ----------------------------------------------------------------------------------- history
@cli.command()
@click.argument("url")
@click.pass_obj
@friendly
def history(obj: Context, url: str) -> None:
    """Show an article's versions, word diffs, removals, restorations and failures.

    URL may be any URL the article was found under (it is canonicalised first). Failures are
    the recorded errors of recent runs for that URL (a fetch that failed, a page that could not
    be read) and a meeting record that could not be read; a URL that was never stored but
    failed is shown with its failures.

    \b
    Example:
      portalwatch history "https://baohatinh.vn/so-xay-dung-can-tung-buoc-post257412.html"
    """
    from urllib.parse import urlsplit

    from crawler.urls import canonicalize
    from store.history import article_history, failures_of

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - urlsplit checks brackets and ports only when asked
    except ValueError as exc:
        raise click.BadParameter(f"not a URL ({exc}): {url!r}", param_hint="URL") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"not an http(s) URL: {url!r}", param_hint="URL")
    db = obj.open_db()
    try:
        found = article_history(db, url)
        failed = failures_of(db, [url, canonicalize(url)] + ([found[0].fetched_url, found[0].url] if found else []),
                             found[0].source_id if found else None)
    finally:
        db.dispose()
    if found is None:
        if not failed:
            raise NotFound(f"{url}: no stored article has this URL, and no run recorded a failure for it")
        # Never stored because every attempt failed: the failures are its whole history.
        click.echo(f"{url}\nnot stored: every recorded attempt failed")
        for f in failed:
            click.echo(f"  {show_moment(f.at)} ({f.source_id}) {f.message}")
        return
    a, versions, changes = found
    click.echo(f"{a.title}\n{a.fetched_url}" + (f"\n(identity {a.url})" if a.url != a.fetched_url else "")
               + f"\nsource {a.source_id}; first seen {show_moment(a.first_seen)}; last seen {show_moment(a.last_seen)}"
               + (f"; removed {show_moment(a.removed_at)}" if a.removed_at else ""))
    for n, v in enumerate(versions, start=1):
        click.echo(f"\nversion {n} - fetched {show_moment(v.fetched_at)} - {v.content_hash[:12]}")
        click.echo(f"  {v.title}")
        if v.diff:
            for line in v.diff.splitlines():
                click.echo(f"  {line}")
    for c in changes:
        if c.kind != "edited":
            click.echo(f"\n{c.kind} at {show_moment(c.at)}: {c.summary}")
    if a.meeting_error:
        click.echo(f"\nmeeting record failed: {a.meeting_error}")
    if failed:
        click.echo("\nfailures:")
        for f in failed:
            click.echo(f"  {show_moment(f.at)} {f.message}")


# ----------------------------------------------------------------------------------- meetings
@cli.command("meetings")
@click.option("--kind", type=click.Choice(sorted(KINDS)),
              help="Only this kind of meeting.")
@click.option("--person", metavar="NAME", help='Only meetings this person took part in ("Trần Tú Anh" or tran-tu-anh).')
@click.option("--agency", metavar="A", help='Only meetings held by or about this agency ("HĐND tỉnh Hà Tĩnh", "so xay dung").')
@click.option("--province", metavar="P", help="Only meetings in this province.")
@click.option("--source", "source_id", metavar="ID", help="Only meetings reported by this source, e.g. --source baohatinh.")
@click.option("--since", metavar="DATE",
              help="Only reports dated on or after DATE (YYYY-MM-DD): published, else the meeting's day.")
@click.option("--until", metavar="DATE", help="Only reports dated on or before DATE (YYYY-MM-DD), e.g. --until 2026-06-30.")
@click.option("--limit", type=click.IntRange(1, 1_000_000), default=None,
              help="At most this many, newest first (undated reports last).")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per line: url (identity), link (open this), date, date_kind, the record.")
@click.pass_obj
@friendly
def meetings_cmd(obj: Context, kind: str | None, person: str | None, agency: str | None, province: str | None,
                 source_id: str | None, since: str | None, until: str | None, limit: int | None,
                 as_json: bool) -> None:
    """List meeting records: what was held, when, by whom, with whom.

    Each meeting report is read into a record: its kind (slug from the taxonomy in README), the
    event date and time of day, the province, the host agency and the agency inspected or
    visited, the people with their titles and roles, and the documents cited. Names match with
    or without diacritics.

    \b
    Example:
      portalwatch meetings --kind giam-sat --since 2023-01-01
      portalwatch meetings --person "Trần Tú Anh" --json
    """
    from feeds.build import meeting_line
    from store.browse import Query, find
    from store.meetings import as_dict

    since_date = _since_date(since)
    until_date = _since_date(until, "--until")
    if since_date and until_date and since_date > until_date:
        raise click.UsageError(f"--since {since_date.isoformat()} is after --until {until_date.isoformat()}")
    db = obj.open_db()
    if source_id is not None:
        from store.repo import sources as stored_sources

        known = [s.id for s in stored_sources(db)]
        if source_id not in known:
            db.dispose()
            raise NotFound(f"--source: no stored source has the id {source_id!r} (known: {', '.join(known) or 'none'})")
    sync_derived(db)
    found = find(db, Query(kind=kind, agency=agency, person=person, province=province, source=source_id,
                           since=since_date, until=until_date), limit=limit)
    db.dispose()
    rows = [f for f in found if f.meeting is not None]
    for f in rows:
        a, src, m, shown = f.article, f.source, f.meeting, f.date
        assert m is not None
        if as_json:
            click.echo(json.dumps({"url": a.url, "link": a.fetched_url or a.url, "source": src.id, "title": a.title,
                                   "published": iso(a.published_at), "date": _day(shown), "date_kind": shown.kind,
                                   "first_seen": iso(a.first_seen), "meeting": as_dict(m)}, ensure_ascii=False))
            continue
        click.echo(f"{shown.label()} | {meeting_line(m)}" + f" | {a.title}")
        for p in m.people:
            click.echo(f"    {p.role}: {p.name}" + (f", {p.title}" if p.title else ""))
        click.echo(f"    {a.fetched_url}")
    if not as_json:
        click.echo(f"{len(rows)} meeting(s)")


# ----------------------------------------------------------------------------------- feeds
@cli.group()
def feeds() -> None:
    """Build RSS/Atom feeds of meeting reports.

    \b
    Example:
      portalwatch feeds build --out data/feeds
    """


@feeds.command("build")
@click.option("--out", type=click.Path(file_okay=False), default="data/feeds", show_default=True,
              help="Folder the feed files are written to, e.g. --out /var/www/feeds.")
@click.option("--base-url", default="http://127.0.0.1:8080/feeds", show_default=True,
              help="Public URL the feeds folder is served at (for self links).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True, help="Items per feed.")
@click.pass_obj
@friendly
def feeds_build(obj: Context, out: str, base_url: str, limit: int) -> None:
    """Write every feed as .rss, .atom and .json: meetings, province/, source/, kind/, agency/, person/, changes, ops.

    \b
    Example:
      portalwatch feeds build --out data/feeds --base-url https://feeds.example.org/feeds
    """
    from feeds.build import build_all

    db = obj.open_db()
    sync_derived(db)
    written = build_all(db, out, base_url=base_url, limit=limit, intervals=obj.intervals())
    db.dispose()
    for f in written:
        click.echo(f"{f.spec.path}: {f.entries} items -> {', '.join(str(p) for p in f.files)}")


# ----------------------------------------------------------------------------------- serve
@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 exposes the server to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True,
              help="TCP port to listen on, e.g. --port 8081.")
@click.option("--base-url", metavar="URL", help="Public URL of the server, for feed self links and OPML, e.g. "
              "https://feeds.example.vn; required when --host is not a loopback address "
              "[default on loopback: from each request's Host header].")
@click.option("--cache", "cache_size", type=click.IntRange(0), default=512, show_default=True,
              help="Rendered responses kept in memory until the database changes (0: none).")
@click.option("--cache-mb", type=click.IntRange(1, 65536), default=64, show_default=True,
              help="At most this many megabytes of rendered responses in memory, e.g. --cache-mb 256.")
@click.pass_obj
@friendly
def serve(obj: Context, host: str, port: int, base_url: str | None, cache_size: int, cache_mb: int) -> None:
    """Serve feeds, search and web pages from the database (read-only) until Ctrl-C.

    Every feed `feeds build` writes is served under /feeds/ as .rss, .atom and .json, with
    filters: ?province= &source= &agency= &kind= &person= &q= &since= &until= &limit= &fulltext=0|1.
    Pages: / (feeds), /meetings, /search, /articles/<id>, /sources; all feeds as /feeds.opml.

    \b
    Example:
      portalwatch serve --port 8080
      # then open http://127.0.0.1:8080/ or subscribe to
      # http://127.0.0.1:8080/feeds/meetings.atom?province=ha-tinh&kind=giam-sat
    """
    import ipaddress
    import socket

    import uvicorn

    from feeds.server import ServerConfig, create_app

    if base_url is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise click.UsageError(f"--base-url: not an http(s) URL: {base_url!r}")
    else:
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            # Feed self links and OPML would otherwise name whatever Host header a client sends.
            raise click.UsageError(f"--host {host}: give --base-url (the public URL readers use) when serving "
                                   "beyond this machine")

    # Derived data (meeting records, the search index) is brought up to date before serving; the
    # server itself never writes.
    writer = obj.open_db()
    sync_derived(writer)
    upkeep = threading.Thread(target=_keep_derived_current, args=(writer, stop_upkeep := threading.Event()),
                              name="derived-upkeep", daemon=True)
    configs = obj.load_sources() if obj.sources_file.exists() else None
    db = open_db(obj.db_url, upgrade=False, read_only=True)
    config = ServerConfig(db=db, base_url=base_url, cache_size=cache_size, cache_bytes=cache_mb * 1024 * 1024,
                          source_configs=configs)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: without it, Nagle's algorithm and delayed ACKs hold small
    # responses (a gzipped feed, a 304) for 40 ms on keep-alive connections.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"--host/--port: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", access_log=False,
                                           server_header=False, timeout_graceful_shutdown=5))
    click.echo(f"serving http://{host}:{port}/ (feeds under /feeds/, Ctrl-C stops)", err=False)
    upkeep.start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl-C it handled; the shutdown was clean
    finally:
        stop_upkeep.set()
        upkeep.join(5)
        sock.close()
        db.dispose()
        writer.dispose()


UPKEEP_SECONDS = float(os.environ.get("PORTALWATCH_UPKEEP_SECONDS", "20"))  # how often `serve` looks


def _keep_derived_current(writer: Database, stop: threading.Event) -> None:
    """While serving: when the database changed (a crawl, even one killed before it synced), bring the
    derived tables up to date, so pages and feeds show every stored meeting without a restart. Only
    derived tables are written here; the pages read through read-only connections."""
    from feeds.http import DataVersion
    from store.derived import sync_all

    version = DataVersion(writer)
    seen = version.current()
    try:
        while not stop.wait(UPKEEP_SECONDS):
            current = version.current()
            if current is not None and current == seen:
                continue
            report = sync_all(writer)
            for failure in report.failures[:5]:
                logging.getLogger("portalwatch.server").warning("derived data: %s", failure)
            seen = version.current()
    except Exception as exc:  # noqa: BLE001 - the server goes on serving what is there
        logging.getLogger("portalwatch.server").error("derived data upkeep stopped: %s: %s", type(exc).__name__, exc)
    finally:
        version.close()


# ----------------------------------------------------------------------------------- schedule
@cli.command()
@click.option("--feeds", "feeds_dir", type=click.Path(file_okay=False), default="data/feeds", show_default=True,
              help="Where feeds are rebuilt after a run that stored something new or changed.")
@click.option("--base-url", default="http://127.0.0.1:8080/feeds", show_default=True, help="Public URL of --feeds.")
@click.option("--log", "log_file", type=click.Path(dir_okay=False), default="data/portalwatch.log", show_default=True,
              help="Rotating log, one line per run per source.")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Crawl processes at once, each crawling one batch of due sources, e.g. --workers 4.")
@click.option("--batch-size", type=click.IntRange(1, 1000), default=100, show_default=True,
              help="Most sources one crawl process takes at once; 1 is one process per source, e.g. --batch-size 200.")
@click.option("--source-timeout", type=click.FloatRange(1, 86400), default=600.0, show_default=True,
              help="Seconds one source may take inside a batch before it is stopped, e.g. --source-timeout 300.")
@click.option("--feeds-every", type=click.FloatRange(0, 86400), default=30.0, show_default=True,
              help="Seconds between feed rebuilds at most (changes in between join the next), e.g. --feeds-every 60.")
@click.option("--grace", type=click.FloatRange(0), default=30.0, show_default=True,
              help="Seconds a running crawl may take to finish after SIGTERM/SIGINT.")
@click.option("--webhook", envvar="PORTALWATCH_WEBHOOK", metavar="URL",
              help="POST health changes here as JSON [env PORTALWATCH_WEBHOOK].")
@click.option("--max-pages", type=click.IntRange(1, 10_000), default=5, show_default=True,
              help="List pages each scheduled crawl follows per start URL, e.g. --max-pages 3.")
@click.option("--queue", "use_queue", is_flag=True,
              help="Enqueue due batches for `portalwatch worker`s on any machine instead of crawling them here "
                   "(PostgreSQL --db only), e.g. --db postgresql+psycopg://pw@db/pw schedule --queue --workers 8.")
@click.pass_obj
@friendly
def schedule(obj: Context, feeds_dir: str, base_url: str, log_file: str, workers: int, batch_size: int,
             source_timeout: float, feeds_every: float, grace: float, webhook: str | None, max_pages: int,
             use_queue: bool) -> None:
    """Run the scheduler daemon: crawl each source on its schedule until SIGTERM/SIGINT.

    Jobs live in the database, one per enabled source (`every = "30m"` or `cron = "0 */2 * * *"`
    in the sources file, with `jitter`); restarting after editing the sources file updates them,
    and a removed source loses its job, not its articles. Due sources are crawled in batches, many
    portals in one crawl process (each with its own time limit); runs, health and backoff stay per
    source. Failing sources back off exponentially (up to 6 h) and recover on their own.

    With --queue (PostgreSQL), the batches go to a job queue in the database and `portalwatch
    worker` processes on any machines crawl them; --workers is then how many batches are in the
    queue at once. Everything else (runs log, health, webhook, feeds) stays here.

    \b
    Example:
      portalwatch --sources sources.toml schedule --log data/portalwatch.log
    """
    from crawler.scheduler import Daemon, DaemonConfig

    daemon = Daemon(DaemonConfig(db_url=obj.db_url, sources_file=Path(obj.sources_file), feeds_dir=Path(feeds_dir),
                                 feeds_base_url=base_url, log_file=Path(log_file), workers=workers, grace=grace,
                                 webhook=webhook, max_pages=max_pages, batch_size=batch_size,
                                 source_timeout=source_timeout, feeds_every=feeds_every, queue=use_queue))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    scheduled = daemon.start()
    click.echo(f"scheduling {len(scheduled)} source(s): {', '.join(scheduled) or 'none'} (SIGTERM or Ctrl-C stops)")
    stop.wait()
    click.echo("stopping: no new runs; waiting for running crawls")
    daemon.stop()
    click.echo("stopped")


# ----------------------------------------------------------------------------------- worker
@cli.command()
@click.option("--concurrency", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Batches this worker crawls at once, each in its own crawl process, e.g. --concurrency 4.")
@click.option("--name", default="", help="Name in the queue and the logs (default: host-pid), e.g. --name crawler-2.")
@click.option("--stalled-after", type=click.FloatRange(2, 3600), default=30.0, show_default=True,
              help="Seconds without a heartbeat after which a worker counts as dead and its batches are given "
                   "to others, e.g. --stalled-after 60.")
@click.pass_obj
@friendly
def worker(obj: Context, concurrency: int, name: str, stalled_after: float) -> None:
    """Crawl the batches `portalwatch schedule --queue` enqueues, until SIGTERM/SIGINT.

    Needs a PostgreSQL --db (the store and the queue, shared by every machine) and the same
    sources file as the scheduler. Run as many as you like, on any machines; if one dies, even by
    SIGKILL, the batch it was crawling goes to another once its heartbeat is --stalled-after old.

    \b
    Example:
      portalwatch --db postgresql+psycopg://pw@db.lan/pw --sources sources.toml worker --concurrency 2
    """
    from crawler.queue import QueueError, WorkerConfig, conninfo, run_worker

    try:
        conninfo(obj.db_url)
    except QueueError as exc:
        raise click.UsageError(str(exc)) from None
    sources = load_sources(Path(obj.sources_file))  # a broken sources file is refused before any job is taken
    if not any(s.enabled for s in sources):
        raise ConfigError(f"{obj.sources_file}: no enabled source to crawl")
    open_db(obj.db_url).dispose()  # the schema, migrated once here rather than in every crawl process
    click.echo(f"worker {name or 'started'}: taking batches from the queue of {obj.db_url.split('@')[-1]} "
               "(SIGTERM or Ctrl-C stops after the running batches)")
    run_worker(WorkerConfig(db_url=obj.db_url, sources_file=Path(obj.sources_file), concurrency=concurrency,
                            name=name, stalled_after=stalled_after,
                            heartbeat=max(0.5, min(10.0, stalled_after / 3))))
    click.echo("stopped")


# ----------------------------------------------------------------------------------- status
@cli.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON list of objects instead of a table.")
@click.pass_obj
@friendly
def status(obj: Context, as_json: bool) -> None:
    """Show each source's health: ok, failing, broken, stale or disabled.

    With the last run and its outcome, the last new article, consecutive failures and the next
    scheduled run.

    \b
    Example:
      portalwatch status --json
    """
    from crawler.clock import now
    from store.health import source_status
    from store.repo import next_runs

    db = obj.open_db()
    sources = obj.load_sources()
    upcoming = next_runs(db)
    rows = [source_status(db, s, now(), upcoming.get(s.id)) for s in sources]
    db.dispose()
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r.id:20} {r.health:9} last run {r.shown('last_run')} ({r.last_outcome or '-'}), "
                   f"last new article {r.shown('last_new_article')}, failures {r.consecutive_failures}, "
                   f"next {r.shown('next_run')}" + (f"\n{'':20} {r.detail}" if r.detail else ""))
        for error in r.errors:
            click.echo(f"{'':20} error: {error}")


# ----------------------------------------------------------------------------------- sources
# ----------------------------------------------------------------------------------- catalogue
@cli.command()
@click.option("--province", metavar="P",
              help="One provincial-level unit (or a province it absorbed), diacritics optional, e.g. --province \"ha tinh\".")
@click.option("--kind", type=click.Choice(["portal", "hdnd", "vpubnd", "newspaper", "tv"]),
              help="Only this kind of site, e.g. --kind newspaper.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entry instead of [[source]] TOML.")
@click.option("--check", "do_check", is_flag=True,
              help="Read each chosen entry's first list page (one page deep) and say which answer, look like news "
                   "lists or redirect; answers are recorded in --state, e.g. --check --province \"Cà Mau\".")
@click.option("--catalogue", "catalogue_file", type=click.Path(dir_okay=False),
              help="Another catalogue file than the shipped one, e.g. --catalogue my-catalogue.toml.")
@click.option("--state", "state_file", type=click.Path(dir_okay=False), default="data/catalogue-state.json",
              show_default=True, help="Where --check records what answered, e.g. --state /var/lib/pw/catalogue.json.")
@friendly
def catalogue(province: str | None, kind: str | None, as_json: bool, do_check: bool, catalogue_file: str | None,
              state_file: str) -> None:
    """The shipped catalogue of real provincial sites (34 units since the 2025 merger): print entries
    as ready-to-paste [[source]] TOML, each with where it was seen; nothing is verified until your
    own crawl of it answers (--check records that locally). Missing units are named on stderr.

    \b
    Example:
      portalwatch catalogue --province "Hà Tĩnh" > sources.toml
      portalwatch catalogue --kind newspaper --check
    """
    from crawler.catalogue import as_json as entry_json
    from crawler.catalogue import check, load_catalogue, load_state, save_state, select, source_toml

    cat = load_catalogue(catalogue_file)
    chosen = select(cat, province, kind)
    state_path = Path(state_file)
    state = load_state(state_path)
    if do_check:
        if not chosen:
            raise click.UsageError("--check: no entry matches; nothing to check")
        results = check(chosen)
        save_state(state_path, state, results)
        for r in results:
            click.echo(r.line())
        answered = sum(r.answered for r in results)
        lists = sum(r.verified for r in results)
        click.echo(f"{len(results)} checked: {answered} answered, {lists} look like news lists "
                   f"(recorded in {state_path})", err=True)
        return
    for e in chosen:
        click.echo(json.dumps(entry_json(e, state), ensure_ascii=False) if as_json else source_toml(e, state))
    what = f"{kind} entry" if kind else "entry"
    if province:
        if not chosen:
            click.echo(f"no {what} yet for {province}", err=True)
        return
    covered = {e.unit for e in chosen}
    missing = [u.name for u in cat.units if u.name not in covered]
    if missing:
        click.echo(f"no {what} yet for {len(missing)} of {len(cat.units)} units: {', '.join(missing)}", err=True)


@cli.command("sources")
@click.pass_obj
@friendly
def sources_cmd(obj: Context) -> None:
    """Check the sources file and list its sources.

    \b
    Example:
      portalwatch --sources my-portals.toml sources
    """
    for s in obj.load_sources():
        mode = "selectors" if any(vars(s.list).values()) or any(vars(s.article).values()) else "zero-config"
        click.echo(f"{s.id}\t{s.province}\t{s.agency}\t{mode}\t{' '.join(s.start_urls)}")


def main() -> None:
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    logging.getLogger("alembic").setLevel(logging.WARNING)
    vietnam_log_clock()
    try:
        cli.main(prog_name="portalwatch", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except (SQLAlchemyError, sqlite3.Error) as exc:
        # A corrupted file ("database disk image is malformed"), a full disk, a lost server: the
        # database's own words in one line, not a traceback through the ORM.
        if os.environ.get("PORTALWATCH_DEBUG"):
            raise
        click.echo(f"Error: database: {error_line(exc)}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        reader_left()
    except Exception as exc:  # noqa: BLE001 - the one place an unexpected error becomes one line
        if os.environ.get("PORTALWATCH_DEBUG"):
            raise
        click.echo(f"Error: unexpected {error_line(exc)} (set PORTALWATCH_DEBUG=1 for the traceback)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
