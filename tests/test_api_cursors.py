"""Every paginated list of the API refuses a cursor of another list with 422 naming ``cursor``.

A cursor is signed, so a client cannot forge one, but it can carry one from one list to another
(another endpoint, or the same endpoint of another well or organization). DynamoDB answers a
start key of another index or partition with a server error; the API must say what is wrong.

The cursors are taken from the selectors with a page of one (the API's pages are larger than
this scene's lists); they are the very strings the API hands out.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.services import user_register
from files import selectors as file_selectors
from files.models import File
from files.tests.helpers import recorded_files
from orgs import selectors as org_selectors
from orgs.testing import OrgWorld, add_member, build_org_world
from wells import selectors as well_selectors
from wells.services import event_create, stage_create
from wells.testing import actor_for, make_project, make_well
from welltrack.audit import org_activity
from welltrack.testing import sign_in

DAY = date(2026, 6, 10)
WINDOW = (datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 20, tzinfo=UTC))
WINDOW_QUERY = "start=2026-06-01T00:00&end=2026-06-20T00:00"


@dataclass
class Scene:
    urls: dict[str, str]  # list name -> the API URL of that list
    cursors: dict[str, str]  # list name -> a cursor of that list
    editor: object


def _cursor(page) -> str:
    cursor = page.cursor if hasattr(page, "cursor") else page[-1]
    assert cursor, "the scene's list must hold more than one item"
    return cursor


@pytest.fixture(scope="module")
def scene(django_test_environment, welltrack_tables) -> Scene:
    def make_user(name="User", email=None, password="correct-horse-battery-staple", time_zone="UTC"):
        email = email or f"c-{uuid.uuid4().hex[:12]}@example.com"
        return user_register(email=email, password=password, name=name, time_zone=time_zone)

    world = build_org_world(make_user)
    editor = world.users["EDITOR"]
    add_member(world.other_org, make_user(name="Second Member"), "VIEWER")
    org, other_org = world.org.org_id, world.other_org.org_id
    p1, p2 = make_project(world, "Field One"), make_project(world, "Field Two")
    other_world = OrgWorld(org=world.other_org, users={"ADMIN": world.outsider}, outsider=None, other_org=None)
    make_project(other_world, "Other One"), make_project(other_world, "Other Two")
    wells = {}
    for project, names in ((p1, ("W1-a", "W1-b")), (p2, ("W2-a", "W2-b"))):
        for name in names:
            wells[name] = make_well(world, project, name=name, time_zone="UTC")
    w1, w2 = wells["W1-a"], wells["W2-a"]
    stages = {}
    for well in (w1, w2):
        for n in range(2):
            stages[(well.well_id, n)] = stage_create(actor=actor_for(editor), well=well, name=f"Stage {n}")
    s1, s2 = stages[(w1.well_id, 0)], stages[(w2.well_id, 0)]
    for well, stage in ((w1, s1), (w2, s2)):
        for hour in (9, 10):
            event_create(
                actor=actor_for(editor),
                well=well,
                stage=stage,
                event_type="NOTE",
                title=f"Note {hour}",
                start=f"{DAY.isoformat()}T{hour:02}:00",
            )
    for well in (w1, w2):
        files = recorded_files(
            well,
            [("a.pdf", "application/pdf", 10), ("b.pdf", "application/pdf", 10)],
            user_id=editor.user_id,
            start=datetime(2026, 6, 10, 8, tzinfo=UTC),
        )
        for file in files:
            stage_id = (s1 if well is w1 else s2).stage_id
            file.update(actions=[File.stage_id.set(stage_id)], add_version_condition=False)
    one = {"limit": 1}
    cursors = {
        "projects": _cursor(well_selectors.project_list(org_id=org, **one)),
        "projects of another org": _cursor(well_selectors.project_list(org_id=other_org, **one)),
        "wells of a project": _cursor(well_selectors.project_wells(project_id=p1.project_id, **one)),
        "wells of another project": _cursor(well_selectors.project_wells(project_id=p2.project_id, **one)),
        "wells of the org": _cursor(well_selectors.well_search(org_id=org, **one)),
        "wells of the org by name": _cursor(well_selectors.well_search(org_id=org, prefix="W", **one)),
        "stages": _cursor(well_selectors.stage_list(well_id=w1.well_id, **one)),
        "stages of another well": _cursor(well_selectors.stage_list(well_id=w2.well_id, **one)),
        "events of a stage": _cursor(well_selectors.stage_events(stage_id=s1.stage_id, **one)),
        "events of another stage": _cursor(well_selectors.stage_events(stage_id=s2.stage_id, **one)),
        "events in a window": _cursor(well_selectors.events_in_window(well=w1, start=WINDOW[0], end=WINDOW[1], **one)),
        "events in a window of another well": _cursor(
            well_selectors.events_in_window(well=w2, start=WINDOW[0], end=WINDOW[1], **one)
        ),
        "events on a date": _cursor(well_selectors.events_on_date(well=w1, day=DAY, **one)),
        "events starting on a date": _cursor(well_selectors.events_starting_on(well=w1, day=DAY, **one)),
        "files of a well": _cursor(file_selectors.well_files(well_id=w1.well_id, **one)),
        "files of another well": _cursor(file_selectors.well_files(well_id=w2.well_id, **one)),
        "files of a well on a date": _cursor(
            file_selectors.well_files_on_date(well_id=w1.well_id, day=DAY, zone_name="UTC", **one)
        ),
        "files of a stage": _cursor(file_selectors.stage_files(stage_id=s1.stage_id, **one)),
        "files of the org": _cursor(file_selectors.org_files(org_id=org, **one)),
        "members": _cursor(org_selectors.org_members(org_id=org, **one)),
        "members of another org": _cursor(org_selectors.org_members(org_id=other_org, **one)),
        "activity": _cursor(org_activity(org_id=org, **one)),
        "activity of another org": _cursor(org_activity(org_id=other_org, **one)),
        "activity of a person": _cursor(org_activity(org_id=org, user_id=editor.user_id, **one)),
        "history of an entity": _cursor(org_activity(org_id=org, entity_id=w1.well_id, **one)),
    }
    urls = {
        "projects": f"/api/projects?orgId={org}",
        "wells of a project": f"/api/wells?projectId={p1.project_id}",
        "wells of the org": f"/api/wells?orgId={org}",
        "wells of the org by name": f"/api/wells?orgId={org}&q=W",
        "stages": f"/api/stages?wellId={w1.well_id}",
        "events of a stage": f"/api/events?stageId={s1.stage_id}",
        "events in a window": f"/api/events?wellId={w1.well_id}&{WINDOW_QUERY}",
        "events on a date": f"/api/events?wellId={w1.well_id}&date={DAY.isoformat()}",
        "events starting on a date": f"/api/events?wellId={w1.well_id}&date={DAY.isoformat()}&startingOnly=true",
        "files of a well": f"/api/files?wellId={w1.well_id}",
        "files of a well on a date": f"/api/files?wellId={w1.well_id}&date={DAY.isoformat()}",
        "files of a stage": f"/api/files?stageId={s1.stage_id}",
        "files of the org": f"/api/files?orgId={org}",
        "members": f"/api/orgs/{org}/members",
        "activity": f"/api/orgs/{org}/audit",
        "activity of a person": f"/api/orgs/{org}/audit?userId={editor.user_id}",
        "history of an entity": f"/api/orgs/{org}/audit?entityId={w1.well_id}",
    }
    return Scene(urls=urls, cursors=cursors, editor=editor)


LISTS = [
    "projects",
    "wells of a project",
    "wells of the org",
    "wells of the org by name",
    "stages",
    "events of a stage",
    "events in a window",
    "events on a date",
    "events starting on a date",
    "files of a well",
    "files of a well on a date",
    "files of a stage",
    "files of the org",
    "members",
    "activity",
    "activity of a person",
    "history of an entity",
]


def _get(client: Client, url: str, cursor: str) -> tuple[int, dict]:
    response = client.get(f"{url}&cursor={cursor}" if "?" in url else f"{url}?cursor={cursor}")
    is_json = response["Content-Type"].startswith("application/json")
    return response.status_code, response.json() if is_json else {"detail": [{"loc": [], "msg": ""}]}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_takes_its_own_cursor(scene, name):
    client = Client()
    sign_in(client, scene.editor)
    status, body = _get(client, scene.urls[name], scene.cursors[name])
    assert status == 200, body


@pytest.mark.parametrize("name", LISTS)
def test_a_list_refuses_the_cursor_of_every_other_list_with_422_naming_it(scene, name):
    client = Client(raise_request_exception=False)
    sign_in(client, scene.editor)
    answers = {
        other: _get(client, scene.urls[name], cursor) for other, cursor in scene.cursors.items() if other != name
    }
    refused = {
        other: (status, body)
        for other, (status, body) in answers.items()
        if status == 422
        and [entry["loc"] for entry in body["detail"]] == [["query", "cursor"]]
        and "belongs to another list" in body["detail"][0]["msg"]
    }
    assert set(answers) - set(refused) == set(), json.dumps({k: v for k, v in answers.items() if k not in refused})
