"""Tables shared by every app that are not part of any one bounded area."""

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute

from welltrack.dynamodb import WellTrackModel


class RateLimitBucket(WellTrackModel):
    """RateLimits: one counter per (purpose, subject, time window).

    Key: ``bucket`` = ``<purpose>#<subject hash>#<window start>``. Counted with an atomic
    ADD, so every app server shares the same count; expired by TTL on ``expiresAt``.
    """

    class Meta:
        base_name = "RateLimits"

    bucket = UnicodeAttribute(hash_key=True)
    count = NumberAttribute(default=0)
    expires_at = TTLAttribute(attr_name="expiresAt")
