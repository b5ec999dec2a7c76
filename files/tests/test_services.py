"""files.services when DynamoDB's answer to a write is lost on the way back."""

import pytest

from files import services
from files.models import PENDING, File
from wells.testing import actor_for
from welltrack.faults import LandsThenLosesTheAnswer, injected

pytestmark = pytest.mark.usefixtures("local_media")


def test_a_ticket_whose_reservation_landed_but_whose_answer_was_lost_is_issued(org_world, well):
    with injected(LandsThenLosesTheAnswer(File.Meta.table_name)) as hook:
        file, _ticket = services.file_ticket_create(
            actor=actor_for(org_world.users["EDITOR"]),
            well=well,
            file_name="DDR.pdf",
            file_type="application/pdf",
            file_size=100,
        )
    assert hook.landed
    stored = File.get(file.file_id, consistent_read=True)
    assert (stored.status, stored.s3_key, stored.requested_at) == (PENDING, file.s3_key, file.requested_at)
