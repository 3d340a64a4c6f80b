"""Engines and sessions. SQLite (the default) runs in WAL mode with a busy timeout, so a crawl, a
feed build and an export can share one file; PostgreSQL (`postgresql+psycopg://…`, psycopg 3) is
the store several machines share. Both through --db/PORTALWATCH_DB."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB_PATH = Path("data") / "portalwatch.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def error_line(exc: BaseException, limit: int = 300) -> str:
    """`Type: first line of the message` of an error, the driver's own (SQLAlchemy's `.orig`) when
    there is one: what an operator needs, without SQL, parameters or a traceback. Never raises."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    return f"{type(orig).__name__}: {text.splitlines()[0][:limit]}" if text else type(orig).__name__


class DatabaseError(Exception):
    """A database URL or file that cannot be used, worded for a one-line message."""


def default_db_url(explicit: str | None = None) -> str:
    """--db, else PORTALWATCH_DB, else data/portalwatch.db; a plain path means an SQLite file."""
    value = explicit or os.environ.get("PORTALWATCH_DB") or str(DEFAULT_DB_PATH)
    if "://" not in value:
        value = f"sqlite:///{value}"
    return value


def libpq_url(url: str) -> str:
    """The libpq form (`postgresql://…`) of a SQLAlchemy PostgreSQL URL, for psycopg itself."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    shared: bool = False  # one per process (shared_db): dispose() leaves it open for the others

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short transaction: committed on success, rolled back on any error."""
        s = self.sessions()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def dispose(self) -> None:
        if not self.shared:
            self.engine.dispose()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    # A database with tables but no migration history is someone else's: refuse it before creating
    # anything (SQLite cannot roll back DDL halfway through a failed upgrade).
    tables = set(inspect(engine).get_table_names())
    if tables and "alembic_version" not in tables:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise DatabaseError(f"{engine.url.render_as_string(hide_password=True)}: not a portalwatch database "
                            f"(it has other tables: {shown}); give another --db")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Workers and a scheduler starting together on a new database would each create the same
            # tables; one at a time, the others find the schema current (DDL is transactional there).
            from .locks import PG_NAMESPACE

            conn.execute(text("select pg_advisory_xact_lock(:ns, 1)"), {"ns": PG_NAMESPACE})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _sqlite_read_only(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def open_db(url: str | None = None, upgrade: bool = True, read_only: bool = False) -> Database:
    """read_only: the database refuses every write on these connections (the readers' server):
    SQLite's query_only, PostgreSQL's default_transaction_read_only."""
    url = default_db_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"--db: not a database URL: {url!r}") from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        db_path = parsed.database
        if db_path and db_path != ":memory:":
            folder = Path(db_path).parent
            if not folder.is_dir():
                # Only the default folder appears on its own: a typo in --db must not silently start an
                # empty database somewhere that reports every source "never crawled".
                if folder.resolve() != DEFAULT_DB_PATH.parent.resolve():
                    raise DatabaseError(f"--db {db_path}: the folder {folder} does not exist; create it first "
                                        "or give another path")
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise DatabaseError(f"{db_path}: cannot create the database folder: {exc}") from None
        kwargs["connect_args"] = {"timeout": 30}
    elif parsed.get_backend_name() == "postgresql":
        # Workers on several machines hold a connection each per process; pre-ping survives a server
        # restart between two batches.
        kwargs["pool_pre_ping"] = True
        if read_only:
            kwargs["connect_args"] = {"options": "-c default_transaction_read_only=on"}
    try:
        engine = create_engine(url, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a missing driver or bad option, reported in one line
        raise DatabaseError(f"{url}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if read_only:
            event.listen(engine, "connect", _sqlite_read_only)
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:") and not read_only:
        # Every connection would get its own empty database: the crawl's articles would vanish.
        raise DatabaseError(f"--db {url}: an in-memory SQLite database cannot be shared between portalwatch's "
                            "processes; give a file path")
    if upgrade:
        try:
            migrate(engine)
        except DatabaseError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise DatabaseError(f"{url}: cannot open or migrate the database: {error_line(exc)}") from None
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False))


_SHARED: dict[str, Database] = {}


def shared_db(url: str) -> Database:
    """One engine per database URL for the whole process (the schema already migrated): a batch
    crawl runs one spider per source, and an engine each would compile every statement again
    (SQLAlchemy's statement cache is per engine) and open pools by the hundred."""
    found = _SHARED.get(url)
    if found is None:
        opened = open_db(url, upgrade=False)
        found = _SHARED[url] = Database(opened.url, opened.engine, opened.sessions, shared=True)
    return found


def close_shared() -> None:
    """Close the process's shared engines (at the end of a crawl): the last connection to close
    checkpoints SQLite's WAL into the database file, so a copy of the file alone holds every write."""
    for db in _SHARED.values():
        db.engine.dispose()
    _SHARED.clear()
