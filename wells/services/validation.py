"""Cleaning of user input shared by the wells services: every problem names its field."""

from __future__ import annotations

import math
import zoneinfo
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from wells.models import EventType, ProjectStatus, StageStatus, StageType, WellStatus
from welltrack.errors import ValidationFailed

# The choices a form or request may give (DELETED is set by a deletion, never chosen).
PROJECT_STATUSES = tuple(s for s in ProjectStatus if s != ProjectStatus.DELETED)
WELL_STATUSES = tuple(WellStatus)
STAGE_TYPES = tuple(StageType)
STAGE_STATUSES = tuple(StageStatus)
EVENT_TYPES = tuple(EventType)
USER_EVENT_TYPES = tuple(t for t in EventType if t != EventType.FILE_UPLOAD)  # FILE_UPLOAD is written by uploads only
NAME_MAX = 200
TEXT_MAX = 5000
METADATA_MAX_KEYS = 50
METADATA_VALUE_MAX = 500
# One event's range at most: two years, a leap day included. A longer operation is a stage;
# and a well's window queries reach back as far as its longest range (wells.selectors).
RANGE_MAX = timedelta(days=731)
RANGE_MAX_MESSAGE = "A range can last at most 2 years; record a longer operation as a stage."


def clean_text(
    value: Any, *, field: str, required: bool = False, max_length: int = NAME_MAX, label: str = "a value"
) -> str:
    text = " ".join(str(value or "").split()) if max_length <= NAME_MAX else str(value or "").strip()
    if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        raise ValidationFailed({field: "Remove the control characters."})
    if required and not text:
        raise ValidationFailed({field: f"Enter {label}."})
    if len(text) > max_length:
        raise ValidationFailed({field: f"Use at most {max_length} characters."})
    return text


def clean_choice(value: Any, *, field: str, choices: tuple[str, ...]) -> str:
    text = str(value or "").strip().upper()
    if text not in choices:
        raise ValidationFailed({field: f"Choose one of: {', '.join(choices)}."})
    return text


def clean_number(
    value: Any, *, field: str, minimum: float | None = None, maximum: float | None = None, label: str = "a number"
) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed({field: f"Enter {label}."}) from None
    if not number.is_finite():
        raise ValidationFailed({field: f"Enter {label}."})
    # Nine decimals are more than any field here needs (a millimetre, a micro-degree), and
    # DynamoDB refuses numbers nearer zero than 1e-130 (5e-324 was a 500).
    result = round(float(number), 9) + 0.0  # + 0.0: no "-0"
    if math.isinf(result) or (minimum is not None and result < minimum) or (maximum is not None and result > maximum):
        bounds = f"between {minimum:g} and {maximum:g}" if maximum is not None else f"at least {minimum:g}"
        raise ValidationFailed({field: f"Enter a value {bounds}."})
    return result


def clean_time_zone(value: Any, *, field: str = "timeZone") -> str:
    text = str(value or "").strip()
    if text not in zoneinfo.available_timezones():
        raise ValidationFailed({field: "Choose a time zone from the list (for example Asia/Almaty)."})
    return text


def clean_metadata(value: Any, *, field: str = "metadata") -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed({field: "Give key-value pairs."})
    if len(value) > METADATA_MAX_KEYS:
        raise ValidationFailed({field: f"Use at most {METADATA_MAX_KEYS} keys."})
    cleaned = {}
    for key, item in value.items():
        key_text = clean_text(key, field=field, max_length=100)
        if not key_text:
            raise ValidationFailed({field: "Every value needs a key."})
        if isinstance(item, (dict, list)):
            raise ValidationFailed({field: f"The value of {key_text!r} must be text or a number."})
        cleaned[key_text] = clean_text(item, field=field, max_length=METADATA_VALUE_MAX)
    return cleaned


def parse_metadata_lines(text: str, *, field: str = "metadata") -> dict[str, str]:
    """``key: value`` (or ``key = value``) per line, as typed in a form."""
    pairs: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        separator = ":" if ":" in line else "=" if "=" in line else None
        if separator is None:
            raise ValidationFailed({field: f"Line {number}: write it as key: value."})
        key, _, item = line.partition(separator)
        pairs[key.strip()] = item.strip()
    return clean_metadata(pairs, field=field)


def metadata_lines(metadata: dict | None) -> str:
    return "\n".join(f"{k}: {v}" for k, v in (metadata or {}).items())
