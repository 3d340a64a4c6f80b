"""One query for everything readers browse: the served feeds, the built feeds and the web pages.

A `Query` names what to keep (province, source, host agency, kind, person, words, a date range);
`find` returns the matching articles with their source, meeting record and search rank. Feeds and
pages built from the same query therefore hold the same articles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Date, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from portaltext.dates import ReportDate, report_date
from portaltext.text import slugify

from .db import Database
from .models import Article, Meeting, MeetingPerson, Source
from .search import matches, terms
from .sqlfuncs import publication_key, vn_day

Order = Literal["date", "rank"]


@dataclass(frozen=True)
class Query:
    province: str | None = None  # a name or its slug: "Vĩnh Phúc", "vinh-phuc"
    source: str | None = None  # a source id
    agency: str | None = None  # a slug or any part of the name, diacritics optional
    kind: str | None = None  # a meeting kind slug (portaltext.meeting.kinds)
    person: str | None = None  # a slug ("tran-tu-anh") or a name, diacritics optional
    q: str | None = None  # words to search titles and bodies for
    since: dt.date | None = None  # on the date a reader is shown (report_day): published, else the meeting's
    until: dt.date | None = None
    fold: bool = False  # each near-duplicate cluster once (the copy store.history.representative_order picks)
    meetings_only: bool = True
    exact: bool = False  # agency and person are whole slugs (the per-agency and per-person feeds)
    include_removed: bool = False

    @property
    def words(self) -> list[str]:
        return terms(self.q) if self.q else []


@dataclass(frozen=True)
class Found:
    article: Article
    source: Source
    meeting: Meeting | None
    rank: float | None = None

    @property
    def date(self) -> ReportDate:
        return report_date(self.article.published_at, self.meeting.event_date if self.meeting else None)


def report_day() -> ColumnElement[Any]:
    """The day a reader is shown (portaltext.dates.report_date): the day it was published in Vietnam,
    else the day of its meeting; NULL when neither is known. Never the day it was crawled."""
    return func.coalesce(vn_day(Article.published_at), Meeting.event_date, type_=Date)


def _newest_first() -> list[Any]:
    # Undated reports go last: an old report without a date found today is not today's news.
    return [report_day().desc().nulls_last(), Article.published_at.desc().nulls_last(), Article.id.desc()]


def _earliest_copy() -> list[Any]:
    """store.history.representative_order in SQL: earliest published first, a date-only (midnight)
    publication counting as the end of its day, undated copies last."""
    return [Article.published_at.is_(None), publication_key(Article.published_at), Article.first_seen, Article.id]


def provinces(s: Session) -> list[str]:
    """Every province name the sources and the meeting records use."""
    names = set(s.scalars(select(Source.province).distinct())) | set(
        s.scalars(select(Meeting.province).where(Meeting.province.is_not(None)).distinct()))
    return sorted(n for n in names if n)


def _statement(s: Session, query: Query) -> tuple[Select, Any]:
    rank_col = None
    stmt: Select = (select(Article, Source, Meeting).join(Source, Article.source_id == Source.id)
            .outerjoin(Meeting, Meeting.article_id == Article.id))
    if query.meetings_only or query.kind or query.agency or query.person:
        stmt = stmt.where(Article.is_meeting.is_(True), Meeting.article_id.is_not(None))
    if not query.include_removed:
        stmt = stmt.where(Article.removed_at.is_(None))
    if query.source:
        stmt = stmt.where(Article.source_id == query.source)
    if query.province:
        wanted = slugify(query.province)
        names = [n for n in provinces(s) if slugify(n) == wanted] or [query.province]
        stmt = stmt.where(func.coalesce(Meeting.province, Source.province).in_(names))
    if query.kind:
        stmt = stmt.where(Meeting.kind == query.kind)
    if query.agency:
        slug = slugify(query.agency)
        stmt = stmt.where(Meeting.agency_slug == slug if query.exact
                          else or_(Meeting.agency_slug.contains(slug, autoescape=True),
                                   Meeting.subject_slug.contains(slug, autoescape=True)))
    if query.person:
        slug = slugify(query.person)
        match = (MeetingPerson.name_slug == slug) if query.exact else or_(
            MeetingPerson.name_slug == slug, MeetingPerson.name_slug.endswith("-" + slug, autoescape=True))
        stmt = stmt.where(Article.id.in_(select(MeetingPerson.article_id).where(match)))
    if query.since:
        stmt = stmt.where(report_day() >= query.since)
    if query.until:
        stmt = stmt.where(report_day() <= query.until)
    if query.q:
        found = matches(s, query.words).subquery()
        stmt = stmt.join(found, found.c.article_id == Article.id)
        rank_col = found.c.rank
        stmt = stmt.add_columns(rank_col)
    if query.fold:
        # One row per cluster among the rows the query keeps, so a page's count and paging and the
        # feed it offers fold copies the same way.
        place = func.row_number().over(partition_by=func.coalesce(Article.cluster_id, -Article.id),
                                       order_by=_earliest_copy())
        ranked = stmt.with_only_columns(Article.id.label("id"), place.label("place")).subquery()
        stmt = stmt.where(Article.id.in_(select(ranked.c.id).where(ranked.c.place == 1)))
    return stmt, rank_col


def find(db: Database, query: Query, limit: int | None = None, offset: int = 0, order: Order = "date") -> list[Found]:
    """The matching articles, newest first by report_day (or best match first with order="rank" and words)."""
    with db.session() as s:
        stmt, rank_col = _statement(s, query)
        if order == "rank" and rank_col is not None:
            stmt = stmt.order_by(rank_col, *_newest_first())
        else:
            stmt = stmt.order_by(*_newest_first())
        stmt = stmt.options(selectinload(Meeting.people), selectinload(Meeting.documents)).offset(offset)
        if limit:
            stmt = stmt.limit(limit)
        rows = s.execute(stmt).all()
        return [Found(row[0], row[1], row[2], row[3] if rank_col is not None else None) for row in rows]


def count(db: Database, query: Query) -> int:
    with db.session() as s:
        stmt, _ = _statement(s, query)
        return int(s.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
