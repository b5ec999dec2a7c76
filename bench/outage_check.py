"""After the outage run: what the clients were told, held against what DynamoDB holds.

- an acknowledged create (201) is stored exactly once, under the id it was answered with, and
  has exactly one CREATE audit entry;
- an acknowledged edit (200) is what is stored, unless an edit the same client sent later got
  no answer (503 or none: it may have landed), and has its UPDATE audit entry;
- an acknowledged upload (completion 201 or 200) is a READY file with exactly one FILE_UPLOAD
  event and one CREATE audit entry of its own;
- a create or completion that got no acknowledgement is stored at most once.

A write acknowledged less than KILL_WINDOW before DynamoDB Local was killed (or after it) and
then missing counts as ``lost_at_kill``, not ``lost``: DynamoDB Local answers a write a few
milliseconds before it is on disk (a write answered 3 ms before SIGKILL can be gone after the
restart, with the app nowhere involved), where DynamoDB answers once it is durable.

Read with strongly consistent Scans of the run's own tables (a few thousand items).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from bench.outage_load import Ledger

TITLE_PREFIX = "outage c"
# Answers after which the request surely wrote nothing; anything else (503, no answer) may have.
REFUSED = range(400, 500)
KILL_WINDOW = 0.1


def audit_log_model():
    """The AuditLog model. Imported here, not at the top: bench modules are imported before django.setup()."""
    from welltrack.audit import AuditLog

    return AuditLog


@dataclass
class Verdict:
    acknowledged: int = 0
    lost: int = 0
    duplicates: int = 0
    missing_audit: int = 0
    # Writes that landed although the client was not told so (503 or no answer): allowed, reported.
    unacknowledged_stored: int = 0
    refused_but_stored: int = 0
    lost_at_kill: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, figure: str, text: str) -> None:
        setattr(self, figure, getattr(self, figure) + 1)
        if len(self.problems) < 30:
            self.problems.append(f"{figure}: {text}")

    def lose(self, text: str, answered: float | None, killed: float) -> None:
        figure = "lost_at_kill" if at_kill(answered, killed) else "lost"
        self.problem(figure, f"{text} (answered at {answered} s)")


def at_kill(answered: float | None, killed: float) -> bool:
    return answered is not None and answered > killed - KILL_WINDOW


class Stored(NamedTuple):
    events: dict[str, object]  # the run's events (titles starting with TITLE_PREFIX) by id
    by_title: dict[str, list]  # the same events by title
    upload_events: Counter  # FILE_UPLOAD events per fileId
    audit: dict[str, list]  # (action, changes) per entity id
    files: dict[str, object]


def stored() -> Stored:
    from files.models import File
    from wells.models import Event
    from welltrack.dynamodb import plain_map

    events, by_title = {}, defaultdict(list)
    upload_events: Counter = Counter()
    for event in Event.scan(consistent_read=True):
        if event.title.startswith(TITLE_PREFIX):
            events[event.event_id] = event
            by_title[event.title].append(event)
        if event.file_id:
            upload_events[event.file_id] += 1
    audit: dict[str, list] = defaultdict(list)
    for entry in audit_log_model().scan(consistent_read=True):
        audit[entry.entity_id].append((entry.action, plain_map(entry.changes)))
    files = {f.file_id: f for f in File.scan(consistent_read=True)}
    return Stored(events, by_title, upload_events, audit, files)


def check(ledger: Ledger, *, killed: float, now: Stored | None = None) -> Verdict:
    """``killed``: when DynamoDB Local was killed, seconds into the run."""
    now = now or stored()
    verdict = Verdict()
    _check_creates(verdict, ledger, now, killed)
    _check_edits(verdict, ledger, now, killed)
    _check_uploads(verdict, ledger, now, killed)
    return verdict


def _check_creates(verdict: Verdict, ledger: Ledger, now: Stored, killed: float) -> None:
    for attempt in ledger.creates:
        # An acknowledged event may since have been renamed by an edit: it is found by its id,
        # and any other event with the attempt's title is a second copy.
        copies = [e for e in now.by_title.get(attempt.title, []) if e.event_id != attempt.event_id]
        if attempt.status == 201:
            verdict.acknowledged += 1
            if attempt.event_id not in now.events:
                verdict.lose(f"create {attempt.title!r} answered 201 as {attempt.event_id}", attempt.answered, killed)
            else:
                _one_create(verdict, now.audit, attempt.event_id)
            if copies:
                verdict.problem("duplicates", f"create {attempt.title!r} stored again as {copies[0].event_id}")
        elif len(copies) > 1:
            verdict.problem("duplicates", f"create {attempt.title!r} stored {len(copies)} times")
        elif copies and attempt.status in REFUSED:
            verdict.problem("refused_but_stored", f"create {attempt.title!r} refused ({attempt.status}), stored")
        elif copies:
            verdict.unacknowledged_stored += 1


def _check_edits(verdict: Verdict, ledger: Ledger, now: Stored, killed: float) -> None:
    by_event: dict[str, list] = defaultdict(list)
    for attempt in ledger.edits:
        by_event[attempt.event_id].append(attempt)
    for event_id, attempts in by_event.items():
        event = now.events.get(event_id)
        audited = Counter(
            (changes.get("title") or {}).get("new") for action, changes in now.audit[event_id] if action == "UPDATE"
        )
        acknowledged = [n for n, a in enumerate(attempts) if a.status == 200]
        gone = set()
        for n in acknowledged:
            verdict.acknowledged += 1
            attempt = attempts[n]
            count = audited[attempt.title]
            if count > 1:
                verdict.problem("duplicates", f"edit {attempt.title!r} has {count} UPDATE audit entries")
            elif count == 0 and at_kill(attempt.answered, killed):
                # The edit and its audit entry (one transaction) went with DynamoDB Local.
                verdict.lose(f"edit {attempt.title!r} answered 200, no trace of it", attempt.answered, killed)
                gone.add(n)
            elif count == 0:
                verdict.problem("missing_audit", f"edit {attempt.title!r} has no UPDATE audit entry")
        unanswered = [a for a in attempts if a.status != 200 and a.status not in REFUSED]
        verdict.unacknowledged_stored += sum(1 for a in unanswered if audited[a.title])
        for attempt in attempts:
            if attempt.status in REFUSED and audited[attempt.title]:
                verdict.problem("refused_but_stored", f"edit {attempt.title!r} refused ({attempt.status}), stored")
        if not acknowledged or acknowledged[-1] in gone:
            continue
        last = attempts[acknowledged[-1]]
        # What is stored is the last acknowledged edit, or one sent after it whose answer was lost.
        may_be = {last.title} | {a.title for a in attempts[acknowledged[-1] + 1 :] if a in unanswered}
        if event is None or event.title not in may_be or int(event.version) < last.version:
            found = f"{event.title!r} v{event.version}" if event is not None else "nothing"
            verdict.lose(f"edit {last.title!r} (v{last.version}) answered 200; stored {found}", last.answered, killed)


def _check_uploads(verdict: Verdict, ledger: Ledger, now: Stored, killed: float) -> None:
    for upload in ledger.uploads:
        count = now.upload_events[upload.file_id]
        if count > 1:
            verdict.problem("duplicates", f"file {upload.file_id} has {count} FILE_UPLOAD events")
        if not upload.acknowledged:
            verdict.unacknowledged_stored += bool(count)
            continue
        verdict.acknowledged += 1
        file = now.files.get(upload.file_id)
        if file is None or file.status != "READY" or count == 0:
            status = file.status if file is not None else "nothing"
            text = f"file {upload.file_id} acknowledged; stored {status}, {count} upload events"
            verdict.lose(text, upload.acknowledged_at, killed)
            continue
        _one_create(verdict, now.audit, upload.file_id)
        _one_create(verdict, now.audit, file.event_id)


def _one_create(verdict: Verdict, audit: dict[str, list], entity_id: str) -> None:
    count = sum(1 for action, _ in audit[entity_id] if action == "CREATE")
    if count == 0:
        verdict.problem("missing_audit", f"{entity_id} has no CREATE audit entry")
    elif count > 1:
        verdict.problem("duplicates", f"{entity_id} has {count} CREATE audit entries")
