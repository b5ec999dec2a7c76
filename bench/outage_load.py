"""The outage run's users: clients that create and edit events, upload files and read a well
page through both app instances, and the ledger of every answer they got.

A client keeps to one well and to the events it created itself, so what it was told can be
held against what is stored afterwards (bench/outage_check.py). Every attempted create and
edit carries a title used by no other attempt: which attempts landed, and how often, is read
back from the titles. A user whose answer was lost does what a user would: reads the event
again before editing it, completes an upload again until it is acknowledged.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import requests

# A request with no answer by then is a hang: the app must answer 503 well before.
CLIENT_TIMEOUT = 15
# After a 503 a client waits a moment (not Retry-After's 30 s: the run goes on meanwhile).
FAILURE_PAUSE = 0.25
PDF = b"%PDF-1.4\n" + b"daily drilling report " * 40


@dataclass
class Answer:
    """One HTTP request: when it was sent (seconds into the run), how long it took, what came back."""

    kind: str
    instance: int
    sent: float
    took: float
    status: int | None  # None: no answer within CLIENT_TIMEOUT, or the connection dropped
    retry_after: bool = False

    @property
    def done(self) -> float:
        return self.sent + self.took


@dataclass
class CreateAttempt:
    title: str
    well_id: str
    status: int | None = None
    event_id: str | None = None
    answered: float | None = None  # seconds into the run


@dataclass
class EditAttempt:
    event_id: str
    title: str
    status: int | None = None
    version: int | None = None  # the version the answer reported (200 only)
    answered: float | None = None


@dataclass
class UploadAttempt:
    file_id: str
    completions: list[int | None] = field(default_factory=list)
    acknowledged_at: float | None = None

    @property
    def acknowledged(self) -> bool:
        return any(status in (200, 201) for status in self.completions)


@dataclass
class Ledger:
    answers: list[Answer] = field(default_factory=list)
    creates: list[CreateAttempt] = field(default_factory=list)
    edits: list[EditAttempt] = field(default_factory=list)
    uploads: list[UploadAttempt] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, collection: str, item) -> None:
        with self.lock:
            getattr(self, collection).append(item)

    def as_dict(self) -> dict:
        return {
            name: [asdict(item) for item in getattr(self, name)] for name in ("answers", "creates", "edits", "uploads")
        }


@dataclass
class OwnEvent:
    event_id: str
    version: int | None  # None: the last answer about it was lost, read it again first


def recorded(ledger: Ledger, kind: str, instance: int, started: float, send) -> requests.Response | None:
    """``send()``'s response (None when it timed out or the connection failed), entered in the ledger."""
    sent = time.monotonic()
    try:
        response = send()
    except requests.RequestException:
        response = None
    ledger.add(
        "answers",
        Answer(
            kind=kind,
            instance=instance,
            sent=round(sent - started, 3),
            took=round(time.monotonic() - sent, 3),
            status=response.status_code if response is not None else None,
            retry_after=response is not None and "Retry-After" in response.headers,
        ),
    )
    return response


class Client:
    """One user: bearer token for the API, a session cookie for pages; turns between instances."""

    def __init__(
        self, *, index: int, urls: list[str], token: str, cookie: str, org_id: str, well_id: str, ledger: Ledger
    ) -> None:
        self.index = index
        self.urls = urls
        self.org_id = org_id
        self.well_id = well_id
        self.ledger = ledger
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Bearer {token}"
        self.browser = requests.Session()
        self.browser.headers["Cookie"] = cookie
        self.turn = itertools.count(index)
        self.serial = itertools.count()
        self.events: list[OwnEvent] = []
        self.unfinished: list[UploadAttempt] = []
        self.started = 0.0
        self.answered = 0.0  # when the last answer came, seconds into the run

    def warm_up(self) -> None:
        """A page and an API read on each instance, not recorded: the run does not measure
        start-up (a cold worker's first page can take many seconds on a busy machine)."""
        for url in self.urls:
            try:
                self.browser.get(f"{url}/orgs/{self.org_id}/wells/{self.well_id}/", timeout=60)
                self.api.get(f"{url}/api/wells/{self.well_id}", timeout=60)
            except requests.RequestException:
                pass

    def run(self, started: float, stop: threading.Event) -> None:
        self.started = started
        actions = itertools.cycle([self.create, self.edit, self.read, self.create, self.edit, self.read, self.upload])
        while not stop.is_set():
            next(actions)()

    # --- requests ---------------------------------------------------------------------------

    def _send(self, kind: str, session: requests.Session, method: str, url: str, instance: int, **kwargs):
        response = recorded(
            self.ledger,
            kind,
            instance,
            self.started,
            lambda: session.request(method, url, timeout=CLIENT_TIMEOUT, **kwargs),
        )
        self.answered = round(time.monotonic() - self.started, 3)
        if response is None or response.status_code == 503:
            time.sleep(FAILURE_PAUSE)
        return response

    def request(self, kind: str, method: str, path: str, *, page: bool = False, **kwargs):
        instance = next(self.turn) % len(self.urls)
        session = self.browser if page else self.api
        return self._send(kind, session, method, self.urls[instance] + path, instance, **kwargs)

    def title(self, what: str) -> str:
        return f"outage c{self.index:02d} {what} {next(self.serial)} {uuid.uuid4().hex[:8]}"

    # --- what a user does ------------------------------------------------------------------

    def create(self) -> None:
        attempt = CreateAttempt(title=self.title("create"), well_id=self.well_id)
        body = {
            "wellId": self.well_id,
            "type": "NOTE",
            "title": attempt.title,
            "startTime": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        response = self.request("create", "POST", "/api/events", json=body)
        attempt.status = response.status_code if response is not None else None
        attempt.answered = self.answered
        if attempt.status == 201:
            answer = response.json()
            attempt.event_id = answer["eventId"]
            self.events.append(OwnEvent(answer["eventId"], answer["version"]))
        self.ledger.add("creates", attempt)

    def edit(self) -> None:
        if not self.events:
            return self.create()
        event = self.events[next(self.serial) % len(self.events)]
        if event.version is None:
            response = self.request("refresh", "GET", f"/api/events/{event.event_id}")
            if response is None or response.status_code != 200:
                return None
            event.version = response.json()["version"]
        attempt = EditAttempt(event_id=event.event_id, title=self.title("edit"))
        response = self.request(
            "edit", "PATCH", f"/api/events/{event.event_id}", json={"version": event.version, "title": attempt.title}
        )
        attempt.status = response.status_code if response is not None else None
        attempt.answered = self.answered
        if attempt.status == 200:
            attempt.version = event.version = response.json()["version"]
        else:
            event.version = None
        self.ledger.add("edits", attempt)
        return None

    def read(self) -> None:
        self.request("read", "GET", f"/orgs/{self.org_id}/wells/{self.well_id}/", page=True)

    def upload(self) -> None:
        """The three steps (ticket, the bytes to the signed URL, completion); a completion whose
        answer was lost is sent again on the next turn, as the browser's upload widget does."""
        if self.unfinished:
            return self.complete(self.unfinished[0])
        body = {"wellId": self.well_id, "fileName": "DDR.pdf", "fileType": "application/pdf", "fileSize": len(PDF)}
        response = self.request("ticket", "POST", "/api/files/upload", json=body)
        if response is None or response.status_code != 201:
            return None
        ticket = response.json()
        instance = next(i for i, url in enumerate(self.urls) if ticket["url"].startswith(url + "/"))
        sent = self._send(
            "send",
            self.api,
            "POST",
            ticket["url"],
            instance,
            data=ticket["fields"],
            files={"file": ("DDR.pdf", PDF, "application/pdf")},
        )
        if sent is None or sent.status_code != 204:
            return None
        attempt = UploadAttempt(ticket["fileId"])
        self.ledger.add("uploads", attempt)
        return self.complete(attempt)

    def complete(self, attempt: UploadAttempt) -> None:
        response = self.request("complete", "POST", f"/api/files/{attempt.file_id}/complete")
        attempt.completions.append(response.status_code if response is not None else None)
        if attempt.acknowledged and attempt.acknowledged_at is None:
            attempt.acknowledged_at = self.answered
        if attempt in self.unfinished and attempt.acknowledged:
            self.unfinished.remove(attempt)
        elif attempt not in self.unfinished and not attempt.acknowledged:
            self.unfinished.append(attempt)


def probe(
    kind: str, url: str, instance: int, ledger: Ledger, started: float, stop: threading.Event, every: float, **kwargs
):
    """A GET of ``url`` every ``every`` seconds until ``stop`` is set, recorded as ``kind``: the recovery
    figure and /health's answers while the database was away come from these. Each GET has its
    own thread, so one that waits out a frozen database delays none sent after it."""

    def one() -> None:
        recorded(ledger, kind, instance, started, lambda: requests.get(url, timeout=CLIENT_TIMEOUT, **kwargs))

    threads = []
    moment = time.monotonic()
    while not stop.is_set():
        thread = threading.Thread(target=one, daemon=True)
        thread.start()
        threads.append(thread)
        moment += every
        stop.wait(max(0.0, moment - time.monotonic()))
    for thread in threads:
        thread.join()
