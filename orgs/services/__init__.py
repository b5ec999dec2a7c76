"""Every write of the organizations area; import from here."""

from orgs.services.invitations import (
    INVITED_SIGN_UPS_PER_HOUR,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_id,
    invitation_register_rate_check,
    invitation_resend,
    invitation_revoke,
)
from orgs.services.members import LAST_OWNER_MESSAGE, member_change_role, member_remove, ownership_transfer
from orgs.services.organizations import org_create, org_delete, org_update

__all__ = [
    "INVITED_SIGN_UPS_PER_HOUR",
    "LAST_OWNER_MESSAGE",
    "invitation_accept",
    "invitation_create",
    "invitation_for_token",
    "invitation_id",
    "invitation_register_rate_check",
    "invitation_resend",
    "invitation_revoke",
    "member_change_role",
    "member_remove",
    "org_create",
    "org_delete",
    "org_update",
    "ownership_transfer",
]
