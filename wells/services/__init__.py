"""Every write of the wells area. One module per entity; import from here."""

from wells.services.events import event_create, event_delete, event_put_in_transaction, event_reschedule, event_update
from wells.services.projects import project_create, project_delete, project_update
from wells.services.stages import stage_create, stage_delete, stage_move, stage_update
from wells.services.wells import well_create, well_delete, well_deleting, well_update

__all__ = [
    "event_create",
    "event_delete",
    "event_put_in_transaction",
    "event_reschedule",
    "event_update",
    "project_create",
    "project_delete",
    "project_update",
    "stage_create",
    "stage_delete",
    "stage_move",
    "stage_update",
    "well_create",
    "well_delete",
    "well_deleting",
    "well_update",
]
