"""portalwatch's store: SQLAlchemy 2.x models, sessions and Alembic migrations."""

from .db import Database, default_db_url, open_db
from .models import Article, Base, CrawlRun, Source

__all__ = ["Article", "Base", "CrawlRun", "Database", "Source", "default_db_url", "open_db"]
