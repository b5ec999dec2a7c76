"""Times at the edges: entered and shown in the well's zone, stored as UTC ISO 8601 with a Z."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from welltrack.errors import ValidationFailed

UTC = UTC


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def to_iso(moment: datetime) -> str:
    """UTC, second precision, ``Z`` suffix: sorts as text in DynamoDB."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def parse_moment(value, *, field: str, zone_name: str) -> datetime:
    """A datetime from a form or API value. Naive values are local times of ``zone_name``;
    values with an offset are taken as they are. Returns an aware UTC datetime."""
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
        if moment.astimezone(UTC).astimezone(moment.tzinfo).replace(tzinfo=None) != naive:
            raise ValidationFailed(
                {
                    field: f"{naive:%Y-%m-%d %H:%M} does not exist in {zone_name}: the clocks "
                    "went forward then. Enter a time before or after the change."
                }
            )
    return moment.astimezone(UTC)


def parse_date(value, *, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed({field: "Enter a date like 2026-03-08."}) from None


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
