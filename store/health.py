"""Source health, from the recorded runs and articles: what `portalwatch status` shows and what the
scheduler watches for changes.

Verdicts, first match wins:
- `disabled`: the sources file says `enabled = false`.
- `failing`: the last run failed (no list page could be read: HTTP errors, timeouts, TLS, ...).
- `broken`: pages fetch fine but the layout no longer yields what it did: list pages give no
  article links, or most articles come back without a title or body, or without the dates the
  source used to have. A redesign shows up here rather than as silence.
- `stale`: no new article for much longer than the source's usual rate.
- `ok`.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from crawler.sources import Source
from portaltext.dates import iso, show_moment, to_vn

from .db import Database
from .models import Article, CrawlRun, HealthEvent
from .repo import within

STALE_FACTOR = 5  # stale after this many usual gaps without news
STALE_FLOOR = timedelta(days=3)  # ... and never sooner than this
BROKEN_SHARE = 0.5  # share of fetched articles missing title or body that means a redesign
ERRORS_SHOWN = 10  # failures listed per source in `status`


@dataclass
class SourceStatus:
    id: str
    name: str
    health: str
    detail: str
    last_run: datetime | None
    last_outcome: str | None
    last_new_article: datetime | None
    consecutive_failures: int
    next_run: datetime | None
    # What failed, one "URL: reason" each: the last run's errors and the articles whose meeting record
    # could not be read (until it can).
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """For machines: moments as ISO 8601 with the offset, whole seconds."""
        return {k: iso(v) if isinstance(v, datetime) else v for k, v in asdict(self).items()}

    def shown(self, name: str) -> str:
        """A moment field for people (portaltext.dates.show_moment), "-" when there is none."""
        value = getattr(self, name)
        return show_moment(value) if value else "-"


def consecutive_failures(runs: Sequence[CrawlRun]) -> int:
    """Failed runs since the last one that was not (runs newest first)."""
    n = 0
    for run in runs:
        if run.status in ("running", "interrupted"):
            continue
        if run.status != "failed":
            break
        n += 1
    return n


def _broken(run: CrawlRun, had_dates: bool) -> str | None:
    if run.status == "failed":
        return None
    if run.list_pages and run.empty_lists >= run.list_pages and run.list_not_modified < run.list_pages:
        return f"list pages yield no article links ({run.empty_lists} of {run.list_pages})"
    fetched = run.articles_seen + run.incomplete_articles
    if fetched >= 3 and run.incomplete_articles / fetched >= BROKEN_SHARE:
        return f"{run.incomplete_articles} of {fetched} articles without title or body"
    if had_dates and run.articles_seen >= 3 and run.dateless_articles >= 0.8 * run.articles_seen:
        return f"{run.dateless_articles} of {run.articles_seen} articles without a date (the source used to have them)"
    return None


def source_status(db: Database, source: Source, now: datetime, next_run: datetime | None = None) -> SourceStatus:
    with db.session() as s:
        runs = list(s.scalars(select(CrawlRun).where(CrawlRun.source_id == source.id)
                              .order_by(CrawlRun.id.desc()).limit(20)))
        published = [p for (p,) in s.execute(
            select(func.coalesce(Article.published_at, Article.first_seen)).where(Article.source_id == source.id)
            .order_by(func.coalesce(Article.published_at, Article.first_seen).desc()).limit(21))]
        last_new = s.scalar(select(func.max(Article.first_seen)).where(Article.source_id == source.id))
        dated_share = s.execute(select(func.count(), func.count(Article.published_at))
                                .where(Article.source_id == source.id)).one()
        record_errors = [f"{url}: {error}" for url, error in s.execute(
            select(Article.fetched_url, Article.meeting_error)
            .where(Article.source_id == source.id, Article.meeting_error.is_not(None)).order_by(Article.id).limit(ERRORS_SHOWN))]
    finished = [r for r in runs if r.status not in ("running", "interrupted")]
    last = finished[0] if finished else None
    failures = consecutive_failures(runs)
    had_dates = bool(dated_share[0]) and dated_share[1] >= 0.5 * dated_share[0]
    health, detail = "ok", ""
    if not source.enabled:
        health, detail = "disabled", "enabled = false in the sources file"
    elif last is None:
        health, detail = "new", "never crawled"
    elif last.status == "failed":
        health, detail = "failing", last.error or "the last run failed"
    elif (why := _broken(last, had_dates)) is not None:
        health, detail = "broken", why
    elif published:
        newest = published[0]
        gaps = [(a - b).total_seconds() for a, b in zip(published, published[1:], strict=False) if a > b]
        usual = timedelta(seconds=statistics.median(gaps)) if gaps else STALE_FLOOR
        limit = max(STALE_FACTOR * usual, STALE_FLOOR, STALE_FACTOR * source.interval)
        if now - newest > limit:
            health = "stale"
            detail = f"no new article since {show_moment(newest)} (usually one every {_human(usual)})"
    return SourceStatus(
        id=source.id, name=source.name, health=health, detail=detail,
        last_run=to_vn(last.finished_at or last.started_at) if last else None,
        last_outcome=last.status if last else None, last_new_article=to_vn(last_new),
        consecutive_failures=failures, next_run=to_vn(next_run),
        errors=list(dict.fromkeys([*(last.errors[:ERRORS_SHOWN] if last else []), *record_errors])),
    )


def _human(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def record_health_change(db: Database, source_id: str, old: str, new: str, detail: str, now: datetime) -> None:
    with db.session() as s:
        s.add(HealthEvent(source_id=source_id, at=now, old=old, new=new, detail=detail))


def health_events(db: Database, limit: int = 100, source_ids: Sequence[str] | None = None,
                  since: datetime | None = None, until: datetime | None = None) -> list[HealthEvent]:
    q = select(HealthEvent)
    if source_ids is not None:
        q = q.where(HealthEvent.source_id.in_(list(source_ids)))
    q = within(q, HealthEvent.at, since, until)
    with db.session() as s:
        return list(s.scalars(q.order_by(HealthEvent.id.desc()).limit(limit)))
