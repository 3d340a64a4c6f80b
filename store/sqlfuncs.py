"""SQL expressions that SQLite and PostgreSQL spell differently, each compiled per dialect, so the
queries in store.browse are written once and run the same on both.

Times are stored in UTC without an offset (models.UTCDateTime); readers live at +07:00 (Vietnam has
no daylight saving time, so a fixed seven hours is exact).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class vn_day(FunctionElement[Any]):
    """The calendar day in Vietnam of a stored UTC time."""

    type = Date()
    inherit_cache = True
    name = "vn_day"


@compiles(vn_day, "sqlite")
def _vn_day_sqlite(element: vn_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


@compiles(vn_day, "postgresql")
def _vn_day_pg(element: vn_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) + INTERVAL '7 hours' AS DATE)"


class publication_key(FunctionElement[Any]):
    """A sortable number for "published when": a date-only publication (stored as midnight in
    Vietnam) counts as the end of its day, so a copy with a real time that day sorts before it.
    Days since an epoch, as a float; only its order means anything."""

    type = Float()
    inherit_cache = True
    name = "publication_key"


@compiles(publication_key, "sqlite")
def _key_sqlite(element: publication_key, compiler: SQLCompiler, **kw: Any) -> str:
    col = compiler.process(element.clauses, **kw)
    return (f"(julianday({col}) + CASE WHEN time(datetime({col}, '+7 hours')) = '00:00:00' "
            f"THEN 86399.0 / 86400 ELSE 0 END)")


@compiles(publication_key, "postgresql")
def _key_pg(element: publication_key, compiler: SQLCompiler, **kw: Any) -> str:
    col = compiler.process(element.clauses, **kw)
    return (f"(EXTRACT(EPOCH FROM ({col})) / 86400.0 + CASE WHEN CAST(({col}) + INTERVAL '7 hours' AS TIME) "
            f"= TIME '00:00:00' THEN 86399.0 / 86400 ELSE 0 END)")
