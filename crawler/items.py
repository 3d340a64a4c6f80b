"""Typed items the spider yields; pipelines fill in the derived fields."""

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
    is_meeting: bool = False
    content_hash: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)
