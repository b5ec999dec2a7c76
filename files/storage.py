"""Where the bytes live: S3 when a bucket is configured, Django's default storage (var/media) otherwise.

The rest of the app sees four operations, the same for both:

* :func:`upload_ticket` — a URL and form fields the browser POSTs the file to directly:
  an S3 presigned POST (exact key, ``content-length-range``, content type, AES256
  server-side encryption, 10 minutes), or a POST to our own upload view carrying a
  signed token that binds the same things (files/views/local_storage.py enforces them);
* :func:`object_size` — the size of the object at exactly that key, or None;
* :func:`delete_object`;
* :func:`download_url` — a short-lived URL: an S3 presigned GET that makes S3 answer
  with our Content-Disposition and Content-Type, or a signed URL of our download view.

Download headers. Our download view sends ``X-Content-Type-Options: nosniff`` and a
sandboxing CSP. S3 cannot add either to a presigned GET (it only overrides Content-Type,
Content-Disposition, Cache-Control, … through ``response-*`` parameters), so the URL itself
leaves a browser nothing to sniff or render: every file is served as
``application/octet-stream`` with ``Content-Disposition: attachment``, except a PDF or a
raster image, which keep their own type and may be previewed inline on request. The
parameters are part of the signature: nobody can strip them from the URL. Where the header
itself is wanted as well, ``WELLTRACK_DOWNLOAD_DOMAIN`` sends downloads through a CloudFront
distribution whose response headers policy adds it (deploy/README.md).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.http import content_disposition_header

from welltrack.errors import DependencyUnavailable, NotFound

UPLOAD_TTL = timedelta(minutes=10)
DOWNLOAD_TTL = timedelta(minutes=5)
UPLOAD_SALT = "welltrack.files.upload"
DOWNLOAD_SALT = "welltrack.files.download"
ENCRYPTION = "AES256"
SAFE_NAME_MAX = 100

# Served with their own type and shown in the browser when asked (a preview); every other
# type is served as application/octet-stream and always downloaded. (Not SVG: it runs scripts.)
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
SAFE_TYPE = "application/octet-stream"

UNAVAILABLE = "The file store is not answering right now. Nothing was saved; please try again in a minute."
MISSING = "The stored copy of this file is missing, so it cannot be downloaded."


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


def well_prefix(*, org_id: str, well_id: str) -> str:
    """The folder of every object of a well, finished or not."""
    return f"orgs/{org_id}/wells/{well_id}/"


def object_key(*, org_id: str, well_id: str, file_id: str, file_name: str) -> str:
    return f"{well_prefix(org_id=org_id, well_id=well_id)}{file_id}/{safe_file_name(file_name)}"


# --- upload tickets -----------------------------------------------------------------------


def upload_ticket(*, file_id: str, key: str, size: int, content_type: str, now: datetime | None = None) -> dict:
    """``{url, fields, expiresAt}`` for a direct upload of exactly this object."""
    now = now or datetime.now(UTC)
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
    return {
        "url": reverse("files:local-upload", args=[token]),
        "fields": {"Content-Type": content_type},
        "expiresAt": expires_at,
    }


def read_upload_token(token: str) -> dict | None:
    """The claims of a local upload token, or None when forged or expired."""
    try:
        claims = signing.loads(token, salt=UPLOAD_SALT, max_age=UPLOAD_TTL)
    except signing.BadSignature:
        return None
    if claims.get("e", 0) < datetime.now(UTC).timestamp():
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
    try:
        if default_storage.exists(key):
            default_storage.delete(key)
    except OSError as exc:
        # A disk that refuses (read-only, gone, full of errors) is the local file store failing.
        raise DependencyUnavailable(UNAVAILABLE, dependency="storage") from exc


def delete_prefix(prefix: str) -> int:
    """Remove every object under ``prefix`` (a well's folder): the finished files' objects and
    those uploaded but never completed, which no table lists. Returns how many went."""
    if is_s3():
        client, bucket, deleted = _s3_client(), settings.AWS_STORAGE_BUCKET_NAME, 0
        try:
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if not keys:
                    continue
                answer = client.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
                if answer.get("Errors"):
                    raise DependencyUnavailable(UNAVAILABLE, dependency="s3")
                deleted += len(keys)
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable(UNAVAILABLE, dependency="s3") from exc
        return deleted
    return _delete_local_tree(prefix.rstrip("/"))


def _delete_local_tree(path: str) -> int:
    try:
        folders, names = default_storage.listdir(path)
    except FileNotFoundError:
        return 0
    deleted = sum(_delete_local_tree(f"{path}/{folder}") for folder in folders)
    for name in names:
        default_storage.delete(f"{path}/{name}")
    default_storage.delete(path)  # the folder, now empty
    return deleted + len(names)


# --- downloads ----------------------------------------------------------------------------


def served_type(content_type: str) -> str:
    """The Content-Type a download is served with: a PDF's or a raster image's own, and
    ``application/octet-stream`` for everything else — nothing a browser would render as a
    page or run, whatever it sniffs (S3 cannot send nosniff)."""
    return content_type if content_type in INLINE_TYPES else SAFE_TYPE


def disposition(file_name: str, content_type: str, inline: bool = False) -> str:
    """Content-Disposition: attachment, except a requested preview of a PDF or raster image."""
    as_attachment = not (inline and content_type in INLINE_TYPES)
    return content_disposition_header(as_attachment, file_name)


def _through_download_domain(url: str) -> str:
    """The presigned URL on the CloudFront domain of WELLTRACK_DOWNLOAD_DOMAIN, when set.

    Only the host changes: CloudFront forwards the path and query string to the bucket with
    the bucket's own Host header, so S3 checks the same signature."""
    domain = getattr(settings, "WELLTRACK_DOWNLOAD_DOMAIN", None)
    if not domain:
        return url
    parts = urlsplit(url)
    return urlunsplit(("https", domain, parts.path, parts.query, ""))


def download_url(*, key: str, file_name: str, content_type: str, inline: bool = False) -> str:
    """A URL valid for 5 minutes that answers the file with our headers.

    The object is looked up first (a HEAD on S3): a file store that does not answer is a
    503 here, with our message, rather than an error page of S3's in the browser; a missing
    object is a 404 that says so.
    """
    if object_size(key) is None:
        raise NotFound(MISSING)
    content_disposition = disposition(file_name, content_type, inline)
    response_type = served_type(content_type)
    if is_s3():
        try:
            url = _s3_client().generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": settings.AWS_STORAGE_BUCKET_NAME,
                    "Key": key,
                    "ResponseContentDisposition": content_disposition,
                    "ResponseContentType": response_type,
                    "ResponseCacheControl": "private, no-store",
                },
                ExpiresIn=int(DOWNLOAD_TTL.total_seconds()),
            )
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable(UNAVAILABLE, dependency="s3") from exc
        return _through_download_domain(url)
    token = signing.dumps({"k": key, "d": content_disposition, "t": response_type}, salt=DOWNLOAD_SALT)
    return reverse("files:local-download", args=[token])


def read_download_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=DOWNLOAD_SALT, max_age=DOWNLOAD_TTL)
    except signing.BadSignature:
        return None
