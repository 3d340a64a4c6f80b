"""Full-text search: a folded copy of each article's title and body, and (on SQLite) an FTS5 index
over it kept in step by triggers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Filled by store.search.sync_search after the next crawl (or `serve` / `feeds build`), not here.
    op.create_table(
        "search_docs",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )
    if op.get_bind().dialect.name != "sqlite":
        return  # other backends search the folded columns with LIKE (store.search)
    # External-content FTS5 over the folded text. The text is folded by store.search (đ → d and every
    # diacritic dropped) because FTS5's own remove_diacritics leaves đ alone.
    op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_docs', "
               "content_rowid='article_id', tokenize='unicode61')")
    op.execute("CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN "
               "INSERT INTO search_fts(rowid, title, body) VALUES (new.article_id, new.title, new.body); END")
    forget = "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.article_id, old.title, old.body);"
    op.execute(f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN {forget} END")
    op.execute(f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN {forget} "
               "INSERT INTO search_fts(rowid, title, body) VALUES (new.article_id, new.title, new.body); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_docs")
