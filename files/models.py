"""Files: metadata of uploaded objects (the bytes are in S3 or, locally, under var/media)."""

from enum import StrEnum

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from welltrack.dynamodb import WellTrackModel


class FileStatus(StrEnum):
    PENDING = "PENDING"  # an upload ticket: no file of the well yet, expires by TTL
    READY = "READY"  # completed: listed, with its FILE_UPLOAD event


PENDING, READY = FileStatus.PENDING, FileStatus.READY


class WellFilesIndex(GlobalSecondaryIndex["File"]):
    class Meta:
        index_name = "WellFilesIndex"
        projection = AllProjection()

    well_id = UnicodeAttribute(hash_key=True, attr_name="wellId")
    uploaded_at = UTCDateTimeAttribute(range_key=True, attr_name="uploadedAt")


class StageFilesIndex(GlobalSecondaryIndex["File"]):
    class Meta:
        index_name = "StageFilesIndex"
        projection = AllProjection()

    stage_id = UnicodeAttribute(hash_key=True, attr_name="stageId")
    uploaded_at = UTCDateTimeAttribute(range_key=True, attr_name="uploadedAt")


class OrgFilesIndex(GlobalSecondaryIndex["File"]):
    class Meta:
        index_name = "OrgFilesIndex"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True, attr_name="orgId")
    uploaded_at = UTCDateTimeAttribute(range_key=True, attr_name="uploadedAt")


class EventFilesIndex(GlobalSecondaryIndex["File"]):
    class Meta:
        index_name = "EventFilesIndex"
        projection = AllProjection()

    attached_event_id = UnicodeAttribute(hash_key=True, attr_name="attachedEventId")
    uploaded_at = UTCDateTimeAttribute(range_key=True, attr_name="uploadedAt")


class File(WellTrackModel):
    """Files (schema table 8). Key ``fileId``.

    GSIs (all sparse on ``uploadedAt``, so a file appears in them only once its upload is
    complete): WellFilesIndex (wellId, uploadedAt) — a well's files, of a date or a date
    range; StageFilesIndex (stageId, uploadedAt); OrgFilesIndex (orgId, uploadedAt) — the
    org's recent files; EventFilesIndex (attachedEventId, uploadedAt) — files attached to a
    user's event (added to the schema: the event page lists them without a filter scan).

    Life cycle: an upload ticket writes the item with ``status`` PENDING, the exact object
    key and the declared name, type and size, and ``expiresAt`` (TTL) so abandoned tickets
    vanish; completion turns it READY in one transaction with the FILE_UPLOAD event
    (``eventId``) and the audit item, under the condition that it was still PENDING — so
    completing twice creates one file and one event.
    """

    class Meta:
        base_name = "Files"

    file_id = UnicodeAttribute(hash_key=True, attr_name="fileId")
    well_id = UnicodeAttribute(attr_name="wellId")
    stage_id = UnicodeAttribute(attr_name="stageId", null=True)
    event_id = UnicodeAttribute(attr_name="eventId", null=True)  # the FILE_UPLOAD event, set on completion
    attached_event_id = UnicodeAttribute(attr_name="attachedEventId", null=True)
    org_id = UnicodeAttribute(attr_name="orgId")
    file_name = UnicodeAttribute(attr_name="fileName")
    file_type = UnicodeAttribute(attr_name="fileType")
    file_size = NumberAttribute(attr_name="fileSize")
    s3_key = UnicodeAttribute(attr_name="s3Key")
    s3_bucket = UnicodeAttribute(attr_name="s3Bucket")
    uploaded_at = UTCDateTimeAttribute(attr_name="uploadedAt", null=True)
    uploaded_by = UnicodeAttribute(attr_name="uploadedBy")
    tags = ListAttribute(of=UnicodeAttribute, default=list)
    metadata = MapAttribute(default=dict)
    status = UnicodeAttribute(default=PENDING)
    requested_at = UTCDateTimeAttribute(attr_name="requestedAt")
    expires_at = TTLAttribute(attr_name="expiresAt", null=True)
    version = VersionAttribute()

    well_files_index = WellFilesIndex()
    stage_files_index = StageFilesIndex()
    org_files_index = OrgFilesIndex()
    event_files_index = EventFilesIndex()
