"""Typed items the spider yields; pipelines fill in the derived fields and write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ArticleItem:
    source_id: str
    url: str  # canonical URL: the article's identity and feed GUID
    fetched_url: str
    title: str | None
    published: datetime | None  # aware, +07:00; None when the page shows no date
    author: str | None
    lead: str | None
    paragraphs: list[str]
    captions: list[str]
    html: str  # sanitised body HTML, links made absolute
    recheck: bool = False  # fetched again on the re-check schedule, not because it was new on a list
    list_url: str | None = None  # the list page that led here (None for a re-check)
    is_meeting: bool = False
    meeting_score: float | None = None  # the classifier's probability; None when it could not judge
    meeting_reason: str | None = None
    classifier_version: str | None = None
    content_hash: str = ""
    text_hash: str | None = None
    minhash: bytes | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class ListPageItem:
    """A list page fetched (200) or confirmed unchanged (304), with its HTTP validators."""

    source_id: str
    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    links_hash: str | None = None  # what the page lists, so a change behind an unchanged ETag shows


@dataclass
class ArticleGoneItem:
    """A known article that answered 404/410 or redirected to the home page on a re-check."""

    source_id: str
    url: str
    reason: str
