"""Private calendar subscription links (iCalendar)."""

from enum import StrEnum

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from welltrack.dynamodb import WellTrackModel


class CalendarTokenHashIndex(GlobalSecondaryIndex["CalendarToken"]):
    class Meta:
        index_name = "CalendarTokenHashIndex"
        projection = AllProjection()

    token_hash = UnicodeAttribute(hash_key=True, attr_name="tokenHash")


class UserCalendarTokensIndex(GlobalSecondaryIndex["CalendarToken"]):
    class Meta:
        index_name = "UserCalendarTokensIndex"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True, attr_name="userId")
    created_at = UTCDateTimeAttribute(range_key=True, attr_name="createdAt")


class CalendarTokenStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"


class RevokedFor(StrEnum):
    """Why a link was revoked, when not by its owner's own hand (``revokedFor``)."""

    PASSWORD_CHANGE = "PASSWORD_CHANGE"  # a password change or reset: the page offers new links


class CalendarToken(WellTrackModel):
    """CalendarTokens: a member's own private .ics link to a well's or project's calendar.

    Key ``tokenId``; only the SHA-256 of the secret in the link is stored (GSI
    CalendarTokenHashIndex). Every fetch re-checks that the member still belongs to the
    organization, so leaving or being removed ends the subscription; ``status`` REVOKED
    ends it at once. GSI UserCalendarTokensIndex (userId, createdAt) lists a member's links.
    A password change or reset revokes all of the user's links (``revokedFor`` PASSWORD_CHANGE).
    """

    class Meta:
        base_name = "CalendarTokens"

    token_id = UnicodeAttribute(hash_key=True, attr_name="tokenId")
    token_hash = UnicodeAttribute(attr_name="tokenHash")
    user_id = UnicodeAttribute(attr_name="userId")
    org_id = UnicodeAttribute(attr_name="orgId")
    scope_type = UnicodeAttribute(attr_name="scopeType")
    scope_id = UnicodeAttribute(attr_name="scopeId")
    scope_name = UnicodeAttribute(attr_name="scopeName", default="")
    status = UnicodeAttribute(default=CalendarTokenStatus.ACTIVE)
    revoked_for = UnicodeAttribute(attr_name="revokedFor", null=True)
    created_at = UTCDateTimeAttribute(attr_name="createdAt")
    version = VersionAttribute()

    token_hash_index = CalendarTokenHashIndex()
    user_tokens_index = UserCalendarTokensIndex()
