"""Tables shared by every app that are not part of any one bounded area."""

from pynamodb.attributes import TTLAttribute, UnicodeAttribute

from welltrack.dynamodb import WellTrackModel


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
