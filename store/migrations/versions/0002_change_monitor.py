"""Change monitor: URL aliases, article versions and changes, HTTP validators, re-check schedule,
near-duplicate clusters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("text_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("next_check_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("checks_done", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("minhash", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("cluster_id", sa.Integer(), nullable=True))
        batch.create_index("ix_articles_text_hash", ["text_hash"])
        batch.create_index("ix_articles_next_check_at", ["next_check_at"])
        batch.create_index("ix_articles_cluster_id", ["cluster_id"])
    with op.batch_alter_table("crawl_runs") as batch:
        for column in ("articles_removed", "articles_restored", "list_not_modified", "rechecks", "bytes_received"):
            batch.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("mode", sa.String(20), nullable=False, server_default=""))
    op.create_table(
        "article_urls",
        sa.Column("url", sa.String(2000), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False, index=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False, index=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("diff", sa.Text(), nullable=True),
    )
    op.create_table(
        "article_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False, index=True),
        sa.Column("source_id", sa.String(100), sa.ForeignKey("sources.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False, index=True),
        sa.Column("summary", sa.Text(), nullable=False),
    )
    op.create_table(
        "http_validators",
        sa.Column("url", sa.String(2000), primary_key=True),
        sa.Column("source_id", sa.String(100), sa.ForeignKey("sources.id"), nullable=False, index=True),
        sa.Column("etag", sa.String(500), nullable=True),
        sa.Column("last_modified", sa.String(100), nullable=True),
        sa.Column("links_hash", sa.String(64), nullable=True),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("http_validators")
    op.drop_table("article_changes")
    op.drop_table("article_versions")
    op.drop_table("article_urls")
    with op.batch_alter_table("crawl_runs") as batch:
        for column in ("mode", "bytes_received", "rechecks", "list_not_modified", "articles_restored", "articles_removed"):
            batch.drop_column(column)
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_cluster_id")
        batch.drop_index("ix_articles_next_check_at")
        batch.drop_index("ix_articles_text_hash")
        for column in ("cluster_id", "minhash", "checks_done", "next_check_at", "removed_at", "text_hash"):
            batch.drop_column(column)
