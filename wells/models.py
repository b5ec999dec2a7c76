"""Projects (fields), wells, stages and events: the operations record."""

from enum import StrEnum

from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from welltrack.dynamodb import WellTrackModel
from welltrack.models import Tracked


class ProjectStatus(StrEnum):
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    ARCHIVED = "ARCHIVED"
    DELETED = "DELETED"  # hidden while its wells are being removed; not a choice of the form


class WellStatus(StrEnum):
    PLANNING = "PLANNING"
    DRILLING = "DRILLING"
    COMPLETED = "COMPLETED"
    ABANDONED = "ABANDONED"


class WellLifecycle(StrEnum):
    ACTIVE = "ACTIVE"
    DELETED = "DELETED"  # hidden while its stages, events and files are being removed


class StageStatus(StrEnum):
    PLANNED = "PLANNED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"


class StageType(StrEnum):
    DRILLING = "DRILLING"
    COMPLETION = "COMPLETION"
    TESTING = "TESTING"
    PRODUCTION = "PRODUCTION"
    OTHER = "OTHER"


class EventType(StrEnum):
    ACTIVITY = "ACTIVITY"
    FILE_UPLOAD = "FILE_UPLOAD"  # written by upload completion only
    STATUS_CHANGE = "STATUS_CHANGE"
    NOTE = "NOTE"
    OTHER = "OTHER"


class OrgProjectsIndex(GlobalSecondaryIndex["Project"]):
    class Meta:
        index_name = "OrgProjectsIndex"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True, attr_name="orgId")
    created_at = UTCDateTimeAttribute(range_key=True, attr_name="createdAt")


class Project(Tracked, WellTrackModel):
    """Projects (schema table 4). Key ``projectId``; GSI OrgProjectsIndex (orgId, createdAt).

    ``wellCounts`` is ``{status: n}`` of the project's wells, kept in the same transaction as
    every well create, status change and delete, so the project list needs no query per project.
    ``status`` DELETED hides a project whose wells are being removed.
    """

    class Meta:
        base_name = "Projects"

    project_id = UnicodeAttribute(hash_key=True, attr_name="projectId")
    org_id = UnicodeAttribute(attr_name="orgId")
    name = UnicodeAttribute()
    location = UnicodeAttribute(default="")
    description = UnicodeAttribute(default="")
    status = UnicodeAttribute(default=ProjectStatus.ACTIVE)
    well_counts = MapAttribute(attr_name="wellCounts", default=dict)

    org_projects_index = OrgProjectsIndex()


class Location(MapAttribute):
    latitude = NumberAttribute(null=True)
    longitude = NumberAttribute(null=True)


class ProjectWellsIndex(GlobalSecondaryIndex["Well"]):
    class Meta:
        index_name = "ProjectWellsIndex"
        projection = AllProjection()

    project_id = UnicodeAttribute(hash_key=True, attr_name="projectId")
    created_at = UTCDateTimeAttribute(range_key=True, attr_name="createdAt")


class OrgWellsIndex(GlobalSecondaryIndex["Well"]):
    class Meta:
        index_name = "OrgWellsIndex"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True, attr_name="orgId")
    name = UnicodeAttribute(range_key=True)


class OrgDrillingWellsIndex(GlobalSecondaryIndex["Well"]):
    class Meta:
        index_name = "OrgDrillingWellsIndex"
        projection = AllProjection()

    drilling_org_id = UnicodeAttribute(hash_key=True, attr_name="drillingOrgId")
    name = UnicodeAttribute(range_key=True)


class Well(Tracked, WellTrackModel):
    """Wells (schema table 5). Key ``wellId``; GSIs ProjectWellsIndex (projectId, createdAt),
    OrgWellsIndex (orgId, name) for name-prefix search.

    ``timeZone`` is the IANA zone the well's times are entered and shown in.
    ``longestEventSeconds`` is at least the duration of the well's longest range event (raised
    before a longer one is written, lowered when the longest is deleted or shortened: see
    wells.services.counters): the window query reads ``startTime >= windowStart - longest`` and
    so finds range events that began before the window without reading older history.
    ``stageCount`` is the number of its stages, checked and changed in the transaction that
    adds or deletes a stage, so two stages added at the same moment cannot take the same order.
    ``drillingOrgId`` is the orgId while the status is DRILLING and absent otherwise: the
    sparse GSI OrgDrillingWellsIndex lists an organization's drilling wells without reading
    the others (dashboard, org calendar, map).
    """

    class Meta:
        base_name = "Wells"

    well_id = UnicodeAttribute(hash_key=True, attr_name="wellId")
    project_id = UnicodeAttribute(attr_name="projectId")
    org_id = UnicodeAttribute(attr_name="orgId")
    name = UnicodeAttribute()
    well_number = UnicodeAttribute(attr_name="wellNumber", default="")
    location = Location(null=True)
    depth = NumberAttribute(null=True)
    status = UnicodeAttribute(default=WellStatus.PLANNING)
    start_date = UnicodeAttribute(attr_name="startDate", null=True)
    end_date = UnicodeAttribute(attr_name="endDate", null=True)
    metadata = MapAttribute(default=dict)
    time_zone = UnicodeAttribute(attr_name="timeZone", default="UTC")
    longest_event_seconds = NumberAttribute(attr_name="longestEventSeconds", default=0)
    stage_count = NumberAttribute(attr_name="stageCount", null=True)
    lifecycle = UnicodeAttribute(default=WellLifecycle.ACTIVE)
    drilling_org_id = UnicodeAttribute(attr_name="drillingOrgId", null=True)

    project_wells_index = ProjectWellsIndex()
    org_wells_index = OrgWellsIndex()
    org_drilling_wells_index = OrgDrillingWellsIndex()


class WellStagesIndex(GlobalSecondaryIndex["Stage"]):
    class Meta:
        index_name = "WellStagesIndex"
        projection = AllProjection()

    well_id = UnicodeAttribute(hash_key=True, attr_name="wellId")
    order = NumberAttribute(range_key=True)


class OrgStageBoardIndex(GlobalSecondaryIndex["Stage"]):
    class Meta:
        index_name = "OrgStageBoardIndex"
        projection = AllProjection()

    board_key = UnicodeAttribute(hash_key=True, attr_name="boardKey")
    board_sort = UnicodeAttribute(range_key=True, attr_name="boardSort")


class Stage(Tracked, WellTrackModel):
    """Stages (schema table 6). Key ``stageId``; GSI WellStagesIndex (wellId, order).

    ``order`` is 0, 1, 2, … without gaps within a well; moving a stage swaps two orders in one
    transaction. ``startDate``/``endDate`` are UTC timestamps.

    ``boardKey`` is ``orgId#PLANNED`` or ``orgId#IN_PROGRESS`` while the stage has that
    status and absent once it is COMPLETED; ``boardSort`` is its start (ISO 8601 UTC, or
    ``~`` when it has none, which sorts after every date). The sparse GSI OrgStageBoardIndex
    answers the dashboard's "in progress now" and "planned next, soonest first" for a whole
    organization in one Query each, without reading any well's stages.
    """

    class Meta:
        base_name = "Stages"

    stage_id = UnicodeAttribute(hash_key=True, attr_name="stageId")
    well_id = UnicodeAttribute(attr_name="wellId")
    org_id = UnicodeAttribute(attr_name="orgId")
    name = UnicodeAttribute()
    stage_type = UnicodeAttribute(attr_name="type")
    start_date = UTCDateTimeAttribute(attr_name="startDate", null=True)
    end_date = UTCDateTimeAttribute(attr_name="endDate", null=True)
    status = UnicodeAttribute(default=StageStatus.PLANNED)
    order = NumberAttribute()
    description = UnicodeAttribute(default="")
    board_key = UnicodeAttribute(attr_name="boardKey", null=True)
    board_sort = UnicodeAttribute(attr_name="boardSort", null=True)

    well_stages_index = WellStagesIndex()
    org_stage_board_index = OrgStageBoardIndex()


class WellEventsIndex(GlobalSecondaryIndex["Event"]):
    class Meta:
        index_name = "WellEventsIndex"
        projection = AllProjection()

    well_id = UnicodeAttribute(hash_key=True, attr_name="wellId")
    start_time = UnicodeAttribute(range_key=True, attr_name="startTime")


class StageEventsIndex(GlobalSecondaryIndex["Event"]):
    class Meta:
        index_name = "StageEventsIndex"
        projection = AllProjection()

    stage_id = UnicodeAttribute(hash_key=True, attr_name="stageId")
    start_time = UnicodeAttribute(range_key=True, attr_name="startTime")


class DateEventsIndex(GlobalSecondaryIndex["Event"]):
    class Meta:
        index_name = "DateEventsIndex"
        projection = AllProjection()

    date_key = UnicodeAttribute(hash_key=True, attr_name="dateKey")
    start_time = UnicodeAttribute(range_key=True, attr_name="startTime")


class RangeEventsIndex(GlobalSecondaryIndex["Event"]):
    class Meta:
        index_name = "RangeEventsIndex"
        projection = AllProjection()

    range_well_id = UnicodeAttribute(hash_key=True, attr_name="rangeWellId")
    start_time = UnicodeAttribute(range_key=True, attr_name="startTime")


class Event(Tracked, WellTrackModel):
    """Events (schema table 7). Key ``eventId``.

    GSIs: WellEventsIndex (wellId, startTime), StageEventsIndex (stageId, startTime; sparse:
    only events on a stage), DateEventsIndex (``dateKey`` = ``wellId#YYYY-MM-DD`` of the start
    in the well's time zone, startTime).
    ``startTime``/``endTime`` are UTC ISO 8601 strings with a ``Z`` (``2026-03-08T07:30:00Z``),
    so they sort as text; ``endTime`` is null for an instant.
    ``rangeWellId`` is the wellId of a range event (absent for an instant): the sparse GSI
    RangeEventsIndex (rangeWellId, startTime) finds the ranges that began before a window
    without reading the instants of the reach-back period.
    """

    class Meta:
        base_name = "Events"

    event_id = UnicodeAttribute(hash_key=True, attr_name="eventId")
    well_id = UnicodeAttribute(attr_name="wellId")
    org_id = UnicodeAttribute(attr_name="orgId")
    stage_id = UnicodeAttribute(attr_name="stageId", null=True)
    event_type = UnicodeAttribute(attr_name="type")
    title = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    start_time = UnicodeAttribute(attr_name="startTime")
    end_time = UnicodeAttribute(attr_name="endTime", null=True)
    date_key = UnicodeAttribute(attr_name="dateKey")
    metadata = MapAttribute(default=dict)
    file_id = UnicodeAttribute(attr_name="fileId", null=True)
    range_well_id = UnicodeAttribute(attr_name="rangeWellId", null=True)

    well_events_index = WellEventsIndex()
    stage_events_index = StageEventsIndex()
    date_events_index = DateEventsIndex()
    range_events_index = RangeEventsIndex()
