"""Where the bytes live: S3 when a bucket is configured, Django's default storage (var/media) otherwise.

The rest of the app sees four operations, the same for both:

* :func:`upload_ticket` — a URL and form fields the browser POSTs the file to directly:
  an S3 presigned POST (exact key, ``content-length-range``, content type, AES256
  server-side encryption, 10 minutes), or a POST to our own upload view carrying a
  signed token that binds the same things (files/upload_views.py enforces them);
* :func:`object_size` — the size of the object at exactly that key, or None;
* :func:`delete_object`;
* :func:`download_url` — a short-lived URL: an S3 presigned GET that makes S3 answer
  with our Content-Disposition and Content-Type, or a signed URL of our download view.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.http import content_disposition_header

from welltrack.errors import DependencyUnavailable

UPLOAD_TTL = timedelta(minutes=10)
DOWNLOAD_TTL = timedelta(minutes=5)
UPLOAD_SALT = "welltrack.files.upload"
DOWNLOAD_SALT = "welltrack.files.download"
ENCRYPTION = "AES256"
SAFE_NAME_MAX = 100

# Shown in the browser when asked (a preview); everything else is always a download.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
# Types a browser would run or render as a document of our origin: never served with their own type.
ACTIVE_TYPES = re.compile(r"(html|svg|xml|javascript|ecmascript|x-sh|xhtml)", re.IGNORECASE)

UNAVAILABLE = "The file store is not answering right now. Nothing was saved; please try again in a minute."


def max_upload_bytes() -> int:
    return int(settings.WELLTRACK_MAX_UPLOAD_MB) * 1024 * 1024


def is_s3() -> bool:
    return bool(settings.AWS_STORAGE_BUCKET_NAME)


def bucket_name() -> str:
    """The s3Bucket recorded on a File: the bucket, or ``local`` for var/media."""
    return settings.AWS_STORAGE_BUCKET_NAME or "local"


def _s3_client():
    # django-storages' own client: the same endpoint, region and credentials as default_storage.
    return default_storage.connection.meta.client


# --- names ------------------------------------------------------------------------------

def safe_file_name(name: str) -> str:
    """A key-safe version of a file name: ASCII letters, digits, ``.``, ``-`` and ``_`` only,
    no path separators or control characters, at most 100 characters with the extension kept."""
    base = re.split(r"[/\\]", name or "")[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name)
    cleaned = re.sub(r"_{2,}", "_", cleaned).strip("._-")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    if not cleaned:
        cleaned = "file"
    if len(cleaned) > SAFE_NAME_MAX:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and 0 < len(ext) <= 16 and stem:
            cleaned = f"{stem[: SAFE_NAME_MAX - len(ext) - 1].rstrip('._-')}.{ext}"
        else:
            cleaned = cleaned[:SAFE_NAME_MAX]
    return cleaned


def object_key(*, org_id: str, well_id: str, file_id: str, file_name: str) -> str:
    return f"orgs/{org_id}/wells/{well_id}/{file_id}/{safe_file_name(file_name)}"


# --- upload tickets -----------------------------------------------------------------------

def upload_ticket(*, file_id: str, key: str, size: int, content_type: str, now: datetime | None = None) -> dict:
    """``{url, fields, expiresAt}`` for a direct upload of exactly this object."""
    now = now or datetime.now(timezone.utc)
    expires_at = now + UPLOAD_TTL
    if is_s3():
        try:
            post = _s3_client().generate_presigned_post(
                Bucket=settings.AWS_STORAGE_BUCKET_NAME,
                Key=key,
                Fields={"Content-Type": content_type, "x-amz-server-side-encryption": ENCRYPTION},
                Conditions=[
                    {"Content-Type": content_type},
                    {"x-amz-server-side-encryption": ENCRYPTION},
                    ["content-length-range", 1, max_upload_bytes()],
                ],
                ExpiresIn=int(UPLOAD_TTL.total_seconds()),
            )
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable(UNAVAILABLE, dependency="s3") from exc
        return {"url": post["url"], "fields": post["fields"], "expiresAt": expires_at}
    token = signing.dumps(
        {"f": file_id, "k": key, "s": int(size), "t": content_type, "e": int(expires_at.timestamp())},
        salt=UPLOAD_SALT,
    )
    # The token is in the URL so the upload view knows the declared size before it reads the body.
    return {"url": reverse("files:local-upload", args=[token]), "fields": {"Content-Type": content_type},
            "expiresAt": expires_at}


def read_upload_token(token: str) -> dict | None:
    """The claims of a local upload token, or None when forged or expired."""
    try:
        claims = signing.loads(token, salt=UPLOAD_SALT, max_age=UPLOAD_TTL)
    except signing.BadSignature:
        return None
    if claims.get("e", 0) < datetime.now(timezone.utc).timestamp():
        return None
    return claims


# --- objects ------------------------------------------------------------------------------

def object_size(key: str) -> int | None:
    """Bytes of the object at exactly ``key`` (a HEAD on S3), or None when there is none."""
    if is_s3():
        try:
            head = _s3_client().head_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise DependencyUnavailable(UNAVAILABLE, dependency="s3") from exc
        except BotoCoreError as exc:
            raise DependencyUnavailable(UNAVAILABLE, dependency="s3") from exc
        return int(head["ContentLength"])
    if not default_storage.exists(key):
        return None
    return int(default_storage.size(key))


def delete_object(key: str) -> None:
    """Remove the object; a missing one is not an error."""
    if is_s3():
        try:
            _s3_client().delete_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=key)
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable(UNAVAILABLE, dependency="s3") from exc
        return
    if default_storage.exists(key):
        default_storage.delete(key)


# --- downloads ----------------------------------------------------------------------------

def served_type(content_type: str) -> str:
    """The Content-Type a download is served with: the file's own, unless a browser would
    treat it as active content of our origin (HTML, SVG, XML, scripts)."""
    if not content_type or ACTIVE_TYPES.search(content_type):
        return "application/octet-stream"
    return content_type


def disposition(file_name: str, content_type: str, inline: bool = False) -> str:
    """Content-Disposition: attachment, except a requested preview of a PDF or raster image."""
    as_attachment = not (inline and content_type in INLINE_TYPES)
    return content_disposition_header(as_attachment, file_name)


def download_url(*, key: str, file_name: str, content_type: str, inline: bool = False) -> str:
    """A URL valid for 5 minutes that answers the file with our headers."""
    content_disposition = disposition(file_name, content_type, inline)
    response_type = served_type(content_type)
    if is_s3():
        try:
            return _s3_client().generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": settings.AWS_STORAGE_BUCKET_NAME,
                    "Key": key,
                    "ResponseContentDisposition": content_disposition,
                    "ResponseContentType": response_type,
                },
                ExpiresIn=int(DOWNLOAD_TTL.total_seconds()),
            )
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable(UNAVAILABLE, dependency="s3") from exc
    token = signing.dumps({"k": key, "d": content_disposition, "t": response_type}, salt=DOWNLOAD_SALT)
    return reverse("files:local-download", args=[token])


def read_download_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=DOWNLOAD_SALT, max_age=DOWNLOAD_TTL)
    except signing.BadSignature:
        return None
