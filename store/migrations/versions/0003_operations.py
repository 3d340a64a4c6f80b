"""Operations: per-run signs of a layout change, run trigger, health events.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

RUN_COUNTERS = ("empty_lists", "incomplete_articles", "dateless_articles")


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        for column in RUN_COUNTERS:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("trigger", sa.String(20), nullable=False, server_default="cli"))
    op.create_table(
        "health_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.String(100), sa.ForeignKey("sources.id"), nullable=False, index=True),
        sa.Column("at", sa.DateTime(), nullable=False, index=True),
        sa.Column("old", sa.String(20), nullable=False),
        sa.Column("new", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("health_events")
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("trigger")
        for column in RUN_COUNTERS:
            batch.drop_column(column)
