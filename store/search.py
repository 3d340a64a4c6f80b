"""Full-text search over article titles and bodies, diacritic-insensitive the Vietnamese way.

The store keeps a folded copy of each article (`search_docs`: lower case, every diacritic dropped,
đ/Đ → d) because FTS5's `remove_diacritics` folds ộ to o but leaves đ as it is, so `dang uy` would
never find "Đảng ủy". On SQLite an FTS5 index over the folded copy (migration 0005) matches and ranks
(bm25, a title hit weighing more than a body hit); on PostgreSQL a generated tsvector with a GIN
index (migration 0008) does, ranked by ts_rank with the same weights; other backends fall back to
LIKE over the same columns. The fold keeps every character's position, so snippets are cut from and highlighted in
the original text.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import REAL, Select, and_, delete, func, insert, literal, literal_column, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from portaltext.text import fold_chars

from .db import Database
from .models import Article, SearchDoc

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
SNIPPET_CHARS = 220
MAX_SNIPPET_HITS = 5_000
# bm25 weights of (title, body): a word in the title says more about the article than one in a
# long body.
TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0
_TERM = re.compile(r"[0-9a-z]+")


class SearchError(ValueError):
    """A query that cannot be searched, worded for the reader."""


def body_of(a: Article) -> str:
    """The text searched and quoted in snippets: the lead, then the body."""
    return _body(a.lead, a.text)


def _body(lead: str | None, text: str) -> str:
    return f"{lead}\n\n{text}" if lead and not text.startswith(lead) else text


def terms(query: str) -> list[str]:
    """`Hội nghị "sơ kết"` → ['hoi', 'nghi', 'so', 'ket']; raises SearchError when nothing is left."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"q: at most {MAX_QUERY_CHARS} characters")
    found = _TERM.findall(fold_chars(query))
    if not found:
        raise SearchError("q: give at least one word (letters or digits)")
    unique = list(dict.fromkeys(found))
    if len(unique) > MAX_TERMS:
        raise SearchError(f"q: at most {MAX_TERMS} different words")
    return unique


def sync_search(db: Database, batch: int = 1000) -> int:
    """Index every article whose text changed since it was last indexed; returns how many."""
    done = 0
    with db.session() as s:
        stale = (select(Article.id, Article.content_hash, Article.title, Article.lead, Article.text, SearchDoc.article_id)
                 .outerjoin(SearchDoc, SearchDoc.article_id == Article.id)
                 .where(or_(SearchDoc.article_id.is_(None), SearchDoc.content_hash != Article.content_hash)))
        rows = s.execute(stale).all()
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            s.execute(delete(SearchDoc).where(SearchDoc.article_id.in_([r[5] for r in chunk if r[5] is not None])))
            s.execute(insert(SearchDoc), [{"article_id": aid, "content_hash": h, "title": fold_chars(title or ""),
                                           "body": fold_chars(_body(lead, text or ""))}
                                          for aid, h, title, lead, text, _ in chunk])
            done += len(chunk)
    return done


def _fts_expression(words: list[str]) -> str:
    # Every word must occur; the phrase as typed, as a second clause, lifts articles that have the
    # words side by side ("hoi nghi so ket") above those that merely contain them all.
    quoted = " ".join(f'"{w}"' for w in words)  # words are [0-9a-z]+: nothing to escape
    return f'"{" ".join(words)}" OR ({quoted})' if len(words) > 1 else quoted


# ts_rank's weights for the labels {D, C, B, A}: the body is B, the title A, in the same ratio as bm25's.
_PG_WEIGHTS = [0.0, 0.0, BODY_WEIGHT / TITLE_WEIGHT, 1.0]


def _tsquery_expression(words: list[str]) -> str:
    every = " & ".join(words)  # words are [0-9a-z]+: nothing to escape
    return f"({' <-> '.join(words)}) | ({every})" if len(words) > 1 else every


def matches(s: Session, words: list[str]) -> Select:
    """(article id, rank) of the articles holding every word; a lower rank is a better match."""
    if s.get_bind().dialect.name == "sqlite":
        rank: Any = literal_column(f"bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})")
        return (select(literal_column("search_fts.rowid").label("article_id"), rank.label("rank"))
                .select_from(text("search_fts"))
                .where(text("search_fts MATCH :expr").bindparams(expr=_fts_expression(words))))
    if s.get_bind().dialect.name == "postgresql":
        # The generated tsvector of migration 0008. ts_rank grows with the match, so it is negated
        # (a lower rank is better here, as bm25's); the phrase clause lifts words side by side.
        tsquery = func.to_tsquery("simple", _tsquery_expression(words))
        tsv: Any = literal_column("search_docs.tsv")
        pg_rank = -func.ts_rank(literal(_PG_WEIGHTS, ARRAY(REAL)), tsv, tsquery)
        return select(SearchDoc.article_id, pg_rank.label("rank")).where(tsv.bool_op("@@")(tsquery))
    conds = [or_(SearchDoc.title.contains(w, autoescape=True), SearchDoc.body.contains(w, autoescape=True)) for w in words]
    return select(SearchDoc.article_id, literal(0.0).label("rank")).where(and_(*conds))


# ------------------------------------------------------------------------------------- snippets
@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    word: str


def _hits(folded: str, words: list[str], limit: int | None = None) -> list[Hit]:
    pattern = re.compile(r"(?<![0-9a-z])(" + "|".join(re.escape(w) for w in words) + r")(?![0-9a-z])")
    found = pattern.finditer(folded)
    return [Hit(m.start(), m.end(), m.group(1)) for m in (islice(found, limit) if limit else found)]


def _marked(original: str, hits: list[Hit], start: int, end: int) -> str:
    out, pos = [], start
    for h in hits:
        if h.start < start or h.end > end:
            continue
        out.append(html.escape(original[pos:h.start]))
        out.append(f"<mark>{html.escape(original[h.start:h.end])}</mark>")
        pos = h.end
    out.append(html.escape(original[pos:end]))
    return "".join(out)


def highlight(original: str, words: list[str]) -> str:
    """The whole text, HTML-escaped, with each word marked."""
    return _marked(original, _hits(fold_chars(original), words), 0, len(original))


def _densest(hits: list[Hit], width: int) -> Hit:
    """The hit whose window (a third of `width` before it, two thirds after) holds the most different
    words, the earliest on a tie. One pass: both window edges only move forward."""
    before, after = width // 3, 2 * width // 3
    inside: Counter[str] = Counter()
    lo = hi = 0
    best, best_count = hits[0], -1
    for h in hits:
        while hi < len(hits) and hits[hi].start < h.start + after:
            inside[hits[hi].word] += 1
            hi += 1
        while hits[lo].start < h.start - before:
            inside[hits[lo].word] -= 1
            if not inside[hits[lo].word]:
                del inside[hits[lo].word]
            lo += 1
        if len(inside) > best_count:
            best, best_count = h, len(inside)
    return best


def snippet(original: str, words: list[str], width: int = SNIPPET_CHARS) -> str:
    """An HTML-escaped excerpt around the densest cluster of the words, each marked."""
    # A 5 MB article with a common word has tens of thousands of hits; the first few thousand are as
    # good a place to quote from, and keep a search page's work bounded whatever the article.
    hits = _hits(fold_chars(original), words, MAX_SNIPPET_HITS)
    if not hits:
        cut = original[:width].rsplit(" ", 1)[0] if len(original) > width else original
        return html.escape(cut) + ("…" if len(original) > width else "")
    best = _densest(hits, width)
    start = max(0, best.start - width // 3)
    end = min(len(original), start + width)
    if start > 0:
        start = original.find(" ", start, best.start) + 1 or start
    if end < len(original):
        end = original.rfind(" ", best.end, end) if original.rfind(" ", best.end, end) > 0 else end
    return ("…" if start > 0 else "") + _marked(original, hits, start, end) + ("…" if end < len(original) else "")
