"""Time helpers: everything is stored as timezone-aware UTC and shown in Europe/Brussels."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def utcnow() -> datetime:
    """Current time, aware, in UTC (the form stored in the database)."""
    return datetime.now(timezone.utc)


def to_brussels(value: datetime) -> datetime:
    """A stored UTC datetime as an aware Europe/Brussels datetime (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(BRUSSELS)


def brussels_to_utc(value: datetime) -> datetime:
    """A naive local (Europe/Brussels) datetime typed by a user, as aware UTC for storage."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=BRUSSELS)
    return value.astimezone(timezone.utc)
