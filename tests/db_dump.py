"""Every row of every table, for "nothing changed" checks (issue 9 access and failure tests)."""
from __future__ import annotations

from sqlalchemy import text

from common.migrate import models_metadata


def dump_tables(session) -> dict[str, list[tuple]]:
    """Every row of every table in primary-key order, values as strings."""
    session.expire_all()
    dump = {}
    for table in models_metadata().sorted_tables:
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "1"
        rows = session.execute(text(f'SELECT * FROM "{table.name}" ORDER BY {order}')).all()
        dump[table.name] = [tuple(str(v) for v in row) for row in rows]
    session.commit()
    return dump


def diff_dumps(before, after) -> list[str]:
    """The tables whose rows differ, with their row counts."""
    return [f"{name}: {len(before[name])} -> {len(after[name])} rows"
            + ("" if len(before[name]) != len(after[name]) else " (values changed)")
            for name in before if before[name] != after[name]]
