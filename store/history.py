"""Reading an article's history: versions, changes, aliases and its near-duplicate cluster."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from crawler.urls import canonicalize
from portaltext.dates import to_vn

from .db import Database
from .models import Article, ArticleChange, ArticleUrl, ArticleVersion, CrawlRun, Source


@dataclass(frozen=True)
class Copy:
    """One copy of a near-duplicate cluster, as readers are shown it: by its portal, linked where it
    was fetched. `url` is the canonical identity, which (its slug removed) may not answer."""

    url: str
    link: str
    source: str
    source_name: str
    title: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "link": self.link, "source": self.source, "source_name": self.source_name,
                "title": self.title}


@dataclass
class Extras:
    versions: list[ArticleVersion] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    representative: Copy | None = None
    also_published_at: list[Copy] = field(default_factory=list)


def representative_order(a: Article) -> tuple[float, float, int]:
    """A cluster's representative is its earliest published member; undated ones come last. A
    publication at exactly midnight is a page that shows only the date, so it counts as the end of
    that day: a copy dated "24/06" is not earlier than an original at "24/06 15:00"."""
    published = to_vn(a.published_at)
    if published is None:
        key = float("inf")
    elif (published.hour, published.minute, published.second) == (0, 0, 0):
        key = published.timestamp() + 86399
    else:
        key = published.timestamp()
    return (key, a.first_seen.timestamp(), a.id)


def cluster_members(db: Database, cluster_ids: Sequence[int]) -> dict[int, list[Article]]:
    """cluster id → members, representative first."""
    if not cluster_ids:
        return {}
    with db.session() as s:
        members: dict[int, list[Article]] = {}
        for a in s.scalars(select(Article).where(Article.cluster_id.in_(set(cluster_ids)))):
            members.setdefault(a.cluster_id or 0, []).append(a)
    return {cid: sorted(m, key=representative_order) for cid, m in members.items()}


def article_extras(db: Database, ids: Sequence[int]) -> dict[int, Extras]:
    out = {i: Extras() for i in ids}
    if not ids:
        return out
    with db.session() as s:
        for v in s.scalars(select(ArticleVersion).where(ArticleVersion.article_id.in_(ids)).order_by(ArticleVersion.id)):
            out[v.article_id].versions.append(v)
        for alias in s.scalars(select(ArticleUrl).where(ArticleUrl.article_id.in_(ids))):
            out[alias.article_id].aliases.append(alias.url)
        cluster_of: dict[int, int] = {
            aid: cid for aid, cid in s.execute(select(Article.id, Article.cluster_id)
                                               .where(Article.id.in_(ids), Article.cluster_id.is_not(None)))
            if cid is not None}
        names = dict(s.execute(select(Source.id, Source.name)).tuples().all()) if cluster_of else {}
    members = cluster_members(db, list(cluster_of.values()))

    def copy(a: Article) -> Copy:
        return Copy(a.url, a.fetched_url or a.url, a.source_id, names.get(a.source_id, a.source_id), a.title)

    for aid, cid in cluster_of.items():
        group = members.get(cid, [])
        if group:
            out[aid].representative = copy(group[0])
            out[aid].also_published_at = [copy(m) for m in group if m.id != aid]
    return out


def article_history(db: Database, url: str) -> tuple[Article, list[ArticleVersion], list[ArticleChange]] | None:
    with db.session() as s:
        candidates = {url, canonicalize(url)}
        a = s.scalar(select(Article).where(Article.url.in_(candidates)).limit(1))
        if a is None:
            alias = s.scalar(select(ArticleUrl).where(ArticleUrl.url.in_(candidates)).limit(1))
            a = s.get(Article, alias.article_id) if alias else None
        if a is None:
            a = s.scalar(select(Article).where(func.lower(Article.fetched_url) == url.lower()).limit(1))
        if a is None:
            return None
        versions = list(s.scalars(select(ArticleVersion).where(ArticleVersion.article_id == a.id).order_by(ArticleVersion.id)))
        changes = list(s.scalars(select(ArticleChange).where(ArticleChange.article_id == a.id).order_by(ArticleChange.id)))
        return a, versions, changes


RUNS_SEARCHED = 500  # how far back `failures_of` reads the runs' recorded errors


@dataclass(frozen=True)
class Failure:
    at: datetime  # when the run that met it ended (or started)
    source_id: str
    message: str  # "URL: reason", as the run recorded it


def failures_of(db: Database, urls: Sequence[str], source_id: str | None = None) -> list[Failure]:
    """The recorded failures of any of `urls` in the recent runs, newest first: what `history`
    shows for an article that failed, or a URL that never could be stored."""
    wanted = tuple(f"{u}: " for u in dict.fromkeys(urls) if u)
    if not wanted:
        return []
    q = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(RUNS_SEARCHED)
    if source_id is not None:
        q = q.where(CrawlRun.source_id == source_id)
    found: list[Failure] = []
    with db.session() as s:
        for run in s.scalars(q):
            for message in [*(run.errors or []), *([run.error] if run.error else [])]:
                if isinstance(message, str) and message.startswith(wanted):
                    found.append(Failure(run.finished_at or run.started_at, run.source_id, message))
    return found
