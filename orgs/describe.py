"""Audit entries in words: "Erin Editor changed the status of well JS-A-12 from PLANNING to DRILLING"."""

from __future__ import annotations

from typing import Any

NOUNS = {
    "ORGANIZATION": "organization", "MEMBERSHIP": "membership", "INVITATION": "invitation", "USER": "account",
    "PROJECT": "project", "WELL": "well", "STAGE": "stage", "EVENT": "event", "FILE": "file",
}
FIELD_WORDS = {
    "wellNumber": "well number", "startDate": "start date", "endDate": "end date", "startTime": "start",
    "endTime": "end", "timeZone": "time zone", "stageId": "stage", "fileName": "file name", "ownerCount": "owner count",
}
HIDDEN_VALUE_FIELDS = {"metadata", "description", "password", "changes"}


def _value(field: str, value: Any) -> str:
    if value in (None, "", [], {}):
        return "nothing"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "nothing"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "nothing"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _label(entry) -> str:
    noun = NOUNS.get(entry.entity_type, entry.entity_type.lower())
    return f"{noun} {entry.entity_name}".strip() if entry.entity_name else noun


def describe(entry, actor_name: str) -> str:
    label = _label(entry)
    changes = entry.changes.as_dict() if hasattr(entry.changes, "as_dict") else dict(entry.changes or {})
    if entry.action == "CREATE":
        return f"{actor_name} created {label}"
    if entry.action == "DELETE":
        return f"{actor_name} deleted {label}"
    if not changes:
        return f"{actor_name} changed {label}"
    if len(changes) == 1:
        field, change = next(iter(changes.items()))
        words = FIELD_WORDS.get(field, field)
        if field in HIDDEN_VALUE_FIELDS or not isinstance(change, dict):
            return f"{actor_name} changed the {words} of {label}"
        return (f"{actor_name} changed the {words} of {label} from {_value(field, change.get('old'))} "
                f"to {_value(field, change.get('new'))}")
    fields = [FIELD_WORDS.get(f, f) for f in changes]
    listed = ", ".join(fields[:-1]) + f" and {fields[-1]}"
    return f"{actor_name} changed the {listed} of {label}"
