"""Every write of the files area: upload tickets, completion, tags, deletion.

Permission checks are the caller's (views and API call ``authorize`` first); these
functions check that the objects belong together and that the bytes are what was declared.
"""

from __future__ import annotations

import re
import string
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any

from django.dispatch import receiver

from files import storage
from files.models import File, FileStatus
from files.selectors import well_files_all
from wells.models import Event, EventType, Stage, Well
from wells.selectors import well_counting_dependents, well_get
from wells.services import event_put_in_transaction
from wells.services.wells import well_deleting
from welltrack.actor import Actor
from welltrack.audit import CREATE, DELETE, UPDATE, audit_created, audit_deleted, audit_diff, audit_record
from welltrack.dynamodb import transact_write
from welltrack.errors import Conflict, DependencyUnavailable, NotFound, ValidationFailed, dynamo_errors

NAME_MAX = 255
TAG_MAX = 40
TAGS_MAX = 20
# Programs, scripts, installers, shortcuts and disk images (which mount and run what they hold):
# a drilling report never needs to be one, and a colleague might open it.
BLOCKED_EXTENSIONS = frozenset(
    {
        # Windows programs, libraries, drivers and installers
        *("exe", "com", "scr", "pif", "dll", "sys", "drv", "ocx", "cpl", "msc", "msi", "msp", "mst"),
        *("appx", "appxbundle", "msix", "msixbundle", "application", "appref-ms", "gadget", "xll"),
        # scripts and the hosts that run them
        *("bat", "cmd", "ps1", "ps1xml", "ps2", "ps2xml", "psc1", "psc2", "psd1", "psm1"),
        *("vb", "vbs", "vbe", "js", "jse", "ws", "wsf", "wsc", "wsh", "sct", "hta", "jar", "sh", "command"),
        # shortcuts, settings and help files that run commands
        *("lnk", "url", "scf", "inf", "reg", "chm", "hlp", "settingcontent-ms", "library-ms"),
        # disk images and other platforms' programs and installers
        *("iso", "img", "vhd", "vhdx", "dmg", "pkg", "app"),
    }
)
MIME_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def file_values(file: File) -> dict[str, Any]:
    return {
        "fileName": file.file_name,
        "fileType": file.file_type,
        "fileSize": int(file.file_size),
        "wellId": file.well_id,
        "stageId": file.stage_id,
        "attachedEventId": file.attached_event_id,
        "s3Key": file.s3_key,
        "tags": list(file.tags or []),
    }


# --- validation ---------------------------------------------------------------------------


def clean_file_name(value: Any) -> str:
    """The name as shown: the original, without control characters or path, at most 255 characters."""
    name = CONTROL.sub("", str(value or ""))
    name = re.split(r"[/\\]", name)[-1].strip()
    if not name or name in {".", ".."}:
        raise ValidationFailed({"fileName": "The file needs a name."})
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: NAME_MAX - len(ext) - 1]}.{ext}" if dot and len(ext) <= 16 and stem else name[:NAME_MAX]
    extension = blocked_extension(name)
    if extension:
        raise ValidationFailed({"fileName": f"Files of type .{extension} are not allowed (programs and scripts)."})
    return name


def blocked_extension(name: str) -> str | None:
    """The blocked extension ``name`` ends with as a system would read it, or None.

    The name is compared the way it could be opened, not as typed: in NFKC (full-width and
    other lookalike dots and letters become ASCII), without invisible format characters,
    casefolded, without the trailing dots and spaces Windows drops (``tool.exe.`` runs as
    ``tool.exe``), and each part before an NTFS stream suffix (``tool.exe::$DATA``).
    """
    text = unicodedata.normalize("NFKC", name)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf").casefold()
    for part in text.split(":"):
        _, dot, extension = part.rstrip(". " + string.whitespace).rpartition(".")
        if dot and extension in BLOCKED_EXTENSIONS:
            return extension
    return None


def clean_file_type(value: Any) -> str:
    text = str(value or "").strip().lower().split(";")[0].strip()
    if not text:
        return "application/octet-stream"
    if not MIME_TYPE.match(text):
        raise ValidationFailed({"fileType": "Give a MIME type like application/pdf."})
    return text


def clean_file_size(value: Any) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed({"fileSize": "Give the size in bytes."}) from None
    if size < 1:
        raise ValidationFailed({"fileSize": "The file is empty."})
    if size > storage.max_upload_bytes():
        raise ValidationFailed(
            {"fileSize": f"The file is larger than the {storage.max_upload_bytes() // (1024 * 1024)} MB limit."}
        )
    return size


def clean_tags(value: Any) -> list[str]:
    """Tags from a list or a comma-separated string: trimmed, unique (case-insensitively), at most 20 of 40 characters."""
    parts = value.split(",") if isinstance(value, str) else list(value or [])
    tags: list[str] = []
    seen: set[str] = set()
    for part in parts:
        tag = " ".join(CONTROL.sub("", str(part)).split())
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise ValidationFailed({"tags": f"A tag has at most {TAG_MAX} characters."})
        if tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValidationFailed({"tags": f"At most {TAGS_MAX} tags."})
    return tags


# --- tickets and completion ---------------------------------------------------------------


def file_ticket_create(
    *,
    actor: Actor,
    well: Well,
    file_name: str,
    file_type: str,
    file_size: int,
    stage: Stage | None = None,
    event: Event | None = None,
) -> tuple[File, dict]:
    """Reserve a fileId and its exact object key (a PENDING item that expires), and return
    the direct-upload ticket ``{url, fields, expiresAt}``.

    The reservation is bookkeeping, not yet a file of the well: nothing lists it and it is
    not audited; completion creates the file, its event and the audit item together.
    """
    name = clean_file_name(file_name)
    content_type = clean_file_type(file_type)
    size = clean_file_size(file_size)
    if stage is not None and stage.well_id != well.well_id:
        raise ValidationFailed({"stageId": "Choose a stage of this well."})
    if event is not None and event.well_id != well.well_id:
        raise ValidationFailed({"eventId": "Choose an event of this well."})
    stage_id = stage.stage_id if stage is not None else (event.stage_id if event is not None else None)
    now = datetime.now(UTC)
    file_id = str(uuid.uuid4())
    key = storage.object_key(org_id=well.org_id, well_id=well.well_id, file_id=file_id, file_name=name)
    ticket = storage.upload_ticket(file_id=file_id, key=key, size=size, content_type=content_type, now=now)
    file = File(
        file_id,
        well_id=well.well_id,
        org_id=well.org_id,
        stage_id=stage_id,
        attached_event_id=event.event_id if event is not None else None,
        file_name=name,
        file_type=content_type,
        file_size=size,
        s3_key=key,
        s3_bucket=storage.bucket_name(),
        uploaded_by=actor.user_id,
        tags=[],
        metadata={},
        status=FileStatus.PENDING,
        requested_at=now,
        # Long enough to finish an upload that started just before the ticket expired.
        expires_at=ticket["expiresAt"] + storage.UPLOAD_TTL * 6,
    )
    try:
        with dynamo_errors():
            file.save(condition=File.file_id.does_not_exist())
    except Conflict:
        # The fileId is new, so only this reservation can have written it: an attempt whose
        # answer was lost (a timeout) had landed, and botocore's retry met its own condition.
        current = _reload(file_id)
        if current is None or (current.s3_key, current.requested_at) != (key, now):
            raise
        file = current
    return file, ticket


def file_complete(*, actor: Actor, file: File) -> tuple[File, bool]:
    """Record a finished upload: ``(file, created)``; ``created`` is False when it was already done.

    The object must be at exactly the reserved key, with the declared size and within the
    limit; otherwise it is deleted and nothing is recorded. Then one transaction writes the
    File (READY, uploadedAt, eventId), the FILE_UPLOAD event titled "File uploaded: <name>"
    at this moment on the file's stage, and the audit item — under the condition that the
    file was still PENDING, so a repeated or concurrent completion adds nothing.
    """
    if file.status == FileStatus.READY:
        return file, False
    well = well_get(well_id=file.well_id)
    size = storage.object_size(file.s3_key)
    if size is None:
        raise ValidationFailed({"file": "The file has not arrived: send it to the upload URL first."})
    if size != int(file.file_size) or size > storage.max_upload_bytes():
        storage.delete_object(file.s3_key)
        raise ValidationFailed(
            {"file": f"The upload has {size} bytes where {int(file.file_size)} were declared; it was discarded."}
        )
    now = datetime.now(UTC)
    event_id = str(uuid.uuid4())
    file.status, file.uploaded_at, file.event_id, file.expires_at = FileStatus.READY, now, event_id, None
    try:
        with dynamo_errors(), transact_write() as tx:
            tx.save(file, condition=File.status == FileStatus.PENDING)
            event_put_in_transaction(
                tx,
                actor=actor,
                well=well,
                event_type=EventType.FILE_UPLOAD,
                title=f"File uploaded: {file.file_name}",
                start=now,
                stage_id=file.stage_id,
                file_id=file.file_id,
                now=now,
                grow_longest=False,
                event_id=event_id,
            )  # the title names the file and fileId links to it: no metadata to show twice
            audit_record(
                tx,
                actor=actor,
                org_id=file.org_id,
                entity_type="FILE",
                entity_id=file.file_id,
                entity_name=file.file_name,
                action=CREATE,
                changes=audit_created(file_values(file)),
                timestamp=now,
            )
    except Conflict:
        # Someone completed it a moment earlier: answer their file.
        current = _reload(file.file_id)
        if current is not None and current.status == FileStatus.READY:
            return current, False
        raise
    return file, True


def _reload(file_id: str) -> File | None:
    return File.get_or_none(file_id)


# --- edits --------------------------------------------------------------------------------


def file_update_tags(*, actor: Actor, file: File, tags: Any, version: int) -> File:
    """Replace the tags, with an optimistic lock (``version`` of the copy the user edited)."""
    if file.status != FileStatus.READY:
        raise NotFound()
    if int(version) != int(file.version):
        raise Conflict()
    new_tags = clean_tags(tags)
    before = file_values(file)
    if new_tags == list(file.tags or []):
        return file
    file.tags = new_tags
    now = datetime.now(UTC)
    with dynamo_errors(), transact_write() as tx:
        tx.save(file)
        audit_record(
            tx,
            actor=actor,
            org_id=file.org_id,
            entity_type="FILE",
            entity_id=file.file_id,
            entity_name=file.file_name,
            action=UPDATE,
            changes=audit_diff(before, file_values(file)),
            timestamp=now,
        )
    return file


# What a deletion that the file store or DynamoDB cut short answers (503): exactly what happened.
NOT_DELETED = (
    "The file store is not answering right now, so “{name}” was not deleted: it is still listed and "
    "can be downloaded. Nothing was changed; please try again in a minute."
)
STILL_LISTED = (
    "The stored copy of “{name}” was removed, but the database did not answer, so the file is still "
    "listed without its contents. Delete it again in a minute to finish."
)


def file_delete(*, actor: Actor, file: File, version: int | None = None) -> None:
    """Delete a file: the object first, then the item and its audit entry in one transaction.

    ``version`` is the one the confirmation showed: a file changed since is not touched
    (Conflict). The object goes first so that a file store that fails (503, NOT_DELETED)
    leaves the file exactly as it was — listed, downloadable, nothing audited — and deleting
    it again does the whole job. The reverse order would leave an object that nothing lists
    behind a 503 saying nothing was changed. Should DynamoDB fail once the object is gone, the
    file stays listed without its bytes (its download says the stored copy is missing), the
    503 says so (STILL_LISTED), and deleting it again finishes: a missing object is no error.
    """
    if version is not None and int(version) != int(file.version):
        raise Conflict()
    try:
        storage.delete_object(file.s3_key)
    except DependencyUnavailable as exc:
        raise DependencyUnavailable(NOT_DELETED.format(name=file.file_name), dependency=exc.dependency) from exc
    try:
        _delete_item(actor=actor, file=file)
    except Conflict:
        # Between the check above and the transaction (a moment), someone else either deleted
        # the file too (audited by them: nothing is left to do) or changed its tags. Its bytes
        # are gone, so keeping it listed would only keep a broken link: it goes as it is now.
        try:
            current = _reload(file.file_id)
            if current is not None:
                _delete_item(actor=actor, file=current, whatever_version=True)
        except Conflict:
            return  # deleted by someone else meanwhile
        except DependencyUnavailable as exc:
            raise DependencyUnavailable(STILL_LISTED.format(name=file.file_name)) from exc
    except DependencyUnavailable as exc:
        raise DependencyUnavailable(STILL_LISTED.format(name=file.file_name)) from exc


def _delete_item(*, actor: Actor, file: File, whatever_version: bool = False) -> None:
    """The File item and its audit entry, in one transaction: on the version read unless
    ``whatever_version`` (then only on the item still existing)."""
    now = datetime.now(UTC)
    with dynamo_errors(), transact_write() as tx:
        if whatever_version:
            tx.delete(file, condition=File.file_id.exists(), add_version_condition=False)
        else:
            tx.delete(file)
        audit_record(
            tx,
            actor=actor,
            org_id=file.org_id,
            entity_type="FILE",
            entity_id=file.file_id,
            entity_name=file.file_name,
            action=DELETE,
            changes=audit_deleted(file_values(file)),
            timestamp=now,
        )


@receiver(well_deleting)
def files_delete_for_well(sender, *, well: Well, actor: Actor, **kwargs) -> int:
    """A well is being deleted (its deletion is audited there): remove its file items and objects.

    The objects go by the well's key prefix, not by the listed files: an upload that reached
    the store but was never completed has a PENDING item in no index (it expires by TTL) and
    an object nothing else would ever remove. Returns the number of files (finished uploads).
    """
    files = well_files_all(well_id=well.well_id)
    with dynamo_errors(), File.batch_write() as batch:
        for file in files:
            batch.delete(File(file.file_id))
    storage.delete_prefix(storage.well_prefix(org_id=well.org_id, well_id=well.well_id))
    return len(files)


@receiver(well_counting_dependents)
def files_count_for_well(sender, *, well: Well, **kwargs) -> dict[str, int]:
    """The "N files" of a well's (or its project's) delete confirmation: a Select=COUNT Query on
    WellFilesIndex, which holds finished uploads only (pending tickets have no uploadedAt)."""
    with dynamo_errors():
        return {"files": File.well_files_index.count(well.well_id)}
