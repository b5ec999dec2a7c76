"""Seed a realistic data set: 1 org, 20 projects, 1,000 wells; one well with 100,000 events over
5 years, the others with 50 each; 4 stages and 2 files per well.

Wells, projects and the org go through the services (audited, counted); the bulk of events,
stages and files is written with batch writes of the same items the services write.
"""

from __future__ import annotations

import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from wells.times import date_key, to_iso

STAGE_TYPES = ["DRILLING", "COMPLETION", "TESTING", "PRODUCTION"]
EVENT_TYPES = ["ACTIVITY", "NOTE", "OTHER", "ACTIVITY"]
FIVE_YEARS = 5 * 365 * 24 * 3600
# 2024-06-12 in Asia/Almaty, the day the benchmark queries on both wells.
COMPARISON_DAY_START = datetime(2024, 6, 11, 19, 30, tzinfo=UTC)


def _events_for(well, count: int, *, start: datetime, span_seconds: int, rng: random.Random, user_id: str):
    from wells.models import Event

    now = datetime.now(UTC)
    longest = 0
    items = []
    for n in range(count):
        begin = start + timedelta(seconds=int(span_seconds * n / count) + rng.randint(0, 600))
        end = None
        if rng.random() < 0.25:
            length = rng.choice([1800, 3600, 4 * 3600, 12 * 3600, 2 * 86400])
            end = begin + timedelta(seconds=length)
            longest = max(longest, length)
        items.append(
            Event(
                str(uuid.uuid4()),
                well_id=well.well_id,
                org_id=well.org_id,
                stage_id=None,
                event_type=rng.choice(EVENT_TYPES),
                title=f"Report {n}: {rng.choice(['drilling ahead', 'circulating', 'tripping', 'logging', 'cementing'])}",
                description="",
                start_time=to_iso(begin),
                end_time=to_iso(end) if end else None,
                date_key=date_key(well.well_id, begin, well.time_zone),
                metadata={},
                file_id=None,
                range_well_id=well.well_id if end else None,
                created_at=now,
                updated_at=now,
                created_by=user_id,
                updated_by=user_id,
                version=1,
            )
        )
    return items, longest


def _write(model, items) -> None:
    with model.batch_write() as batch:
        for item in items:
            batch.save(item)


def seed(
    *, log=print, big_events: int = 100_000, small_events: int = 50, wells_total: int = 1000, projects: int = 20
) -> dict:
    from accounts.services import user_register
    from orgs.services import org_create
    from wells.models import Stage, Well
    from wells.services import project_create, well_create
    from wells.services.stages import stage_board_fields
    from welltrack.actor import Actor

    rng = random.Random(7)
    owner = user_register(
        email=f"bench-{uuid.uuid4().hex[:8]}@example.com",
        password="bench-password-2026",
        name="Bench Owner",
        time_zone="Asia/Almaty",
    )
    actor = Actor(owner.user_id, "127.0.0.1")
    org = org_create(actor=actor, name="Benchmark Operating Co")
    project_items = [
        project_create(actor=actor, org_id=org.org_id, name=f"Field {i:02d}", location=f"Block {i}")
        for i in range(projects)
    ]
    log(f"org and {projects} projects")

    def make_well(i: int):
        from wells.selectors import project_get

        project = project_get(project_id=project_items[i % projects].project_id)
        for _attempt in range(5):
            try:
                return well_create(
                    actor=actor,
                    project=project,
                    name=f"W-{i:04d}",
                    well_number=f"KZ-{i:05d}",
                    latitude=45 + rng.random(),
                    longitude=52 + rng.random(),
                    depth=2500 + i,
                    status=["PLANNING", "DRILLING", "COMPLETED"][i % 3],
                    start_date="2024-01-01",
                    end_date=None,
                    metadata={"rig": f"Rig {i % 12}"},
                    time_zone="Asia/Almaty",
                )
            except Exception:  # the project item is updated by every well: retry a lost race
                project = project_get(project_id=project.project_id)
        raise RuntimeError("could not create well")

    with ThreadPoolExecutor(4) as pool:
        wells = list(pool.map(make_well, range(wells_total)))
    log(f"{len(wells)} wells")

    start = datetime(2021, 11, 1, tzinfo=UTC)
    big = wells[0]
    event_batches = []
    longest_by_well = {}
    items, longest = _events_for(big, big_events, start=start, span_seconds=FIVE_YEARS, rng=rng, user_id=owner.user_id)
    event_batches.append(items)
    longest_by_well[big.well_id] = longest
    # The comparison well has a short history whose events all fall on the measured day, so
    # the day query returns about as many events on both wells: only the history differs.
    items, longest = _events_for(
        wells[1], small_events, start=COMPARISON_DAY_START, span_seconds=20 * 3600, rng=rng, user_id=owner.user_id
    )
    event_batches.append(items)
    longest_by_well[wells[1].well_id] = longest
    for well in wells[2:]:
        items, longest = _events_for(
            well,
            small_events,
            start=datetime(2026, 9, 1, tzinfo=UTC),
            span_seconds=90 * 86400,
            rng=rng,
            user_id=owner.user_id,
        )
        event_batches.append(items)
        longest_by_well[well.well_id] = longest
    flat = [e for batch in event_batches for e in batch]
    chunks = [flat[i : i + 2000] for i in range(0, len(flat), 2000)]
    from wells.models import Event

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda chunk: _write(Event, chunk), chunks))
    log(f"{len(flat)} events")

    now = datetime.now(UTC)
    stages = []
    for well in wells:
        for order, kind in enumerate(STAGE_TYPES):
            begin = now - timedelta(days=30) + timedelta(days=20 * order)  # done, running, next, after
            status = ["COMPLETED", "IN_PROGRESS", "PLANNED", "PLANNED"][order]
            stages.append(
                Stage(
                    str(uuid.uuid4()),
                    well_id=well.well_id,
                    org_id=well.org_id,
                    name=kind.title(),
                    stage_type=kind,
                    start_date=begin,
                    end_date=begin + timedelta(days=19),
                    status=status,
                    order=order,
                    description="",
                    created_at=now,
                    updated_at=now,
                    created_by=owner.user_id,
                    updated_by=owner.user_id,
                    version=1,
                    **stage_board_fields(org_id=well.org_id, status=status, start_date=begin),
                )
            )
    _write(Stage, stages)
    log(f"{len(stages)} stages")

    for well in wells:
        if longest_by_well[well.well_id]:
            Well.get(well.well_id).update(actions=[Well.longest_event_seconds.set(longest_by_well[well.well_id])])
    files = _seed_files(wells, owner.user_id, now)
    log(f"{files} files")
    return {"org": org, "owner": owner, "big": big, "small": wells[1], "project": project_items[0], "wells": wells}


def _seed_files(wells, user_id: str, now: datetime) -> int:
    try:
        from files.models import File
    except ImportError:
        return 0
    items = []
    for well in wells:
        for n in range(2):
            file_id = str(uuid.uuid4())
            try:
                item = File(
                    file_id,
                    well_id=well.well_id,
                    org_id=well.org_id,
                    file_name=f"DDR-{n}.pdf",
                    file_type="application/pdf",
                    file_size=120_000,
                    s3_key=f"orgs/{well.org_id}/wells/{well.well_id}/{file_id}/DDR-{n}.pdf",
                    s3_bucket="local",
                    uploaded_at=now - timedelta(days=n),
                    requested_at=now - timedelta(days=n),
                    uploaded_by=user_id,
                    tags=["ddr"],
                    status="READY",
                    version=1,
                )
            except Exception:
                return 0
            items.append(item)
    _write(File, items)
    return len(items)
