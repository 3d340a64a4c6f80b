"""Meeting records in the store: kept in step with the articles, and queried for the `meetings`
command, the export and the per-kind / per-agency / per-person feeds.

Filtering records with their articles is store.browse's work (`find`).

Records are derived data. `sync_meetings` (re)reads every meeting article whose record is missing,
was read from an older state of the article, or by an older extractor; records of articles that
are no longer meeting reports are dropped. It runs after each crawl and before each read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

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


def read_article(a: Article, src: Source) -> MeetingRecord:
    paragraphs = [p for p in a.text.split("\n\n") if p.strip()]
    return extract_meeting(a.title, paragraphs, a.published_at, a.captions, src.province, a.author)


def _stale(s: Session) -> list[tuple[Article, Source]]:
    q = (select(Article, Source).join(Source, Article.source_id == Source.id)
         .outerjoin(Meeting, Meeting.article_id == Article.id)
         .where(Article.is_meeting.is_(True))
         .where((Meeting.article_id.is_(None)) | (Meeting.extractor_version != EXTRACTOR_VERSION)
                | (Meeting.content_hash != Article.content_hash)))
    return [(a, src) for a, src in s.execute(q).all()]


def sync_meetings(db: Database) -> int:
    """Bring the records in step with the articles; returns how many were (re)built."""
    with db.session() as s:
        gone = select(Meeting.article_id).join(Article, Article.id == Meeting.article_id).where(Article.is_meeting.is_(False))
        gone_ids = list(s.scalars(gone))
        if gone_ids:
            _delete(s, gone_ids)
        stale = _stale(s)
        _delete(s, [a.id for a, _ in stale])
        for a, src in stale:
            s.add(_record_rows(a.id, a.content_hash, read_article(a, src)))
        return len(stale)


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
