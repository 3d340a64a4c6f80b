"""The meeting verdict of each article, kept with its score and reason; which classifier gave it (so a
new model re-reads the stored articles); and the last failure to read its meeting record.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Filled by store.meetings.sync_meetings: every article with no classifier_version is judged again.
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("meeting_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("meeting_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("classifier_version", sa.String(40), nullable=True))
        batch.add_column(sa.Column("meeting_error", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        for column in ("meeting_error", "classifier_version", "meeting_reason", "meeting_score"):
            batch.drop_column(column)
