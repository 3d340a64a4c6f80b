"""A meeting report read into a structured record: what kind of meeting, when, where, held by whom,
about whom, who took part in what role, and which documents it cites.

`extract_meeting` is pure (text in, record out); the store keeps the records in their own tables
and re-extracts when EXTRACTOR_VERSION changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portaltext.dates import to_vn
from portaltext.text import clean

from .agencies import host, locality_of, province_of, qualify, subject
from .documents import DocumentRef, find_documents
from .kinds import KINDS, meeting_kind
from .people import ROLES, Person, find_people
from .when import TIMES_OF_DAY, event_when

# Raise when the extractor changes what it finds: stored records older than this are rebuilt.
EXTRACTOR_VERSION = 3
LEAD_CHARS = 900
# Kinds whose report names a body visited or inspected.
_WITH_SUBJECT = ("kiem-tra", "giam-sat", "buoi-lam-viec", "khao-sat", "thanh-tra")

__all__ = ["EXTRACTOR_VERSION", "KINDS", "ROLES", "TIMES_OF_DAY", "DocumentRef", "MeetingRecord", "Person", "extract_meeting"]


@dataclass
class MeetingRecord:
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)
    event_date: date | None = None
    time_of_day: str | None = None
    province: str | None = None
    agency: str | None = None
    subject_agency: str | None = None
    people: list[Person] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def as_dict(self) -> dict[str, Any]:
        """The export's `meeting` object."""
        return {
            "kind": self.kind, "kind_label": self.kind_label, "detail": self.detail,
            "event_date": self.event_date.isoformat() if self.event_date else None, "time_of_day": self.time_of_day,
            "province": self.province, "agency": self.agency, "subject_agency": self.subject_agency,
            "people": [{"name": p.name, "title": p.title, "role": p.role} for p in self.people],
            "documents": [{"type": d.type, "number": d.number, "symbol": d.symbol, "code": d.code, "issuer": d.issuer,
                           "date": d.date.isoformat() if d.date else None} for d in self.documents],
        }


def _lead(paragraphs: list[str]) -> str:
    lead = ""
    for p in paragraphs[:3]:
        if len(lead) >= LEAD_CHARS:
            break
        lead = f"{lead} {clean(p)}".strip()
    return lead[:LEAD_CHARS]


# People and documents are read from the first this-many characters of a body: a report names its
# attendees and the papers it issued early; a verbatim 5 MB session record would cost seconds.
MAX_RECORD_CHARS = 100_000


def _bounded(paragraphs: list[str]) -> list[str]:
    out, total = [], 0
    for p in paragraphs:
        if total >= MAX_RECORD_CHARS:
            break
        out.append(p)
        total += len(p)
    return out


def extract_meeting(title: str | None, paragraphs: list[str], published: datetime | None = None,
                    captions: list[str] | None = None, province: str | None = None,
                    author: str | None = None, source_agency: str | None = None) -> MeetingRecord:
    """Read a meeting report. `province` is the source's declared province, used when the text
    names none; `author` is the byline, whose names are not counted as attendees; `source_agency`
    is the agency whose portal it is, whose own bodies its reports name without a place."""
    title = clean(title)
    lead = _lead(paragraphs)
    texts = [t for t in (title, lead) if t]
    when, part = event_when(texts, to_vn(published))
    kind = meeting_kind(title, lead, when)
    where = province_of(texts, clean(province) or None)
    # The source's own unit names its bodies by level alone only when the report is in its province.
    own = locality_of(source_agency) if where == (clean(province) or None) else None
    agency = qualify(host(texts, kind.slug), where, own)
    subject_agency = qualify(subject(texts), where, own) if kind.slug in _WITH_SUBJECT else None
    if subject_agency == agency:
        subject_agency = None
    body = _bounded([clean(p) for p in paragraphs]) + [clean(c) for c in captions or []]
    return MeetingRecord(
        kind=kind.slug, detail=kind.detail, event_date=when, time_of_day=part, province=where, agency=agency,
        subject_agency=subject_agency, people=find_people(body, author),
        documents=find_documents("\n".join(body)),
    )
