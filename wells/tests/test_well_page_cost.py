"""The well page's cost in DynamoDB requests stays small, and its history arrives as a fragment."""

from wells import services
from wells.models import Well
from wells.testing import actor_for


def test_well_page_reads_at_most_six_things_and_defers_the_history(org_world, well, client_for, settings):
    settings.WELLTRACK_DB_METRICS_HEADERS = True
    actor = actor_for(org_world.users["EDITOR"])
    for n in range(3):
        services.stage_create(actor=actor, well=Well.get(well.well_id), name=f"Stage {n}", stage_type="OTHER")
        services.event_create(
            actor=actor,
            well=Well.get(well.well_id),
            event_type="NOTE",
            title=f"Note {n}",
            start=f"2026-03-0{n + 1}T08:00",
        )
    client = client_for(org_world.users["VIEWER"])
    client.get(f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/")  # the first page refreshes the session's user
    page = client.get(f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/")
    assert int(page["X-DynamoDB-Requests"]) <= 6
    assert "Loading the change history" in page.content.decode()
    history = client.get(f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/?part=history", HTTP_HX_REQUEST="true")
    assert "Erin Editor created well JS-A-12" in history.content.decode()
    assert "<html" not in history.content.decode()
    no_js = client.get(f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/?history=")
    assert "Erin Editor created well JS-A-12" in no_js.content.decode()
