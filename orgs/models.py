"""Organizations, memberships and invitations (the audit log is the kernel's: welltrack.audit)."""

from enum import StrEnum

from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from welltrack.dynamodb import WellTrackModel


class OrgStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DELETED = "DELETED"  # kept, unreachable; its memberships are being (or have been) released


class MembershipStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REMOVED = "REMOVED"  # removed or left; the item stays so a rejoin reuses its key


class InvitationStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REVOKED = "REVOKED"


class Organization(WellTrackModel):
    """Organizations (schema table 2). Key: ``orgId``.

    Invariant (while ACTIVE): ``ownerCount`` is the number of ACTIVE OWNER memberships and
    never drops below 1; demoting or removing an owner decrements it under the condition
    ``ownerCount > 1`` in the same transaction, so two racing demotions cannot both win.
    A deleted organization keeps its item with ``status`` DELETED (its data is kept, but
    nobody can reach it) and its last ownerCount; its memberships are then released one by
    one (services.organizations.org_delete).
    """

    class Meta:
        base_name = "Organizations"

    org_id = UnicodeAttribute(hash_key=True, attr_name="orgId")
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    owner_id = UnicodeAttribute(attr_name="ownerId")
    owner_count = NumberAttribute(attr_name="ownerCount", default=1)
    status = UnicodeAttribute(default=OrgStatus.ACTIVE)
    created_at = UTCDateTimeAttribute(attr_name="createdAt")
    updated_at = UTCDateTimeAttribute(attr_name="updatedAt")
    created_by = UnicodeAttribute(attr_name="createdBy")
    version = VersionAttribute()


class OrgMembersIndex(GlobalSecondaryIndex["Membership"]):
    class Meta:
        index_name = "OrgMembersIndex"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True, attr_name="orgId")
    user_id = UnicodeAttribute(range_key=True, attr_name="userId")


class UserOrgsIndex(GlobalSecondaryIndex["Membership"]):
    class Meta:
        index_name = "UserOrgsIndex"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True, attr_name="userId")


class Membership(WellTrackModel):
    """Memberships (schema table 3). Key: ``membershipId`` = membership_id(orgId, userId).

    The key is a UUID derived from the org and the user, so DynamoDB itself allows one
    membership per user and org, and a permission check is one strongly consistent
    GetItem (never a GSI read, which could lag behind a removal).
    GSIs: OrgMembersIndex (orgId, userId), UserOrgsIndex (userId).
    """

    class Meta:
        base_name = "Memberships"

    membership_id = UnicodeAttribute(hash_key=True, attr_name="membershipId")
    org_id = UnicodeAttribute(attr_name="orgId")
    user_id = UnicodeAttribute(attr_name="userId")
    role = UnicodeAttribute()
    invited_by = UnicodeAttribute(attr_name="invitedBy", null=True)
    invited_at = UTCDateTimeAttribute(attr_name="invitedAt", null=True)
    joined_at = UTCDateTimeAttribute(attr_name="joinedAt", null=True)
    status = UnicodeAttribute(default=MembershipStatus.ACTIVE)
    version = VersionAttribute()

    org_members_index = OrgMembersIndex()
    user_orgs_index = UserOrgsIndex()


class InvitationTokenIndex(GlobalSecondaryIndex["Invitation"]):
    class Meta:
        index_name = "InvitationTokenIndex"
        projection = AllProjection()

    token_hash = UnicodeAttribute(hash_key=True, attr_name="tokenHash")


class OrgInvitationsIndex(GlobalSecondaryIndex["Invitation"]):
    class Meta:
        index_name = "OrgInvitationsIndex"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True, attr_name="orgId")
    created_at = UTCDateTimeAttribute(range_key=True, attr_name="createdAt")


class Invitation(WellTrackModel):
    """Invitations. Key: ``invitationId`` = invitation_id(orgId, email): one per address and org.

    Only the SHA-256 of the emailed token is stored (GSI InvitationTokenIndex on
    ``tokenHash``). ``status``: PENDING, ACCEPTED, REVOKED. Expires after 7 days
    (TTL ``expiresAt``, also checked on read). Resending replaces the token hash.
    GSI OrgInvitationsIndex (orgId, createdAt) lists an org's invitations.
    """

    class Meta:
        base_name = "Invitations"

    invitation_id = UnicodeAttribute(hash_key=True, attr_name="invitationId")
    org_id = UnicodeAttribute(attr_name="orgId")
    email = UnicodeAttribute()
    role = UnicodeAttribute()
    token_hash = UnicodeAttribute(attr_name="tokenHash")
    status = UnicodeAttribute(default=InvitationStatus.PENDING)
    invited_by = UnicodeAttribute(attr_name="invitedBy")
    created_at = UTCDateTimeAttribute(attr_name="createdAt")
    expires_at = TTLAttribute(attr_name="expiresAt")
    version = VersionAttribute()

    token_index = InvitationTokenIndex()
    org_invitations_index = OrgInvitationsIndex()
