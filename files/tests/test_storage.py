"""Key names, download headers and the local tokens (no database)."""

from __future__ import annotations

import pytest

from files import storage


@pytest.mark.parametrize(
    "name, safe",
    [
        ("Daily Drilling Report 08.03.2026.pdf", "Daily_Drilling_Report_08.03.2026.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\erin\\log.las", "log.las"),
        ("bad\x00name\r\n.txt", "bad_name_.txt"),
        ("Скважина №7.xlsx", "No7.xlsx"),
        ("...", "file"),
        ("", "file"),
        (".hidden", "hidden"),
    ],
)
def test_safe_file_name(name, safe):
    assert storage.safe_file_name(name) == safe


def test_safe_file_name_is_bounded_and_keeps_the_extension():
    safe = storage.safe_file_name("a" * 500 + ".pdf")
    assert len(safe) == storage.SAFE_NAME_MAX
    assert safe.endswith(".pdf")


def test_object_key_has_the_documented_shape():
    assert (
        storage.object_key(org_id="o1", well_id="w1", file_id="f1", file_name="a/b.pdf") == "orgs/o1/wells/w1/f1/b.pdf"
    )


@pytest.mark.parametrize(
    "content_type, inline, expected",
    [
        ("application/pdf", True, "inline"),
        ("image/png", True, "inline"),
        ("application/pdf", False, "attachment"),
        ("text/html", True, "attachment"),
        ("image/svg+xml", True, "attachment"),
        ("application/zip", True, "attachment"),
    ],
)
def test_only_pdfs_and_raster_images_may_be_inline(content_type, inline, expected):
    assert storage.disposition("x", content_type, inline).split(";")[0] == expected


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript", ""])
def test_active_content_is_served_as_octet_stream(content_type):
    assert storage.served_type(content_type) == "application/octet-stream"


def test_disposition_encodes_non_ascii_names():
    header = storage.disposition("Отчёт.pdf", "application/pdf")
    assert header.startswith("attachment; filename*=utf-8''")


def test_local_upload_token_is_refused_when_tampered(local_media):
    answer = storage.upload_ticket(file_id="f", key="orgs/o/wells/w/f/a.pdf", size=3, content_type="application/pdf")
    token = answer["url"].rstrip("/").rsplit("/", 1)[-1]
    assert storage.read_upload_token(token)["k"] == "orgs/o/wells/w/f/a.pdf"
    assert storage.read_upload_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_local_upload_token_expires(local_media, monkeypatch):
    from datetime import timedelta

    answer = storage.upload_ticket(file_id="f", key="k", size=3, content_type="application/pdf")
    token = answer["url"].rstrip("/").rsplit("/", 1)[-1]
    monkeypatch.setattr(storage, "UPLOAD_TTL", timedelta(seconds=-1))
    assert storage.read_upload_token(token) is None


@pytest.mark.parametrize("content_type", ["text/csv", "text/plain", "application/zip", "application/msword"])
def test_other_types_are_served_as_octet_stream_too(content_type):
    # S3 cannot send nosniff, so nothing but a previewable type is served with its own type.
    assert storage.served_type(content_type) == "application/octet-stream"


@pytest.mark.parametrize("content_type", sorted(storage.INLINE_TYPES))
def test_previewable_types_keep_their_own(content_type):
    assert storage.served_type(content_type) == content_type


def test_delete_prefix_removes_a_folder_and_nothing_beside_it(local_media):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    for key in ("orgs/o/wells/w1/f1/a.pdf", "orgs/o/wells/w1/f2/b.pdf", "orgs/o/wells/w10/f3/c.pdf"):
        default_storage.save(key, ContentFile(b"x"))
    assert storage.delete_prefix(storage.well_prefix(org_id="o", well_id="w1")) == 2
    assert not (local_media / "orgs/o/wells/w1").exists()
    assert (local_media / "orgs/o/wells/w10/f3/c.pdf").exists()
    assert storage.delete_prefix(storage.well_prefix(org_id="o", well_id="gone")) == 0
