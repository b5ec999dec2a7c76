"""Pages: full pages and their htmx fragments, forms that keep input, conflicts, zones, deletes."""

import uuid

import pytest

from wells import selectors, services
from wells.models import Event, Project, Stage, Well
from wells.testing import actor_for, make_project, make_well


def org_url(org_world, rest: str) -> str:
    return f"/orgs/{org_world.org.org_id}/{rest}"


@pytest.fixture
def editor_client(org_world, client_for):
    return client_for(org_world.users["EDITOR"])


@pytest.fixture
def admin_client(org_world, client_for):
    return client_for(org_world.users["ADMIN"])


def editor(org_world):
    return actor_for(org_world.users["EDITOR"])


# --- projects -------------------------------------------------------------------------------


def test_project_list_shows_well_counts_by_status_without_a_query_per_project(org_world, admin_client, project):
    make_well(org_world, project, name="C-1", status="DRILLING")
    make_well(org_world, project, name="C-2", status="DRILLING")
    make_well(org_world, project, name="C-3", status="COMPLETED")
    page = admin_client.get(org_url(org_world, "projects/")).content.decode()
    card = page[page.index(project.name) :]
    assert '<span class="badge wt-status wt-status-DRILLING">2</span> Drilling' in card
    assert '<span class="badge wt-status wt-status-COMPLETED">1</span> Completed' in card


def test_admin_creates_a_project_and_a_viewer_cannot(org_world, admin_client, client_for):
    response = admin_client.post(
        org_url(org_world, "projects/new/"), {"name": "Kashagan", "location": "North Caspian", "status": "ACTIVE"}
    )
    assert response.status_code == 302
    assert "Kashagan" in admin_client.get(response["Location"]).content.decode()
    viewer = client_for(org_world.users["VIEWER"])
    assert viewer.post(org_url(org_world, "projects/new/"), {"name": "No"}).status_code == 403


def test_a_stale_project_edit_answers_409_with_current_values_and_keeps_the_input(org_world, admin_client, project):
    services.project_update(
        actor=actor_for(org_world.users["OWNER"]),
        project=Project.get(project.project_id),
        version=project.version,
        name="Tengiz (renamed by owner)",
        status="ACTIVE",
    )
    response = admin_client.post(
        org_url(org_world, f"projects/{project.project_id}/edit/"),
        {"name": "My name", "location": "Atyrau", "status": "COMPLETED", "version": project.version},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in page
    assert 'value="My name"' in page
    assert Project.get(project.project_id).name == "Tengiz (renamed by owner)"
    # saving again (now with the current version) goes through deliberately
    again = admin_client.post(
        org_url(org_world, f"projects/{project.project_id}/edit/"),
        {"name": "My name", "location": "Atyrau", "status": "COMPLETED", "version": project.version + 1},
    )
    assert again.status_code == 302 and Project.get(project.project_id).name == "My name"


def test_project_page_sorts_wells_and_htmx_gets_only_the_table(org_world, editor_client, project):
    for name in ("B-2", "A-1", "C-3"):
        make_well(org_world, project, name=name)
    url = org_url(org_world, f"projects/{project.project_id}/")
    full = editor_client.get(url + "?sort=name&dir=desc")
    assert "<html" in full.content.decode()
    partial = editor_client.get(url + "?sort=name&dir=desc", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and 'id="well-table"' in body
    assert body.index("C-3") < body.index("B-2") < body.index("A-1")
    assert "HX-Request" in partial["Vary"]


def test_project_delete_confirmation_says_how_much_goes(org_world, admin_client):
    project = make_project(org_world, name=f"Gone {uuid.uuid4().hex[:4]}")
    well = make_well(org_world, project, name="G-1")
    services.stage_create(actor=editor(org_world), well=well, name="Drilling", stage_type="DRILLING")
    services.event_create(
        actor=editor(org_world), well=Well.get(well.well_id), event_type="NOTE", title="x", start="2026-01-01T00:00"
    )
    page = admin_client.get(org_url(org_world, f"projects/{project.project_id}/delete/")).content.decode()
    for line in ("1 well<", "1 stage<", "1 event<", "0 files<"):
        assert line in page
    response = admin_client.post(org_url(org_world, f"projects/{project.project_id}/delete/"))
    assert response.status_code == 302
    assert Well.count(well.well_id) == 0
    assert admin_client.get(org_url(org_world, f"projects/{project.project_id}/")).status_code == 404


# --- wells ----------------------------------------------------------------------------------

WELL_FORM = {
    "name": "JS-C-3",
    "well_number": "KZ-3",
    "status": "PLANNING",
    "latitude": "46.3",
    "longitude": "53.1",
    "depth": "2800",
    "start_date": "2026-02-01",
    "end_date": "",
    "time_zone": "Asia/Almaty",
    "metadata": "rig: Rig 9\ncontractor: KazDrill",
}


def test_editor_creates_a_well_defaulting_to_their_zone(org_world, editor_client, project):
    page = editor_client.get(org_url(org_world, f"projects/{project.project_id}/wells/new/")).content.decode()
    assert '<option value="UTC" selected>' in page  # the editor's own zone
    response = editor_client.post(org_url(org_world, f"projects/{project.project_id}/wells/new/"), WELL_FORM)
    assert response.status_code == 302
    detail = editor_client.get(response["Location"]).content.decode()
    assert "JS-C-3" in detail and "Rig 9" in detail and "Asia/Almaty" in detail


def test_bad_well_input_keeps_everything_typed_and_names_the_field(org_world, editor_client, project):
    response = editor_client.post(
        org_url(org_world, f"projects/{project.project_id}/wells/new/"),
        {**WELL_FORM, "latitude": "91", "end_date": "2026-01-01"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "between -90 and 90" in page
    assert 'value="JS-C-3"' in page and "Rig 9" in page
    assert selectors.project_wells(project_id=project.project_id)[0] == []


def test_status_change_from_the_form_shows_a_status_change_event(org_world, editor_client, well):
    response = editor_client.post(
        org_url(org_world, f"wells/{well.well_id}/edit/"),
        {**WELL_FORM, "name": well.name, "status": "DRILLING", "version": well.version},
    )
    assert response.status_code == 302
    page = editor_client.get(org_url(org_world, f"wells/{well.well_id}/")).content.decode()
    assert "Status changed from PLANNING to DRILLING" in page


def test_a_stale_well_edit_shows_current_values_and_keeps_the_input(org_world, editor_client, well):
    fresh = Well.get(well.well_id)
    services.well_update(
        actor=actor_for(org_world.users["ADMIN"]),
        well=fresh,
        project=Project.get(well.project_id),
        version=fresh.version,
        name="Renamed by admin",
        status="PLANNING",
        time_zone="Asia/Almaty",
        latitude=46.1,
        longitude=53.2,
    )
    response = editor_client.post(
        org_url(org_world, f"wells/{well.well_id}/edit/"), {**WELL_FORM, "name": "My edit", "version": well.version}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in page and "Renamed by admin" in page
    assert 'value="My edit"' in page
    assert Well.get(well.well_id).name == "Renamed by admin"


def test_well_search_by_prefix_with_an_htmx_fragment(org_world, editor_client, project):
    tag = uuid.uuid4().hex[:5].upper()
    make_well(org_world, project, name=f"{tag}-North")
    make_well(org_world, project, name=f"Z{tag}")
    response = editor_client.get(org_url(org_world, f"wells/?q={tag}"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and f"{tag}-North" in body and f"Z{tag}" not in body


def test_well_page_has_stages_latest_events_and_history(org_world, editor_client, well):
    services.stage_create(actor=editor(org_world), well=well, name="Drilling 17½ in", stage_type="DRILLING")
    services.event_create(
        actor=editor(org_world), well=well, event_type="NOTE", title="Spud in", start="2026-03-01T06:00"
    )
    page = editor_client.get(org_url(org_world, f"wells/{well.well_id}/")).content.decode()
    assert "Drilling 17½ in" in page and "Spud in" in page
    assert "Sun 1 Mar 2026, 06:00" in page  # Almaty wall-clock time, stored as 01:00Z
    assert 'id="history"' in page
    history = editor_client.get(org_url(org_world, f"wells/{well.well_id}/?part=history"), HTTP_HX_REQUEST="true")
    assert "<html" not in history.content.decode() and "Erin Editor" in history.content.decode()
    part = editor_client.get(org_url(org_world, f"wells/{well.well_id}/?part=events"), HTTP_HX_REQUEST="true")
    assert "<html" not in part.content.decode() and "Spud in" in part.content.decode()


def test_a_well_seen_through_another_orgs_url_is_not_found(org_world, client_for, well):
    outsider = client_for(org_world.outsider)
    other = org_world.other_org.org_id
    assert outsider.get(f"/orgs/{other}/wells/{well.well_id}/").status_code == 404
    assert outsider.get(f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/").status_code == 404


def test_well_delete_confirmation_counts_and_editor_may_not_delete(org_world, editor_client, admin_client, project):
    well = make_well(org_world, project, name=f"Del-{uuid.uuid4().hex[:4]}")
    for n in range(2):
        services.stage_create(actor=editor(org_world), well=well, name=f"S{n}", stage_type="OTHER")
    services.event_create(actor=editor(org_world), well=well, event_type="NOTE", title="x", start="2026-01-01T00:00")
    assert editor_client.get(org_url(org_world, f"wells/{well.well_id}/delete/")).status_code == 403
    page = admin_client.get(org_url(org_world, f"wells/{well.well_id}/delete/")).content.decode()
    assert "2 stages<" in page and "1 event<" in page and "0 files<" in page
    assert admin_client.post(org_url(org_world, f"wells/{well.well_id}/delete/")).status_code == 302
    assert Well.count(well.well_id) == 0 and selectors.stage_list_all(well_id=well.well_id) == []


def test_delete_confirmations_count_the_wells_finished_uploads(org_world, editor_client, admin_client, local_media):
    """The files area answers the count (WellFilesIndex); a ticket never completed is no file."""
    from files.tests.helpers import ticket, upload

    project = make_project(org_world, name=f"Files {uuid.uuid4().hex[:4]}")
    well = make_well(org_world, project, name="F-1")
    upload(editor_client, well, name="DDR 1.pdf")
    upload(editor_client, well, name="DDR 2.pdf")
    assert ticket(editor_client, well, data=b"never sent").status_code == 201
    assert selectors.well_delete_preview(well=Well.get(well.well_id))["files"] == 2
    assert selectors.project_delete_preview(project=Project.get(project.project_id))["files"] == 2
    well_page = admin_client.get(org_url(org_world, f"wells/{well.well_id}/delete/")).content.decode()
    project_page = admin_client.get(org_url(org_world, f"projects/{project.project_id}/delete/")).content.decode()
    assert "<li>2 files</li>" in well_page and "<li>2 events</li>" in well_page  # each upload wrote its event
    assert "<li>2 files</li>" in project_page and "<li>1 well</li>" in project_page


# --- stages ---------------------------------------------------------------------------------


def test_stage_is_added_moved_with_htmx_and_deleted_keeping_its_events(org_world, editor_client, well):
    for name in ("Drilling", "Completion"):
        response = editor_client.post(
            org_url(org_world, f"wells/{well.well_id}/stages/new/"),
            {"name": name, "stage_type": name.upper(), "status": "PLANNED", "start": "2026-03-01T08:00", "end": ""},
        )
        assert response.status_code == 302
    drilling, completion = selectors.stage_list_all(well_id=well.well_id)
    assert drilling.start_date.isoformat() == "2026-03-01T03:00:00+00:00"  # 08:00 in Almaty
    moved = editor_client.post(
        org_url(org_world, f"stages/{completion.stage_id}/move/"), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    body = moved.content.decode()
    assert moved.status_code == 200 and "<html" not in body and body.index("Completion") < body.index("Drilling")
    event = services.event_create(
        actor=editor(org_world),
        well=well,
        stage=drilling,
        event_type="NOTE",
        title="On stage",
        start="2026-03-01T09:00",
    )
    page = editor_client.get(org_url(org_world, f"stages/{drilling.stage_id}/delete/")).content.decode()
    assert "1 event(s)" in page and "Keep its events on the well" in page
    response = editor_client.post(org_url(org_world, f"stages/{drilling.stage_id}/delete/"), {"events": "keep"})
    assert response.status_code == 302
    assert Event.get(event.event_id).stage_id is None
    assert [(s.name, s.order) for s in selectors.stage_list_all(well_id=well.well_id)] == [("Completion", 0)]


def test_a_refused_stage_move_shows_the_list_as_it_is_with_the_reason(org_world, editor_client, well):
    first = services.stage_create(actor=editor(org_world), well=well, name="Rig up", stage_type="OTHER")
    services.stage_create(actor=editor(org_world), well=well, name="Drill", stage_type="DRILLING")
    response = editor_client.post(
        org_url(org_world, f"stages/{first.stage_id}/move/"), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 422 and "<html" not in body
    assert "“Rig up” is already the first stage." in body and body.index("Rig up", body.index("</div>")) < body.index(
        "Drill"
    )
    plain = editor_client.post(org_url(org_world, f"stages/{first.stage_id}/move/"), {"direction": "up"}, follow=True)
    assert "already the first stage" in plain.content.decode()


def test_stage_delete_without_a_choice_asks_again(org_world, editor_client, well):
    stage = services.stage_create(actor=editor(org_world), well=well, name="S", stage_type="OTHER")
    response = editor_client.post(org_url(org_world, f"stages/{stage.stage_id}/delete/"), {})
    assert response.status_code == 422 and Stage.count(stage.stage_id) == 1


# --- events ---------------------------------------------------------------------------------


def test_event_form_names_the_zone_and_stores_utc(org_world, editor_client, project):
    well = make_well(org_world, project, name=f"Chi-{uuid.uuid4().hex[:4]}", time_zone="America/Chicago")
    url = org_url(org_world, f"wells/{well.well_id}/events/new/")
    page = editor_client.get(url).content.decode()
    assert 'data-testid="form-zone">America/Chicago<' in page
    assert "FILE_UPLOAD" not in page
    response = editor_client.post(
        url,
        {
            "event_type": "ACTIVITY",
            "title": "Across the change",
            "start": "2026-03-07T22:00",
            "end": "2026-03-08T04:00",
        },
    )
    assert response.status_code == 302
    event = selectors.latest_events(well_id=well.well_id)[0]
    assert (event.start_time, event.end_time) == ("2026-03-08T04:00:00Z", "2026-03-08T09:00:00Z")  # CST, then CDT
    edit = editor_client.get(org_url(org_world, f"events/{event.event_id}/edit/")).content.decode()
    assert 'value="2026-03-07T22:00"' in edit and 'value="2026-03-08T04:00"' in edit


def test_a_time_skipped_by_the_clock_change_is_refused_next_to_the_field(org_world, editor_client, project):
    well = make_well(org_world, project, name=f"Chi-{uuid.uuid4().hex[:4]}", time_zone="America/Chicago")
    response = editor_client.post(
        org_url(org_world, f"wells/{well.well_id}/events/new/"),
        {"event_type": "NOTE", "title": "Ghost hour", "start": "2026-03-08T02:30"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "does not exist in America/Chicago" in page and 'value="Ghost hour"' in page
    assert selectors.latest_events(well_id=well.well_id) == []


def test_event_end_before_start_is_refused_and_input_kept(org_world, editor_client, well):
    response = editor_client.post(
        org_url(org_world, f"wells/{well.well_id}/events/new/"),
        {"event_type": "ACTIVITY", "title": "Backwards", "start": "2026-03-02T10:00", "end": "2026-03-02T09:00"},
    )
    page = response.content.decode()
    assert response.status_code == 422 and "cannot be before the start" in page and 'value="Backwards"' in page


@pytest.mark.parametrize(
    "start, end, message",
    [
        ("0999-06-01T00:00", "", "Enter a time from 1900-01-01 to 2200-01-01"),
        ("0001-01-01T00:00", "", "Enter a time from 1900-01-01 to 2200-01-01"),  # before year 1 in UTC
        ("2026-03-02T10:00", "9999-12-31T23:00", "Enter a time from 1900-01-01 to 2200-01-01"),
        ("2026-03-02T10:00", "2029-03-02T10:00", "record a longer operation as a stage"),
    ],
)
def test_event_times_outside_the_span_are_refused_next_to_the_field(
    org_world, editor_client, well, start, end, message
):
    response = editor_client.post(
        org_url(org_world, f"wells/{well.well_id}/events/new/"),
        {"event_type": "ACTIVITY", "title": "Out of range", "start": start, "end": end},
    )
    page = response.content.decode()
    assert response.status_code == 422 and message in page and 'value="Out of range"' in page
    assert selectors.latest_events(well_id=well.well_id) == []


@pytest.mark.parametrize("start, end", [("2026-03-01T08:00", "9999-12-31T23:00"), ("0001-01-01T00:00", "")])
def test_stage_dates_outside_the_span_are_refused_next_to_the_field(org_world, editor_client, well, start, end):
    response = editor_client.post(
        org_url(org_world, f"wells/{well.well_id}/stages/new/"),
        {"name": "Drilling", "stage_type": "DRILLING", "status": "PLANNED", "start": start, "end": end},
    )
    page = response.content.decode()
    assert response.status_code == 422 and "Enter a time from 1900-01-01 to 2200-01-01" in page
    assert 'value="Drilling"' in page
    assert selectors.stage_list_all(well_id=well.well_id) == []


def test_event_with_a_stage_of_another_well_is_refused(org_world, editor_client, project, well):
    other = make_well(org_world, project, name=f"O-{uuid.uuid4().hex[:4]}")
    stage = services.stage_create(actor=editor(org_world), well=other, name="Elsewhere", stage_type="OTHER")
    response = editor_client.post(
        org_url(org_world, f"wells/{well.well_id}/events/new/"),
        {"event_type": "NOTE", "title": "x", "start": "2026-03-02T10:00", "stage": stage.stage_id},
    )
    assert response.status_code == 422
    assert selectors.latest_events(well_id=well.well_id) == []


def test_a_stale_event_edit_is_409_with_current_values_in_the_wells_zone(org_world, editor_client, well):
    event = services.event_create(
        actor=editor(org_world), well=well, event_type="NOTE", title="First", start="2026-03-02T10:00"
    )
    services.event_update(
        actor=editor(org_world),
        event=Event.get(event.event_id),
        well=well,
        version=event.version,
        keep_stage=True,
        title="Second",
    )
    response = editor_client.post(
        org_url(org_world, f"events/{event.event_id}/edit/"),
        {"event_type": "NOTE", "title": "Mine", "start": "2026-03-02T11:00", "version": event.version},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "“Second”, Mon 2 Mar 2026, 10:00 (Asia/Almaty)" in page and 'value="Mine"' in page
    assert Event.get(event.event_id).title == "Second"


def test_event_page_shows_times_in_the_wells_zone_and_htmx_gets_the_panel(org_world, editor_client, well):
    event = services.event_create(
        actor=editor(org_world),
        well=well,
        event_type="ACTIVITY",
        title="Logging",
        start="2026-03-02T10:00",
        end="2026-03-02T16:30",
    )
    url = org_url(org_world, f"events/{event.event_id}/")
    page = editor_client.get(url).content.decode()
    assert "Asia/Almaty" in page and "10:00" in page and "16:30" in page
    assert "<html" not in editor_client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_an_event_of_another_org_through_this_orgs_url_is_not_found(org_world, client_for, well):
    event = services.event_create(
        actor=editor(org_world), well=well, event_type="NOTE", title="x", start="2026-03-02T10:00"
    )
    outsider = client_for(org_world.outsider)
    assert outsider.get(f"/orgs/{org_world.other_org.org_id}/events/{event.event_id}/").status_code == 404
    assert outsider.post(f"/orgs/{org_world.other_org.org_id}/events/{event.event_id}/delete/").status_code == 404
    assert Event.count(event.event_id) == 1


def test_an_interrupted_well_deletion_is_offered_to_admins_to_finish(org_world, admin_client, editor_client, project):
    from welltrack.errors import DependencyUnavailable
    from welltrack.faults import Throttler, injected

    well = make_well(org_world, project, name="Stuck-1")
    services.stage_create(actor=editor(org_world), well=well, name="S", stage_type="OTHER")
    with injected(Throttler(per_call=10, operations={"BatchWriteItem"})), pytest.raises(DependencyUnavailable):
        services.well_delete(actor=actor_for(org_world.users["ADMIN"]), well=Well.get(well.well_id))
    assert editor_client.get(org_url(org_world, f"wells/{well.well_id}/")).status_code == 404
    assert (
        "unfinished-deletions"
        not in editor_client.get(org_url(org_world, f"projects/{project.project_id}/")).content.decode()
    )
    page = admin_client.get(org_url(org_world, f"projects/{project.project_id}/")).content.decode()
    assert 'data-testid="unfinished-deletions"' in page and "Stuck-1" in page
    confirm = admin_client.get(org_url(org_world, f"wells/{well.well_id}/delete/")).content.decode()
    assert 'data-testid="unfinished-deletion"' in confirm and "1 stage<" in confirm
    assert admin_client.post(org_url(org_world, f"wells/{well.well_id}/delete/")).status_code == 302
    assert Well.count(well.well_id) == 0
    assert (
        "unfinished-deletions"
        not in admin_client.get(org_url(org_world, f"projects/{project.project_id}/")).content.decode()
    )


# --- deletes carry the version the confirmation showed --------------------------------------


@pytest.mark.parametrize("kind", ["project", "well", "stage", "event"])
def test_a_delete_confirmed_on_a_stale_page_is_refused_with_the_current_values(org_world, admin_client, kind):
    project = make_project(org_world, name=f"Stale delete {uuid.uuid4().hex[:4]}")
    well = make_well(org_world, project, name="SD-1")
    actor = actor_for(org_world.users["ADMIN"])
    if kind == "project":
        item, model, url, data = project, Project, f"projects/{project.project_id}/delete/", {}

        def change():
            services.project_update(
                actor=actor,
                project=Project.get(project.project_id),
                version=project.version,
                name="Renamed meanwhile",
                status="ACTIVE",
            )
    elif kind == "well":
        item, model, url, data = well, Well, f"wells/{well.well_id}/delete/", {}

        def change():
            fresh = Well.get(well.well_id)
            services.well_update(
                actor=actor,
                well=fresh,
                project=Project.get(project.project_id),
                version=fresh.version,
                name="Renamed meanwhile",
                status="PLANNING",
                time_zone=fresh.time_zone,
            )
    elif kind == "stage":
        item = services.stage_create(actor=actor, well=well, name="S", stage_type="OTHER")
        model, url, data = Stage, f"stages/{item.stage_id}/delete/", {"events": "keep"}

        def change():
            services.stage_update(
                actor=actor,
                stage=Stage.get(item.stage_id),
                well=well,
                version=item.version,
                name="Renamed meanwhile",
                stage_type="OTHER",
            )
    else:
        item = services.event_create(actor=actor, well=well, event_type="NOTE", title="E", start="2026-03-02T10:00")
        model, url, data = Event, f"events/{item.event_id}/delete/", {}

        def change():
            services.event_update(
                actor=actor,
                event=Event.get(item.event_id),
                well=well,
                version=item.version,
                keep_stage=True,
                title="Renamed meanwhile",
            )

    confirmation = admin_client.get(org_url(org_world, url)).content.decode()
    assert f'name="version" value="{item.version}"' in confirmation
    change()
    response = admin_client.post(org_url(org_world, url), {**data, "version": item.version})
    page = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else since you opened it" in page and "Nothing was deleted." in page
    assert "Renamed meanwhile" in page and f'name="version" value="{item.version + 1}"' in page
    key = (
        item.project_id
        if kind == "project"
        else item.well_id
        if kind == "well"
        else (item.stage_id if kind == "stage" else item.event_id)
    )
    assert model.count(key) == 1
    assert admin_client.post(org_url(org_world, url), {**data, "version": item.version + 1}).status_code == 302
    assert model.count(key) == 0


def test_an_interrupted_project_deletion_is_offered_to_admins_to_finish(
    org_world, admin_client, editor_client, settings
):
    from welltrack.errors import DependencyUnavailable
    from welltrack.faults import Throttler, injected

    settings.WELLTRACK_DB_METRICS_HEADERS = True
    project = make_project(org_world, name=f"Stuck {uuid.uuid4().hex[:4]}")
    well = make_well(org_world, project, name="Stuck-P-1")
    services.stage_create(actor=editor(org_world), well=well, name="S", stage_type="OTHER")
    admin_client.get(org_url(org_world, "projects/"))  # the first page refreshes the session's user
    cost_before = int(admin_client.get(org_url(org_world, "projects/"))["X-DynamoDB-Requests"])
    with injected(Throttler(per_call=10, operations={"BatchWriteItem"})), pytest.raises(DependencyUnavailable):
        services.project_delete(actor=actor_for(org_world.users["ADMIN"]), project=Project.get(project.project_id))

    assert editor_client.get(org_url(org_world, f"projects/{project.project_id}/")).status_code == 404
    assert "unfinished-deletions" not in editor_client.get(org_url(org_world, "projects/")).content.decode()
    listing = admin_client.get(org_url(org_world, "projects/"))
    page = listing.content.decode()
    assert 'data-testid="unfinished-deletions"' in page and project.name in page
    assert f'href="/orgs/{org_world.org.org_id}/projects/{project.project_id}/"' not in page  # no card for it
    assert int(listing["X-DynamoDB-Requests"]) == cost_before, cost_before
    assert admin_client.get(org_url(org_world, f"projects/{project.project_id}/")).status_code == 404

    confirm = admin_client.get(org_url(org_world, f"projects/{project.project_id}/delete/")).content.decode()
    assert 'data-testid="unfinished-deletion"' in confirm and "1 well<" in confirm and "1 stage<" in confirm
    assert f'<a class="btn btn-link" href="/orgs/{org_world.org.org_id}/projects/">Cancel</a>' in confirm
    response = admin_client.post(org_url(org_world, f"projects/{project.project_id}/delete/"))
    assert response.status_code == 302 and response["Location"] == org_url(org_world, "projects/")
    assert Project.count(project.project_id) == 0 and Well.count(well.well_id) == 0
    after = admin_client.get(org_url(org_world, "projects/")).content.decode()
    assert "unfinished-deletions" not in after and "was finished" in after
