"""Audit entries in words: "Erin Editor changed the status of well JS-A-12 from PLANNING to DRILLING".

Generic over entityType and ``changes`` so every app's entries read well without code
here; memberships and invitations get their own verbs ("invited", "joined", "removed").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from orgs.permissions import membership_id
from welltrack.audit import CREATE, DELETE

NOUNS = {
    "ORGANIZATION": "organization",
    "MEMBERSHIP": "membership",
    "INVITATION": "invitation",
    "USER": "account",
    "PROJECT": "project",
    "WELL": "well",
    "STAGE": "stage",
    "EVENT": "event",
    "FILE": "file",
    "SUBSCRIPTION": "calendar subscription",
}
FIELD_WORDS = {
    "wellNumber": "well number",
    "startDate": "start date",
    "endDate": "end date",
    "startTime": "start",
    "endTime": "end",
    "timeZone": "time zone",
    "stageId": "stage",
    "fileName": "file name",
    "ownerCount": "owner count",
    "fileType": "file type",
    "fileSize": "file size",
    "eventType": "event type",
}
HIDDEN_VALUE_FIELDS = {"metadata", "description", "password", "changes", "token"}


def _value(field: str, value: Any) -> str:
    if value in (None, "", [], {}):
        return "nothing"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "nothing"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "nothing"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and "T" in value and len(value) >= 19:
        # Times are kept as UTC ISO 8601 (welltrack.audit.audit_value); say them the way the pages do.
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.strftime("%-d %b %Y %H:%M") + (" UTC" if moment.utcoffset() is not None else "")
    return str(value)


def _label(entry) -> str:
    noun = NOUNS.get(entry.entity_type, entry.entity_type.lower())
    return f"{noun} {entry.entity_name}".strip() if entry.entity_name else noun


def _changes(entry) -> dict:
    return entry.changes.as_dict() if hasattr(entry.changes, "as_dict") else dict(entry.changes or {})


def _acting_on_self(entry) -> bool:
    return bool(entry.org_id) and membership_id(entry.org_id, entry.user_id) == entry.entity_id


def _membership(entry, actor_name: str, changes: dict) -> str | None:
    name = entry.entity_name or "a member"
    role = changes.get("role") if isinstance(changes.get("role"), dict) else None
    yourself = _acting_on_self(entry)
    if entry.action == CREATE:
        as_role = f" as {role['new']}" if role and role.get("new") else ""
        return f"{actor_name} joined the organization{as_role}" if yourself else f"{actor_name} added {name}{as_role}"
    if entry.action == DELETE:
        return (
            f"{actor_name} left the organization" if yourself else f"{actor_name} removed {name} from the organization"
        )
    if role and set(changes) == {"role"}:
        whose = "their own role" if yourself else f"the role of {name}"
        return (
            f"{actor_name} changed {whose} from {_value('role', role.get('old'))} to {_value('role', role.get('new'))}"
        )
    return None


def _invitation(entry, actor_name: str, changes: dict) -> str | None:
    email = entry.entity_name or "someone"
    if entry.action == CREATE:
        role = changes.get("role") if isinstance(changes.get("role"), dict) else None
        return f"{actor_name} invited {email}" + (f" as {role['new']}" if role and role.get("new") else "")
    if entry.action == DELETE:
        return f"{actor_name} withdrew the invitation of {email}"
    if "token" in changes:
        return f"{actor_name} sent {email} a new invitation link"
    return None


SPECIAL = {"MEMBERSHIP": _membership, "INVITATION": _invitation}


def describe(entry, actor_name: str) -> str:
    changes = _changes(entry)
    special = SPECIAL.get(entry.entity_type)
    if special is not None:
        sentence = special(entry, actor_name, changes)
        if sentence:
            return sentence
    label = _label(entry)
    if entry.action == CREATE:
        return f"{actor_name} created {label}"
    if entry.action == DELETE:
        return f"{actor_name} deleted {label}"
    if not changes:
        return f"{actor_name} changed {label}"
    if len(changes) == 1:
        field, change = next(iter(changes.items()))
        words = FIELD_WORDS.get(field, field)
        if field in HIDDEN_VALUE_FIELDS or not isinstance(change, dict):
            return f"{actor_name} changed the {words} of {label}"
        return (
            f"{actor_name} changed the {words} of {label} from {_value(field, change.get('old'))} "
            f"to {_value(field, change.get('new'))}"
        )
    fields = [FIELD_WORDS.get(f, f) for f in changes]
    listed = ", ".join(fields[:-1]) + f" and {fields[-1]}"
    return f"{actor_name} changed the {listed} of {label}"
