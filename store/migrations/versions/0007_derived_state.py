"""What derived data was last computed from (store.derived): a killed run leaves its articles
without clusters, and the next command of any kind rebuilds them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "derived_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("fingerprint", sa.String(200), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("derived_state")
