"""Tables and model parts shared by every app that are not part of any one bounded area."""

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute

from welltrack.audit import AuditLog  # noqa: F401 - its table is registered when Django loads this app's models
from welltrack.dynamodb import WellTrackModel


class Tracked:
    """Who made and last changed a record users edit, when, and its optimistic-lock version.

    A mixin for models (``class Well(Tracked, WellTrackModel)``): PynamoDB collects attributes
    from every base, so the model stores ``createdAt``, ``updatedAt``, ``createdBy``,
    ``updatedBy`` and ``version`` exactly as if they were declared on it.
    """

    created_at = UTCDateTimeAttribute(attr_name="createdAt")
    updated_at = UTCDateTimeAttribute(attr_name="updatedAt")
    created_by = UnicodeAttribute(attr_name="createdBy")
    updated_by = UnicodeAttribute(attr_name="updatedBy")
    version = VersionAttribute()


class RateLimitBucket(WellTrackModel):
    """RateLimits: one rolling-window counter per (purpose, window length, subject).

    Key: ``bucket`` = ``<purpose>#<window seconds>#<subject hash>``. The counts are a ring
    of per-sub-window entries, ``n0…`` attempts in sub-window ``s0…``, written only by
    welltrack/ratelimit.py with atomic ADDs (raw UpdateItem: the entries are not model fields);
    expired by TTL on ``expiresAt`` once the item has been idle for a whole window.
    """

    class Meta:
        base_name = "RateLimits"

    bucket = UnicodeAttribute(hash_key=True)
    expires_at = TTLAttribute(attr_name="expiresAt")
