"""Writes and reads the crawler, feeds and CLI share. Each write is one short transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, Select, func, select

from .db import Database
from .models import Article, ArticleChange, CrawlRun, Source, utcnow


def upsert_source(db: Database, id: str, name: str, province: str, agency: str, start_urls: Sequence[str]) -> None:
    with db.session() as s:
        row = s.get(Source, id)
        if row is None:
            s.add(Source(id=id, name=name, province=province, agency=agency, start_urls=list(start_urls)))
        else:
            row.name, row.province, row.agency, row.start_urls = name, province, agency, list(start_urls)


def start_run(db: Database, source_id: str, trigger: str = "cli") -> int:
    with db.session() as s:
        run = CrawlRun(source_id=source_id, status="running", errors=[], trigger=trigger)
        s.add(run)
        s.flush()
        return run.id


def finish_run(db: Database, run_id: int, **fields: Any) -> CrawlRun:
    with db.session() as s:
        run = s.get(CrawlRun, run_id)
        assert run is not None, f"crawl run {run_id} vanished"
        for key, value in fields.items():
            setattr(run, key, value)
        run.finished_at = utcnow()
        return run


def articles(db: Database, meetings_only: bool = False, source_id: str | None = None, province: str | None = None,
             limit: int | None = None, include_removed: bool = True) -> list[tuple[Article, Source]]:
    """Newest first: by published date, articles without one by when they were first seen."""
    order = func.coalesce(Article.published_at, Article.first_seen)
    q = select(Article, Source).join(Source, Article.source_id == Source.id)
    if not include_removed:
        q = q.where(Article.removed_at.is_(None))
    if meetings_only:
        q = q.where(Article.is_meeting.is_(True))
    if source_id:
        q = q.where(Article.source_id == source_id)
    if province:
        q = q.where(Source.province == province)
    q = q.order_by(order.desc(), Article.id.desc())
    if limit:
        q = q.limit(limit)
    with db.session() as s:
        return [(a, src) for a, src in s.execute(q).all()]


def sources(db: Database) -> list[Source]:
    with db.session() as s:
        return list(s.scalars(select(Source).order_by(Source.id)))



def counts_by_source(db: Database) -> dict[str, tuple[int, int]]:
    """source id → (articles, meeting reports)."""
    q = select(Article.source_id, func.count(), func.sum(func.cast(Article.is_meeting, Integer)))
    with db.session() as s:
        return {sid: (n, int(m or 0)) for sid, n, m in s.execute(q.group_by(Article.source_id)).all()}



def within(q: Select, column: Any, since: datetime | None, until: datetime | None) -> Select:
    """`q` kept to rows whose `column` lies in [since, until)."""
    if since:
        q = q.where(column >= since)
    if until:
        q = q.where(column < until)
    return q


def changes(db: Database, limit: int = 100, source_ids: Sequence[str] | None = None,
            since: datetime | None = None, until: datetime | None = None,
            offset: int = 0) -> list[tuple[ArticleChange, Article, Source]]:
    """Edits, removals and restorations, newest first; `source_ids`: only these sources' (None: all)."""
    q = (select(ArticleChange, Article, Source).join(Article, Article.id == ArticleChange.article_id)
         .join(Source, Source.id == ArticleChange.source_id))
    if source_ids is not None:
        q = q.where(ArticleChange.source_id.in_(list(source_ids)))
    q = within(q, ArticleChange.at, since, until)
    with db.session() as s:
        return [(c, a, src) for c, a, src in s.execute(q.order_by(ArticleChange.at.desc(), ArticleChange.id.desc())
                                                       .offset(offset).limit(limit)).all()]


def next_runs(db: Database) -> dict[str, datetime]:
    """source id → next scheduled run, from the scheduler's job store (empty if never scheduled)."""
    from sqlalchemy import inspect, text

    if "apscheduler_jobs" not in inspect(db.engine).get_table_names():
        return {}
    with db.session() as s:
        rows = s.execute(text("select id, next_run_time from apscheduler_jobs")).all()
    return {jid.removeprefix("source:"): datetime.fromtimestamp(t, UTC) for jid, t in rows if t is not None}
