"""Times at the edges: entered and shown in the well's zone, stored as UTC ISO 8601 with a Z.

Every time or date a client sends (API bodies and query strings, forms, calendar drags and
windows) is read here, by ``parse_moment`` or ``parse_date``, and only within [EARLIEST, LATEST]: wide
enough for any real record, narrow enough that the arithmetic done on a time (a window's
reach-back, a day's window, a calendar's all-day end, a zone's offset) never leaves what
``datetime`` can hold, and every stored time has a four-digit year, so times sort as text.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from welltrack.errors import ValidationFailed

UTC = UTC

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
SPAN_MESSAGE = f"Enter a time from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d} (UTC)."
DATE_SPAN_MESSAGE = f"Enter a date from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}."


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def to_iso(moment: datetime) -> str:
    """UTC, second precision, ``Z`` suffix, a four-digit year: sorts as text in DynamoDB.

    Not ``strftime("%Y")``, which writes year 999 as ``999`` (sorting after 2026)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def from_iso(value: str) -> datetime:
    """A stored time. One written before ``to_iso`` padded its year (``999-06-01T00:00:00Z``)
    is still read, so that the pages showing it answer and it can be corrected or deleted."""
    text = value.replace("Z", "+00:00")
    year, dash, rest = text.partition("-")
    if dash and year.isdigit() and len(year) < 4:
        text = f"{int(year):04d}-{rest}"
    return datetime.fromisoformat(text).astimezone(UTC)


def in_span(moment: datetime, *, field: str) -> datetime:
    """``moment`` (aware) as UTC if it lies within [EARLIEST, LATEST]; else ValidationFailed naming ``field``."""
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # year 1 east of Greenwich, year 9999 west of it
        raise ValidationFailed({field: SPAN_MESSAGE}) from None
    if not EARLIEST <= moment <= LATEST:
        raise ValidationFailed({field: SPAN_MESSAGE})
    return moment


def parse_moment(value, *, field: str, zone_name: str, window_edge: bool = False) -> datetime:
    """A datetime from a form, an API value or a calendar, within the span (else
    ValidationFailed naming ``field``). Naive values are local times of ``zone_name``; values
    with an offset are taken as they are. Returns an aware UTC datetime.

    A wall-clock time skipped by a spring-forward change is refused, unless ``window_edge``: a
    calendar asks for days from midnight, and where the clocks jump at midnight (Cairo,
    Santiago, Havana) that midnight does not exist; for a window edge (not a time someone
    typed) the offset in force before the change is taken, which lands on the first moment of
    the day.
    """
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValidationFailed({field: "Enter a date and time."})
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationFailed({field: "Enter a date and time like 2026-03-08T14:30."}) from None
    if moment.tzinfo is None:
        naive = moment
        moment = moment.replace(tzinfo=zone(zone_name))
        # A wall-clock time skipped by a spring-forward change (02:30 on 8 March 2026 in
        # Chicago) names no instant: refuse it rather than guess. A repeated autumn hour is
        # taken as its first occurrence (an offset in the value picks the other).
        if not window_edge and _round_trip(moment) not in (naive, None):
            raise ValidationFailed(
                {
                    field: f"{naive:%Y-%m-%d %H:%M} does not exist in {zone_name}: the clocks "
                    "went forward then. Enter a time before or after the change."
                }
            )
    return in_span(moment, field=field)


def _round_trip(moment: datetime) -> datetime | None:
    """The wall-clock time ``moment`` names once taken to UTC and back; None where that
    leaves ``datetime``'s range (then ``in_span`` refuses it)."""
    try:
        return moment.astimezone(UTC).astimezone(moment.tzinfo).replace(tzinfo=None)
    except OverflowError:
        return None


def parse_date(value, *, field: str) -> date | None:
    """A date from a form, an API value or a query string, within the span (else
    ValidationFailed naming ``field``); None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationFailed({field: "Enter a date like 2026-03-08."}) from None
    if not EARLIEST.date() <= value <= LATEST.date():
        raise ValidationFailed({field: DATE_SPAN_MESSAGE})
    return value


def local(moment: datetime | str | None, zone_name: str) -> datetime | None:
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = from_iso(moment)
    return moment.astimezone(zone(zone_name))


def local_day_window(day: date, zone_name: str) -> tuple[datetime, datetime]:
    """[local midnight, next local midnight) of ``day`` in the zone, as UTC (23 or 25 hours on DST days)."""
    tz = zone(zone_name)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def date_key(well_id: str, start: datetime, zone_name: str) -> str:
    return f"{well_id}#{start.astimezone(zone(zone_name)).date().isoformat()}"
