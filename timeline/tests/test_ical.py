"""Private .ics subscriptions: UTC times, stages, the window (a year back, everything ahead),
the newest kept past the cap, links, and revocation."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from timeline import ical
from timeline.services import calendar_token_create, calendar_token_revoke
from timeline.tests.helpers import add, stage
from wells.models import Event, Well
from wells.testing import make_well
from welltrack.actor import Actor

UTC = UTC


@pytest.fixture
def chicago_well(org_world, project):
    return make_well(org_world, project, name="Permian-7", time_zone="America/Chicago")


def link(org_world, scope_type, scope_id, name="Permian-7"):
    token, item = calendar_token_create(
        actor=Actor(org_world.users["VIEWER"].user_id, "127.0.0.1"),
        org_id=org_world.org.org_id,
        scope_type=scope_type,
        scope_id=scope_id,
        scope_name=name,
    )
    return f"/ical/{token}.ics", item


def vevents(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return {str(c.get("summary")): c for c in Calendar.from_ical(response.content).walk("VEVENT")}


def iso(component, name) -> str:
    return component.decoded(name).isoformat()


def soon(days: int, hour: int = 9) -> str:
    """A wall-clock time ``days`` from today (the subscription window moves with the clock)."""
    return (datetime.now(UTC) + timedelta(days=days)).strftime(f"%Y-%m-%dT{hour:02d}:00")


def chicago_utc(wall: str) -> str:
    """The UTC ISO form of a Chicago wall-clock time, as icalendar decodes a UTC DTSTART."""
    return datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo("America/Chicago")).astimezone(UTC).isoformat()


def test_ics_has_the_events_in_utc_and_dies_when_revoked(org_world, chicago_well, client):
    add(org_world, chicago_well, "Spud", soon(-3))
    url, item = link(org_world, "WELL", chicago_well.well_id)
    assert iso(vevents(client, url)["Spud"], "dtstart") == chicago_utc(soon(-3))
    calendar_token_revoke(actor=Actor(org_world.users["VIEWER"].user_id, "127.0.0.1"), item=item)
    assert client.get(url).status_code == 404


def test_ics_has_ranges_and_stages_with_their_utc_times(org_world, chicago_well, client):
    add(org_world, chicago_well, "Wait on weather", soon(-9, 18), soon(-7, 6))
    stage(org_world, chicago_well, "Surface hole", start=soon(-10, 0), end=soon(-5, 12), stage_type="DRILLING")
    stage(org_world, chicago_well, "Completion", start=soon(20, 0), stage_type="COMPLETION")
    url, _ = link(org_world, "WELL", chicago_well.well_id)
    found = vevents(client, url)
    wait = found["Wait on weather"]
    assert (iso(wait, "dtstart"), iso(wait, "dtend")) == (chicago_utc(soon(-9, 18)), chicago_utc(soon(-7, 6)))
    surface = found["Stage: Surface hole"]
    assert (iso(surface, "dtstart"), iso(surface, "dtend")) == (chicago_utc(soon(-10, 0)), chicago_utc(soon(-5, 12)))
    assert [str(c) for c in surface.get("categories").cats] == ["STAGE", "DRILLING"]
    assert iso(found["Stage: Completion"], "dtstart") == chicago_utc(soon(20, 0))


def test_a_project_ics_names_the_well_of_each_event(org_world, project, chicago_well, client):
    other = make_well(org_world, project, name="Permian-8", time_zone="UTC")
    add(org_world, chicago_well, "Spud", soon(-2))
    add(org_world, other, "Rig move", soon(-1))
    url, _ = link(org_world, "PROJECT", project.project_id, name="Tengiz Field")
    assert {"Permian-7: Spud", "Permian-8: Rig move"} <= set(vevents(client, url))


def test_ics_covers_the_last_year_and_everything_planned_ahead(org_world, chicago_well, client):
    add(org_world, chicago_well, "Thirteen months ago", soon(-400))
    add(org_world, chicago_well, "Eleven months ago", soon(-330))
    add(org_world, chicago_well, "Planned in two years", soon(730))
    url, _ = link(org_world, "WELL", chicago_well.well_id)
    found = vevents(client, url)
    assert "Eleven months ago" in found and "Planned in two years" in found
    assert "Thirteen months ago" not in found


def test_past_the_cap_the_newest_events_are_kept(org_world, chicago_well, client, monkeypatch):
    monkeypatch.setattr(ical, "ICS_MAX_EVENTS", 3)
    monkeypatch.setattr(ical, "FEED_PAGE", 2)  # and more than one page is read
    for days in (-50, -40, -30, -20, -10, 15):
        add(org_world, chicago_well, f"Day {days}", soon(days))
    url, _ = link(org_world, "WELL", chicago_well.well_id)
    assert sorted(vevents(client, url)) == ["Day -10", "Day -20", "Day 15"]


def test_a_file_upload_in_the_ics_links_to_the_file(org_world, well, client, client_for, local_media):  # noqa: F811
    from files.tests.helpers import upload

    uploaded = upload(client_for(org_world.users["EDITOR"]), well, name="ddr-0412.pdf")
    url, _ = link(org_world, "WELL", well.well_id, name=well.name)
    found = vevents(client, url)
    assert str(found["File uploaded: ddr-0412.pdf"].get("url")).endswith(
        f"/orgs/{org_world.org.org_id}/files/{uploaded['fileId']}/"
    )


def test_ics_link_dies_when_its_owner_leaves_the_org(org_world, chicago_well, client):
    from orgs.models import Membership
    from orgs.permissions import membership_id

    url, _ = link(org_world, "WELL", chicago_well.well_id)
    assert client.get(url).status_code == 200
    Membership.get(membership_id(org_world.org.org_id, org_world.users["VIEWER"].user_id)).update(
        actions=[Membership.status.set("REMOVED")]
    )
    assert client.get(url).status_code == 404


def test_ics_of_a_well_with_a_long_ago_stage_and_a_range_from_before_the_span_rule(org_world, chicago_well, client):
    """A stage begun at the first moment the span allows, still running, and a range ending in
    year 9999 stored before times were bounded: the subscription still answers, with both."""
    stage(org_world, chicago_well, "Since 1900", start="1900-01-01T00:00:00Z", status="IN_PROGRESS")
    typo = add(org_world, chicago_well, "Typo", soon(-3), soon(-2))
    Event.get(typo.event_id).update(actions=[Event.end_time.set("9999-01-01T00:00:00Z")], add_version_condition=False)
    seconds = int((datetime(9999, 1, 1, tzinfo=UTC) - datetime.now(UTC)).total_seconds())
    Well.get(chicago_well.well_id).update(
        actions=[Well.longest_event_seconds.set(seconds)], add_version_condition=False
    )
    url, _ = link(org_world, "WELL", chicago_well.well_id)
    found = vevents(client, url)
    assert iso(found["Stage: Since 1900"], "dtstart") == "1900-01-01T00:00:00+00:00"
    assert iso(found["Typo"], "dtend") == "9999-01-01T00:00:00+00:00"


def test_past_the_fetch_limit_a_link_answers_429_with_retry_after(org_world, chicago_well, client, monkeypatch):
    from timeline import services

    monkeypatch.setattr(services, "ICS_FETCHES_PER_HOUR", 2)
    url, _ = link(org_world, "WELL", chicago_well.well_id)
    other, _ = link(org_world, "WELL", chicago_well.well_id)
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    # An attempt stays counted for the hour and at most one sub-window (4 minutes) longer.
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600 + 240
    assert client.get(other).status_code == 200  # the limit is the link's own


def test_a_repeated_fetch_with_the_etag_answers_304_without_a_body(org_world, chicago_well, client):
    add(org_world, chicago_well, "Spud", soon(-3))
    url, _ = link(org_world, "WELL", chicago_well.well_id)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]


def test_a_stage_without_an_end_keeps_the_etag_within_the_hour(org_world, chicago_well):
    from wells.models import Well

    stage(org_world, chicago_well, "Surface hole", start=soon(-10, 0), stage_type="DRILLING", status="IN_PROGRESS")
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    documents = [
        ical.calendar_document(
            name="Permian-7", org_id=org_world.org.org_id, wells=[Well.get(chicago_well.well_id)], now=now
        )
        for now in (hour + timedelta(minutes=1), hour + timedelta(minutes=59), hour + timedelta(minutes=61))
    ]
    assert documents[0].etag == documents[1].etag != documents[2].etag


def test_a_changed_event_changes_the_etag(org_world, chicago_well, client):
    from wells import services as wells_services
    from wells.models import Event, Well
    from wells.testing import actor_for

    event = add(org_world, chicago_well, "Spud", soon(-3))
    url, _ = link(org_world, "WELL", chicago_well.well_id)
    first = client.get(url)
    wells_services.event_update(
        actor=actor_for(org_world.users["EDITOR"]),
        event=Event.get(event.event_id),
        well=Well.get(chicago_well.well_id),
        version=event.version,
        title="Spud (re-entry)",
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "Spud (re-entry)" in {str(c.get("summary")) for c in Calendar.from_ical(changed.content).walk("VEVENT")}
