"""Meeting records: kind, event date, agencies, people and documents of each meeting report.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Records are derived data: they are filled by store.meetings.sync_meetings after the next crawl
    # or the next `portalwatch meetings` / `feeds build`, not here.
    op.create_table(
        "meetings",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False, index=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True, index=True),
        sa.Column("time_of_day", sa.String(10), nullable=True),
        sa.Column("province", sa.String(100), nullable=True, index=True),
        sa.Column("agency", sa.String(300), nullable=True),
        sa.Column("agency_slug", sa.String(300), nullable=True, index=True),
        sa.Column("subject_agency", sa.String(300), nullable=True),
        sa.Column("subject_slug", sa.String(300), nullable=True, index=True),
        sa.Column("extractor_version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("extracted_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "meeting_people",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("meetings.article_id"), nullable=False, index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_slug", sa.String(200), nullable=False, index=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
    )
    op.create_table(
        "meeting_documents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("meetings.article_id"), nullable=False, index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(60), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("symbol", sa.String(100), nullable=False, index=True),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("issuer", sa.String(60), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("meeting_documents")
    op.drop_table("meeting_people")
    op.drop_table("meetings")
