"""Meeting records in the store: kept in step with the articles, and queried for the `meetings`
command, the export and the per-kind / per-agency / per-person feeds.

Filtering records with their articles is store.browse's work (`find`).

Records are derived data. `sync_meetings` first judges again every article that no classifier or an
older model judged (portaltext.classify), then (re)reads every meeting article whose record is
missing, was read from an older state of the article, or by an older extractor; records of articles
that are no longer meeting reports are dropped. It runs after each crawl and before each read.

One article that cannot be judged or read is recorded (`articles.meeting_error`, and the failures
returned to the caller, which puts them in the run summary) and never stops the others."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from portaltext.classify import classify, model
from portaltext.meeting import EXTRACTOR_VERSION, DocumentRef, MeetingRecord, Person, extract_meeting
from portaltext.text import slugify

from .db import Database
from .models import Article, Meeting, MeetingDocument, MeetingPerson, Source


def _record_rows(article_id: int, content_hash: str, record: MeetingRecord) -> Meeting:
    row = Meeting(
        article_id=article_id, kind=record.kind, detail=record.detail, event_date=record.event_date,
        time_of_day=record.time_of_day, province=record.province, agency=record.agency,
        agency_slug=slugify(record.agency) if record.agency else None, subject_agency=record.subject_agency,
        subject_slug=slugify(record.subject_agency) if record.subject_agency else None,
        extractor_version=EXTRACTOR_VERSION, content_hash=content_hash, extracted_at=dt.datetime.now(dt.UTC),
    )
    row.people = [MeetingPerson(position=i, name=p.name, name_slug=slugify(p.name), title=p.title, role=p.role)
                  for i, p in enumerate(record.people)]
    row.documents = [MeetingDocument(position=i, type=d.type, number=d.number, symbol=d.symbol, code=d.code,
                                     issuer=d.issuer, date=d.date) for i, d in enumerate(record.documents)]
    return row


log = logging.getLogger(__name__)
RECLASSIFY_BATCH = 500


@dataclass(frozen=True)
class SyncFailure:
    article_id: int
    source_id: str
    url: str  # the URL it was fetched from (it answers; the canonical identity may not)
    error: str  # "what failed: ExceptionType: message"

    def __str__(self) -> str:
        return f"{self.url}: {self.error}"


@dataclass
class SyncReport:
    judged: int = 0  # articles the current classifier judged again
    built: int = 0  # meeting records (re)built
    failures: list[SyncFailure] = field(default_factory=list)

    def for_source(self, source_id: str) -> list[SyncFailure]:
        return [f for f in self.failures if f.source_id == source_id]


def _paragraphs(a: Article) -> list[str]:
    return [p for p in a.text.split("\n\n") if p.strip()]


def read_article(a: Article, src: Source) -> MeetingRecord:
    return extract_meeting(a.title, _paragraphs(a), a.published_at, a.captions, src.province, a.author, src.agency)


def _failed(what: str, exc: Exception) -> str:
    return f"{what} failed: {type(exc).__name__}: {exc}"[:1000]


def _judge_again(db: Database, report: SyncReport) -> None:
    """Articles judged by no model or an older one get the current model's verdict, score and reason."""
    version = model().version
    with db.session() as s:
        ids = list(s.scalars(select(Article.id).where((Article.classifier_version.is_(None))
                                                        | (Article.classifier_version != version))))
    for start in range(0, len(ids), RECLASSIFY_BATCH):
        with db.session() as s:
            for a in s.scalars(select(Article).where(Article.id.in_(ids[start:start + RECLASSIFY_BATCH]))):
                try:
                    verdict = classify(a.title, _paragraphs(a))
                except Exception as exc:  # recorded for this article; the others go on
                    a.meeting_reason = a.meeting_error = _failed("classifier", exc)
                    report.failures.append(SyncFailure(a.id, a.source_id, a.fetched_url or a.url, a.meeting_error))
                    log.warning("%s: %s", a.url, a.meeting_error)
                    continue
                a.is_meeting, a.meeting_score, a.meeting_reason = verdict.is_meeting, verdict.score, verdict.reason
                a.classifier_version, a.meeting_error = version, None
                report.judged += 1


def _stale(s: Session) -> list[tuple[Article, Source]]:
    q = (select(Article, Source).join(Source, Article.source_id == Source.id)
         .outerjoin(Meeting, Meeting.article_id == Article.id)
         .where(Article.is_meeting.is_(True))
         .where((Meeting.article_id.is_(None)) | (Meeting.extractor_version != EXTRACTOR_VERSION)
                | (Meeting.content_hash != Article.content_hash)))
    return [(a, src) for a, src in s.execute(q).all()]


def sync_meetings(db: Database) -> SyncReport:
    """Bring the verdicts and the records in step with the articles and the current models."""
    report = SyncReport()
    _judge_again(db, report)
    with db.session() as s:
        gone = select(Meeting.article_id).join(Article, Article.id == Meeting.article_id).where(Article.is_meeting.is_(False))
        gone_ids = list(s.scalars(gone))
        if gone_ids:
            _delete(s, gone_ids)
        stale = _stale(s)
        _delete(s, [a.id for a, _ in stale])
        for a, src in stale:
            try:
                record = read_article(a, src)
                rows = _record_rows(a.id, a.content_hash, record)
            except Exception as exc:  # recorded for this article; the others go on
                a.meeting_error = _failed("meeting record", exc)
                report.failures.append(SyncFailure(a.id, a.source_id, a.fetched_url or a.url, a.meeting_error))
                log.warning("%s: %s", a.url, a.meeting_error)
                continue
            a.meeting_error = None
            s.add(rows)
            report.built += 1
    return report


def _delete(s: Session, ids: list[int]) -> None:
    if not ids:
        return
    s.execute(delete(MeetingPerson).where(MeetingPerson.article_id.in_(ids)))
    s.execute(delete(MeetingDocument).where(MeetingDocument.article_id.in_(ids)))
    s.execute(delete(Meeting).where(Meeting.article_id.in_(ids)))
    s.flush()


def records(db: Database, article_ids: Iterable[int]) -> dict[int, Meeting]:
    ids = list(article_ids)
    if not ids:
        return {}
    with db.session() as s:
        q = (select(Meeting).where(Meeting.article_id.in_(ids))
             .options(selectinload(Meeting.people), selectinload(Meeting.documents)))
        return {m.article_id: m for m in s.scalars(q)}


def facets(db: Database) -> dict[str, list[tuple[str, str]]]:
    """What the feeds can be split by: (slug, label) of the kinds, host agencies and people that
    live meeting reports name, sorted by slug."""
    with db.session() as s:
        live = select(Article.id).where(Article.removed_at.is_(None), Article.is_meeting.is_(True))
        kinds = s.scalars(select(Meeting.kind).where(Meeting.article_id.in_(live)).distinct()).all()
        agencies = s.execute(select(Meeting.agency_slug, func.min(Meeting.agency))
                             .where(Meeting.article_id.in_(live), Meeting.agency_slug.is_not(None))
                             .group_by(Meeting.agency_slug)).all()
        people = s.execute(select(MeetingPerson.name_slug, func.min(MeetingPerson.name))
                           .where(MeetingPerson.article_id.in_(live)).group_by(MeetingPerson.name_slug)).all()
    return {"kind": sorted((k, k) for k in kinds), "agency": sorted((str(a), str(b)) for a, b in agencies),
            "person": sorted((str(a), str(b)) for a, b in people)}


def to_record(m: Meeting) -> MeetingRecord:
    """A stored record back as the extractor's record."""
    return MeetingRecord(
        kind=m.kind, detail=m.detail, event_date=m.event_date, time_of_day=m.time_of_day, province=m.province,
        agency=m.agency, subject_agency=m.subject_agency, people=[Person(p.name, p.title, p.role) for p in m.people],
        documents=[DocumentRef(d.type, d.number, d.symbol, d.code, d.issuer, d.date) for d in m.documents],
    )


def as_dict(m: Meeting) -> dict[str, object]:
    """The export's `meeting` object."""
    return to_record(m).as_dict()
