"""Access rows for files (see tests/access.py).

The signed upload and download URLs of local storage answer anyone who holds the token
(like S3's presigned URLs); everything else is for members, uploads and edits for EDITOR+.
"""

import tempfile
import uuid

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.access import Access, expect
from wells.testing import actor_for

CONTENT = b"%PDF-1.4 access matrix"


def build(world):
    # The matrix's uploads go to a directory of their own, not to the developer's var/media.
    media = tempfile.mkdtemp(prefix="welltrack-access-media-")
    override_settings(
        AWS_STORAGE_BUCKET_NAME=None,
        STORAGES={
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
        },
    ).enable()
    world.extra["file"] = fresh_file(world)


def _ticket(w, size: int = len(CONTENT)):
    from files import services

    return services.file_ticket_create(
        actor=actor_for(w.users["EDITOR"]),
        well=w.extra["well"],
        file_name="report.pdf",
        file_type="application/pdf",
        file_size=size,
    )


def uploaded_ticket(w):
    """A reservation whose object has arrived, ready to complete."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    file, _ = _ticket(w)
    default_storage.save(file.s3_key, ContentFile(CONTENT))
    return file


def fresh_file(w):
    from files import services

    file, _ = services.file_complete(actor=actor_for(w.users["EDITOR"]), file=uploaded_ticket(w))
    return file


def upload_url(w) -> str:
    _, ticket = _ticket(w)
    return ticket["url"]


def download_url(w) -> str:
    from files import storage

    file = w.extra["file"]
    return storage.download_url(key=file.s3_key, file_name=file.file_name, content_type=file.file_type)


def _org(w):
    return f"/orgs/{w.org.org_id}"


def _version(w) -> int:
    """The file's current version, so an allowed tag edit is saved rather than refused as stale."""
    from files.models import File

    return int(File.get(w.extra["file"].file_id, consistent_read=True).version)


F = lambda w: w.extra["file"].file_id  # noqa: E731
W = lambda w: w.extra["well"].well_id  # noqa: E731
API = lambda role, ok=200: expect(role, ok, api=True)  # noqa: E731

ROWS = [
    Access("orgs/<str:org_id>/files/", "GET", lambda w: f"{_org(w)}/files/", expect("VIEWER")),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/files/",
        "GET",
        lambda w: f"{_org(w)}/wells/{W(w)}/files/?type=pdf&sort=name",
        expect("VIEWER"),
    ),
    Access("orgs/<str:org_id>/files/<str:file_id>/", "GET", lambda w: f"{_org(w)}/files/{F(w)}/", expect("VIEWER")),
    Access(
        "orgs/<str:org_id>/files/<str:file_id>/tags/",
        "POST",
        lambda w: f"{_org(w)}/files/{F(w)}/tags/",
        expect("EDITOR", 302),
        data=lambda w: {"tags": f"ddr, {uuid.uuid4().hex[:6]}", "version": _version(w)},
    ),
    Access(
        "orgs/<str:org_id>/files/<str:file_id>/delete/",
        "GET",
        lambda w: f"{_org(w)}/files/{F(w)}/delete/",
        expect("EDITOR"),
    ),
    Access(
        "orgs/<str:org_id>/files/<str:file_id>/delete/",
        "POST",
        lambda w: f"{_org(w)}/files/{fresh_file(w).file_id}/delete/",
        expect("EDITOR", 302),
    ),
    Access(
        "orgs/<str:org_id>/files/<str:file_id>/download/",
        "GET",
        lambda w: f"{_org(w)}/files/{F(w)}/download/",
        expect("VIEWER", 302),
    ),
    # Token-only, like presigned S3 URLs: a fresh ticket per call, any visitor holding it may use it.
    Access(
        "files/upload/<str:token>/",
        "POST",
        upload_url,
        expect(None, 204),
        data=lambda w: {
            "Content-Type": "application/pdf",
            "file": SimpleUploadedFile("report.pdf", CONTENT, "application/pdf"),
        },
    ),
    Access("files/download/<str:token>/", "GET", download_url, expect(None, 200)),
    # API
    Access(
        "api/files/upload",
        "POST",
        lambda w: "/api/files/upload",
        API("EDITOR", 201),
        json=True,
        data=lambda w: {"wellId": W(w), "fileName": "ddr.pdf", "fileType": "application/pdf", "fileSize": 1000},
    ),
    Access(
        "api/files/<file_id>/complete",
        "POST",
        lambda w: f"/api/files/{uploaded_ticket(w).file_id}/complete",
        API("EDITOR", 201),
    ),
    Access("api/files", "GET", lambda w: f"/api/files?wellId={W(w)}", API("VIEWER")),
    Access("api/files/<file_id>", "GET", lambda w: f"/api/files/{F(w)}", API("VIEWER")),
    Access(
        "api/files/<file_id>",
        "PATCH",
        lambda w: f"/api/files/{F(w)}",
        API("EDITOR"),
        json=True,
        data=lambda w: {"tags": ["ddr", uuid.uuid4().hex[:6]], "version": _version(w)},
    ),
    Access("api/files/<file_id>", "DELETE", lambda w: f"/api/files/{fresh_file(w).file_id}", API("EDITOR", 204)),
    Access("api/files/<file_id>/download", "GET", lambda w: f"/api/files/{F(w)}/download", API("VIEWER", 302)),
]
