"""Near-duplicate clusters kept up to date incrementally (store.clusters): each article's signature
as 25 LSH band keys with an index on the key, so a sync looks up the candidates of the articles that
are new or changed instead of reading and re-hashing every stored signature. The table starts empty;
the first cluster sync after this migration fills it (a full computation, once).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_bands",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("band", sa.SmallInteger(), primary_key=True),
        sa.Column("key", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_article_bands_key", "article_bands", ["key"])


def downgrade() -> None:
    op.drop_index("ix_article_bands_key", table_name="article_bands")
    op.drop_table("article_bands")
