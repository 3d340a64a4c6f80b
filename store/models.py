"""Tables: sources, crawl runs, articles. Times are stored in UTC and returned timezone-aware."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend (SQLite keeps no offset)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    province: Mapped[str] = mapped_column(String(100))
    agency: Mapped[str] = mapped_column(String(300))
    start_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="source")


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # running | ok | partial (some pages failed) | failed (no list page could be read)
    status: Mapped[str] = mapped_column(String(20), default="running")
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    list_pages: Mapped[int] = mapped_column(Integer, default=0)
    articles_seen: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_updated: Mapped[int] = mapped_column(Integer, default=0)
    http_errors: Mapped[int] = mapped_column(Integer, default=0)
    # Change monitoring (migration 0002)
    articles_removed: Mapped[int] = mapped_column(Integer, default=0)
    articles_restored: Mapped[int] = mapped_column(Integer, default=0)
    list_not_modified: Mapped[int] = mapped_column(Integer, default=0)  # list pages answered 304
    rechecks: Mapped[int] = mapped_column(Integer, default=0)
    bytes_received: Mapped[int] = mapped_column(Integer, default=0)
    mode: Mapped[str] = mapped_column(String(20), default="")  # first | routine | backfill
    # Operations (migration 0003): signs of a redesigned portal, and who started the run.
    empty_lists: Mapped[int] = mapped_column(Integer, default=0)  # list pages that yielded no article link
    incomplete_articles: Mapped[int] = mapped_column(Integer, default=0)  # fetched without title or body
    dateless_articles: Mapped[int] = mapped_column(Integer, default=0)
    trigger: Mapped[str] = mapped_column(String(20), default="cli")  # cli | schedule
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)  # canonical URL; feed GUID
    fetched_url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    author: Mapped[str | None] = mapped_column(String(300), nullable=True)
    lead: Mapped[str | None] = mapped_column(Text, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    captions: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    is_meeting: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Change monitoring (migration 0002)
    text_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)  # normalised body only
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    checks_done: Mapped[int] = mapped_column(Integer, default=0)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    cluster_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    # The meeting verdict (migration 0006): the classifier's score and reason, which model gave them, and
    # the last failure to read the meeting record (cleared when a record is read).
    meeting_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    meeting_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    classifier_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    meeting_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    source: Mapped[Source] = relationship(back_populates="articles")


class ArticleUrl(Base):
    """Another URL under which a stored article was found (same body text on the same site)."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ArticleBand(Base):
    """An article's near-duplicate signature as LSH band keys (portaltext.dedupe.band_keys), so a new
    or edited article finds its candidates by an index lookup instead of every signature being read
    again (store.clusters). An article whose signature changed has none until the next cluster sync."""

    __tablename__ = "article_bands"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, index=True)


class ArticleVersion(Base):
    """Each distinct state of an article's title, date and body, with a word diff to the previous."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    diff: Mapped[str | None] = mapped_column(Text, nullable=True)


class ArticleChange(Base):
    """What a reader of the changes feed sees: an edit, a removal or a restoration."""

    __tablename__ = "article_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # edited | removed | restored
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")


class HttpValidator(Base):
    """ETag / Last-Modified of a list page, and whether the portal's validators can be trusted."""

    __tablename__ = "http_validators"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    etag: Mapped[str | None] = mapped_column(String(500), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(100), nullable=True)
    links_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    trusted: Mapped[bool] = mapped_column(Boolean, default=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # last full (200) fetch


class HealthEvent(Base):
    """A source's health verdict changed: what the operator feed and webhook report."""

    __tablename__ = "health_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    old: Mapped[str] = mapped_column(String(20))
    new: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")


class Meeting(Base):
    """The structured record of a meeting report (portaltext.meeting), one per meeting article.
    Rebuilt when the article's content or the extractor version changes (migration 0004)."""

    __tablename__ = "meetings"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    event_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    time_of_day: Mapped[str | None] = mapped_column(String(10), nullable=True)
    province: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    agency: Mapped[str | None] = mapped_column(String(300), nullable=True)
    agency_slug: Mapped[str | None] = mapped_column(String(300), nullable=True, index=True)
    subject_agency: Mapped[str | None] = mapped_column(String(300), nullable=True)
    subject_slug: Mapped[str | None] = mapped_column(String(300), nullable=True, index=True)
    extractor_version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))  # of the article state it was read from
    extracted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    people: Mapped[list[MeetingPerson]] = relationship(order_by="MeetingPerson.position", cascade="all, delete-orphan")
    documents: Mapped[list[MeetingDocument]] = relationship(order_by="MeetingDocument.position",
                                                            cascade="all, delete-orphan")


class MeetingPerson(Base):
    __tablename__ = "meeting_people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("meetings.article_id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    name_slug: Mapped[str] = mapped_column(String(200), index=True)  # "tran-tu-anh"
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    role: Mapped[str] = mapped_column(String(20))  # chủ trì | kết luận | phát biểu | báo cáo | dự


class MeetingDocument(Base):
    __tablename__ = "meeting_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("meetings.article_id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(60))  # Quyết định, Chỉ thị, Kế hoạch …
    number: Mapped[str] = mapped_column(String(20))
    symbol: Mapped[str] = mapped_column(String(100), index=True)  # 636-QĐ/ĐUK
    code: Mapped[str] = mapped_column(String(20))  # QĐ
    issuer: Mapped[str | None] = mapped_column(String(60), nullable=True)  # ĐUK
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class SearchDoc(Base):
    """An article's title and body folded for search (store.search); SQLite indexes it with FTS5
    (migration 0005)."""

    __tablename__ = "search_docs"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)


class DerivedState(Base):
    """What the derived data (near-duplicate clusters) was last computed from, so any command can
    tell it is out of date, whichever run (finished, killed or failed) changed the articles."""

    __tablename__ = "derived_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
