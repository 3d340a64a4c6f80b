"""Change monitoring in the store: what a crawl already knows, article versions and changes,
removals and restorations, HTTP validators, the re-check schedule and near-duplicate clusters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from crawler.history import describe_change
from portaltext.dates import show_moment, show_published

from .db import Database
from .models import Article, ArticleBand, ArticleChange, ArticleUrl, ArticleVersion, CrawlRun, HttpValidator

# Validators older than this are not sent: a portal that answers 304 wrongly is re-read in full.
VALIDATOR_MAX_AGE = timedelta(days=1)


def next_check_at(first_seen: datetime, published: datetime | None, steps: Sequence[timedelta],
                  now: datetime) -> datetime | None:
    """The next re-check on the decaying schedule (first_seen + each step), skipping steps already
    past; None when the schedule is over. An article published long before it was first seen is an
    archive find, not news: it is never re-checked."""
    if not steps:
        return None
    if published is not None and published < first_seen - steps[-1]:
        return None
    for step in steps:
        due = first_seen + step
        if due > now:
            return due
    return None


@dataclass
class CrawlState:
    """What one source's crawl knows before it starts."""

    known_urls: set[str] = field(default_factory=set)  # live articles and their aliases
    removed_urls: set[str] = field(default_factory=set)
    validators: dict[str, HttpValidator] = field(default_factory=dict)
    due: list[tuple[str, str]] = field(default_factory=list)  # (canonical url, url to fetch)
    has_articles: bool = False
    walked: bool = False  # a crawl of this source has finished walking its lists


def crawl_state(db: Database, source_id: str, now: datetime) -> CrawlState:
    state = CrawlState()
    with db.session() as s:
        for url, removed, next_at, fetched in s.execute(
                select(Article.url, Article.removed_at, Article.next_check_at, Article.fetched_url)
                .where(Article.source_id == source_id)):
            state.has_articles = True
            (state.removed_urls if removed else state.known_urls).add(url)
            if next_at is not None and next_at <= now:
                state.due.append((url, fetched))
        # Routine crawls need an earlier walk of the lists that finished; after a first crawl was
        # interrupted (a killed process) the next one walks again, skipping what is already stored.
        finished_walk = select(CrawlRun.id).where(CrawlRun.source_id == source_id, CrawlRun.list_pages > 0,
                                                  CrawlRun.status.in_(("ok", "partial")))
        state.walked = s.scalar(finished_walk.limit(1)) is not None
        state.known_urls.update(s.scalars(
            select(ArticleUrl.url).join(Article, Article.id == ArticleUrl.article_id).where(Article.source_id == source_id)))
        for v in s.scalars(select(HttpValidator).where(HttpValidator.source_id == source_id)):
            state.validators[v.url] = v
    return state


def conditional_headers(v: HttpValidator | None, now: datetime) -> dict[str, str]:
    if v is None or not v.trusted or now - v.fetched_at > VALIDATOR_MAX_AGE:
        return {}
    headers = {}
    if v.etag:
        headers["If-None-Match"] = v.etag
    if v.last_modified:
        headers["If-Modified-Since"] = v.last_modified
    return headers


def record_list_page(db: Database, source_id: str, url: str, status: int, etag: str | None,
                     last_modified: str | None, links_hash: str | None, now: datetime) -> bool:
    """Keep a list page's validators. Returns False when the portal was caught sending an
    unchanged ETag for changed content; its validators are not trusted from then on."""
    with db.session() as s:
        v = s.get(HttpValidator, url)
        if status == 304:
            return True
        if v is None:
            s.add(HttpValidator(url=url, source_id=source_id, etag=etag, last_modified=last_modified,
                                links_hash=links_hash, trusted=True, fetched_at=now))
            return True
        if etag and v.etag == etag and v.links_hash and links_hash and v.links_hash != links_hash:
            v.trusted = False
        v.etag, v.last_modified, v.links_hash, v.fetched_at = etag, last_modified, links_hash, now
        return v.trusted


@dataclass
class ArticleData:
    source_id: str
    url: str
    fetched_url: str
    title: str | None
    published_at: datetime | None
    author: str | None
    lead: str | None
    text: str
    html: str
    captions: list[str]
    content_hash: str
    is_meeting: bool
    text_hash: str | None = None
    minhash: bytes | None = None
    meeting_score: float | None = None
    meeting_reason: str | None = None
    classifier_version: str | None = None


def _add_version(s: Session, article: Article, now: datetime, diff: str | None) -> None:
    s.add(ArticleVersion(article_id=article.id, fetched_at=now, title=article.title, published_at=article.published_at,
                         text=article.text, content_hash=article.content_hash, diff=diff))


# What an upsert must know first, in one round trip: the article at this URL (its own or an alias)
# and an article of the same source with the same body. As three ORM queries they were 8 % of a
# backfill's CPU (py-spy of bench.pipeline); plain SQL, the same on SQLite and PostgreSQL.
_LOOKUP = text(
    "select id, 0 from articles where url = :url "
    "union all select article_id, 1 from article_urls where url = :url "
    "union all select id, 2 from (select id from articles where source_id = :source and text_hash = :text_hash "
    "limit 1) twin")


def _lookup(s: Session, url: str, source_id: str = "", text_hash: str | None = None) -> tuple[int | None, int | None]:
    """(the id of the article at `url`, the id of a same-body article of the source)."""
    found: dict[int, int] = {}
    for aid, how in s.execute(_LOOKUP, {"url": url, "source": source_id, "text_hash": text_hash}):
        found.setdefault(int(how), int(aid))
    return found.get(0, found.get(1)), found.get(2)


def _find(s: Session, url: str) -> Article | None:
    aid, _ = _lookup(s, url)
    return s.get(Article, aid) if aid is not None else None


# A re-check whose body is under this share of the stored one (when that was substantial) read a
# broken page, not an edit: portals do not cut four fifths of a published article.
COLLAPSE_RATIO = 0.2
COLLAPSE_MIN_CHARS = 300


class BrokenRead(ValueError):
    """A re-fetched page that reads as much less than the stored article: a failed fetch, not an edit."""


def collapse(stored_title: str | None, stored_text: str | None, title: str | None, text: str) -> str | None:
    """Why a re-fetched version is a failed read rather than an edit, or None when it is believable."""
    before = len(stored_text or "")
    if stored_title and not title:
        return "no title where one is stored"
    if before and not text:
        return f"no body where {before:,} characters are stored"
    if before >= COLLAPSE_MIN_CHARS and len(text) < COLLAPSE_RATIO * before:
        return f"{len(text):,} characters where {before:,} are stored"
    return None


def upsert_article(db: Database, data: ArticleData, steps: Sequence[timedelta], now: datetime,
                   recheck: bool = False) -> str:
    """Store what a fetch found. Returns 'new', 'updated', 'unchanged', 'restored' or 'duplicate'.
    A re-check that read much less than is stored (see `collapse`) raises BrokenRead and changes
    nothing: the article stays due, so the next crawl fetches it again.

    The canonical URL is the identity; a page with the same body text as another article of the
    same source becomes an alias of it. A changed title, date or body becomes a new version with a
    word diff, and an 'edited' change; the article keeps its row and GUID."""
    fields = vars(data)
    with db.session() as s:
        aid, twin = _lookup(s, data.url, data.source_id, data.text_hash or None)
        row = s.get(Article, aid) if aid is not None else None
        if row is None:
            if twin is not None:
                s.add(ArticleUrl(url=data.url, article_id=twin, first_seen=now))
                s.execute(update(Article).where(Article.id == twin).values(last_seen=now))
                return "duplicate"
            row = Article(**fields, first_seen=now, last_seen=now, checks_done=0)
            row.next_check_at = next_check_at(now, data.published_at, steps, now)
            s.add(row)
            s.flush()
            _add_version(s, row, now, None)
            return "new"
        if recheck and row.content_hash != data.content_hash:
            broken = collapse(row.title, row.text, data.title, data.text)
            if broken:
                raise BrokenRead(broken)
        outcome = "unchanged"
        row.last_seen = now
        if row.removed_at is not None:
            s.add(ArticleChange(article_id=row.id, source_id=row.source_id, kind="restored", at=now,
                                summary=f"Bài viết xuất hiện lại (gỡ lúc {show_moment(row.removed_at)})"))
            row.removed_at = None
            outcome = "restored"
        if row.content_hash != data.content_hash:
            if row.minhash != data.minhash:
                # Its clusters are out of date: the next cluster sync finds it by its missing bands.
                s.execute(delete(ArticleBand).where(ArticleBand.article_id == row.id))
            diff = describe_change(row.title, data.title, show_published(row.published_at) or None,
                                   show_published(data.published_at) or None, row.text, data.text)
            for key, value in fields.items():
                if key != "url":
                    setattr(row, key, value)
            row.updated_at = now
            s.flush()
            _add_version(s, row, now, diff)
            s.add(ArticleChange(article_id=row.id, source_id=row.source_id, kind="edited", at=now, summary=diff))
            outcome = "updated" if outcome == "unchanged" else outcome
        if recheck:
            row.checks_done += 1
            row.next_check_at = next_check_at(row.first_seen, row.published_at, steps, now)
        return outcome


def mark_removed(db: Database, url: str, reason: str, steps: Sequence[timedelta], now: datetime) -> bool:
    """Mark a known article removed (nothing is deleted). True when this is news."""
    with db.session() as s:
        row = _find(s, url)
        if row is None:
            return False
        row.checks_done += 1
        # Keep looking on the same schedule, so a restoration is noticed too.
        row.next_check_at = next_check_at(row.first_seen, row.published_at, steps, now)
        if row.removed_at is not None:
            return False
        row.removed_at = now
        s.add(ArticleChange(article_id=row.id, source_id=row.source_id, kind="removed", at=now, summary=reason))
        return True


def interrupt_orphaned_runs(db: Database, now: datetime, held: str | None = None,
                            only_held: bool = False) -> dict[str, str]:
    """Runs left 'running' by a process that is gone (killed, crashed, or stopped by a full disk)
    become 'interrupted'; what they stored stays. A run whose source lock is still held is a live
    crawl and is left alone, except for the source `held`, whose lock the caller holds: any
    'running' row of it is an orphan. Returns source id → the interrupted run's trigger."""
    from .locks import is_free

    with db.session() as s:
        q = select(CrawlRun).where(CrawlRun.status == "running")
        if only_held:
            q = q.where(CrawlRun.source_id == held)
        rows = [run for run in s.scalars(q) if run.source_id == held or is_free(db.url, run.source_id)]
        for run in rows:
            run.status = "interrupted"
            run.finished_at = now
            run.error = "the crawling process ended without finishing the run (killed or crashed)"
        return {run.source_id: run.trigger for run in rows}
