"""What the pages of projects, wells, stages and events share."""

from __future__ import annotations

from datetime import datetime

from django.utils.formats import date_format

from wells.times import local

# The services' (API) field names -> the forms' field names.
FIELD_MAP = {
    "wellNumber": "well_number",
    "startDate": "start_date",
    "endDate": "end_date",
    "timeZone": "time_zone",
    "type": "event_type",
    "stageId": "stage",
    "startTime": "start",
    "endTime": "end",
}


def when(moment: datetime | None, zone_name: str) -> str:
    """A time as a stale delete confirmation shows it: in ``zone_name``, the zone named."""
    return f"{date_format(local(moment, zone_name), 'D j M Y, H:i')} ({zone_name})" if moment else "—"


def consequences(counts: dict[str, int]) -> list[str]:
    """``{"wells": 2, "stages": 1}`` -> ["2 wells", "1 stage", ...] for the confirmation page."""
    lines = []
    for label, number in counts.items():
        singular = label[:-1] if label.endswith("s") else label
        lines.append(f"{number} {singular if number == 1 else label}")
    return lines
