"""Alembic environment: runs on the connection portalwatch hands it (see store.db.migrate)."""

from __future__ import annotations

from alembic import context

from store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - portalwatch always passes a connection
    raise RuntimeError("run migrations through store.db.migrate()")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
