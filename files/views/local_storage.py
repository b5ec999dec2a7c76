"""Local storage's stand-ins for S3: the upload and download endpoints a signed token opens.

Like an S3 presigned POST/GET, these need no session: the token, short-lived and bound to
one object key, is the permission. Both exist only when no bucket is configured.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from files import storage

# Room for the multipart boundaries and the token/Content-Type fields around the file.
FORM_OVERHEAD = 64 * 1024


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Streams the file part to a temporary file and stops reading once it passes ``limit`` bytes."""

    def __init__(self, limit: int, request=None) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


def _refuse(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt  # cross-origin on S3, token-authorised here: the same contract for the browser
@require_POST
def local_upload(request: HttpRequest, token: str) -> HttpResponse:
    """``Content-Type`` and then ``file``, checked as S3 checks a presigned POST's policy.

    The token (in the URL) names the key, the declared size and type, and the expiry; the
    body is streamed to a temporary file and reading stops as soon as it passes the declared
    size, so an oversized upload is refused without being stored.
    """
    if storage.is_s3():
        raise Http404()
    claims = storage.read_upload_token(token)
    if claims is None:
        return _refuse(403, "This upload link is not valid or has expired.")
    declared = int(claims["s"])
    limit = min(declared, storage.max_upload_bytes())
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + FORM_OVERHEAD:
        return _refuse(413, "The file is larger than declared.")
    handler = LimitedUploadHandler(limit, request)
    request.upload_handlers = [handler]
    try:
        content_type = request.POST.get("Content-Type", "")
        upload = request.FILES.get("file")
    except StopUpload:
        content_type, upload = "", None
    if handler.exceeded:
        return _refuse(413, "The file is larger than declared.")
    if content_type != claims["t"]:
        return _refuse(403, "The content type differs from the one declared.")
    if upload is None:
        return _refuse(400, "No file was sent.")
    if upload.size != declared:
        return _refuse(400, "The file's size differs from the one declared.")
    key = claims["k"]
    if default_storage.exists(key):
        return _refuse(409, "This upload has already been made.")
    saved = default_storage.save(key, upload)
    if saved != key or default_storage.size(saved) != declared:
        # Lost a race for the key, or the bytes changed on the way: keep nothing.
        default_storage.delete(saved)
        return _refuse(400, "The file's size differs from the one declared.")
    return HttpResponse(status=204)


@require_GET
def local_download(request: HttpRequest, token: str) -> HttpResponse:
    claims = storage.read_download_token(token)
    if storage.is_s3() or claims is None:
        raise Http404()
    key = claims["k"]
    if not default_storage.exists(key):
        raise Http404()
    response = FileResponse(default_storage.open(key, "rb"), content_type=claims["t"])
    response["Content-Disposition"] = claims["d"]
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it, the file gets no script and no access to our origin
    # (Chromium's PDF viewer does not run in a sandboxed document, so PDFs go without).
    policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Content-Security-Policy"] = policy if claims["t"] == "application/pdf" else f"{policy}; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
